package manager

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/go-logr/logr"
	"github.com/google/uuid"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/manager/leaderelection"
)

// Defaults for the zero fields of Options.
const (
	DefaultCacheSyncTimeout        = 2 * time.Minute
	DefaultGracefulShutdownTimeout = 30 * time.Second
	DefaultLeaderElectionName      = "skiff-controller-manager"
)

// Options configure a Manager. Client is required; every other zero field means its default.
type Options struct {
	// Client is what the manager's informers list and watch and its controllers write
	// through; its scheme is the manager's. Required.
	Client client.Client

	// Clock drives everything that waits: informers, queues, leader election, the cache
	// sync and shutdown timeouts. Default clock.Real{}.
	Clock clock.Clock

	// Logger is the manager's logger, handed down to its informers and controllers.
	// Default: slog.Default() through logr.FromSlogHandler.
	Logger logr.Logger

	// Identity names this manager: its holder identity in leader election and the source
	// host of its events. Default "<hostname>_<random uuid>".
	Identity string

	// Informers configure the shared informer factory (DefaultResync, Namespace, Transform,
	// MutationCheck). Its Scheme, Clock and Logger are ignored: the manager's are used.
	Informers informer.FactoryOptions

	// MetricsAddr, when set, is the address ("127.0.0.1:8080", ":0") where /metrics is
	// served from Registry. When it names the same address as HealthAddr with a fixed port,
	// one server serves all three endpoints; port 0 picks a free port for each (see
	// Manager.MetricsAddr and Manager.HealthAddr).
	MetricsAddr string
	// HealthAddr, when set, is the address where /healthz and /readyz are served.
	HealthAddr string

	// Registry holds the manager's metrics. Default: a new registry (never the global one)
	// with the Go and process collectors.
	Registry *prometheus.Registry

	// CacheSyncTimeout bounds Start's wait for the informers' initial lists, on Clock.
	// Default 2 minutes.
	CacheSyncTimeout time.Duration

	// GracefulShutdownTimeout bounds, on Clock, how long Start waits for runnables to return
	// once its context is done (and Remove for the runnable removed). Default 30 s.
	GracefulShutdownTimeout time.Duration

	// LeaderElection makes only the holder of a Lease run the runnables that need it.
	LeaderElection LeaderElection
}

// LeaderElection configures a manager's leader election. See package leaderelection.
type LeaderElection struct {
	// Enabled turns leader election on: runnables that need it (controllers, by default)
	// run only while this manager holds the Lease.
	Enabled bool
	// Namespace and Name name the Lease. Defaults "kube-system" and
	// DefaultLeaderElectionName.
	Namespace, Name string
	// LeaseDuration, RenewDeadline and RetryPeriod default to 15 s, 10 s and 2 s.
	LeaseDuration, RenewDeadline, RetryPeriod time.Duration
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	var errs []error
	if o.Client == nil {
		errs = append(errs, errors.New("no Client"))
	}
	if o.CacheSyncTimeout < 0 || o.GracefulShutdownTimeout < 0 {
		errs = append(errs, errors.New("timeouts must not be negative"))
	}
	if o.LeaderElection.Enabled && o.Client != nil {
		d := o
		if d.Identity == "" {
			d.Identity = "validate" // not a hostname and a uuid just to validate
		}
		if d.Registry == nil {
			d.Registry = prometheus.NewRegistry() // nor the collectors
		}
		d = d.withDefaults()
		if err := d.electionOptions().Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("manager: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with every zero field replaced by its default: the one place
// defaults are decided.
func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger.GetSink() == nil {
		o.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	if o.Identity == "" {
		host, _ := os.Hostname()
		o.Identity = host + "_" + uuid.NewString()
	}
	if o.Registry == nil {
		o.Registry = newRegistry()
	}
	if o.CacheSyncTimeout == 0 {
		o.CacheSyncTimeout = DefaultCacheSyncTimeout
	}
	if o.GracefulShutdownTimeout == 0 {
		o.GracefulShutdownTimeout = DefaultGracefulShutdownTimeout
	}
	if o.LeaderElection.Namespace == "" {
		o.LeaderElection.Namespace = core.NamespaceSystem
	}
	if o.LeaderElection.Name == "" {
		o.LeaderElection.Name = DefaultLeaderElectionName
	}
	return o
}

// electionOptions returns the leaderelection.Options of o, without callbacks (a placeholder
// OnStartedLeading, so that they validate).
func (o Options) electionOptions() leaderelection.Options {
	le := o.LeaderElection
	return leaderelection.Options{
		Client:           o.Client,
		Namespace:        le.Namespace,
		Name:             le.Name,
		Identity:         o.Identity,
		LeaseDuration:    le.LeaseDuration,
		RenewDeadline:    le.RenewDeadline,
		RetryPeriod:      le.RetryPeriod,
		Clock:            o.Clock,
		Logger:           o.Logger.WithName("leader-election"),
		OnStartedLeading: func(context.Context) {},
	}
}
