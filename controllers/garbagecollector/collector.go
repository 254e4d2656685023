package garbagecollector

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/workqueue"
)

// Name is the collector's name in its manager, its logs and its queues' metrics.
const Name = "garbagecollector"

// DefaultWorkers is the default Options.Workers, kube-controller-manager's
// --concurrent-gc-syncs.
const DefaultWorkers = 20

// orphanMemory is how long the collector remembers an owner whose dependents it orphaned
// (see doc.go, "Differences").
const orphanMemory = 10 * time.Minute

// Options configure a GarbageCollector. The zero value means the defaults.
type Options struct {
	// Workers is the number of goroutines of each of the two queues (attempt to delete,
	// attempt to orphan). Default DefaultWorkers.
	Workers int
	// IgnoredKinds are kinds the collector does not watch, besides core/v1 Event, which it
	// never watches: their objects are never collected, and as owners they are read only
	// when a dependent names them.
	IgnoredKinds []scheme.GroupVersionKind
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	if o.Workers < 0 {
		return errors.New("garbagecollector: Workers must not be negative")
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	return o
}

// GarbageCollector deletes objects whose owners are gone, and carries out the foreground and
// orphan deletion of owners (../shared/spec/objects.md §5). See the package documentation.
//
// It is a manager Runnable: Start runs it until its context is done, and it may be started
// again after it stopped (a manager does so when it regains leadership), rebuilding its
// graph from the informers.
type GarbageCollector struct {
	opts    Options
	client  client.Client
	scheme  *scheme.Scheme
	clock   clock.Clock
	log     logr.Logger
	metrics workqueue.MetricsProvider // nil: none
	sources []source

	// orphanedMu guards orphaned: the owners whose dependents were orphaned, and when.
	orphanedMu sync.Mutex
	orphaned   map[meta.UID]time.Time
}

// New returns a garbage collector of every kind in mgr's scheme (except core/v1 Event and
// opts.IgnoredKinds), reading and writing through mgr's client. Built-in kinds are watched
// through mgr's shared informers, which New asks for (the manager starts them); other kinds
// through informers of the collector's own. It starts nothing.
func New(mgr controller.Manager, opts Options) (*GarbageCollector, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	c := mgr.Client()
	gc := &GarbageCollector{
		opts:     opts,
		client:   c,
		scheme:   c.Scheme(),
		clock:    mgr.Clock(),
		log:      mgr.Logger().WithName(Name),
		orphaned: map[meta.UID]time.Time{},
	}
	if m := mgr.Metrics(); m != nil {
		gc.metrics = m
	}
	ignored := append([]scheme.GroupVersionKind{scheme.EventGVK}, opts.IgnoredKinds...)
	for _, info := range gc.scheme.Kinds() {
		if slices.Contains(ignored, info.GVK) {
			continue
		}
		if mk, ok := sharedKinds[reflect.TypeOf(info.New())]; ok {
			gc.sources = append(gc.sources, mk(mgr.Informers(), info.GVK))
			continue
		}
		gc.sources = append(gc.sources, &privateSource{
			gvk: info.GVK, res: info.GroupResource(), src: c, clock: gc.clock,
			log: gc.log.WithName("informers"),
		})
	}
	return gc, nil
}

// Add makes a GarbageCollector with New and adds it to mgr.
func Add(mgr controller.Manager, opts Options) (*GarbageCollector, error) {
	gc, err := New(mgr, opts)
	if err != nil {
		return nil, err
	}
	if err := mgr.Add(gc); err != nil {
		return nil, err
	}
	return gc, nil
}

// Name returns Name: the collector's unique name in its manager.
func (gc *GarbageCollector) Name() string { return Name }

// run is one run of the collector: its graph and queues.
type run struct {
	gc      *GarbageCollector
	graph   *graph
	deletes *workqueue.Queue[meta.UID]
	orphans *workqueue.Queue[meta.UID]
	log     logr.Logger
}

// Start runs the collector until ctx is done: it builds the graph from the informers of
// every watched kind, waits until they have all delivered their initial lists, then runs
// Options.Workers workers on each queue. It returns once every goroutine it started has
// returned, with nil after ctx is done, or an error if a handler cannot be added.
func (gc *GarbageCollector) Start(ctx context.Context) error {
	r := &run{gc: gc, log: gc.log}
	r.deletes = gc.newQueue("garbage_collector_attempt_to_delete")
	r.orphans = gc.newQueue("garbage_collector_attempt_to_orphan")
	r.graph = newGraph(r.deletes.Add, r.orphans.Add)
	ctx, cancel := context.WithCancel(ctx)
	var (
		regs     []*informer.Registration
		informed sync.WaitGroup // the private informers
		workers  sync.WaitGroup
	)
	defer func() {
		r.deletes.ShutDown()
		r.orphans.ShutDown()
		workers.Wait()
		for _, reg := range regs {
			reg.Remove()
		}
		cancel()
		informed.Wait()
	}()

	for _, s := range gc.sources {
		reg, err := s.start(ctx, r.graph, &informed)
		if err != nil {
			if informer.StoppedWith(ctx, err) {
				return nil // the informers stopped with ctx before the collector started
			}
			return fmt.Errorf("garbagecollector: %w", err)
		}
		regs = append(regs, reg)
	}
	syncers := make([]informer.Syncer, len(regs))
	for i, reg := range regs {
		syncers[i] = reg
	}
	if err := informer.WaitForSync(ctx, syncers...); err != nil {
		return nil // ctx is done: stopping before the graph synced is not a failure
	}
	gc.log.Info("Graph synced; starting workers", "kinds", len(gc.sources), "nodes", r.graph.len(), "workers", gc.opts.Workers)
	for range gc.opts.Workers {
		workers.Go(func() { r.work(ctx, r.deletes, r.attemptToDelete) })
		workers.Go(func() { r.work(ctx, r.orphans, r.attemptToOrphan) })
	}
	<-ctx.Done()
	return nil
}

func (gc *GarbageCollector) newQueue(name string) *workqueue.Queue[meta.UID] {
	o := workqueue.Options[meta.UID]{Name: name, Clock: gc.clock}
	if gc.metrics != nil {
		o.MetricsProvider = gc.metrics
	}
	return workqueue.New(o)
}

// work processes uids from q with fn until q shuts down: success forgets the uid's back-off,
// an error retries it through the rate limiter. Items left at shutdown are dropped.
func (r *run) work(ctx context.Context, q *workqueue.Queue[meta.UID], fn func(context.Context, meta.UID) error) {
	for {
		uid, shutdown := q.Get()
		if shutdown {
			return
		}
		if ctx.Err() != nil {
			q.Done(uid)
			continue
		}
		if err := fn(ctx, uid); err != nil {
			if ctx.Err() == nil {
				r.log.V(1).Info("Will retry", "uid", uid, "error", err.Error())
			}
			q.AddRateLimited(uid)
		} else {
			q.Forget(uid)
		}
		q.Done(uid)
	}
}

// rememberOrphaned records that the dependents of uid were orphaned, and forgets owners
// orphaned longer than orphanMemory ago.
func (gc *GarbageCollector) rememberOrphaned(uid meta.UID) {
	now := gc.clock.Now()
	gc.orphanedMu.Lock()
	defer gc.orphanedMu.Unlock()
	for u, at := range gc.orphaned {
		if now.Sub(at) > orphanMemory {
			delete(gc.orphaned, u)
		}
	}
	gc.orphaned[uid] = now
}

// wasOrphaned reports whether the dependents of uid were orphaned within orphanMemory.
func (gc *GarbageCollector) wasOrphaned(uid meta.UID) bool {
	gc.orphanedMu.Lock()
	defer gc.orphanedMu.Unlock()
	at, ok := gc.orphaned[uid]
	return ok && gc.clock.Now().Sub(at) <= orphanMemory
}
