package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// cordonCommand returns cordon (unschedulable true) or uncordon (false).
func (r *root) cordonCommand(cordon bool) *cobra.Command {
	use, short := "uncordon", "Mark nodes as schedulable"
	if cordon {
		use, short = "cordon", "Mark nodes as unschedulable: no new pods are scheduled to them"
	}
	var selector string
	cmd := &cobra.Command{
		Use:     use + " NODE...",
		Short:   short,
		Example: "  skiff " + use + " node-1",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && selector == "" {
				return usageError(cmd, "USAGE: %s NODE [flags]", use)
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			nodes := client.For[*core.Node](c)
			names := args
			if selector != "" {
				ls, _, err := selectors(selector, "")
				if err != nil {
					return err
				}
				list, err := nodes.List(cmd.Context(), store.ListOptions{LabelSelector: ls})
				if err != nil {
					return err
				}
				for _, n := range list.Items {
					names = append(names, n.Name)
				}
			}
			var errs []error
			for _, name := range names {
				if err := r.setUnschedulable(cmd.Context(), nodes, name, cordon); err != nil {
					errs = append(errs, err)
				}
			}
			return r.reportErrors(errs)
		},
	}
	cmd.Flags().StringVarP(&selector, "selector", "l", "", "act on the nodes that match this label selector")
	return cmd
}

// setUnschedulable cordons (true) or uncordons (false) a node, printing
// "node/NAME cordoned" or "node/NAME already cordoned" (uncordoned alike).
func (r *root) setUnschedulable(ctx context.Context, nodes *client.Typed[*core.Node], name string, cordon bool) error {
	done := "uncordoned"
	if cordon {
		done = "cordoned"
	}
	n, err := nodes.Get(ctx, "", name)
	if err != nil {
		return err
	}
	if n.Spec.Unschedulable == cordon {
		fmt.Fprintf(r.opts.Out, "node/%s already %s\n", name, done)
		return nil
	}
	patch := `{"spec":{"unschedulable":true}}`
	if !cordon {
		patch = `{"spec":{"unschedulable":null}}`
	}
	if _, err := nodes.Patch(ctx, "", name, client.MergePatchType, []byte(patch)); err != nil {
		return err
	}
	fmt.Fprintf(r.opts.Out, "node/%s %s\n", name, done)
	return nil
}
