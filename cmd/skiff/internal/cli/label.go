package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/client"
)

// metaMapKind says which of an object's string maps label and annotate change, and how
// each reports.
type metaMapKind struct {
	field   string // "labels"
	what    string // "label": the pairs' name in messages
	done    string // "labeled"
	notDone string // "not labeled"; "" to report done even when nothing changed
	// strictOverwrite refuses, without --overwrite, every key that already exists (kubectl's
	// label) rather than only those whose value would change (kubectl's annotate).
	strictOverwrite bool
}

var (
	labelMap = metaMapKind{field: "labels", what: "label", done: "labeled", notDone: "not labeled", strictOverwrite: true}
	// annotate reports "annotated" even for no change, as kubectl does.
	annotationMap = metaMapKind{field: "annotations", what: "annotation", done: "annotated"}
)

// labelFlags are the flags of label and annotate.
type labelFlags struct {
	selection
	overwrite       bool
	resourceVersion string
}

// labelCommand returns label or annotate, which set and remove keys of metadata.labels or
// metadata.annotations with a JSON merge patch.
func (r *root) labelCommand(k metaMapKind) *cobra.Command {
	var f labelFlags
	var use, short, example string
	if k.what == "label" {
		use = "label [--overwrite] (-f FILENAME | TYPE NAME | TYPE/NAME | TYPE -l SELECTOR | TYPE --all) KEY_1=VAL_1 ... KEY_N=VAL_N [KEY-]"
		short = "Update the labels of objects"
		example = "  skiff label pods web-abc tier=frontend\n  skiff label --overwrite deploy/web tier=backend\n" +
			"  skiff label pods --all status=unhealthy\n  skiff label pods web-abc tier-"
	} else {
		use = "annotate [--overwrite] (-f FILENAME | TYPE NAME | TYPE/NAME | TYPE -l SELECTOR | TYPE --all) KEY_1=VAL_1 ... KEY_N=VAL_N [KEY-]"
		short = "Update the annotations of objects"
		example = "  skiff annotate deploy web description='my frontend'\n  skiff annotate --overwrite pods web-abc owner=team-b\n" +
			"  skiff annotate pods web-abc owner-"
	}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Long: fmt.Sprintf("Add, change (with --overwrite) or remove (KEY-) %ss of objects. Without --overwrite a\n"+
			"%s that is already set is not changed and the command fails.", k.what, k.what),
		Example: example,
		RunE: func(cmd *cobra.Command, args []string) error {
			resources, pairs, err := splitPairs(cmd, args, k.what)
			if err != nil {
				return err
			}
			if len(resources) == 0 && len(f.file.files) == 0 {
				return usageError(cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>")
			}
			if len(pairs) == 0 {
				return usageError(cmd, "at least one %s update is required", k.what)
			}
			set, remove, err := parsePairs(pairs, pairRules{what: k.what, allowRemove: true, singleEqual: k.strictOverwrite})
			if err != nil {
				return err
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			targets, err := r.targets(cmd, c, resources, f.selection)
			if err != nil {
				return err
			}
			if f.resourceVersion != "" && len(targets) > 1 {
				return messagef("--resource-version may only be used with a single resource")
			}
			var errs []error
			for _, t := range targets {
				if err := r.changeMetaMap(cmd, c, t, k, f, set, remove); err != nil {
					errs = append(errs, err)
				}
			}
			return r.reportErrors(errs)
		},
	}
	f.selection.addFlags(cmd, "of the objects to "+strings.TrimSuffix(k.done, "ed"), "update", true)
	cmd.Flags().BoolVar(&f.overwrite, "overwrite", false, "change keys that are already set (without it, setting one fails)")
	cmd.Flags().StringVar(&f.resourceVersion, "resource-version", "", "precondition: change the object only if this is its current resourceVersion (one object only)")
	return cmd
}

// changeMetaMap applies set and remove to one object's labels or annotations: it reads the
// object, checks --overwrite, and writes only the keys that change, as a JSON merge patch
// (with --resource-version as its precondition).
func (r *root) changeMetaMap(cmd *cobra.Command, c client.Client, t target, k metaMapKind, f labelFlags, set map[string]string, remove []string) error {
	ctx := cmd.Context()
	obj, err := c.Get(ctx, t.info.GVK, t.ns, t.name)
	if err != nil {
		return err
	}
	om := obj.GetObjectMeta()
	cur := om.Labels
	if k.field == "annotations" {
		cur = om.Annotations
	}
	if !f.overwrite {
		var clashes []string
		for _, key := range slices.Sorted(maps.Keys(set)) {
			if v, ok := cur[key]; ok && (k.strictOverwrite || v != set[key]) {
				clashes = append(clashes, fmt.Sprintf("'%s' already has a value (%s)", key, v))
			}
		}
		switch {
		case len(clashes) == 0:
		case k.strictOverwrite && len(clashes) == 1:
			return messagef("%s, and --overwrite is false", clashes[0])
		case k.strictOverwrite:
			return messagef("[%s, and --overwrite is false]", strings.Join(clashes, ", and --overwrite is false, "))
		default:
			return messagef("--overwrite is false but found the following declared %s(s): %s", k.what, strings.Join(clashes, "; "))
		}
	}
	changes := map[string]any{}
	for key, v := range set {
		if old, ok := cur[key]; !ok || old != v {
			changes[key] = v
		}
	}
	for _, key := range remove {
		if _, ok := cur[key]; ok {
			changes[key] = nil
		} else if k.what == "label" {
			fmt.Fprintf(r.opts.Out, "label %q not found.\n", key)
		}
	}
	if len(changes) == 0 && f.resourceVersion == "" {
		msg := k.notDone
		if msg == "" {
			msg = k.done
		}
		fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), msg)
		return nil
	}
	md := map[string]any{k.field: changes}
	if f.resourceVersion != "" {
		md["resourceVersion"] = f.resourceVersion
	}
	patch, err := json.Marshal(map[string]any{"metadata": md})
	if err != nil {
		return err
	}
	if _, err := c.Patch(ctx, t.info.GVK, t.ns, t.name, client.MergePatchType, patch, client.PatchOptions{}); err != nil {
		return err
	}
	msg := k.done
	if len(changes) == 0 && k.notDone != "" {
		msg = k.notDone
	}
	fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), msg)
	return nil
}
