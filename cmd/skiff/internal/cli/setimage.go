package cli

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/client"
)

// setCommand returns set, the parent of the commands that change one aspect of objects.
func (r *root) setCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "set SUBCOMMAND",
		Short: "Set specific features on objects",
		Args:  cobra.NoArgs,
		RunE:  func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(r.setImageCommand())
	return cmd
}

// podSpecPaths are where a pod spec sits in an object's JSON, as JSON pointers: a pod's own,
// a workload's pod template, a CronJob's job template. The first one present is used.
var podSpecPaths = [][]string{
	{"spec", "jobTemplate", "spec", "template", "spec"},
	{"spec", "template", "spec"},
}

func (r *root) setImageCommand() *cobra.Command {
	var sel selection
	cmd := &cobra.Command{
		Use:   "image (-f FILENAME | TYPE NAME | TYPE/NAME | TYPE -l SELECTOR | TYPE --all) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N",
		Short: "Update the images of the containers of pods and pod templates",
		Long: "Update the images of containers (and init containers), by container name or * for all, in a\n" +
			"pod or the pod template of a deployment, replica set, stateful set, daemon set, job or cron\n" +
			"job. Changing a workload's template starts a rollout. Objects whose images are already the\n" +
			"ones given are left alone.",
		Example: "  skiff set image deployment/web nginx=nginx:1.27\n" +
			"  skiff set image deploy/web nginx=nginx:1.27 sidecar=envoy:1.30\n" +
			"  skiff set image daemonsets,deployments -l app=web *=nginx:1.27",
		RunE: func(cmd *cobra.Command, args []string) error {
			resources, pairs, err := splitPairs(cmd, args, "image")
			if err != nil {
				return err
			}
			if len(resources) == 0 && len(sel.file.files) == 0 {
				return usageError(cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>")
			}
			if len(pairs) == 0 {
				return usageError(cmd, "at least one image update is required")
			}
			images, _, err := parsePairs(pairs, pairRules{what: "image"})
			if err != nil {
				return err
			}
			if _, ok := images["*"]; ok && len(images) > 1 {
				return messagef("all containers are already specified by *, but saw more than one container_name=container_image pairs")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			targets, err := r.targets(cmd, c, resources, sel)
			if err != nil {
				return err
			}
			var errs []error
			for _, t := range targets {
				errs = append(errs, r.setImages(cmd, c, t, images)...)
			}
			return r.reportErrors(errs)
		},
	}
	sel.addFlags(cmd, "of the objects to change", "change", true)
	return cmd
}

// setImages sets the images of one object's containers. The change is a JSON patch that
// tests each container's name at its index before replacing its image, so a template that
// changed since it was read fails (Invalid) rather than getting an image in the wrong
// container, and nothing else written meanwhile (status, other fields) is overwritten.
// It returns every error, one per container name not found.
func (r *root) setImages(cmd *cobra.Command, c client.Client, t target, images map[string]string) []error {
	ctx := cmd.Context()
	obj, err := c.Get(ctx, t.info.GVK, t.ns, t.name)
	if err != nil {
		return []error{err}
	}
	v, err := objectJSON(r.scheme, obj)
	if err != nil {
		return []error{err}
	}
	spec, base := findPodSpec(v, t.info.GVK.Kind == "Pod")
	if spec == nil {
		return []error{messagef("%s %q has no pod template: set image works on pods and on objects with spec.template or spec.jobTemplate",
			kindString(t.info), t.name)}
	}
	type op struct {
		Op    string `json:"op"`
		Path  string `json:"path"`
		Value string `json:"value"`
	}
	var ops []op
	found := map[string]bool{}
	for _, list := range []string{"initContainers", "containers"} {
		containers, _ := spec[list].([]any)
		for i, ci := range containers {
			cm, _ := ci.(map[string]any)
			name, _ := cm["name"].(string)
			image, ok := images[name]
			if star, all := images["*"]; all {
				image, ok = star, true
			}
			if !ok {
				continue
			}
			found[name] = true
			if cm["image"] == image {
				continue
			}
			at := fmt.Sprintf("%s/%s/%d", base, list, i)
			ops = append(ops, op{"test", at + "/name", name}, op{"replace", at + "/image", image})
		}
	}
	var errs []error
	for _, name := range slices.Sorted(maps.Keys(images)) {
		if !found[name] && (name != "*" || len(found) == 0) {
			errs = append(errs, messagef("unable to find container named %q", name))
		}
	}
	if len(ops) > 0 {
		patch, err := json.Marshal(ops)
		if err == nil {
			_, err = c.Patch(ctx, t.info.GVK, t.ns, t.name, client.JSONPatchType, patch, client.PatchOptions{})
		}
		if err != nil {
			return append(errs, err)
		}
		fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), "image updated")
	}
	return errs
}

// findPodSpec returns the pod spec in obj (its JSON form) and its JSON pointer: obj's spec
// for a pod, else the first of podSpecPaths present. It returns nil when there is none.
func findPodSpec(obj any, isPod bool) (map[string]any, string) {
	paths := podSpecPaths
	if isPod {
		paths = [][]string{{"spec"}}
	}
	for _, p := range paths {
		cur, ok := obj.(map[string]any)
		for _, k := range p {
			if !ok {
				break
			}
			cur, ok = cur[k].(map[string]any)
		}
		if ok && cur != nil {
			ptr := ""
			for _, k := range p {
				ptr += "/" + k
			}
			return cur, ptr
		}
	}
	return nil, ""
}
