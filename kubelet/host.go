package kubelet

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/workqueue"
)

// IndexPodsByNodeName is the name of the pod informer index the Host adds (and shares with
// any component that adds the same index): pods filed under spec.nodeName.
const IndexPodsByNodeName = "spec.nodeName"

// PodsByNodeName is the IndexFunc of IndexPodsByNodeName. Unbound pods are not indexed.
func PodsByNodeName(p *core.Pod) []string {
	if p.Spec.NodeName == "" {
		return nil
	}
	return []string{p.Spec.NodeName}
}

// itemKind tells pod keys from node names in the work queue.
type itemKind uint8

const (
	podItem itemKind = iota
	nodeItem
)

// item is one unit of work: a pod ("namespace/name") or a node (its name) to sync.
type item struct {
	kind itemKind
	key  string
}

// Host runs the kubelets of any number of simulated nodes in one process. Its nodes share
// one pod informer (indexed by spec.nodeName) and one node informer, one work queue of pod
// and node keys, and a fixed pool of workers; nothing runs per pod or per node at rest:
// every timed transition is a delayed add of a key to the queue, on the Host's clock. See
// the package documentation for what a sync does.
//
// NewHost starts nothing; Start runs the workers until its context ends. AddNode,
// RemoveNode, StopHeartbeats and ResumeHeartbeats may be called at any time, before or
// after Start. A Host is safe for concurrent use.
type Host struct {
	opts  Options
	clock clock.Clock
	rt    Runtime
	log   logr.Logger

	pods       *client.Typed[*core.Pod]
	nodes      *client.Typed[*core.Node]
	leases     *client.Typed[*coordination.Lease]
	namespaces *client.Typed[*core.Namespace]

	factory    *informer.Factory
	podInf     *informer.Informer[*core.Pod]
	nodeInf    *informer.Informer[*core.Node]
	podLister  informer.Lister[*core.Pod]
	nodeLister informer.Lister[*core.Node]

	queue *workqueue.Queue[item]
	wake  *wakeups // timed syncs, added to queue when due

	leaseNamespace atomic.Bool  // NodeLeaseNamespace is known to exist
	syncing        atomic.Int64 // items being synced

	// mu guards agents, indexes, podStates and started. Lock order: mu, then a node
	// agent's mu.
	mu        sync.RWMutex
	agents    map[string]*nodeAgent
	indexes   map[string]int // every node ever added, to its index: its addresses
	podStates map[string]*podState
	started   bool
}

// NewHost returns a Host that reads and writes through c and watches pods and nodes through
// informers of f (it adds the IndexPodsByNodeName index to f's pod informer). It starts
// nothing. It fails if opts do not validate.
func NewHost(c client.Client, f *informer.Factory, opts Options) (*Host, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	h := &Host{
		opts:       opts,
		clock:      opts.Clock,
		rt:         opts.Runtime,
		log:        opts.Logger.WithName("kubelet"),
		pods:       client.For[*core.Pod](c),
		nodes:      client.For[*core.Node](c),
		leases:     client.For[*coordination.Lease](c),
		namespaces: client.For[*core.Namespace](c),
		factory:    f,
		podInf:     informer.For[*core.Pod](f),
		nodeInf:    informer.For[*core.Node](f),
		agents:     map[string]*nodeAgent{},
		indexes:    map[string]int{},
		podStates:  map[string]*podState{},
	}
	if err := h.podInf.AddIndexers(informer.Indexers[*core.Pod]{IndexPodsByNodeName: PodsByNodeName}); err != nil && !errors.Is(err, informer.ErrIndexExists) {
		return nil, fmt.Errorf("kubelet: %w", err)
	}
	h.podLister, h.nodeLister = h.podInf.Lister(), h.nodeInf.Lister()
	h.queue = workqueue.New(workqueue.Options[item]{
		Clock:       opts.Clock,
		RateLimiter: workqueue.NewItemExponentialFailureRateLimiter[item](5*time.Millisecond, 30*time.Second),
	})
	h.wake = newWakeups(opts.Clock, h.queue.Add)
	return h, nil
}

// AddNode starts a kubelet for a node: it registers the Node (or takes over an existing one),
// creates its heartbeat Lease, and runs the pods bound to it. The writes happen on the
// Host's workers, once started. Nodes get addresses in the order they are first added: the
// i-th has InternalIP 172.16.0.0 + i + 1 and pod CIDR 10.128.0.0/9's i-th /24, and keeps
// them if removed and added again. It fails with ErrNodeExists if the Host already runs
// the node, and for an invalid name.
func (h *Host) AddNode(cfg NodeConfig) error {
	cfg, err := cfg.validate()
	if err != nil {
		return err
	}
	h.mu.Lock()
	if _, ok := h.agents[cfg.Name]; ok {
		h.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrNodeExists, cfg.Name)
	}
	index, ok := h.indexes[cfg.Name]
	if !ok {
		if index = len(h.indexes); index >= maxNodeIndex {
			h.mu.Unlock()
			return fmt.Errorf("kubelet: cannot add node %s: a Host runs at most %d nodes", cfg.Name, maxNodeIndex)
		}
		h.indexes[cfg.Name] = index
	}
	h.agents[cfg.Name] = newNodeAgent(cfg, index)
	h.mu.Unlock()
	h.queue.Add(item{nodeItem, cfg.Name})
	h.enqueueNodePods(cfg.Name)
	return nil
}

// RemoveNode stops the kubelet of a node, as if its machine were switched off: its
// containers vanish from the runtime and nothing more is written for it. The Node and its
// Lease stay (the Lease goes stale); delete them through the client if needed. It fails
// with ErrUnknownNode for a node the Host does not run.
func (h *Host) RemoveNode(name string) error {
	h.mu.Lock()
	_, ok := h.agents[name]
	delete(h.agents, name)
	var keys []string
	for key, ps := range h.podStates {
		if ps.agent.cfg.Name == name {
			keys = append(keys, key)
		}
	}
	h.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownNode, name)
	}
	for _, key := range keys {
		h.queue.Add(item{podItem, key}) // the sync finds no agent and forgets the pod
	}
	return nil
}

// StopHeartbeats cuts a node off from the API, as a network partition would: its Lease is
// no longer renewed, and neither node nor pod status is written (its containers keep
// running). A node lifecycle controller then sees the Lease go stale. It fails with
// ErrUnknownNode for a node the Host does not run.
func (h *Host) StopHeartbeats(name string) error {
	a := h.agent(name)
	if a == nil {
		return fmt.Errorf("%w: %s", ErrUnknownNode, name)
	}
	a.silent.Store(true)
	return nil
}

// ResumeHeartbeats ends a StopHeartbeats: the node renews its Lease, corrects its status and
// syncs its pods at once. It fails with ErrUnknownNode for a node the Host does not run.
func (h *Host) ResumeHeartbeats(name string) error {
	a := h.agent(name)
	if a == nil {
		return fmt.Errorf("%w: %s", ErrUnknownNode, name)
	}
	if a.silent.Swap(false) {
		h.queue.Add(item{nodeItem, name})
		h.enqueueNodePods(name)
	}
	return nil
}

// Nodes returns the names of the nodes the Host runs, in no particular order.
func (h *Host) Nodes() []string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	out := make([]string, 0, len(h.agents))
	for name := range h.agents {
		out = append(out, name)
	}
	return out
}

// Stats are counters of a Host's state and work.
type Stats struct {
	// Nodes is the number of nodes the Host runs.
	Nodes int
	// Pods is the number of pods it keeps state for (bound to its nodes, seen by a worker).
	Pods int
	// Queued is the number of pods and nodes waiting for a worker.
	Queued int
	// Syncing is the number of pods and nodes being synced.
	Syncing int
	// Scheduled is the number of pods and nodes with a timed sync pending.
	Scheduled int
}

// Stats returns the Host's counters. With Queued and Syncing both 0 the Host has caught up
// with the clock: a test driving a fake clock waits for that before stepping it again.
func (h *Host) Stats() Stats {
	h.mu.RLock()
	st := Stats{Nodes: len(h.agents), Pods: len(h.podStates)}
	h.mu.RUnlock()
	st.Queued = h.queue.Len()
	st.Syncing = int(h.syncing.Load())
	st.Scheduled = h.wake.len()
	return st
}

// Start runs the Host: it starts f's informers (those not running yet), waits for the pod
// and node caches, then syncs pods and nodes on Options.Workers goroutines until ctx is
// done. It returns once every goroutine it started has returned: nil after ctx ends, or
// ErrAlreadyStarted if Start was called before. The informers keep running until ctx ends
// or the factory is shut down.
func (h *Host) Start(ctx context.Context) error {
	h.mu.Lock()
	if h.started {
		h.mu.Unlock()
		return ErrAlreadyStarted
	}
	h.started = true
	h.mu.Unlock()
	defer h.queue.ShutDown()
	defer h.wake.stop()

	podReg, err := h.podInf.AddHandlerWithResync(informer.HandlerFuncs[*core.Pod]{
		AddFunc:    func(p *core.Pod, _ bool) { h.podChanged(p) },
		UpdateFunc: func(_, p *core.Pod) { h.podChanged(p) },
		DeleteFunc: func(p *core.Pod, _ bool) { h.podChanged(p) },
	}, 0)
	if err != nil {
		return h.addHandlerErr(ctx, err)
	}
	defer podReg.Remove()
	nodeReg, err := h.nodeInf.AddHandlerWithResync(informer.HandlerFuncs[*core.Node]{
		UpdateFunc: func(_, n *core.Node) { h.nodeChanged(n, false) },
		DeleteFunc: func(n *core.Node, _ bool) { h.nodeChanged(n, true) },
	}, 0)
	if err != nil {
		return h.addHandlerErr(ctx, err)
	}
	defer nodeReg.Remove()

	h.factory.Start(ctx)
	for _, synced := range []<-chan struct{}{podReg.Synced(), nodeReg.Synced()} {
		select {
		case <-synced:
		case <-ctx.Done():
			return nil
		}
	}
	var wg sync.WaitGroup
	for range h.opts.Workers {
		wg.Go(func() {
			for h.processNext(ctx) {
			}
		})
	}
	<-ctx.Done()
	h.queue.ShutDown()
	wg.Wait()
	return nil
}

// addHandlerErr is Start's result when it cannot add its handlers: nil when the informers
// stopped because ctx ended first (a plane cancelled while starting), the error otherwise.
func (h *Host) addHandlerErr(ctx context.Context, err error) error {
	if informer.StoppedWith(ctx, err) {
		return nil
	}
	return fmt.Errorf("kubelet: %w", err)
}

// processNext syncs one item and schedules its next sync. It returns false once the queue
// is shut down.
func (h *Host) processNext(ctx context.Context) bool {
	it, shutdown := h.queue.Get()
	if shutdown {
		return false
	}
	h.syncing.Add(1)
	defer h.syncing.Add(-1)
	defer h.queue.Done(it)
	var next time.Time
	var err error
	if it.kind == podItem {
		next, err = h.syncPod(ctx, it.key)
	} else {
		next, err = h.syncNode(ctx, it.key)
	}
	switch {
	case ctx.Err() != nil:
		return true
	case err != nil:
		if store.IsConflict(err) || store.IsNotFound(err) {
			h.log.V(4).Info("sync retried", "key", it.key, "err", err.Error())
		} else {
			h.log.Error(err, "sync failed", "key", it.key)
		}
		h.queue.AddRateLimited(it)
	default:
		h.queue.Forget(it)
	}
	if !next.IsZero() {
		h.wake.at(it, next)
	}
	return true
}

// podChanged is the pod informer's handler: it queues pods bound to the Host's nodes. The
// update caused by the kubelet's own status write is skipped.
func (h *Host) podChanged(p *core.Pod) {
	if p.Spec.NodeName == "" {
		return
	}
	key := meta.Key(p)
	h.mu.RLock()
	_, hosted := h.agents[p.Spec.NodeName]
	ps := h.podStates[key]
	h.mu.RUnlock()
	if !hosted && ps == nil {
		return
	}
	if ps != nil && p.UID == ps.uid {
		if w := ps.written.Load(); w != nil && rv(p) >= rv(w) {
			ps.written.CompareAndSwap(w, nil)
			if rv(p) == rv(w) {
				return // our own write, already accounted for
			}
		}
	}
	h.queue.Add(item{podItem, key})
}

// nodeChanged is the node informer's handler: a change of a hosted node's object by someone
// else makes its kubelet check its status; a deletion stops its heartbeats (the kubelet does
// not register again).
func (h *Host) nodeChanged(n *core.Node, deleted bool) {
	a := h.agent(n.Name)
	if a == nil {
		return
	}
	if deleted {
		if a.registered.Load() {
			a.gone.Store(true)
		}
		return
	}
	if w := a.written.Load(); w != nil && rv(n) >= rv(w) {
		a.written.CompareAndSwap(w, nil)
		if rv(n) == rv(w) {
			return
		}
	}
	h.queue.Add(item{nodeItem, n.Name})
}

// enqueueNodePods queues every cached pod bound to the node.
func (h *Host) enqueueNodePods(name string) {
	pods, err := h.podInf.Indexer().ByIndex(IndexPodsByNodeName, name)
	if err != nil {
		h.log.Error(err, "listing the pods of a node", "node", name)
		return
	}
	for _, p := range pods {
		h.queue.Add(item{podItem, meta.Key(p)})
	}
}

// agent returns the node agent of a hosted node, or nil.
func (h *Host) agent(name string) *nodeAgent {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.agents[name]
}

// podState returns the kubelet's memory of the pod with key, or nil.
func (h *Host) podState(key string) *podState {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return h.podStates[key]
}

// addPodState creates the memory of a pod the kubelet sees for the first time.
func (h *Host) addPodState(key string, pod *core.Pod, a *nodeAgent) *podState {
	ps := &podState{
		uid:   pod.UID,
		agent: a,
		init:  make([]containerState, len(pod.Spec.InitContainers)),
		main:  make([]containerState, len(pod.Spec.Containers)),
	}
	h.mu.Lock()
	h.podStates[key] = ps
	h.mu.Unlock()
	return ps
}

// teardown removes a finished pod's containers and sandbox and gives back its address. The
// pod's memory stays, marked done, until the pod is gone.
func (h *Host) teardown(ps *podState) {
	if ps.done {
		return
	}
	ps.done = true
	h.rt.RemovePod(ps.uid)
	if ps.ip != "" && ps.ip != ps.agent.ip {
		ps.agent.releaseIP(ps.ip)
	}
	ps.init, ps.main, ps.kill = nil, nil, nil
}

// forget tears a pod down and drops the kubelet's memory of it: the pod was deleted, or
// its node is no longer hosted.
func (h *Host) forget(key string, ps *podState) {
	h.teardown(ps)
	h.mu.Lock()
	if h.podStates[key] == ps {
		delete(h.podStates, key)
	}
	h.mu.Unlock()
}
