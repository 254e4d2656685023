package cli

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/store"
)

func (r *root) rolloutStatusCommand() *cobra.Command {
	var watch bool
	var revision int64
	var timeout time.Duration
	cmd := &cobra.Command{
		Use:   "status (TYPE NAME | TYPE/NAME)",
		Short: "Show the status of a rollout, waiting until it is done",
		Long: "Show the status of the rollout of a deployment, stateful set or daemon set, and by default\n" +
			"follow it until it is done. It fails when a deployment exceeds its progress deadline.",
		Example: "  skiff rollout status deployment/web\n  skiff rollout status sts/db --watch=false",
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := r.client()
			if err != nil {
				return err
			}
			targets, err := r.rolloutTargets(cmd, args, rolloutWorkloads)
			if err != nil {
				return err
			}
			if len(targets) != 1 {
				return usageError(cmd, "rollout status is only supported on individual resources and resource collections, but %d resources were found", len(targets))
			}
			ctx := cmd.Context()
			if timeout > 0 {
				var cancel context.CancelFunc
				ctx, cancel = r.withTimeout(ctx, timeout)
				defer cancel()
			}
			err = r.followRollout(ctx, c, targets[0], watch, revision)
			if err != nil && ctx.Err() != nil && cmd.Context().Err() == nil {
				return errTimeout
			}
			return err
		},
	}
	cmd.Flags().BoolVarP(&watch, "watch", "w", true, "follow the rollout until it is done")
	cmd.Flags().Int64Var(&revision, "revision", 0, "deployments: fail unless the rollout is of this revision")
	cmd.Flags().DurationVar(&timeout, "timeout", 0, "how long to wait (0: no limit)")
	return cmd
}

// followRollout prints the rollout status of t each time it changes until the rollout is
// done (or once, without watch).
func (r *root) followRollout(ctx context.Context, c client.Client, t target, watch bool, revision int64) error {
	last := ""
	report := func(obj meta.Object) (bool, error) {
		msg, done, err := rolloutStatus(obj, revision)
		if err != nil {
			return true, err
		}
		if msg != last {
			fmt.Fprint(r.opts.Out, msg)
			last = msg
		}
		return done, nil
	}
	for {
		obj, err := c.Get(ctx, t.info.GVK, t.ns, t.name)
		if err != nil {
			return err
		}
		if done, err := report(obj); done || err != nil || !watch {
			return err
		}
		rv, _ := store.ParseResourceVersion(obj.GetResourceVersion())
		w, err := c.Watch(ctx, t.info.GVK, store.WatchOptions{Namespace: t.ns, ResourceVersion: rv,
			FieldSelector: fields.OneTermEqualSelector("metadata.name", t.name)})
		if err != nil {
			return err
		}
		done, err := r.followWatch(ctx, w, obj.GetUID(), report)
		w.Stop()
		if done || err != nil {
			return err
		}
		if ctx.Err() != nil {
			return errSilent
		}
	}
}

// followWatch reports every change w sees until report says done, the object is deleted or
// re-created (an error), the watch ends (false: start over) or ctx ends.
func (r *root) followWatch(ctx context.Context, w store.Watcher, uid meta.UID, report func(meta.Object) (bool, error)) (bool, error) {
	for {
		select {
		case <-ctx.Done():
			return false, nil
		case e, ok := <-w.ResultChan():
			if !ok || e.Type == store.Error {
				return false, nil
			}
			switch e.Type {
			case store.Deleted:
				return true, errors.New("object has been deleted")
			case store.Added, store.Modified:
				if e.Object.GetUID() != uid {
					return true, errors.New("object has been re-created")
				}
				if done, err := report(e.Object); done || err != nil {
					return true, err
				}
			}
		}
	}
}

// rolloutStatus is kubectl's status viewer of the kind of obj: the line to print, whether
// the rollout is done, and an error for a rollout that cannot finish.
func rolloutStatus(obj meta.Object, revision int64) (string, bool, error) {
	switch o := obj.(type) {
	case *apps.Deployment:
		return deploymentStatus(o, revision)
	case *apps.StatefulSet:
		return statefulSetStatus(o)
	case *apps.DaemonSet:
		return daemonSetStatus(o)
	}
	return "", false, fmt.Errorf("no status viewer has been implemented for %T", obj)
}

// deploymentStatus is kubectl's DeploymentStatusViewer: the rollout is done once the
// controller has seen the latest spec, every replica is updated, old ones are gone and the
// updated ones are available; a ProgressDeadlineExceeded condition is an error.
func deploymentStatus(d *apps.Deployment, revision int64) (string, bool, error) {
	if revision > 0 {
		have, _ := strconv.ParseInt(d.Annotations[apps.RevisionAnnotation], 10, 64)
		if have != revision {
			return "", false, fmt.Errorf("desired revision (%d) is different from the running revision (%d)", revision, have)
		}
	}
	if d.Generation > d.Status.ObservedGeneration {
		return "Waiting for deployment spec update to be observed...\n", false, nil
	}
	for _, c := range d.Status.Conditions {
		if c.Type == apps.DeploymentProgressing && c.Reason == apps.TimedOutReason {
			return "", false, fmt.Errorf("deployment %q exceeded its progress deadline", d.Name)
		}
	}
	st := d.Status
	if d.Spec.Replicas != nil && st.UpdatedReplicas < *d.Spec.Replicas {
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d out of %d new replicas have been updated...\n",
			d.Name, st.UpdatedReplicas, *d.Spec.Replicas), false, nil
	}
	if st.Replicas > st.UpdatedReplicas {
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d old replicas are pending termination...\n",
			d.Name, st.Replicas-st.UpdatedReplicas), false, nil
	}
	if st.AvailableReplicas < st.UpdatedReplicas {
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d of %d updated replicas are available...\n",
			d.Name, st.AvailableReplicas, st.UpdatedReplicas), false, nil
	}
	return fmt.Sprintf("deployment %q successfully rolled out\n", d.Name), true, nil
}

// statefulSetStatus is kubectl's StatefulSetStatusViewer.
func statefulSetStatus(s *apps.StatefulSet) (string, bool, error) {
	if s.Spec.UpdateStrategy.Type != apps.RollingUpdateStatefulSetStrategyType {
		return "", true, fmt.Errorf("rollout status is only available for %s strategy type", apps.RollingUpdateStatefulSetStrategyType)
	}
	if s.Status.ObservedGeneration == 0 || s.Generation > s.Status.ObservedGeneration {
		return "Waiting for statefulset spec update to be observed...\n", false, nil
	}
	if s.Spec.Replicas != nil && s.Status.ReadyReplicas < *s.Spec.Replicas {
		return fmt.Sprintf("Waiting for %d pods to be ready...\n", *s.Spec.Replicas-s.Status.ReadyReplicas), false, nil
	}
	if ru := s.Spec.UpdateStrategy.RollingUpdate; ru != nil {
		if s.Spec.Replicas != nil && ru.Partition != nil && s.Status.UpdatedReplicas < *s.Spec.Replicas-*ru.Partition {
			return fmt.Sprintf("Waiting for partitioned roll out to finish: %d out of %d new pods have been updated...\n",
				s.Status.UpdatedReplicas, *s.Spec.Replicas-*ru.Partition), false, nil
		}
		return fmt.Sprintf("partitioned roll out complete: %d new pods have been updated...\n", s.Status.UpdatedReplicas), true, nil
	}
	if s.Status.UpdateRevision != s.Status.CurrentRevision {
		return fmt.Sprintf("waiting for statefulset rolling update to complete %d pods at revision %s...\n",
			s.Status.UpdatedReplicas, s.Status.UpdateRevision), false, nil
	}
	return fmt.Sprintf("statefulset rolling update complete %d pods at revision %s...\n",
		s.Status.CurrentReplicas, s.Status.CurrentRevision), true, nil
}

// daemonSetStatus is kubectl's DaemonSetStatusViewer.
func daemonSetStatus(d *apps.DaemonSet) (string, bool, error) {
	if d.Spec.UpdateStrategy.Type != apps.RollingUpdateDaemonSetStrategyType {
		return "", true, fmt.Errorf("rollout status is only available for %s strategy type", apps.RollingUpdateStatefulSetStrategyType)
	}
	if d.Generation > d.Status.ObservedGeneration {
		return "Waiting for daemon set spec update to be observed...\n", false, nil
	}
	st := d.Status
	if st.UpdatedNumberScheduled < st.DesiredNumberScheduled {
		return fmt.Sprintf("Waiting for daemon set %q rollout to finish: %d out of %d new pods have been updated...\n",
			d.Name, st.UpdatedNumberScheduled, st.DesiredNumberScheduled), false, nil
	}
	if st.NumberAvailable < st.DesiredNumberScheduled {
		return fmt.Sprintf("Waiting for daemon set %q rollout to finish: %d of %d updated pods are available...\n",
			d.Name, st.NumberAvailable, st.DesiredNumberScheduled), false, nil
	}
	return fmt.Sprintf("daemon set %q successfully rolled out\n", d.Name), true, nil
}
