package cli

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
)

// scalable are the kinds scale accepts, as the scale subresource serves them.
var scalable = map[scheme.GroupVersionKind]bool{
	scheme.DeploymentGVK: true, scheme.ReplicaSetGVK: true, scheme.StatefulSetGVK: true,
}

func (r *root) scaleCommand() *cobra.Command {
	var replicas, current int32
	cmd := &cobra.Command{
		Use:   "scale (TYPE NAME | TYPE/NAME) --replicas=COUNT",
		Short: "Set the number of replicas of a deployment, replica set or stateful set",
		Example: "  skiff scale deployment/web --replicas=5\n" +
			"  skiff scale --current-replicas=2 --replicas=3 deployment/web",
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("replicas") || replicas < 0 {
				return usageError(cmd, "The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			reqs, err := r.parseRequests(cmd, args, false)
			if err != nil {
				return err
			}
			var errs []error
			for _, q := range reqs {
				if !scalable[q.info.GVK] {
					return fmt.Errorf("cannot scale %s: only deployments, replicasets and statefulsets can be scaled", q.info.Plural)
				}
				if len(q.names) == 0 {
					return usageError(cmd, "resource(s) were provided, but no name was specified")
				}
				for _, name := range q.names {
					if err := r.scaleOne(cmd, c, q.info, name, replicas, current); err != nil {
						errs = append(errs, err)
					}
				}
			}
			return r.reportErrors(errs)
		},
	}
	cmd.Flags().Int32Var(&replicas, "replicas", 0, "the new number of replicas (required)")
	cmd.Flags().Int32Var(&current, "current-replicas", -1, "precondition: scale only if the current number of replicas is this (-1: any)")
	return cmd
}

// scaleOne sets spec.replicas of one object, first checking --current-replicas against it.
func (r *root) scaleOne(cmd *cobra.Command, c client.Client, info *scheme.KindInfo, name string, replicas, current int32) error {
	ctx, ns := cmd.Context(), r.namespaceFor(info)
	patch := fmt.Sprintf(`{"spec":{"replicas":%d}}`, replicas)
	if current >= 0 {
		obj, err := c.Get(ctx, info.GVK, ns, name)
		if err != nil {
			return err
		}
		have, err := specReplicas(r.scheme, obj)
		if err != nil {
			return err
		}
		if have != current {
			return messagef("Expected replicas to be %d, was %d", current, have)
		}
		patch = fmt.Sprintf(`{"metadata":{"resourceVersion":%q},"spec":{"replicas":%d}}`, obj.GetResourceVersion(), replicas)
	}
	if _, err := c.Patch(ctx, info.GVK, ns, name, client.MergePatchType, []byte(patch), client.PatchOptions{}); err != nil {
		return err
	}
	fmt.Fprintln(r.opts.Out, objectName(info, name), "scaled")
	return nil
}

// specReplicas reads spec.replicas of a scalable object (1 when unset, the default).
func specReplicas(sch *scheme.Scheme, obj meta.Object) (int32, error) {
	v, err := objectJSON(sch, obj)
	if err != nil {
		return 0, err
	}
	m, _ := v.(map[string]any)
	spec, _ := m["spec"].(map[string]any)
	if n, ok := spec["replicas"].(json.Number); ok {
		i, err := n.Int64()
		return int32(i), err
	}
	return 1, nil
}
