package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// drainFlags are the flags of drain.
type drainFlags struct {
	ignoreDaemonSets   bool
	deleteEmptyDirData bool
	force              bool
	gracePeriod        int64
	timeout            time.Duration
	selector           string
}

// The reasons drain refuses (fatal) or announces (warning) removing a pod, in kubectl's words.
const (
	daemonSetFatal      = "DaemonSet-managed Pods (use --ignore-daemonsets to ignore)"
	daemonSetWarning    = "ignoring DaemonSet-managed Pods"
	localStorageFatal   = "Pods with local storage (use --delete-emptydir-data to override)"
	localStorageWarning = "deleting Pods with local storage"
	unmanagedFatal      = "Pods that declare no controller (use --force to override)"
	unmanagedWarning    = "deleting Pods that declare no controller"
)

func (r *root) drainCommand() *cobra.Command {
	var f drainFlags
	cmd := &cobra.Command{
		Use:   "drain NODE... [--ignore-daemonsets] [--delete-emptydir-data] [--force] [--grace-period=N] [--timeout=D]",
		Short: "Cordon nodes and remove their pods, to prepare them for maintenance",
		Long: "Cordon each node, then remove its pods so that their controllers start them elsewhere,\n" +
			"and wait until they are gone. Pods run by a DaemonSet are refused unless\n" +
			"--ignore-daemonsets (they are then left alone: the DaemonSet would start them again), pods\n" +
			"with emptyDir volumes unless --delete-emptydir-data, and pods no controller owns unless\n" +
			"--force (nothing would replace them). Finished pods are always removed.\n\n" +
			"skiff has no PodDisruptionBudgets and no eviction API: drain deletes the pods, with their\n" +
			"grace period, where kubectl would evict them.",
		Example: "  skiff drain node-1 --ignore-daemonsets\n  skiff drain node-2 --ignore-daemonsets --delete-emptydir-data --force --timeout=2m",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 && f.selector == "" {
				return usageError(cmd, "USAGE: drain NODE [flags]")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			names := args
			if f.selector != "" {
				ls, _, err := selectors(f.selector, "")
				if err != nil {
					return err
				}
				list, err := client.For[*core.Node](c).List(cmd.Context(), store.ListOptions{LabelSelector: ls})
				if err != nil {
					return err
				}
				for _, n := range list.Items {
					names = append(names, n.Name)
				}
			}
			failed := false
			for _, name := range names {
				err := r.drainNode(cmd, c, name, f)
				if err != nil && !errors.Is(err, errNotDrained) {
					fmt.Fprintln(r.opts.ErrOut, formatError(err, r.server))
				}
				failed = failed || err != nil
			}
			if failed {
				return errSilent
			}
			return nil
		},
	}
	fl := cmd.Flags()
	fl.BoolVar(&f.ignoreDaemonSets, "ignore-daemonsets", false, "leave pods run by DaemonSets alone instead of refusing to drain")
	fl.BoolVar(&f.deleteEmptyDirData, "delete-emptydir-data", false, "remove pods with emptyDir volumes, whose data is lost")
	fl.BoolVar(&f.force, "force", false, "remove pods that no controller owns, which nothing will replace")
	fl.Int64Var(&f.gracePeriod, "grace-period", -1, "seconds each pod is given to end; -1 uses the pod's own")
	fl.DurationVar(&f.timeout, "timeout", 0, "how long to wait for the pods to go before giving up (0: no limit)")
	fl.StringVarP(&f.selector, "selector", "l", "", "drain the nodes that match this label selector")
	return cmd
}

// errNotDrained marks a drain refused because of its pods; the reasons are printed already.
var errNotDrained = errors.New("node not drained")

// drainNode cordons one node and removes its pods. Refused pods are reported as kubectl
// does and leave the node cordoned with its pods in place.
func (r *root) drainNode(cmd *cobra.Command, c client.Client, name string, f drainFlags) error {
	ctx := cmd.Context()
	if err := r.setUnschedulable(ctx, client.For[*core.Node](c), name, true); err != nil {
		return err
	}
	list, err := c.List(ctx, scheme.PodGVK, store.ListOptions{FieldSelector: fields.OneTermEqualSelector("spec.nodeName", name)})
	if err != nil {
		return err
	}
	var remove []*core.Pod
	fatal, warn := map[string][]string{}, map[string][]string{}
	var fatalOrder, warnOrder []string
	note := func(m map[string][]string, order *[]string, reason string, p *core.Pod) {
		if _, ok := m[reason]; !ok {
			*order = append(*order, reason)
		}
		m[reason] = append(m[reason], p.Namespace+"/"+p.Name)
	}
	for _, o := range list.Items {
		p := o.(*core.Pod)
		if p.DeletionTimestamp != nil {
			remove = append(remove, p) // going already: wait for it
			continue
		}
		finished := p.Status.Phase == core.PodSucceeded || p.Status.Phase == core.PodFailed
		ref := meta.GetControllerOf(p)
		switch {
		case ref != nil && ref.Kind == "DaemonSet" && f.ignoreDaemonSets:
			note(warn, &warnOrder, daemonSetWarning, p)
			continue
		case ref != nil && ref.Kind == "DaemonSet":
			note(fatal, &fatalOrder, daemonSetFatal, p)
			continue
		}
		ok := true
		if !finished && hasEmptyDir(p) {
			if f.deleteEmptyDirData {
				note(warn, &warnOrder, localStorageWarning, p)
			} else {
				note(fatal, &fatalOrder, localStorageFatal, p)
				ok = false
			}
		}
		if !finished && ref == nil {
			if f.force {
				note(warn, &warnOrder, unmanagedWarning, p)
			} else {
				note(fatal, &fatalOrder, unmanagedFatal, p)
				ok = false
			}
		}
		if ok {
			remove = append(remove, p)
		}
	}
	if len(fatal) > 0 {
		var reasons []string
		for _, reason := range fatalOrder {
			reasons = append(reasons, fmt.Sprintf("cannot delete %s: %s", reason, strings.Join(fatal[reason], ", ")))
		}
		first := strings.Join(reasons, ", ")
		if len(reasons) > 1 {
			first = "[" + first + "]"
		}
		fmt.Fprintf(r.opts.ErrOut, "error: unable to drain node %q due to error: %s, continuing command...\n", name, first)
		fmt.Fprintf(r.opts.ErrOut, "There are pending nodes to be drained:\n %s\n", name)
		for _, reason := range reasons {
			fmt.Fprintln(r.opts.ErrOut, reason)
		}
		return errNotDrained
	}
	for _, reason := range warnOrder {
		fmt.Fprintf(r.opts.ErrOut, "Warning: %s: %s\n", reason, strings.Join(warn[reason], ", "))
	}
	return r.removePods(ctx, c, name, remove, f)
}

// removePods deletes pods and waits until every one is gone, printing kubectl's eviction
// lines, then "node/NAME drained".
func (r *root) removePods(ctx context.Context, c client.Client, node string, pods []*core.Pod, f drainFlags) error {
	opts := store.DeleteOptions{}
	if f.gracePeriod >= 0 {
		opts.GracePeriodSeconds = &f.gracePeriod
	}
	for _, p := range pods {
		fmt.Fprintf(r.opts.Out, "evicting pod %s/%s\n", p.Namespace, p.Name)
		if p.DeletionTimestamp != nil {
			continue
		}
		if _, err := c.Delete(ctx, scheme.PodGVK, p.Namespace, p.Name, opts); err != nil && !store.IsNotFound(err) {
			return err
		}
	}
	wctx := ctx
	if f.timeout > 0 {
		var cancel context.CancelFunc
		wctx, cancel = r.withTimeout(ctx, f.timeout)
		defer cancel()
	}
	info, err := r.scheme.ForGVK(scheme.PodGVK)
	if err != nil {
		return err
	}
	for _, p := range pods {
		if err := waitGone(wctx, c, info, p.Namespace, p.Name, p.UID); err != nil {
			if errors.Is(context.Cause(wctx), errTimeout) {
				return fmt.Errorf("drain did not complete within %v", f.timeout)
			}
			return err
		}
		fmt.Fprintf(r.opts.Out, "pod/%s evicted\n", p.Name)
	}
	fmt.Fprintf(r.opts.Out, "node/%s drained\n", node)
	return nil
}

// hasEmptyDir reports whether a pod has an emptyDir volume, whose data dies with it.
func hasEmptyDir(p *core.Pod) bool {
	for _, v := range p.Spec.Volumes {
		if v.EmptyDir != nil {
			return true
		}
	}
	return false
}
