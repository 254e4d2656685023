package workqueue

import (
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/clock"
)

// Defaults filled in by New for zero fields of Options.
const (
	// DefaultPriorityAging is the default Options.PriorityAging: an item of priority p is
	// placed as if it had been queued 100×p additions earlier than it was.
	DefaultPriorityAging = 100
	// DefaultUnfinishedWorkUpdatePeriod is how often the unfinished-work and
	// longest-running-processor gauges are refreshed while items are being processed.
	DefaultUnfinishedWorkUpdatePeriod = 500 * time.Millisecond
)

// Options configures a Queue. The zero value is ready to use and means the defaults.
type Options[T comparable] struct {
	// Name identifies the queue to the MetricsProvider. Required when MetricsProvider is set.
	Name string

	// Clock drives AddAfter delays, the default rate limiter's token bucket and the metrics.
	// Default: clock.Real{}. Tests pass a *clock.Fake and step it.
	Clock clock.Clock

	// RateLimiter decides the delay of AddRateLimited and keeps the per-item failure counts
	// behind NumRequeues and Forget. Default: the DefaultControllerRateLimiter policy, with its
	// token bucket driven by Clock.
	RateLimiter RateLimiter[T]

	// MetricsProvider receives the queue's metrics. Nil (the default) means no metrics and no
	// metrics cost: no clock reads, no per-item timestamps.
	MetricsProvider MetricsProvider

	// PriorityAging is how many additions to the ready queue it takes to raise a waiting item
	// by one priority level relative to the items added after it. An item of priority p is
	// handed out as if it had been added p×PriorityAging additions earlier (later, for negative
	// p), so a low-priority item is overtaken by a bounded number of later items and never
	// starves. Default: DefaultPriorityAging.
	PriorityAging int

	// UnfinishedWorkUpdatePeriod is how often the unfinished-work gauges are refreshed while
	// some item is being processed. Used only with a MetricsProvider. Default:
	// DefaultUnfinishedWorkUpdatePeriod.
	UnfinishedWorkUpdatePeriod time.Duration
}

// Validate reports options that cannot work. Zero values are valid: they mean the defaults.
func (o Options[T]) Validate() error {
	switch {
	case o.PriorityAging < 0:
		return ErrNegativeAging
	case o.UnfinishedWorkUpdatePeriod < 0:
		return ErrNegativeUpdatePeriod
	case o.MetricsProvider != nil && o.Name == "":
		return ErrMetricsWithoutName
	}
	return nil
}

// withDefaults returns a copy of o with every zero field replaced by its default. It is the one
// place defaults are decided.
func (o Options[T]) withDefaults() Options[T] {
	if err := o.Validate(); err != nil {
		panic(fmt.Errorf("workqueue.New: %w", err))
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.RateLimiter == nil {
		o.RateLimiter = defaultControllerRateLimiter[T](o.Clock)
	}
	if o.PriorityAging == 0 {
		o.PriorityAging = DefaultPriorityAging
	}
	if o.UnfinishedWorkUpdatePeriod == 0 {
		o.UnfinishedWorkUpdatePeriod = DefaultUnfinishedWorkUpdatePeriod
	}
	return o
}

// AddOpts are the optional parts of AddWithOpts. The zero value makes AddWithOpts an Add.
type AddOpts struct {
	// Priority orders ready items: higher goes first, with ageing (see Options.PriorityAging).
	// Adding an item that is already waiting for a worker with a higher priority raises its
	// priority; a lower one is ignored. Default 0.
	Priority int

	// After delays the addition by this much (as AddAfter). Non-positive means now.
	After time.Duration

	// RateLimited asks the queue's RateLimiter for a delay (as AddRateLimited). When After is
	// also set, the longer of the two delays wins.
	RateLimited bool
}
