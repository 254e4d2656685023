package informer

import (
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/store"
)

// Back-off of failed lists and watches, as client-go's reflector: the delay starts at
// backoffInitial, doubles with every consecutive failure up to backoffMax, gets up to as much
// again of random jitter, and starts over once backoffReset has passed without failure.
const (
	backoffInitial = 800 * time.Millisecond
	backoffMax     = 30 * time.Second
	backoffReset   = 2 * time.Minute
	// minWatchDuration: a watch that ends normally sooner than this without delivering
	// anything counts as a failure, so that a source that closes every watch at once is not
	// hammered.
	minWatchDuration = time.Second
)

// errShortWatch is logged when a watch ended at once without delivering anything.
var errShortWatch = errors.New("informer: watch ended at once without events")

// sink is what the reflector feeds: the informer's cache and handlers. The reflector calls
// it from its one goroutine.
type sink[T meta.Object] interface {
	// replace makes items the complete state.
	replace(items []T)
	// apply applies one Added, Modified or Deleted event.
	apply(ev Event[T])
}

// reflector keeps a sink in step with a ListerWatcher (spec §4): list, then watch from the
// list's revision; when a watch ends, watch again from the last revision seen; when that
// revision is gone, list again. Failures back off on the clock.
type reflector[T meta.Object] struct {
	lw    ListerWatcher[T]
	sink  sink[T]
	clock clock.Clock
	log   logr.Logger

	revision atomic.Uint64 // the last revision listed or seen in a watch

	// The fields below are used only by the run goroutine.
	backoff    backoff
	goneStreak int // relists for Gone since a watch last delivered an event
}

func newReflector[T meta.Object](lw ListerWatcher[T], s sink[T], clk clock.Clock, log logr.Logger) *reflector[T] {
	return &reflector[T]{
		lw: lw, sink: s, clock: clk, log: log,
		backoff: backoff{clock: clk, initial: backoffInitial, max: backoffMax, reset: backoffReset},
	}
}

// run lists and watches until ctx is done.
func (r *reflector[T]) run(ctx context.Context) {
	for {
		items, rev, err := r.lw.List(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			r.log.Error(err, "List failed; retrying after back-off")
			if !r.sleep(ctx, r.backoff.next()) {
				return
			}
			continue
		}
		r.sink.replace(items)
		r.revision.Store(rev)
		if !r.watch(ctx, rev) {
			return
		}
	}
}

// watch follows the changes after rev. It returns true when the state must be listed again
// and false when ctx is done.
func (r *reflector[T]) watch(ctx context.Context, rev uint64) bool {
	for {
		// The watch's life is timed from before the call, so that it includes opening the
		// watch: a test that sees the call and then moves a fake clock finds the move counted.
		start := r.clock.Now()
		w, err := r.lw.Watch(ctx, rev)
		if err != nil {
			switch {
			case ctx.Err() != nil:
				return false
			case store.IsGone(err):
				return r.relistAfterGone(ctx, rev, err)
			}
			r.log.Error(err, "Watch failed; retrying after back-off", "revision", rev)
			if !r.sleep(ctx, r.backoff.next()) {
				return false
			}
			continue
		}
		n, last, err := r.consume(ctx, w, rev)
		w.Stop()
		rev = last
		switch {
		case ctx.Err() != nil:
			return false
		case store.IsGone(err):
			return r.relistAfterGone(ctx, rev, err)
		case err == io.EOF && (n > 0 || r.clock.Since(start) >= minWatchDuration):
			continue // a normal end: watch again from rev at once
		case err == io.EOF:
			err = errShortWatch
		}
		r.log.Error(err, "Watch ended; watching again after back-off", "revision", rev)
		if !r.sleep(ctx, r.backoff.next()) {
			return false
		}
	}
}

// relistAfterGone decides what follows a watch whose revision was compacted: a relist, at
// once the first time, after a back-off if the previous relist's watch was gone too before
// delivering anything.
func (r *reflector[T]) relistAfterGone(ctx context.Context, rev uint64, err error) bool {
	r.goneStreak++
	r.log.V(1).Info("Watch revision compacted; listing again", "revision", rev, "reason", err.Error())
	if r.goneStreak > 1 {
		return r.sleep(ctx, r.backoff.next())
	}
	return true
}

// consume feeds the events of w to the sink until w ends, and returns how many events it
// saw, the last revision and the error that ended w (io.EOF for a normal end).
func (r *reflector[T]) consume(ctx context.Context, w Watch[T], rev uint64) (int, uint64, error) {
	n := 0
	for {
		ev, err := w.Next(ctx)
		if err != nil {
			return n, rev, err
		}
		switch ev.Type {
		case store.Added, store.Modified, store.Deleted:
			r.sink.apply(ev)
		case store.Bookmark:
		default:
			r.log.Info("Skipping watch event of unexpected type", "type", ev.Type)
			continue
		}
		n++
		r.goneStreak = 0
		if ev.Revision > rev {
			rev = ev.Revision
			r.revision.Store(rev)
		}
	}
}

// sleep waits d on the clock; it returns false if ctx was done first.
func (r *reflector[T]) sleep(ctx context.Context, d time.Duration) bool {
	t := r.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return true
	case <-ctx.Done():
		return false
	}
}

// backoff computes jittered exponential delays on a clock. Not safe for concurrent use.
type backoff struct {
	clock               clock.Clock
	initial, max, reset time.Duration
	cur                 time.Duration
	lastFailure         time.Time
}

// next records a failure and returns how long to wait before the next attempt.
func (b *backoff) next() time.Duration {
	now := b.clock.Now()
	if b.cur == 0 || now.Sub(b.lastFailure) >= b.reset {
		b.cur = b.initial
	} else {
		b.cur = min(2*b.cur, b.max)
	}
	b.lastFailure = now
	return b.cur + time.Duration(rand.Float64()*float64(b.cur))
}
