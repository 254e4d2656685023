package controlplane

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheduler"
)

// NodesConfig configures the plane's simulated nodes: kubelets on the simulated runtime
// (package kubelet/sim), all served by one kubelet.Host.
type NodesConfig struct {
	// Disabled runs no kubelets at all: pods are never started. Tests of controllers that
	// only create objects use it.
	Disabled bool
	// Count is the number of nodes created at start, named node-1, node-2, ... Default 3.
	// Nodes that already exist in the store (from an earlier run) are served again, and
	// so is every Node created later through the client or the API.
	Count int
	// CPU, Memory and Pods are each node's capacity. Defaults 4 CPUs, 8Gi, 110 pods.
	CPU, Memory, Pods resource.Quantity
	// StartupDelay is how long a container takes to start (sim.Options.StartupDelay);
	// default sim.DefaultStartupDelay, negative for none.
	StartupDelay time.Duration
	// ReadyDelay is how long a container runs before it is ready (default 0).
	ReadyDelay time.Duration
	// BatchRunTime is how long batch pods (restartPolicy Never/OnFailure) run before they
	// exit 0; default sim.DefaultBatchRunTime, negative to exit at once.
	BatchRunTime time.Duration
	// Workers is the kubelet host's worker count (default: the kubelet package's).
	Workers int
}

// Default node capacity: the 4 CPUs, 8 GiB and the kubelet's 110-pod limit.
const (
	DefaultNodeCount  = 3
	DefaultNodeCPU    = "4"
	DefaultNodeMemory = "8Gi"
	DefaultNodePods   = "110"
)

func (n NodesConfig) withDefaults() NodesConfig {
	if n.Count == 0 {
		n.Count = DefaultNodeCount
	}
	if n.CPU.IsZero() {
		n.CPU = resource.MustParse(DefaultNodeCPU)
	}
	if n.Memory.IsZero() {
		n.Memory = resource.MustParse(DefaultNodeMemory)
	}
	if n.Pods.IsZero() {
		n.Pods = resource.MustParse(DefaultNodePods)
	}
	return n
}

func (n NodesConfig) capacity() core.ResourceList {
	return core.ResourceList{core.ResourceCPU: n.CPU, core.ResourceMemory: n.Memory, core.ResourcePods: n.Pods}
}

// SchedulerConfig configures the plane's scheduler.
type SchedulerConfig struct {
	// Disabled runs no scheduler: pods without spec.nodeName stay Pending.
	Disabled bool
	// Workers is the number of concurrent bindings (default: the scheduler package's).
	Workers int
}

// setupScheduler adds the scheduler to the manager. It runs only on the leader, like
// kube-scheduler with leader election.
func setupScheduler(_ context.Context, p *Plane) error {
	if p.cfg.Scheduler.Disabled {
		return nil
	}
	s := scheduler.New(p.client, p.mgr.Informers(), scheduler.Options{
		Clock:   p.cfg.Clock,
		Logger:  p.log.WithName("scheduler"),
		Workers: p.cfg.Scheduler.Workers,
	})
	return p.mgr.Add(namedRunnable{name: "scheduler", leader: true, start: s.Start})
}

// setupNodes adds the kubelet host with the configured nodes, and serves every Node that
// appears later (created through the client or the API) with a kubelet too.
func setupNodes(_ context.Context, p *Plane) error {
	if p.cfg.Nodes.Disabled {
		return nil
	}
	nc := p.cfg.Nodes.withDefaults()
	rt := sim.New(sim.Options{Clock: p.cfg.Clock, StartupDelay: nc.StartupDelay, ReadyDelay: nc.ReadyDelay, BatchRunTime: nc.BatchRunTime})
	host, err := kubelet.NewHost(p.client, p.mgr.Informers(), kubelet.Options{
		Runtime: rt,
		Clock:   p.cfg.Clock,
		Logger:  p.log.WithName("kubelet"),
		Workers: nc.Workers,
	})
	if err != nil {
		return err
	}
	p.kubelets = host
	for i := 1; i <= nc.Count; i++ {
		if err := host.AddNode(kubelet.NodeConfig{Name: fmt.Sprintf("node-%d", i), Capacity: nc.capacity()}); err != nil {
			return err
		}
	}
	// Every Node object, whoever created it, is served by a simulated kubelet.
	nodes := informer.For[*core.Node](p.mgr.Informers())
	if _, err := nodes.AddHandler(informer.HandlerFuncs[*core.Node]{
		AddFunc: func(n *core.Node, _ bool) {
			if n.DeletionTimestamp != nil {
				return
			}
			cfg := kubelet.NodeConfig{Name: n.Name, Capacity: n.Status.Capacity}
			if len(cfg.Capacity) == 0 {
				cfg.Capacity = nc.capacity()
			}
			if err := host.AddNode(cfg); err != nil && !errors.Is(err, kubelet.ErrNodeExists) {
				p.log.Error(err, "Cannot serve node", "node", n.Name)
			}
		},
	}); err != nil {
		return err
	}
	return p.mgr.Add(namedRunnable{name: "kubelets", start: host.Start})
}

// Kubelets returns the host running the plane's simulated nodes (nil when Nodes.Disabled),
// for tests that partition a node (StopHeartbeats) or add nodes with special capacity.
func (p *Plane) Kubelets() *kubelet.Host { return p.kubelets }

// namedRunnable adapts a Start function to manager.Runnable with a name and a leader flag.
type namedRunnable struct {
	name   string
	leader bool
	start  func(ctx context.Context) error
}

var _ manager.Runnable = namedRunnable{}

func (r namedRunnable) Start(ctx context.Context) error { return r.start(ctx) }
func (r namedRunnable) Name() string                    { return r.name }
func (r namedRunnable) NeedLeaderElection() bool        { return r.leader }
