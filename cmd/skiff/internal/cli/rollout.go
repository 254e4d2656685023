package cli

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
)

// restartedAtAnnotation is set on a pod template by rollout restart, as in kubectl.
const restartedAtAnnotation = "kubectl.kubernetes.io/restartedAt"

// changeCauseAnnotation is the CHANGE-CAUSE of rollout history.
const changeCauseAnnotation = "kubernetes.io/change-cause"

// rolloutKinds are the kinds each rollout subcommand accepts.
var (
	rolloutWorkloads = []scheme.GroupVersionKind{scheme.DeploymentGVK, scheme.StatefulSetGVK, scheme.DaemonSetGVK}
	rolloutPausable  = []scheme.GroupVersionKind{scheme.DeploymentGVK}
)

func (r *root) rolloutCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rollout",
		Short: "Manage the rollout of deployments, stateful sets and daemon sets",
		Long: "Follow, list, undo, restart, pause and resume the rollout of a workload.\n\n" +
			"Valid resource types: deployments, statefulsets, daemonsets (pause and resume: deployments).",
		Example: "  skiff rollout status deployment/web\n  skiff rollout history deployment/web\n" +
			"  skiff rollout undo deployment/web --to-revision=1\n  skiff rollout restart deployment/web",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return cmd.Help() },
	}
	cmd.AddCommand(r.rolloutStatusCommand(), r.rolloutHistoryCommand(), r.rolloutUndoCommand(),
		r.rolloutRestartCommand(), r.rolloutPauseCommand(true), r.rolloutPauseCommand(false))
	return cmd
}

// rolloutTargets parses the objects a rollout subcommand acts on: names of kinds in allowed.
func (r *root) rolloutTargets(cmd *cobra.Command, args []string, allowed []scheme.GroupVersionKind) ([]target, error) {
	reqs, err := r.parseRequests(cmd, args, false)
	if err != nil {
		return nil, err
	}
	var out []target
	for _, q := range reqs {
		ok := false
		for _, g := range allowed {
			ok = ok || q.info.GVK == g
		}
		if !ok {
			return nil, fmt.Errorf("%s %q is not supported by rollout %s", q.info.GroupResource(), firstOr(q.names, ""), cmd.Name())
		}
		if len(q.names) == 0 {
			return nil, usageError(cmd, "resource(s) were provided, but no name was specified")
		}
		for _, n := range q.names {
			out = append(out, target{q.info, r.namespaceFor(q.info), n})
		}
	}
	return out, nil
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

func (r *root) rolloutRestartCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "restart (TYPE NAME | TYPE/NAME)...",
		Short: "Restart a workload's pods with a rolling update",
		Long: "Restart every pod of a deployment, stateful set or daemon set through a rollout, by setting\n" +
			"the kubectl.kubernetes.io/restartedAt annotation of its pod template to the current time.",
		Example: "  skiff rollout restart deployment/web",
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := r.client()
			if err != nil {
				return err
			}
			targets, err := r.rolloutTargets(cmd, args, rolloutWorkloads)
			if err != nil {
				return err
			}
			var errs []error
			for _, t := range targets {
				if err := r.restartOne(cmd.Context(), c, t); err != nil {
					errs = append(errs, err)
				}
			}
			return r.reportErrors(errs)
		},
	}
}

func (r *root) restartOne(ctx context.Context, c client.Client, t target) error {
	if t.info.GVK == scheme.DeploymentGVK {
		d, err := client.For[*apps.Deployment](c).Get(ctx, t.ns, t.name)
		if err != nil {
			return err
		}
		if d.Spec.Paused {
			return fmt.Errorf("can't restart paused deployment (run rollout resume first)")
		}
	}
	patch, err := json.Marshal(map[string]any{"spec": map[string]any{"template": map[string]any{"metadata": map[string]any{
		"annotations": map[string]string{restartedAtAnnotation: r.opts.Clock.Now().Format("2006-01-02T15:04:05Z07:00")}}}}})
	if err != nil {
		return err
	}
	if _, err := c.Patch(ctx, t.info.GVK, t.ns, t.name, client.MergePatchType, patch, client.PatchOptions{}); err != nil {
		return err
	}
	fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), "restarted")
	return nil
}

// rolloutPauseCommand returns pause (true) or resume (false).
func (r *root) rolloutPauseCommand(pause bool) *cobra.Command {
	use, short, done, already := "resume", "Resume a paused deployment", "resumed", "is not paused"
	if pause {
		use, short, done, already = "pause", "Pause a deployment: changes to its template start no rollout until resumed", "paused", "is already paused"
	}
	return &cobra.Command{
		Use:     use + " (TYPE NAME | TYPE/NAME)...",
		Short:   short,
		Example: "  skiff rollout " + use + " deployment/web",
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := r.client()
			if err != nil {
				return err
			}
			targets, err := r.rolloutTargets(cmd, args, rolloutPausable)
			if err != nil {
				return err
			}
			deployments := client.For[*apps.Deployment](c)
			var errs []error
			for _, t := range targets {
				d, err := deployments.Get(cmd.Context(), t.ns, t.name)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				if d.Spec.Paused == pause {
					errs = append(errs, fmt.Errorf("%s %q %s", t.info.GroupResource(), t.name, already))
					continue
				}
				patch := fmt.Sprintf(`{"spec":{"paused":%t}}`, pause)
				if !pause {
					patch = `{"spec":{"paused":null}}`
				}
				if _, err := deployments.Patch(cmd.Context(), t.ns, t.name, client.MergePatchType, []byte(patch)); err != nil {
					errs = append(errs, err)
					continue
				}
				fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), done)
			}
			return r.reportErrors(errs)
		},
	}
}
