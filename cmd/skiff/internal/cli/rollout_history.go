package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// revisionEntry is one revision of a workload's history.
type revisionEntry struct {
	revision    int64
	template    core.PodTemplateSpec
	rawTemplate json.RawMessage   // stateful and daemon sets: the template as recorded
	annotations map[string]string // of the ReplicaSet or ControllerRevision
}

// owned reports whether obj's controller is the object with uid.
func owned(obj meta.Object, uid meta.UID) bool {
	ref := meta.GetControllerOf(obj)
	return ref != nil && ref.UID == uid
}

// rolloutHistory returns the workload t and its revisions, oldest first: the ReplicaSets of a
// deployment (revision annotation), the ControllerRevisions of a stateful or daemon set.
func rolloutHistory(ctx context.Context, c client.Client, t target) (meta.Object, []revisionEntry, error) {
	obj, err := c.Get(ctx, t.info.GVK, t.ns, t.name)
	if err != nil {
		return nil, nil, err
	}
	var out []revisionEntry
	if t.info.GVK == scheme.DeploymentGVK {
		list, err := client.For[*apps.ReplicaSet](c).List(ctx, store.ListOptions{Namespace: t.ns})
		if err != nil {
			return nil, nil, err
		}
		for _, rs := range list.Items {
			rev, err := strconv.ParseInt(rs.Annotations[apps.RevisionAnnotation], 10, 64)
			if !owned(rs, obj.GetUID()) || err != nil {
				continue
			}
			out = append(out, revisionEntry{revision: rev, template: rs.Spec.Template, annotations: rs.Annotations})
		}
	} else {
		list, err := client.For[*apps.ControllerRevision](c).List(ctx, store.ListOptions{Namespace: t.ns})
		if err != nil {
			return nil, nil, err
		}
		for _, cr := range list.Items {
			if !owned(cr, obj.GetUID()) {
				continue
			}
			raw, tmpl, err := revisionTemplate(cr)
			if err != nil {
				return nil, nil, fmt.Errorf("controller revision %s: %w", cr.Name, err)
			}
			out = append(out, revisionEntry{revision: cr.Revision, template: tmpl, rawTemplate: raw, annotations: cr.Annotations})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].revision < out[j].revision })
	return obj, out, nil
}

// revisionTemplate reads the pod template a ControllerRevision records: its data is
// {"spec":{"template":{...,"$patch":"replace"}}}.
func revisionTemplate(cr *apps.ControllerRevision) (json.RawMessage, core.PodTemplateSpec, error) {
	var data struct {
		Spec struct {
			Template map[string]any `json:"template"`
		} `json:"spec"`
	}
	var tmpl core.PodTemplateSpec
	if err := json.Unmarshal(cr.Data.Raw, &data); err != nil {
		return nil, tmpl, err
	}
	delete(data.Spec.Template, "$patch")
	raw, err := json.Marshal(data.Spec.Template)
	if err != nil {
		return nil, tmpl, err
	}
	if err := json.Unmarshal(raw, &tmpl); err != nil {
		return nil, tmpl, err
	}
	return raw, tmpl, nil
}

func (r *root) rolloutHistoryCommand() *cobra.Command {
	var revision int64
	cmd := &cobra.Command{
		Use:   "history (TYPE NAME | TYPE/NAME)",
		Short: "List the revisions of a workload, or show one",
		Example: "  skiff rollout history deployment/web\n  skiff rollout history deployment/web --revision=2\n" +
			"  skiff rollout history statefulset/db",
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
				if err := r.printHistory(cmd.Context(), c, t, revision); err != nil {
					errs = append(errs, err)
				}
			}
			return r.reportErrors(errs)
		},
	}
	cmd.Flags().Int64Var(&revision, "revision", 0, "show the pod template of this revision")
	return cmd
}

// printHistory prints kubectl's history view: "deployment.apps/web " then a REVISION
// CHANGE-CAUSE table, or the pod template of one revision.
func (r *root) printHistory(ctx context.Context, c client.Client, t target, revision int64) error {
	_, entries, err := rolloutHistory(ctx, c, t)
	if err != nil {
		return err
	}
	var b bytes.Buffer
	if revision > 0 {
		var found *revisionEntry
		for i := range entries {
			if entries[i].revision == revision {
				found = &entries[i]
			}
		}
		if found == nil {
			return fmt.Errorf("unable to find the specified revision")
		}
		fmt.Fprintf(&b, "%s with revision #%d\n", objectName(t.info, t.name), revision)
		describePodTemplate(&b, &found.template)
	} else {
		fmt.Fprintf(&b, "%s \n", objectName(t.info, t.name))
		if len(entries) == 0 {
			b.WriteString("No rollout history found.\n")
		} else {
			tw := tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0)
			fmt.Fprintf(tw, "REVISION\tCHANGE-CAUSE\n")
			for _, e := range entries {
				cause := e.annotations[changeCauseAnnotation]
				if cause == "" {
					cause = "<none>"
				}
				fmt.Fprintf(tw, "%d\t%s\n", e.revision, cause)
			}
			if err := tw.Flush(); err != nil {
				return err
			}
		}
	}
	b.WriteString("\n")
	_, err = r.opts.Out.Write(b.Bytes())
	return err
}

func (r *root) rolloutUndoCommand() *cobra.Command {
	var toRevision int64
	cmd := &cobra.Command{
		Use:   "undo (TYPE NAME | TYPE/NAME) [--to-revision=N]",
		Short: "Roll a workload back to a previous revision",
		Long: "Roll a deployment, stateful set or daemon set back to the pod template of a previous\n" +
			"revision (by default the one before the current), which starts a new rollout.",
		Example: "  skiff rollout undo deployment/web\n  skiff rollout undo deployment/web --to-revision=1",
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
				msg, err := r.undoOne(cmd.Context(), c, t, toRevision)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), msg)
			}
			return r.reportErrors(errs)
		},
	}
	cmd.Flags().Int64Var(&toRevision, "to-revision", 0, "the revision to roll back to (0: the previous one)")
	return cmd
}

// deploymentAnnotationsToSkip are the deployment annotations an undo keeps from the
// deployment rather than copying from the ReplicaSet, as kubectl's annotationsToSkip.
var deploymentAnnotationsToSkip = map[string]bool{
	lastAppliedAnnotation:          true,
	apps.RevisionAnnotation:        true,
	apps.RevisionHistoryAnnotation: true,
	apps.DesiredReplicasAnnotation: true,
	apps.MaxReplicasAnnotation:     true,
	apps.DeprecatedRollbackTo:      true,
}

// undoOne rolls t back to toRevision (0: the previous revision) and returns what to print
// after its name: "rolled back" or "skipped rollback (...)".
func (r *root) undoOne(ctx context.Context, c client.Client, t target, toRevision int64) (string, error) {
	obj, entries, err := rolloutHistory(ctx, c, t)
	if err != nil {
		return "", err
	}
	var chosen *revisionEntry
	switch {
	case toRevision > 0:
		for i := range entries {
			if entries[i].revision == toRevision {
				chosen = &entries[i]
			}
		}
		if chosen == nil {
			return "", fmt.Errorf("unable to find specified revision %d in history", toRevision)
		}
	case len(entries) < 2:
		if t.info.GVK == scheme.DeploymentGVK {
			return "", fmt.Errorf("no rollout history found for deployment %q", t.name)
		}
		return "", fmt.Errorf("no last revision to roll back to")
	default:
		chosen = &entries[len(entries)-2]
	}
	if d, ok := obj.(*apps.Deployment); ok && d.Spec.Paused {
		return "", fmt.Errorf("you cannot rollback a paused deployment; resume it first with 'skiff rollout resume' and try again")
	}
	current, target := currentTemplate(obj), chosen.template.DeepCopy()
	delete(target.Labels, apps.DefaultDeploymentUniqueLabelKey)
	if len(target.Labels) == 0 {
		target.Labels = nil
	}
	if sameTemplate(current, target) {
		return fmt.Sprintf("skipped rollback (current template already matches revision %d)", chosen.revision), nil
	}
	var ops []map[string]any
	if d, ok := obj.(*apps.Deployment); ok {
		ann := map[string]string{}
		for k := range deploymentAnnotationsToSkip {
			if v, ok := d.Annotations[k]; ok {
				ann[k] = v
			}
		}
		for k, v := range chosen.annotations {
			if !deploymentAnnotationsToSkip[k] {
				ann[k] = v
			}
		}
		ops = append(ops, map[string]any{"op": "replace", "path": "/spec/template", "value": target},
			map[string]any{"op": "add", "path": "/metadata/annotations", "value": ann})
	} else {
		ops = append(ops, map[string]any{"op": "replace", "path": "/spec/template", "value": chosen.rawTemplate})
	}
	patch, err := json.Marshal(ops)
	if err != nil {
		return "", err
	}
	if _, err := c.Patch(ctx, t.info.GVK, t.ns, t.name, client.JSONPatchType, patch, client.PatchOptions{}); err != nil {
		return "", fmt.Errorf("failed restoring revision %d: %w", chosen.revision, err)
	}
	return "rolled back", nil
}

// currentTemplate returns the pod template of a workload.
func currentTemplate(obj meta.Object) *core.PodTemplateSpec {
	switch o := obj.(type) {
	case *apps.Deployment:
		return &o.Spec.Template
	case *apps.StatefulSet:
		return &o.Spec.Template
	case *apps.DaemonSet:
		return &o.Spec.Template
	}
	return &core.PodTemplateSpec{}
}

// sameTemplate reports whether two pod templates are the same once encoded (so that a nil
// and an empty map compare equal).
func sameTemplate(a, b *core.PodTemplateSpec) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}
