package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/mergepatch"
	"github.com/skiff-dev/skiff/store"
)

// lastAppliedAnnotation holds the configuration apply last applied, as in kubectl.
const lastAppliedAnnotation = core.LastAppliedConfigAnnotation

// fileFlags are the -f and -R flags of apply, create and delete.
type fileFlags struct {
	files     []string
	recursive bool
}

func (f *fileFlags) add(cmd *cobra.Command, what string) {
	cmd.Flags().StringSliceVarP(&f.files, "filename", "f", nil, "a file, directory or - (standard input) of manifests "+what)
	cmd.Flags().BoolVarP(&f.recursive, "recursive", "R", false, "read the directories given to -f recursively")
}

func (r *root) applyCommand() *cobra.Command {
	var f fileFlags
	cmd := &cobra.Command{
		Use:   "apply -f FILENAME",
		Short: "Create or update objects from manifests",
		Long: "Create the objects of the manifests that do not exist and update those that do, as kubectl's\n" +
			"client-side apply: fields removed from a manifest since it was last applied are removed from\n" +
			"the object, fields set by others are kept. The configuration applied is recorded in the\n" +
			"kubectl.kubernetes.io/last-applied-configuration annotation.\n\n" +
			"Manifests are YAML (several documents separated by ---) or JSON, apiVersion/kind as in Kubernetes.",
		Example: "  skiff apply -f web.yaml\n  skiff apply -f manifests/\n  cat web.yaml | skiff apply -f -",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(f.files) == 0 {
				return usageError(cmd, "must specify -f")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			ms, err := r.readAndPrepare("apply", f.files, f.recursive, namespaceFlagSet(cmd))
			if err != nil {
				return err
			}
			var errs []error
			for _, m := range ms {
				if err := r.applyOne(cmd.Context(), c, m); err != nil {
					errs = append(errs, err)
				}
			}
			return r.reportErrors(errs)
		},
	}
	f.add(cmd, "to apply")
	return cmd
}

// applyOne creates or patches the object of one manifest and prints what happened.
func (r *root) applyOne(ctx context.Context, c client.Client, m manifest) error {
	name, ns, gvk := m.obj.GetName(), m.obj.GetNamespace(), m.info.GVK
	if name == "" {
		if m.obj.GetObjectMeta().GenerateName != "" {
			return fmt.Errorf("from %s: cannot use generate name with apply", m.source)
		}
		return &sourceError{"retrieving current configuration of", m.source, errors.New("resource name may not be empty")}
	}
	modified, err := withLastApplied(m.doc)
	if err != nil {
		return err
	}
	cur, err := c.Get(ctx, gvk, ns, name)
	if store.IsNotFound(err) {
		obj, err := r.scheme.Decode(modified)
		if err != nil {
			return &sourceError{"creating", m.source, err}
		}
		if _, err := c.Create(ctx, obj, store.CreateOptions{}); err != nil {
			return &sourceError{"creating", m.source, err}
		}
		fmt.Fprintln(r.opts.Out, objectName(m.info, name), "created")
		return nil
	}
	if err != nil {
		return &sourceError{"retrieving current configuration of", m.source, err}
	}
	original := cur.GetAnnotations()[lastAppliedAnnotation]
	if original == "" {
		fmt.Fprintf(r.opts.ErrOut, "Warning: resource %s/%s is missing the %s annotation which is required by skiff apply. "+
			"skiff apply should only be used on resources created declaratively by skiff apply. "+
			"The missing annotation will be patched automatically.\n", m.info.Plural, name, lastAppliedAnnotation)
	}
	current, err := r.scheme.Encode(cur)
	if err != nil {
		return err
	}
	patch, err := mergepatch.ThreeWay([]byte(original), modified, current)
	if err != nil {
		return &sourceError{"applying patch to", m.source, err}
	}
	if string(patch) == "{}" {
		fmt.Fprintln(r.opts.Out, objectName(m.info, name), "unchanged")
		return nil
	}
	out, err := c.Patch(ctx, gvk, ns, name, client.MergePatchType, patch, client.PatchOptions{})
	if err != nil {
		return &sourceError{"patching", m.source, err}
	}
	verb := "configured"
	if out.GetResourceVersion() == cur.GetResourceVersion() {
		verb = "unchanged"
	}
	fmt.Fprintln(r.opts.Out, objectName(m.info, name), verb)
	return nil
}

// withLastApplied returns doc as JSON with the last-applied-configuration annotation set to
// doc itself (without that annotation), as kubectl's GetModifiedConfiguration does. doc is
// not modified.
func withLastApplied(doc map[string]any) ([]byte, error) {
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	var plain, modified map[string]any
	if err := json.Unmarshal(data, &plain); err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &modified); err != nil {
		return nil, err
	}
	if md, ok := plain["metadata"].(map[string]any); ok {
		if ann, ok := md["annotations"].(map[string]any); ok {
			delete(ann, lastAppliedAnnotation)
			if len(ann) == 0 {
				delete(md, "annotations")
			}
		}
	}
	last, err := json.Marshal(plain)
	if err != nil {
		return nil, err
	}
	md, _ := modified["metadata"].(map[string]any)
	if md == nil {
		md = map[string]any{}
		modified["metadata"] = md
	}
	ann, _ := md["annotations"].(map[string]any)
	if ann == nil {
		ann = map[string]any{}
		md["annotations"] = ann
	}
	ann[lastAppliedAnnotation] = string(last) + "\n"
	return json.Marshal(modified)
}
