package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// deleteFlags are the flags of delete.
type deleteFlags struct {
	selection
	cascade       string
	gracePeriod   int64
	force         bool
	wait          bool
	timeout       time.Duration
	ignoreMissing bool
	output        string
}

func (r *root) deleteCommand() *cobra.Command {
	var f deleteFlags
	cmd := &cobra.Command{
		Use:   "delete (TYPE NAME... | TYPE/NAME... | TYPE -l SELECTOR | TYPE --all | -f FILENAME)",
		Short: "Delete objects",
		Long: "Delete objects by name, by label selector, or as listed in manifests.\n\n" +
			"--cascade says what happens to the objects' dependents: background (the default) deletes\n" +
			"them after the object is gone, foreground deletes them first, orphan leaves them.\n" +
			"By default delete waits until the objects are gone (pods end gracefully first).",
		Example: "  skiff delete deploy web\n  skiff delete pod web-abc --grace-period=0 --force\n" +
			"  skiff delete -f web.yaml\n  skiff delete rs web-abc --cascade=orphan",
		RunE: func(cmd *cobra.Command, args []string) error { return r.runDelete(cmd, args, f) },
	}
	f.selection.addFlags(cmd, "of the objects to delete", "delete", true)
	fl := cmd.Flags()
	fl.StringVar(&f.cascade, "cascade", "background", "what happens to dependents: background, foreground or orphan")
	fl.Int64Var(&f.gracePeriod, "grace-period", -1, "seconds a pod is given to end; -1 uses the pod's own, 0 (with --force) deletes at once")
	fl.BoolVar(&f.force, "force", false, "with --grace-period=0, delete pods at once without waiting for their node")
	fl.BoolVar(&f.wait, "wait", true, "wait until the objects are gone before returning")
	fl.DurationVar(&f.timeout, "timeout", 0, "how long to wait for the objects to be gone (0: no limit)")
	fl.BoolVar(&f.ignoreMissing, "ignore-not-found", false, "treat objects that do not exist as deleted")
	fl.StringVarP(&f.output, "output", "o", "", "output format: name prints only kind/name")
	return cmd
}

// propagation parses --cascade.
func propagation(cascade string) (meta.DeletionPropagation, error) {
	switch strings.ToLower(cascade) {
	case "background", "true":
		return meta.DeletePropagationBackground, nil
	case "foreground":
		return meta.DeletePropagationForeground, nil
	case "orphan", "false":
		return meta.DeletePropagationOrphan, nil
	}
	return "", fmt.Errorf("invalid cascade value (%s). Must be \"background\", \"foreground\", or \"orphan\"", cascade)
}

func (r *root) runDelete(cmd *cobra.Command, args []string, f deleteFlags) error {
	policy, err := propagation(f.cascade)
	if err != nil {
		return usageError(cmd, "%v", err)
	}
	if err := checkOutput(f.output, "", outputName); err != nil {
		return err
	}
	grace := f.gracePeriod
	switch {
	case f.force && grace < 0:
		grace = 0
	case grace == 0 && !f.force:
		grace = 1 // as kubectl: --grace-period=0 alone would lose data, it needs --force
	}
	if f.force && grace == 0 {
		fmt.Fprintln(r.opts.ErrOut, "Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.")
	}
	c, err := r.client()
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	targets, err := r.targets(cmd, c, args, f.selection)
	if err != nil {
		return err
	}
	var errs []error
	opts := store.DeleteOptions{PropagationPolicy: &policy}
	if grace >= 0 {
		opts.GracePeriodSeconds = &grace
	}
	type deleted struct {
		target
		uid meta.UID
	}
	var pending []deleted
	for _, t := range targets {
		obj, err := c.Delete(ctx, t.info.GVK, t.ns, t.name, opts)
		if err != nil {
			if f.ignoreMissing && store.IsNotFound(err) {
				continue
			}
			errs = append(errs, err)
			continue
		}
		switch {
		case f.output == outputName:
			fmt.Fprintln(r.opts.Out, objectName(t.info, t.name))
		case grace == 0 && f.force:
			fmt.Fprintf(r.opts.Out, "%s %q force deleted\n", kindString(t.info), t.name)
		default:
			fmt.Fprintf(r.opts.Out, "%s %q deleted\n", kindString(t.info), t.name)
		}
		pending = append(pending, deleted{t, obj.GetUID()})
	}
	if f.wait {
		wctx := ctx
		if f.timeout > 0 {
			var cancel context.CancelFunc
			wctx, cancel = r.withTimeout(ctx, f.timeout)
			defer cancel()
		}
		for _, p := range pending {
			if err := waitGone(wctx, c, p.info, p.ns, p.name, p.uid); err != nil {
				if ctx.Err() != nil {
					break
				}
				errs = append(errs, fmt.Errorf("timed out waiting for the condition on %s/%s", p.info.Plural, p.name))
			}
		}
	}
	return r.reportErrors(errs)
}

// waitGone waits until the object named ns/name with uid no longer exists (or has another
// uid), watching it from the revision it was read at.
func waitGone(ctx context.Context, c client.Client, info *scheme.KindInfo, ns, name string, uid meta.UID) error {
	_, err := watchObject(ctx, c, info, ns, name, func(obj meta.Object) (bool, error) {
		return obj == nil || uid != "" && obj.GetUID() != uid, nil
	})
	return err
}

// watchObject calls check with the current state of the object named ns/name (nil when it
// does not exist) and then with each of its later states, watched from the revision it was
// read at, until check reports done or fails, or ctx ends. It returns the last state seen.
// A watch that ends (compacted, or the connection lost) is started again from a fresh read.
func watchObject(ctx context.Context, c client.Client, info *scheme.KindInfo, ns, name string,
	check func(obj meta.Object) (bool, error)) (meta.Object, error) {
	for {
		obj, err := c.Get(ctx, info.GVK, ns, name)
		var rv uint64
		switch {
		case store.IsNotFound(err):
			obj = nil
			if done, err := check(nil); done || err != nil {
				return nil, err
			}
		case err != nil:
			return nil, err
		default:
			if done, err := check(obj); done || err != nil {
				return obj, err
			}
			rv, _ = store.ParseResourceVersion(obj.GetResourceVersion())
		}
		w, err := c.Watch(ctx, info.GVK, store.WatchOptions{Namespace: ns, ResourceVersion: rv,
			FieldSelector: fields.OneTermEqualSelector("metadata.name", name)})
		if err != nil {
			return obj, err
		}
		last, done, err := watchUntil(ctx, w, check)
		w.Stop()
		if done || err != nil {
			return last, err
		}
	}
}

// watchUntil reads w until check reports done for an event's object (nil for a deletion),
// check fails, the watch ends (not done: look again) or ctx ends (its error).
func watchUntil(ctx context.Context, w store.Watcher, check func(meta.Object) (bool, error)) (meta.Object, bool, error) {
	for {
		select {
		case e, ok := <-w.ResultChan():
			if !ok || e.Type == store.Error {
				return nil, false, nil
			}
			if e.Type == store.Bookmark {
				continue
			}
			obj := e.Object
			if e.Type == store.Deleted {
				obj = nil
			}
			if done, err := check(obj); done || err != nil {
				return e.Object, done, err
			}
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
	}
}

// withTimeout returns a context that ends after d on the command's clock, with cause
// errTimeout.
func (r *root) withTimeout(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(ctx)
	t := r.opts.Clock.AfterFunc(d, func() { cancel(errTimeout) })
	return ctx, func() {
		t.Stop()
		cancel(nil)
	}
}

// errTimeout is the cause of a context ended by --timeout.
var errTimeout = errors.New("timed out waiting for the condition")
