package kubelet

import (
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/clock"
)

// Defaults for the zero fields of Options, as in the stock kubelet.
const (
	// DefaultWorkers is the default number of goroutines syncing pods and nodes.
	DefaultWorkers = 64
	// DefaultLeaseDuration is the node Lease's leaseDurationSeconds.
	DefaultLeaseDuration = 40 * time.Second
	// DefaultLeaseRenewInterval is how often a node's Lease is renewed (the heartbeat):
	// a quarter of the lease duration.
	DefaultLeaseRenewInterval = 10 * time.Second
	// DefaultNodeStatusReportInterval is how often node status is written when nothing in
	// it changed (nodeStatusReportFrequency); changes are written when they happen.
	DefaultNodeStatusReportInterval = 5 * time.Minute
)

// NodeLeaseNamespace is the namespace of the nodes' heartbeat Leases, each named after its
// node.
const NodeLeaseNamespace = "kube-node-lease"

// Options configure a Host. The zero value of every field but Runtime means its default.
type Options struct {
	// Runtime runs the containers of every node of the Host (kubelet/sim's Runtime, for
	// simulated nodes). Required.
	Runtime Runtime
	// Clock drives every timed transition: container starts and exits, probes, back-off,
	// grace periods, heartbeats. Default clock.Real{}. It should be the clock of the
	// runtime and of the store.
	Clock clock.Clock
	// Logger receives errors. Default: slog.Default().
	Logger logr.Logger
	// Workers is the number of goroutines syncing pods and nodes. Default DefaultWorkers.
	Workers int
	// LeaseDuration is the heartbeat Lease's leaseDurationSeconds. Default 40s.
	LeaseDuration time.Duration
	// LeaseRenewInterval is how often each node renews its Lease. Default 10s.
	LeaseRenewInterval time.Duration
	// NodeStatusReportInterval is how often an unchanged node status is written again, to
	// refresh its conditions' lastHeartbeatTime. Default 5 minutes.
	NodeStatusReportInterval time.Duration
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	var errs []error
	if o.Runtime == nil {
		errs = append(errs, errors.New("a Runtime is required"))
	}
	if o.Workers < 0 {
		errs = append(errs, errors.New("the number of Workers must not be negative"))
	}
	if o.LeaseDuration < 0 || o.LeaseRenewInterval < 0 || o.NodeStatusReportInterval < 0 {
		errs = append(errs, errors.New("durations must not be negative"))
	}
	if o.LeaseDuration > 0 && o.LeaseDuration < time.Second {
		errs = append(errs, errors.New("the LeaseDuration must be at least one second"))
	}
	if d, r := o.LeaseDuration, o.LeaseRenewInterval; d > 0 && r > 0 && r >= d {
		errs = append(errs, errors.New("the LeaseRenewInterval must be shorter than the LeaseDuration"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("kubelet: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with every zero field set to its default: the one place defaults
// are decided.
func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger.GetSink() == nil {
		o.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.LeaseDuration == 0 {
		o.LeaseDuration = DefaultLeaseDuration
	}
	if o.LeaseRenewInterval == 0 {
		o.LeaseRenewInterval = min(DefaultLeaseRenewInterval, o.LeaseDuration/4)
	}
	if o.NodeStatusReportInterval == 0 {
		o.NodeStatusReportInterval = DefaultNodeStatusReportInterval
	}
	return o
}

// NodeConfig describes a node for AddNode.
type NodeConfig struct {
	// Name is the node's name, a DNS subdomain. Required.
	Name string
	// Capacity is the node's status.capacity, also its allocatable. Resources it leaves
	// out get DefaultCapacity's amounts.
	Capacity core.ResourceList
	// Labels are added to the well-known labels the kubelet sets (kubernetes.io/hostname,
	// kubernetes.io/os, kubernetes.io/arch).
	Labels map[string]string
	// Taints are the node's spec.taints at registration (--register-with-taints).
	Taints []core.Taint
}

// DefaultCapacity returns the capacity of a node whose NodeConfig names none: 32 CPUs,
// 256 GiB of memory and 110 pods, the stock kubelet's pod limit.
func DefaultCapacity() core.ResourceList {
	return core.ResourceList{
		core.ResourceCPU:    resource.MustParse("32"),
		core.ResourceMemory: resource.MustParse("256Gi"),
		core.ResourcePods:   resource.MustParse("110"),
	}
}

// validate checks the config and returns it with its defaults filled in, sharing nothing
// with c.
func (c NodeConfig) validate() (NodeConfig, error) {
	if msgs := validation.IsDNS1123Subdomain(c.Name); len(msgs) > 0 {
		return c, fmt.Errorf("kubelet: invalid node name %q: %v", c.Name, msgs)
	}
	capacity := DefaultCapacity()
	for k, v := range c.Capacity {
		capacity[k] = v.DeepCopy()
	}
	c.Capacity = capacity
	c.Labels = maps.Clone(c.Labels)
	c.Taints = append([]core.Taint(nil), c.Taints...)
	return c, nil
}
