package scheduler

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/clock"
)

// Defaults for the zero fields of Options.
const (
	// DefaultWorkers is how many pods are bound concurrently by default. Binding is two
	// durable store writes, so it is the slow part of scheduling; concurrent bindings share
	// the store's group commits, and BenchmarkSchedule binds about twice as fast with 64
	// workers as with 16. (kube-scheduler starts a goroutine per binding, unbounded.)
	DefaultWorkers = 64
	// DefaultPodInitialBackoff is the shortest time between two attempts to schedule a pod
	// that did not fit, as kube-scheduler's podInitialBackoffSeconds.
	DefaultPodInitialBackoff = time.Second
	// DefaultPodMaxBackoff is the longest back-off between attempts, as kube-scheduler's
	// podMaxBackoffSeconds.
	DefaultPodMaxBackoff = 10 * time.Second
	// DefaultUnschedulableRetryInterval is how often pods that fit nowhere are retried even
	// when no node or pod changed.
	DefaultUnschedulableRetryInterval = time.Minute
)

// Options configure a Scheduler. The zero value is ready to use and means the defaults.
type Options struct {
	// SchedulerName is the spec.schedulerName of the pods this scheduler places; pods with
	// an empty schedulerName count as core.DefaultSchedulerName's. Default:
	// core.DefaultSchedulerName ("default-scheduler").
	SchedulerName string
	// Clock drives back-offs, the periodic retry of unschedulable pods and condition
	// timestamps. Default: clock.Real{}.
	Clock clock.Clock
	// Logger receives scheduling failures. Default: slog.Default().
	Logger logr.Logger
	// Workers is how many pods are bound concurrently. Default: DefaultWorkers.
	Workers int
	// Plugins are the filters and scores run for every pod. Default: DefaultPlugins().
	Plugins Plugins
	// Binder writes each decision. Default: a ClientBinder over the scheduler's client.
	Binder Binder
	// PodInitialBackoff and PodMaxBackoff bound the back-off, doubling with each failed
	// attempt, before a pod that did not fit is tried again after a cluster change.
	// Defaults: DefaultPodInitialBackoff and DefaultPodMaxBackoff.
	PodInitialBackoff, PodMaxBackoff time.Duration
	// UnschedulableRetryInterval is how often every pod that fit nowhere is tried again
	// even though no node or pod changed. Default: DefaultUnschedulableRetryInterval.
	UnschedulableRetryInterval time.Duration
}

// Validate reports options that cannot work: negative counts or durations, an initial
// back-off above the maximum, invalid plugins.
func (o Options) Validate() error {
	switch {
	case o.Workers < 0:
		return fmt.Errorf("%w: Workers is negative", ErrInvalidOptions)
	case o.PodInitialBackoff < 0 || o.PodMaxBackoff < 0 || o.UnschedulableRetryInterval < 0:
		return fmt.Errorf("%w: durations must not be negative", ErrInvalidOptions)
	case o.PodInitialBackoff > 0 && o.PodMaxBackoff > 0 && o.PodInitialBackoff > o.PodMaxBackoff:
		return fmt.Errorf("%w: PodInitialBackoff %v exceeds PodMaxBackoff %v", ErrInvalidOptions, o.PodInitialBackoff, o.PodMaxBackoff)
	}
	return o.Plugins.Validate()
}

// withDefaults returns o with every zero field replaced by its default; the one place
// defaults are decided. The Binder default needs the client and is filled in by New.
func (o Options) withDefaults() Options {
	if o.SchedulerName == "" {
		o.SchedulerName = core.DefaultSchedulerName
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger.GetSink() == nil {
		o.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.Plugins.Filters == nil && o.Plugins.Scores == nil {
		o.Plugins = DefaultPlugins()
	}
	if o.PodInitialBackoff == 0 {
		o.PodInitialBackoff = DefaultPodInitialBackoff
	}
	if o.PodMaxBackoff == 0 {
		o.PodMaxBackoff = max(DefaultPodMaxBackoff, o.PodInitialBackoff)
	}
	o.PodInitialBackoff = min(o.PodInitialBackoff, o.PodMaxBackoff)
	if o.UnschedulableRetryInterval == 0 {
		o.UnschedulableRetryInterval = DefaultUnschedulableRetryInterval
	}
	return o
}
