package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"sigs.k8s.io/yaml"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
)

// patchFlags are the flags of patch.
type patchFlags struct {
	selection
	patch       string
	patchFile   string
	patchType   string
	subresource string
	output      string
}

func (r *root) patchCommand() *cobra.Command {
	var f patchFlags
	cmd := &cobra.Command{
		Use:   "patch (-f FILENAME | TYPE NAME | TYPE/NAME) [-p PATCH | --patch-file FILE] [--type merge|json]",
		Short: "Update fields of objects with a JSON merge patch or a JSON patch",
		Long: "Update fields of objects with a patch, given in JSON or YAML.\n\n" +
			"--type merge (RFC 7386): a partial object; its fields replace the object's, null removes one,\n" +
			"and a list replaces the whole list. --type json (RFC 6902): a list of operations (add, remove,\n" +
			"replace, move, copy, test) on paths such as /spec/template/spec/containers/0/image.\n\n" +
			"skiff has no strategic merge patch, kubectl's default type, which merges lists of containers,\n" +
			"ports and the like by name. Without --type, a patch is applied as a merge patch when it holds\n" +
			"no list, where both mean the same; a patch with a list needs --type, so that no list is\n" +
			"replaced by surprise.",
		Example: "  skiff patch deploy web -p '{\"spec\":{\"replicas\":3}}'\n" +
			"  skiff patch node node-1 -p '{\"spec\":{\"unschedulable\":true}}'\n" +
			"  skiff patch deploy/web --type json -p '[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/image\",\"value\":\"nginx:1.27\"}]'\n" +
			"  skiff patch pod web-abc --subresource status --type merge -p '{\"status\":{\"phase\":\"Failed\"}}'",
		RunE: func(cmd *cobra.Command, args []string) error { return r.runPatch(cmd, args, f) },
	}
	f.selection.addFlags(cmd, "of the objects to patch", "patch", false)
	fl := cmd.Flags()
	fl.StringVarP(&f.patch, "patch", "p", "", "the patch, JSON or YAML")
	fl.StringVar(&f.patchFile, "patch-file", "", "a file holding the patch")
	fl.StringVar(&f.patchType, "type", "", "merge or json (see above; skiff has no strategic merge patch)")
	fl.StringVar(&f.subresource, "subresource", "", "status to patch only the status of kinds with a status subresource")
	fl.StringVarP(&f.output, "output", "o", "", "print the patched objects: json, yaml or name")
	return cmd
}

func (r *root) runPatch(cmd *cobra.Command, args []string, f patchFlags) error {
	if err := checkOutput(f.output, "", outputJSON, outputYAML, outputName); err != nil {
		return err
	}
	if len(args) == 0 && len(f.file.files) == 0 {
		return usageError(cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>")
	}
	if (f.patch == "") == (f.patchFile == "") {
		return usageError(cmd, "Must specify --patch or --patch-file containing the contents of the patch")
	}
	opts := client.PatchOptions{}
	switch f.subresource {
	case "":
	case client.SubresourceStatus:
		opts.Subresource = client.SubresourceStatus
	default:
		return usageError(cmd, "invalid subresource value: %q. Must be one of [status]", f.subresource)
	}
	src := f.patch
	if f.patchFile != "" {
		data, err := os.ReadFile(f.patchFile)
		if err != nil {
			return err
		}
		src = string(data)
	}
	data, err := yaml.YAMLToJSON([]byte(src))
	if err != nil {
		return fmt.Errorf("unable to parse %q: %v", src, err)
	}
	pt, err := patchType(f.patchType, data)
	if err != nil {
		return err
	}

	c, err := r.client()
	if err != nil {
		return err
	}
	targets, err := r.targets(cmd, c, args, f.selection)
	if err != nil {
		return err
	}
	var errs []error
	var printed []meta.Object
	for _, t := range targets {
		ctx := cmd.Context()
		before, err := c.Get(ctx, t.info.GVK, t.ns, t.name)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		after, err := c.Patch(ctx, t.info.GVK, t.ns, t.name, pt, data, opts)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		switch {
		case f.output == outputTable && (after.GetResourceVersion() == before.GetResourceVersion() || r.patchIsNoop(before, pt, data)):
			fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), "patched (no change)")
		case f.output == outputTable:
			fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), "patched")
		default:
			printed = append(printed, after)
		}
	}
	if len(printed) > 0 {
		if err := printObjects(r.opts.Out, r.scheme, f.output, printed, len(targets) == 1); err != nil {
			errs = append(errs, err)
		}
	}
	return r.reportErrors(errs)
}

// patchIsNoop reports whether the patch leaves obj as it is, as kubectl's "patched (no
// change)" says: the object's resourceVersion alone cannot tell when another writer (a
// controller updating the status) changed it meanwhile.
func (r *root) patchIsNoop(obj meta.Object, pt client.PatchType, data []byte) bool {
	patched, err := client.ApplyPatch(r.scheme, obj, pt, data)
	if err != nil {
		return false
	}
	a, errA := r.scheme.Encode(obj.DeepCopyObject())
	b, errB := r.scheme.Encode(patched)
	return errA == nil && errB == nil && bytes.Equal(a, b)
}

// patchType returns the patch type --type names for a patch (as JSON). Without --type, a
// patch holding no list is a merge patch: strategic merge, kubectl's default, would apply it
// the same way. A patch with a list would not be (strategic merge merges some lists by key,
// a merge patch replaces them), so it needs an explicit type.
func patchType(flag string, patch []byte) (client.PatchType, error) {
	switch flag {
	case "merge":
		return client.MergePatchType, nil
	case "json":
		return client.JSONPatchType, nil
	case "strategic":
		return "", messagef("strategic merge patch is not supported by skiff: use --type merge (lists are replaced whole) or --type json")
	case "":
	default:
		return "", messagef("--type must be one of [merge json], not %q", flag)
	}
	var v any
	if err := json.Unmarshal(patch, &v); err != nil {
		return "", fmt.Errorf("unable to parse the patch: %v", err)
	}
	if _, ok := v.([]any); ok {
		return "", messagef("the patch is a list of operations: pass --type json")
	}
	if path := firstList(v, ""); path != "" {
		return "", messagef("the patch sets a list (%s), and skiff has no strategic merge patch, kubectl's default, "+
			"which merges some lists by key: pass --type merge to replace the whole list, or --type json to change single elements", path)
	}
	return client.MergePatchType, nil
}

// firstList returns the path ("spec.template.spec.containers") of a list in v, in key order,
// or "" when v holds none.
func firstList(v any, path string) string {
	switch v := v.(type) {
	case []any:
		return path
	case map[string]any:
		for _, k := range slices.Sorted(maps.Keys(v)) {
			p := k
			if path != "" {
				p = path + "." + k
			}
			if strings.ContainsAny(k, ".[]") {
				p = path + "[" + strconv.Quote(k) + "]"
			}
			if found := firstList(v[k], p); found != "" {
				return found
			}
		}
	}
	return ""
}
