package scheduler

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/informer"
)

// Scheduler binds pending pods to nodes. See the package documentation for the algorithm.
//
// New starts nothing; Start runs the scheduler until its context is done.
type Scheduler struct {
	opts    Options
	pods    *client.Typed[*core.Pod]
	podInf  *informer.Informer[*core.Pod]
	nodeInf *informer.Informer[*core.Node]
	binder  Binder

	filters     []FilterPlugin
	scores      []WeightedScorePlugin
	normalizers []ScoreNormalizer // normalizers[i] is scores[i]'s, or nil

	cache *cache
	queue *schedulingQueue

	started atomic.Bool

	// Owned by the scheduling loop: scratch space reused by every attempt, and the source
	// of random tie-breaks.
	rng      *rand.Rand
	feasible []*NodeInfo
	raw      []int64
	total    []int64
}

// New returns a scheduler that reads pods and nodes from f's informers and writes through c.
// It asks f for the Pod and Node informers, so it must be called before f.Start. It panics if
// opts do not validate, as a wiring mistake.
func New(c client.Client, f *informer.Factory, opts Options) *Scheduler {
	if err := opts.Validate(); err != nil {
		panic(fmt.Sprintf("scheduler.New: %v", err))
	}
	opts = opts.withDefaults()
	s := &Scheduler{
		opts:    opts,
		pods:    client.For[*core.Pod](c),
		podInf:  informer.For[*core.Pod](f),
		nodeInf: informer.For[*core.Node](f),
		binder:  opts.Binder,
		filters: opts.Plugins.Filters,
		scores:  opts.Plugins.Scores,
		cache:   newCache(),
		queue:   newSchedulingQueue(opts.Clock, opts.PodInitialBackoff, opts.PodMaxBackoff),
		rng:     rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64())),
	}
	if s.binder == nil {
		s.binder = NewClientBinder(c, opts.Clock)
	}
	for _, sp := range s.scores {
		n, _ := sp.Plugin.(ScoreNormalizer)
		s.normalizers = append(s.normalizers, n)
	}
	return s
}

// Start schedules pods until ctx is done, then stops its goroutines, waits for them and
// returns nil; binds in progress are cancelled with ctx. The informer factory given to New
// must be started by its owner, before or after Start: Start waits for the Pod and Node
// informers to sync before the first attempt. A Scheduler starts once: a second Start returns
// ErrAlreadyStarted.
func (s *Scheduler) Start(ctx context.Context) error {
	if !s.started.CompareAndSwap(false, true) {
		return ErrAlreadyStarted
	}
	podReg, err := s.podInf.AddHandlerWithResync(podHandler{s}, 0)
	if err != nil {
		if informer.StoppedWith(ctx, err) {
			return nil // the informers stopped with ctx before the scheduler started
		}
		return fmt.Errorf("scheduler: watching pods: %w", err)
	}
	defer podReg.Remove()
	nodeReg, err := s.nodeInf.AddHandlerWithResync(nodeHandler{s}, 0)
	if err != nil {
		if informer.StoppedWith(ctx, err) {
			return nil // the informers stopped with ctx before the scheduler started
		}
		return fmt.Errorf("scheduler: watching nodes: %w", err)
	}
	defer nodeReg.Remove()
	defer s.queue.shutDown()
	for _, synced := range []<-chan struct{}{podReg.Synced(), nodeReg.Synced()} {
		select {
		case <-synced:
		case <-ctx.Done():
			return nil
		}
	}

	var wg sync.WaitGroup
	tasks := make(chan task)
	for range s.opts.Workers {
		wg.Go(func() {
			for {
				select {
				case t := <-tasks:
					s.run(ctx, t)
				case <-ctx.Done():
					return
				}
			}
		})
	}
	wg.Go(func() { s.retryLoop(ctx) })
	wg.Go(func() { s.scheduleLoop(ctx, tasks) })
	<-ctx.Done()
	s.queue.shutDown()
	wg.Wait()
	return nil
}

// retryLoop flushes the parked pods every UnschedulableRetryInterval.
func (s *Scheduler) retryLoop(ctx context.Context) {
	t := s.opts.Clock.NewTicker(s.opts.UnschedulableRetryInterval)
	defer t.Stop()
	for {
		select {
		case <-t.C():
			s.queue.flush()
		case <-ctx.Done():
			return
		}
	}
}

// responsibleFor reports whether pod is one this scheduler should place: unbound, for this
// scheduler, not being deleted, not finished and without scheduling gates.
func (s *Scheduler) responsibleFor(pod *core.Pod) bool {
	name := pod.Spec.SchedulerName
	if name == "" {
		name = core.DefaultSchedulerName
	}
	return name == s.opts.SchedulerName && pod.Spec.NodeName == "" && pod.DeletionTimestamp == nil &&
		len(pod.Spec.SchedulingGates) == 0 && !core.IsPodTerminal(pod)
}

// podPriority is the pod's priority in the scheduling queue.
func podPriority(pod *core.Pod) int {
	if pod.Spec.Priority == nil {
		return 0
	}
	return int(*pod.Spec.Priority)
}

// podHandler routes pod notifications: pods bound to a node go to the cache, pending pods
// this scheduler is responsible for go to the queue.
type podHandler struct{ s *Scheduler }

// OnAdd handles a pod the informer had not shown.
func (h podHandler) OnAdd(pod *core.Pod, _ bool) {
	switch {
	case pod.Spec.NodeName != "":
		h.s.queue.remove(meta.Key(pod))
		if !core.IsPodTerminal(pod) {
			h.s.cache.setPod(pod)
		}
	case h.s.responsibleFor(pod):
		h.s.queue.add(meta.Key(pod), podPriority(pod))
	}
}

// OnUpdate handles a changed pod.
func (h podHandler) OnUpdate(oldPod, pod *core.Pod) {
	s := h.s
	key := meta.Key(pod)
	switch {
	case pod.Spec.NodeName != "":
		if oldPod.Spec.NodeName == "" {
			s.queue.remove(key)
		}
		if !core.IsPodTerminal(pod) {
			s.cache.setPod(pod)
		} else if s.cache.removePod(pod.UID) {
			s.queue.moveAll() // its resources are free
		}
	case !s.responsibleFor(pod):
		s.queue.remove(key)
	case oldPod.ResourceVersion != pod.ResourceVersion:
		s.queue.update(key, podPriority(pod), func() bool {
			return !reflect.DeepEqual(oldPod.Spec, pod.Spec) || !maps.Equal(oldPod.Labels, pod.Labels)
		})
	}
}

// OnDelete handles a deleted pod.
func (h podHandler) OnDelete(pod *core.Pod, _ bool) {
	s := h.s
	s.queue.remove(meta.Key(pod))
	if s.cache.removePod(pod.UID) {
		s.queue.moveAll()
	}
}

// nodeHandler keeps the cache's nodes and retries parked pods when a node may have room.
type nodeHandler struct{ s *Scheduler }

// OnAdd handles a new node.
func (h nodeHandler) OnAdd(node *core.Node, _ bool) {
	h.s.cache.setNode(node)
	h.s.queue.moveAll()
}

// OnUpdate handles a changed node.
func (h nodeHandler) OnUpdate(oldNode, node *core.Node) {
	if oldNode.ResourceVersion == node.ResourceVersion {
		return
	}
	h.s.cache.setNode(node)
	if schedulingPropertiesChanged(oldNode, node) {
		h.s.queue.moveAll()
	}
}

// OnDelete handles a deleted node.
func (h nodeHandler) OnDelete(node *core.Node, _ bool) { h.s.cache.removeNode(node.Name) }

// schedulingPropertiesChanged reports whether a node changed in a way the filters see:
// allocatable resources, labels, taints, unschedulable. Heartbeats do not count.
func schedulingPropertiesChanged(oldNode, node *core.Node) bool {
	return oldNode.Spec.Unschedulable != node.Spec.Unschedulable ||
		!maps.Equal(oldNode.Labels, node.Labels) ||
		!slices.EqualFunc(oldNode.Spec.Taints, node.Spec.Taints, func(a, b core.Taint) bool {
			return a.Key == b.Key && a.Value == b.Value && a.Effect == b.Effect
		}) ||
		!maps.EqualFunc(oldNode.Status.Allocatable, node.Status.Allocatable, func(a, b resource.Quantity) bool {
			return a.Cmp(b) == 0
		})
}
