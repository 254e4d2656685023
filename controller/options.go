package controller

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/workqueue"
)

// DefaultCacheSyncTimeout is the default Options.CacheSyncTimeout, controller-runtime's.
const DefaultCacheSyncTimeout = 2 * time.Minute

// PanicPolicy says what a controller does when Reconcile panics. Every policy first logs the
// panic with its stack and counts it (controller_runtime_reconcile_panics_total).
type PanicPolicy int

const (
	// PanicRetry (the default) recovers the panic and retries the request through the rate
	// limiter, as for an error.
	PanicRetry PanicPolicy = iota
	// PanicForget recovers the panic and forgets the request, as for a terminal error; the
	// next event of the object reconciles it again.
	PanicForget
	// PanicCrash panics again: the process dies, as it would without a controller. For
	// programs that prefer a restart to running on after a bug.
	PanicCrash
)

// Options configure a Controller. The zero value is ready to use and means the defaults; the
// Builder fills Clock, Logger and Metrics from its manager.
type Options struct {
	// MaxConcurrentReconciles is the number of workers. A request is never reconciled by two
	// workers at once, whatever this number. Default 1.
	MaxConcurrentReconciles int

	// RateLimiter decides the back-off of failed requests. Default: the workqueue's
	// DefaultControllerRateLimiter policy (5 ms doubling to 1000 s per request, 10 qps burst
	// 100 overall), on Clock.
	RateLimiter workqueue.RateLimiter[reconcile.Request]

	// CacheSyncTimeout bounds, on Clock, the wait for the sources' initial state in Start.
	// Default DefaultCacheSyncTimeout.
	CacheSyncTimeout time.Duration

	// OnPanic says what a panic in Reconcile does. Default PanicRetry.
	OnPanic PanicPolicy

	// WithoutLeaderElection makes the controller run on every manager, not only on the
	// leader, when its manager uses leader election.
	WithoutLeaderElection bool

	// Clock drives the queue's delays and back-off, the cache sync timeout and the reconcile
	// durations. Default clock.Real{}.
	Clock clock.Clock

	// Logger is the controller's logger; each reconcile gets it with the keys controller,
	// namespace, name and reconcileID, in its context (logr.FromContextOrDiscard). Default:
	// slog.Default() through logr.FromSlogHandler.
	Logger logr.Logger

	// Metrics receives the controller's reconcile and work-queue metrics. Nil means none.
	Metrics *Metrics
}

// Validate reports options that cannot work. Zero values are valid: they mean the defaults.
func (o Options) Validate() error {
	var errs []error
	if o.MaxConcurrentReconciles < 0 {
		errs = append(errs, errors.New("MaxConcurrentReconciles must not be negative"))
	}
	if o.CacheSyncTimeout < 0 {
		errs = append(errs, errors.New("CacheSyncTimeout must not be negative"))
	}
	if o.OnPanic < PanicRetry || o.OnPanic > PanicCrash {
		errs = append(errs, fmt.Errorf("unknown OnPanic policy %d", o.OnPanic))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("controller: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with every zero field replaced by its default: the one place
// defaults are decided. o must be valid.
func (o Options) withDefaults() Options {
	if o.MaxConcurrentReconciles == 0 {
		o.MaxConcurrentReconciles = 1
	}
	if o.CacheSyncTimeout == 0 {
		o.CacheSyncTimeout = DefaultCacheSyncTimeout
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger.GetSink() == nil {
		o.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	return o
}
