package soak

import (
	"context"
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// watchedKinds are the kinds the checkers watch, one stream each.
var watchedKinds = []scheme.GroupVersionKind{
	scheme.PodGVK, scheme.ReplicaSetGVK, scheme.DeploymentGVK, scheme.StatefulSetGVK, scheme.DaemonSetGVK, scheme.JobGVK,
	scheme.CronJobGVK,
}

// startWatches resets the checker and starts one list-then-watch per watched kind on the
// current plane. The lists are fed to the checker as Sync events before this returns, so
// that the managers, started after, act on objects the checker knows.
func (r *runner) startWatches(ctx context.Context) error {
	r.mu.Lock()
	c := r.cli
	r.mu.Unlock()
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	r.checkMu.Lock()
	r.checker.Reset()
	r.seq = NewSequencer(len(watchedKinds), r.seq.MaxDelay)
	r.checkMu.Unlock()
	var watchers []store.Watcher
	for i, gvk := range watchedKinds {
		w, err := r.listAndWatch(wctx, c, i, gvk)
		if err != nil {
			cancel()
			for _, w := range watchers {
				w.Stop()
			}
			return err
		}
		watchers = append(watchers, w)
	}
	r.watchCancel = cancel
	for i, w := range watchers {
		r.watchWG.Go(func() { r.follow(wctx, c, i, w) })
	}
	return nil
}

// listAndWatch lists one kind into the sequencer and starts its watch after the list.
func (r *runner) listAndWatch(ctx context.Context, c client.Client, stream int, gvk scheme.GroupVersionKind) (store.Watcher, error) {
	l, err := c.List(ctx, gvk, store.ListOptions{Namespace: Namespace})
	if err != nil {
		return nil, fmt.Errorf("soak: listing %s: %w", gvk.Kind, err)
	}
	now := time.Now()
	r.checkMu.Lock()
	for _, o := range l.Items {
		rev, _ := store.ParseResourceVersion(o.GetResourceVersion())
		r.seq.Push(stream, Event{Type: Sync, Object: o, Revision: rev}, now)
	}
	r.seq.Mark(stream, l.ResourceVersion)
	r.checkMu.Unlock()
	w, err := c.Watch(ctx, gvk, store.WatchOptions{Namespace: Namespace, ResourceVersion: l.ResourceVersion})
	if err != nil {
		return nil, fmt.Errorf("soak: watching %s: %w", gvk.Kind, err)
	}
	return w, nil
}

// follow feeds one watch to the sequencer until it ends. A watch that ends while the plane
// runs (it fell behind) is started again from a list.
func (r *runner) follow(ctx context.Context, c client.Client, stream int, w store.Watcher) {
	for {
		for ev := range w.ResultChan() {
			if ev.Type == store.Error || ev.Type == store.Bookmark {
				continue
			}
			r.checkMu.Lock()
			r.seq.Push(stream, Event{Type: ev.Type, Object: ev.Object, Revision: ev.Revision}, time.Now())
			r.events++
			r.checkMu.Unlock()
		}
		w.Stop()
		if ctx.Err() != nil {
			return
		}
		var err error
		for {
			if w, err = r.listAndWatch(ctx, c, stream, watchedKinds[stream]); err == nil || ctx.Err() != nil {
				break
			}
			select {
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
		if err != nil {
			return
		}
	}
}

// stopWatches ends the watches and waits for their goroutines.
func (r *runner) stopWatches() {
	if r.watchCancel != nil {
		r.watchCancel()
		r.watchCancel = nil
	}
	r.watchWG.Wait()
}

// pump releases the sequenced events to the checker until ctx is done.
func (r *runner) pump(ctx context.Context) {
	t := time.NewTicker(20 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			r.release(false)
		}
	}
}

// release hands the events the sequencer lets go (all of them with force) to the checker
// and prints the new violations.
func (r *runner) release(force bool) {
	r.checkMu.Lock()
	defer r.checkMu.Unlock()
	before := len(r.checker.Violations())
	now := time.Now()
	if force {
		now = now.Add(r.seq.MaxDelay)
	}
	for {
		ev, ok := r.seq.Pop(now)
		if !ok {
			break
		}
		r.checker.Observe(ev, time.Now())
	}
	for _, v := range r.checker.Violations()[before:] {
		r.progress("VIOLATION %s", v)
	}
}

// drain checks every event still waiting.
func (r *runner) drain() { r.release(true) }
