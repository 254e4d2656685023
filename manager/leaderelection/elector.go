package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// ErrAlreadyRunning means Run was called on an Elector that is running.
var ErrAlreadyRunning = errors.New("leaderelection: already running")

// Elector campaigns for a Lease and runs Options.OnStartedLeading while it holds it. See the
// package documentation for the algorithm.
type Elector struct {
	opts   Options // defaults applied
	leases *client.Typed[*coordination.Lease]
	log    logr.Logger

	running atomic.Bool
	leading atomic.Bool

	// mu guards observed, observedTime and holder: the Lease record as last seen, when it
	// was first seen (on this candidate's clock), and its holder.
	mu           sync.Mutex
	observed     coordination.LeaseSpec
	observedTime time.Time
	holder       string
}

// New returns an Elector. It starts nothing: call Run. It fails if opts do not validate or
// the client's scheme does not register coordination.Lease.
func New(opts Options) (*Elector, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	if _, err := opts.Client.Scheme().ForGVK(scheme.LeaseGVK); err != nil {
		return nil, fmt.Errorf("leaderelection: %w", err)
	}
	opts = opts.withDefaults()
	return &Elector{
		opts:   opts,
		leases: client.ForKind[*coordination.Lease](opts.Client, scheme.LeaseGVK),
		log:    opts.Logger.WithValues("lease", opts.Namespace+"/"+opts.Name, "identity", opts.Identity),
	}, nil
}

// IsLeader reports whether this candidate holds the Lease now: it becomes true just before
// OnStartedLeading is called and false as soon as leadership ends (before OnStartedLeading
// has returned).
func (e *Elector) IsLeader() bool { return e.leading.Load() }

// Leader returns the identity of the holder as last seen ("" if none or not seen yet).
func (e *Elector) Leader() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.holder
}

// Run campaigns until ctx is done: it tries to acquire the Lease every RetryPeriod; once it
// holds it, it calls OnStartedLeading and renews the Lease every RetryPeriod. Leadership ends
// when ctx is done, when the Lease could not be renewed for RenewDeadline, or when another
// candidate is found holding it; OnStartedLeading's context is then cancelled, and once it
// has returned (and OnStoppedLeading has run) Run campaigns again — or, when ctx is done,
// releases the Lease so that another candidate takes over at its next try, and returns nil.
// It fails with ErrAlreadyRunning if the Elector is running.
func (e *Elector) Run(ctx context.Context) error {
	if !e.running.CompareAndSwap(false, true) {
		return ErrAlreadyRunning
	}
	defer e.running.Store(false)
	for {
		if !e.acquire(ctx) {
			return nil
		}
		e.lead(ctx)
		if ctx.Err() != nil {
			e.release(context.WithoutCancel(ctx))
			return nil
		}
	}
}

// acquire tries to acquire the Lease at once and then every RetryPeriod until it succeeds
// (true) or ctx is done (false).
func (e *Elector) acquire(ctx context.Context) bool {
	e.log.Info("Attempting to acquire leader lease")
	for {
		if e.tryAcquireOrRenew(ctx) {
			e.log.Info("Acquired leader lease")
			return true
		}
		if !e.sleep(ctx, e.opts.RetryPeriod) {
			return false
		}
	}
}

// lead runs OnStartedLeading and renews the Lease until leadership ends, then waits for
// OnStartedLeading to return.
func (e *Elector) lead(ctx context.Context) {
	leaderCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	e.leading.Store(true)
	// The deadline fires RenewDeadline after the last successful renewal. On a fake clock
	// its callback runs inside Step, so leadership ends at exactly that instant.
	deadline := e.opts.Clock.AfterFunc(e.opts.RenewDeadline, func() {
		e.leading.Store(false)
		cancel()
	})
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.opts.OnStartedLeading(leaderCtx)
	}()

	for e.sleep(leaderCtx, e.opts.RetryPeriod) {
		if e.tryAcquireOrRenew(leaderCtx) {
			if leaderCtx.Err() == nil {
				deadline.Reset(e.opts.RenewDeadline)
			}
			continue
		}
		if h := e.Leader(); h != e.opts.Identity {
			e.log.Info("Leader lease taken over by another candidate", "holder", h)
			break
		}
	}
	deadline.Stop()
	lost := ctx.Err() == nil
	e.leading.Store(false)
	cancel()
	<-done
	if lost {
		e.log.Info("Lost leader lease")
	} else {
		e.log.Info("Stopped leading")
	}
	if e.opts.OnStoppedLeading != nil {
		e.opts.OnStoppedLeading()
	}
}

// tryAcquireOrRenew makes one attempt to create, take over or renew the Lease, as
// client-go's LeaderElector does. It reports whether this candidate holds the Lease after it.
func (e *Elector) tryAcquireOrRenew(ctx context.Context) bool {
	now := e.opts.Clock.Now()
	nowMT := meta.NewMicroTime(now)
	desired := coordination.LeaseSpec{
		HolderIdentity:       ptr(e.opts.Identity),
		LeaseDurationSeconds: ptr(int32(e.opts.LeaseDuration / time.Second)),
		AcquireTime:          &nowMT,
		RenewTime:            ptr(nowMT),
		LeaseTransitions:     ptr(int32(0)),
	}
	lease, err := e.leases.Get(ctx, e.opts.Namespace, e.opts.Name)
	if store.IsNotFound(err) {
		created, err := e.leases.Create(ctx, &coordination.Lease{
			ObjectMeta: meta.ObjectMeta{Namespace: e.opts.Namespace, Name: e.opts.Name},
			Spec:       desired,
		})
		if err != nil {
			if !store.IsAlreadyExists(err) && ctx.Err() == nil {
				e.log.Error(err, "Could not create leader lease")
			}
			return false
		}
		e.observe(created.Spec, now)
		return true
	}
	if err != nil {
		if ctx.Err() == nil {
			e.log.Error(err, "Could not read leader lease")
		}
		return false
	}
	e.observe(lease.Spec, now)
	cur := lease.Spec
	holder := deref(cur.HolderIdentity)
	if holder != "" && holder != e.opts.Identity && !e.expired(now) {
		return false
	}
	if holder == e.opts.Identity {
		desired.AcquireTime = cur.AcquireTime
		desired.LeaseTransitions = ptr(deref(cur.LeaseTransitions))
	} else {
		desired.LeaseTransitions = ptr(deref(cur.LeaseTransitions) + 1)
	}
	upd := lease.DeepCopy()
	upd.Spec.HolderIdentity = desired.HolderIdentity
	upd.Spec.LeaseDurationSeconds = desired.LeaseDurationSeconds
	upd.Spec.AcquireTime = desired.AcquireTime
	upd.Spec.RenewTime = desired.RenewTime
	upd.Spec.LeaseTransitions = desired.LeaseTransitions
	out, err := e.leases.Update(ctx, upd) // with the resourceVersion read: a Conflict means we lost a race
	if err != nil {
		if !store.IsConflict(err) && ctx.Err() == nil {
			e.log.Error(err, "Could not update leader lease")
		}
		return false
	}
	e.observe(out.Spec, now)
	return true
}

// observe records the Lease as seen at now. Its observation time moves only when the record
// changed: a holder that stopped renewing is judged by how long this candidate has seen the
// same record, on its own clock, never by the renewTime another clock wrote.
func (e *Elector) observe(spec coordination.LeaseSpec, now time.Time) {
	e.mu.Lock()
	changed := !sameRecord(spec, e.observed) || e.observedTime.IsZero()
	if changed {
		e.observed = *spec.DeepCopy()
		e.observedTime = now
	}
	holder := deref(spec.HolderIdentity)
	newLeader := holder != e.holder
	e.holder = holder
	e.mu.Unlock()
	if newLeader {
		e.log.V(1).Info("New leader observed", "holder", holder)
		if e.opts.OnNewLeader != nil {
			e.opts.OnNewLeader(holder)
		}
	}
}

// expired reports whether the observed record's lease has run out at now.
func (e *Elector) expired(now time.Time) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	d := e.opts.LeaseDuration
	if s := e.observed.LeaseDurationSeconds; s != nil {
		d = time.Duration(*s) * time.Second
	}
	return !e.observedTime.Add(d).After(now)
}

// release gives the Lease up if this candidate still holds it, as client-go's
// ReleaseOnCancel does: no holder, a one-second duration, so the next candidate to try
// takes it at once.
func (e *Elector) release(ctx context.Context) {
	now := meta.NewMicroTime(e.opts.Clock.Now())
	_, err := client.GuaranteedUpdate(ctx, e.leases, e.opts.Namespace, e.opts.Name, func(l *coordination.Lease) error {
		if deref(l.Spec.HolderIdentity) != e.opts.Identity {
			return errNotHolder
		}
		l.Spec.HolderIdentity = ptr("")
		l.Spec.LeaseDurationSeconds = ptr(int32(1))
		l.Spec.RenewTime = &now
		l.Spec.AcquireTime = ptr(now)
		return nil
	})
	switch {
	case err == nil:
		e.log.Info("Released leader lease")
	case errors.Is(err, errNotHolder), store.IsNotFound(err):
	default:
		e.log.Error(err, "Could not release leader lease")
	}
}

var errNotHolder = errors.New("leaderelection: not the holder")

// sleep waits d on the clock; it returns false if ctx was done first.
func (e *Elector) sleep(ctx context.Context, d time.Duration) bool {
	t := e.opts.Clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C():
		return ctx.Err() == nil
	case <-ctx.Done():
		return false
	}
}

// sameRecord compares the fields of two Lease records that the election writes.
func sameRecord(a, b coordination.LeaseSpec) bool {
	return deref(a.HolderIdentity) == deref(b.HolderIdentity) &&
		deref(a.LeaseDurationSeconds) == deref(b.LeaseDurationSeconds) &&
		deref(a.LeaseTransitions) == deref(b.LeaseTransitions) &&
		sameTime(a.AcquireTime, b.AcquireTime) && sameTime(a.RenewTime, b.RenewTime)
}

func sameTime(a, b *meta.MicroTime) bool {
	if a.IsZero() || b.IsZero() {
		return a.IsZero() && b.IsZero()
	}
	return a.Time.Equal(b.Time)
}

func ptr[T any](v T) *T { return &v }

func deref[T any](p *T) T {
	if p == nil {
		var zero T
		return zero
	}
	return *p
}
