package controller

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/workqueue"
)

// Controller runs a Reconciler over a rate-limited work queue fed by Sources: Start
// registers the sources, waits until they have delivered their initial state, and runs
// Options.MaxConcurrentReconciles workers until its context is done.
//
// What a worker does with the outcome of Reconcile (see package reconcile):
//
//   - success: Forget (the request's back-off history is cleared);
//   - Result.RequeueAfter > 0: Forget, then AddAfter(RequeueAfter);
//   - Result.Requeue: AddRateLimited;
//   - an error: AddRateLimited, logged, counted;
//   - a terminal error (reconcile.TerminalError): Forget, logged, counted, not retried;
//   - a panic: recovered, logged with its stack, counted, then as Options.OnPanic says
//     (retried through the rate limiter by default).
//
// The queue never hands one request to two workers, so a Reconciler never runs twice at once
// for the same object, whatever the number of workers.
//
// A Controller can be run again after Start returned, with a fresh queue; it cannot run twice
// at once. Its methods are safe for concurrent use.
type Controller struct {
	name string
	rec  reconcile.Reconciler
	opts Options // defaults applied
	log  logr.Logger

	// mu guards sources and running.
	mu      sync.Mutex
	sources []Source
	running bool
}

// New returns a controller named name (unique within a manager: it labels the logs and
// metrics) that runs r. It starts nothing: add sources with Watch, then call Start (or add
// the controller to a manager). It fails if name is empty, r is nil or opts do not validate.
func New(name string, r reconcile.Reconciler, opts Options) (*Controller, error) {
	if name == "" {
		return nil, ErrNoName
	}
	if r == nil {
		return nil, fmt.Errorf("%w: controller %q", ErrNoReconciler, name)
	}
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	return &Controller{
		name: name,
		rec:  r,
		opts: opts,
		log:  opts.Logger.WithValues("controller", name),
	}, nil
}

// Name returns the controller's name.
func (c *Controller) Name() string { return c.name }

// NeedLeaderElection reports whether the controller runs only on the leader of its manager
// (true unless Options.WithoutLeaderElection). Managers find it by type assertion.
func (c *Controller) NeedLeaderElection() bool { return !c.opts.WithoutLeaderElection }

// Watch adds a source of requests. Sources are started by the next Start; Watch fails with
// ErrRunning while the controller runs.
func (c *Controller) Watch(src Source) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.running {
		return fmt.Errorf("%w: controller %q", ErrRunning, c.name)
	}
	c.sources = append(c.sources, src)
	return nil
}

// Start runs the controller until ctx is done: it creates the queue, starts every source,
// waits (at most Options.CacheSyncTimeout, on the clock) until they have synced, then runs the
// workers. When ctx is done it removes its sources, stops handing out requests (those still
// queued are dropped: the next run lists them again), waits for the reconciles in flight —
// whose context is ctx, so they see it cancelled — and returns nil.
//
// It fails with ErrAlreadyRunning if the controller is running, with an error wrapping
// ErrCacheSyncTimeout that names the kinds not synced in time, or with a source's error.
func (c *Controller) Start(ctx context.Context) error {
	c.mu.Lock()
	if c.running {
		c.mu.Unlock()
		return fmt.Errorf("%w: controller %q", ErrAlreadyRunning, c.name)
	}
	c.running = true
	sources := slices.Clone(c.sources)
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.running = false
		c.mu.Unlock()
	}()

	workers := c.opts.MaxConcurrentReconciles
	var mp workqueue.MetricsProvider
	if m := c.opts.Metrics; m != nil {
		m.resetGauges(c.name)
		defer m.resetGauges(c.name)
		mp = m
	}
	q := workqueue.New(workqueue.Options[reconcile.Request]{
		Name:            c.name,
		Clock:           c.opts.Clock,
		RateLimiter:     c.opts.RateLimiter,
		MetricsProvider: mp,
	})
	defer q.ShutDown()
	w := &worker{c: c, q: q, m: c.opts.Metrics.forController(c.name, workers), idPrefix: newIDPrefix()}

	ctx, cancel := context.WithCancel(logr.NewContext(ctx, c.log))
	defer cancel()
	regs := make([]Registration, 0, len(sources))
	defer func() {
		for _, r := range regs {
			r.Remove()
		}
	}()
	for _, s := range sources {
		reg, err := s.Start(ctx, q)
		if err != nil {
			if informer.StoppedWith(ctx, err) {
				// The informers stopped with ctx while this controller was starting:
				// that is a stop, not a failure.
				return nil
			}
			return fmt.Errorf("controller %q: starting source %v: %w", c.name, s, err)
		}
		regs = append(regs, reg)
	}
	if err := c.waitForSync(ctx, sources, regs); err != nil {
		return err
	}
	if ctx.Err() != nil {
		return nil
	}

	c.log.Info("Starting workers", "workers", workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for w.processNext(ctx) {
			}
		})
	}
	<-ctx.Done()
	c.log.Info("Stopping workers; waiting for reconciles in flight")
	for _, r := range regs {
		r.Remove()
	}
	q.ShutDown()
	wg.Wait()
	c.log.Info("All workers stopped")
	return nil
}

// waitForSync waits until every registration has synced, ctx is done (nil: the caller
// checks ctx) or the cache sync timeout passes.
func (c *Controller) waitForSync(ctx context.Context, sources []Source, regs []Registration) error {
	t := c.opts.Clock.NewTimer(c.opts.CacheSyncTimeout)
	defer t.Stop()
	for _, r := range regs {
		select {
		case <-r.Synced():
		case <-ctx.Done():
			return nil
		case <-t.C():
			var names []string
			for k, r := range regs {
				select {
				case <-r.Synced():
				default:
					names = append(names, fmt.Sprint(sources[k]))
				}
			}
			if len(names) == 0 {
				return nil // all synced just now
			}
			return fmt.Errorf("%w: controller %q after %v: %s", ErrCacheSyncTimeout, c.name,
				c.opts.CacheSyncTimeout, strings.Join(names, ", "))
		}
	}
	return nil
}

// worker is the state the workers of one run share.
type worker struct {
	c *Controller
	q *workqueue.Queue[reconcile.Request]
	m controllerMetrics

	idPrefix string        // random, per run
	idSeq    atomic.Uint64 // reconciles of the run
}

// newIDPrefix returns 16 random hex digits.
func newIDPrefix() string {
	var b [8]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// reconcileID returns an identifier for one reconcile, unique in the process: the run's
// random prefix and a sequence number. It costs a fraction of a UUID.
func (w *worker) reconcileID() string {
	return w.idPrefix + "-" + strconv.FormatUint(w.idSeq.Add(1), 16)
}

// processNext takes one request from the queue and reconciles it. It returns false when the
// queue is shut down and empty.
func (w *worker) processNext(ctx context.Context) bool {
	req, shutdown := w.q.Get()
	if shutdown {
		return false
	}
	defer w.q.Done(req)
	if ctx.Err() != nil {
		return true // stopping: leave what is still queued
	}
	w.reconcileHandler(ctx, req)
	return true
}

// reconcileHandler reconciles req and acts on the outcome (see Controller).
func (w *worker) reconcileHandler(ctx context.Context, req reconcile.Request) {
	c := w.c
	log := c.log.WithValues("namespace", req.Namespace, "name", req.Name, "reconcileID", w.reconcileID())
	ctx = logr.NewContext(ctx, log)
	if w.m.on {
		w.m.active.Inc()
		start := c.opts.Clock.Now()
		defer func() {
			w.m.duration.Observe(c.opts.Clock.Since(start).Seconds())
			w.m.active.Dec()
		}()
	}
	res, err := w.reconcile(ctx, log, req)
	var p *panicError
	switch {
	case errors.As(err, &p):
		w.count(w.m.errored, w.m.errors)
		if c.opts.OnPanic == PanicForget {
			w.q.Forget(req)
		} else {
			w.q.AddRateLimited(req)
		}
	case err != nil && reconcile.IsTerminal(err):
		w.count(w.m.errored, w.m.errors, w.m.terminal)
		w.q.Forget(req)
		log.Error(err, "Reconciler error; not retried (terminal)")
	case err != nil:
		w.count(w.m.errored, w.m.errors)
		w.q.AddRateLimited(req)
		if ctx.Err() == nil || !errors.Is(err, ctx.Err()) {
			log.Error(err, "Reconciler error")
		}
	case res.RequeueAfter > 0:
		w.count(w.m.after)
		w.q.Forget(req)
		w.q.AddAfter(req, res.RequeueAfter)
	case res.Requeue:
		w.count(w.m.requeue)
		w.q.AddRateLimited(req)
	default:
		w.count(w.m.success)
		w.q.Forget(req)
	}
}

// count increments counters when metrics are on.
func (w *worker) count(cs ...interface{ Inc() }) {
	if !w.m.on {
		return
	}
	for _, c := range cs {
		c.Inc()
	}
}

// panicError is what a recovered panic of Reconcile becomes.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprintf("%v: %v", ErrPanic, e.value) }
func (e *panicError) Unwrap() error { return ErrPanic }

// reconcile calls the reconciler, turning a panic into a *panicError (or, with PanicCrash,
// panicking again once the panic is logged and counted).
func (w *worker) reconcile(ctx context.Context, log logr.Logger, req reconcile.Request) (res reconcile.Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			w.count(w.m.panics)
			err = &panicError{value: r}
			log.Error(err, "Observed a panic in reconciler", "stack", string(debug.Stack()))
			if w.c.opts.OnPanic == PanicCrash {
				panic(r)
			}
		}
	}()
	return w.c.rec.Reconcile(ctx, req)
}
