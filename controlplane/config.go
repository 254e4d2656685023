package controlplane

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
)

// Config configures a Plane. DataDir is required; every other zero field means its default.
//
// Each subsystem has its own field, and the zero value of each means "the default
// behaviour", so that fields added as the plane grows (simulated nodes, the API server, the
// choice of built-in controllers) leave existing configurations valid.
type Config struct {
	// DataDir is the directory of the store's data file; it is created if missing. Two
	// planes cannot share one (the file is locked). Required.
	DataDir string

	// Clock is the time of the whole plane: store timestamps, informers, queues, leader
	// election, timeouts. Default clock.Real{}; tests pass a *clock.Fake (see planetest).
	Clock clock.Clock

	// Logger receives the plane's logs. Default: slog.Default() through logr.FromSlogHandler.
	Logger logr.Logger

	// Scheme registers the kinds the plane stores and serves. Default scheme.NewBuiltin();
	// to add your own kinds, register them on a NewBuiltin scheme and pass it. It must not
	// change once the plane has started.
	Scheme *scheme.Scheme

	// MetricsAddr, when set, is where the manager serves /metrics (see manager.Options).
	MetricsAddr string
	// HealthAddr, when set, is where the manager serves /healthz and /readyz.
	HealthAddr string

	// LeaderElection makes the plane's controllers run only while it holds the
	// kube-system/skiff-controller-manager Lease, for several planes sharing one store
	// (through the API server, once it exists).
	LeaderElection bool

	// Identity names the plane in leader election and as the host of its events. Default
	// "<hostname>_<random uuid>".
	Identity string

	// CacheSyncTimeout bounds the wait for the informers' initial lists at start, on Clock.
	// Default: manager.DefaultCacheSyncTimeout.
	CacheSyncTimeout time.Duration

	// ShutdownTimeout bounds, on Clock, the wait for controllers at Stop. Default:
	// manager.DefaultGracefulShutdownTimeout.
	ShutdownTimeout time.Duration

	// Nodes configures the simulated nodes (default: 3 nodes of 4 CPUs, 8Gi, 110 pods).
	Nodes NodesConfig
	// Scheduler configures the scheduler (default: on).
	Scheduler SchedulerConfig
	// Controllers chooses the built-in controllers (default: all).
	Controllers ControllersConfig
	// TimeZone is where CronJobs without spec.timeZone run, as kube-controller-manager uses
	// its host's zone. Default UTC, so that a plane behaves the same on every host.
	TimeZone *time.Location
}

// CronLocation returns the zone CronJobs without spec.timeZone are scheduled in.
func (c Config) CronLocation() *time.Location {
	if c.TimeZone == nil {
		return time.UTC
	}
	return c.TimeZone
}

// Validate reports a configuration that cannot work.
func (c Config) Validate() error {
	var errs []error
	if c.DataDir == "" {
		errs = append(errs, errors.New("no DataDir"))
	}
	for _, name := range c.Controllers.Disable {
		if !slices.Contains(BuiltinControllers(), name) {
			errs = append(errs, fmt.Errorf("Controllers.Disable: unknown controller %q (known: %v)", name, BuiltinControllers()))
		}
	}
	if c.Nodes.Count < 0 {
		errs = append(errs, errors.New("Nodes.Count must not be negative"))
	}
	if c.CacheSyncTimeout < 0 || c.ShutdownTimeout < 0 {
		errs = append(errs, errors.New("timeouts must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("controlplane: invalid config: %w", err)
	}
	return nil
}

// withDefaults returns c with every zero field that the plane itself decides replaced by its
// default (the rest are decided by the packages they are handed to).
func (c Config) withDefaults() Config {
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.Logger.GetSink() == nil {
		c.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	if c.Scheme == nil {
		c.Scheme = scheme.NewBuiltin()
	}
	return c
}
