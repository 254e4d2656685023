package controlplane

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/namespace"
	"github.com/skiff-dev/skiff/kubelet"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// ErrStoppedBeforeReady means the plane stopped (its context was done) before it was ready.
var ErrStoppedBeforeReady = errors.New("controlplane: stopped before it was ready")

// Plane is a running control plane: a store, a client over it and a manager running the
// plane's components. Make one with Start; stop it with Stop.
type Plane struct {
	cfg    Config
	store  *boltstore.Store
	client *client.Local
	mgr    *manager.Manager
	log    logr.Logger

	kubelets *kubelet.Host // nil when Nodes.Disabled

	cancel context.CancelFunc
	done   chan struct{} // closed when the plane has stopped and closed its store
	err    error         // why it stopped; written before done is closed

	stopOnce sync.Once
}

// component adds one part of the plane (built-in controllers, the scheduler, simulated
// nodes, the API server) to its manager. The parts of later issues join components.
type component struct {
	name  string
	setup func(ctx context.Context, p *Plane) error
}

// components are the plane's parts, set up in order by Start.
var components = []component{
	{name: "namespaces", setup: setupSystemNamespaces},
	{name: "controllers", setup: setupControllers},
	{name: "scheduler", setup: setupScheduler},
	{name: "nodes", setup: setupNodes},
}

// Start assembles a control plane and runs it until ctx is done or Stop is called: it opens
// the store in cfg.DataDir, makes the client and the manager, sets up the plane's
// components, starts the manager and returns once its caches have synced and its
// controllers have started. It fails if cfg does not validate, if the store cannot be opened
// (boltstore.ErrLocked: another plane has the data file), if a component cannot be set up,
// or if the manager fails before it is ready; with ctx's error if ctx is done before.
func Start(ctx context.Context, cfg Config) (*Plane, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	if err := os.MkdirAll(cfg.DataDir, 0o755); err != nil {
		return nil, fmt.Errorf("controlplane: %w", err)
	}
	// Namespace admission: no object is created in a namespace that does not exist or is
	// being deleted. The hook reads namespaces from the store it guards.
	var admission namespace.Admission
	st, err := boltstore.Open(cfg.DataDir, boltstore.Options{Scheme: cfg.Scheme, Clock: cfg.Clock, Admit: admission.Admit})
	if err != nil {
		return nil, fmt.Errorf("controlplane: opening the store: %w", err)
	}
	admission.SetReader(st)
	p := &Plane{
		cfg:    cfg,
		store:  st,
		client: client.NewLocal(st, cfg.Scheme),
		log:    cfg.Logger,
		done:   make(chan struct{}),
	}
	p.mgr, err = manager.New(manager.Options{
		Client:                  p.client,
		Clock:                   cfg.Clock,
		Logger:                  cfg.Logger,
		Identity:                cfg.Identity,
		MetricsAddr:             cfg.MetricsAddr,
		HealthAddr:              cfg.HealthAddr,
		CacheSyncTimeout:        cfg.CacheSyncTimeout,
		GracefulShutdownTimeout: cfg.ShutdownTimeout,
		LeaderElection:          manager.LeaderElection{Enabled: cfg.LeaderElection},
	})
	if err != nil {
		_ = st.Close()
		return nil, err
	}
	for _, c := range components {
		if err := c.setup(ctx, p); err != nil {
			_ = st.Close()
			return nil, fmt.Errorf("controlplane: setting up %s: %w", c.name, err)
		}
	}

	runCtx, cancel := context.WithCancel(ctx)
	p.cancel = cancel
	go p.run(runCtx)
	select {
	case <-p.mgr.Ready():
		p.log.Info("Control plane ready", "dataDir", cfg.DataDir)
		return p, nil
	case <-p.done:
		if p.err == nil {
			p.err = ErrStoppedBeforeReady
		}
		return nil, p.err
	}
}

// run runs the manager, then closes the store.
func (p *Plane) run(ctx context.Context) {
	err := p.mgr.Start(ctx)
	if cerr := p.store.Close(); cerr != nil {
		err = errors.Join(err, fmt.Errorf("controlplane: closing the store: %w", cerr))
	}
	p.err = err
	close(p.done)
}

// Stop stops the plane — controllers first, then informers, then the store — and returns why
// it stopped (nil for a clean stop). It is safe to call more than once and after the plane's
// context is done; every call returns the same error.
func (p *Plane) Stop() error {
	p.stopOnce.Do(p.cancel)
	<-p.done
	return p.err
}

// Done returns a channel closed once the plane has stopped, by Stop, by its context or by a
// failure; Err then tells why.
func (p *Plane) Done() <-chan struct{} { return p.done }

// Err returns why the plane stopped (nil for a clean stop), once Done is closed; nil before.
func (p *Plane) Err() error {
	select {
	case <-p.done:
		return p.err
	default:
		return nil
	}
}

// Client returns the plane's client: the way to read and write objects.
func (p *Plane) Client() client.Client { return p.client }

// Manager returns the plane's manager: add your own controllers to it (with a
// controller.Builder) while the plane runs.
func (p *Plane) Manager() *manager.Manager { return p.mgr }

// Scheme returns the plane's scheme.
func (p *Plane) Scheme() *scheme.Scheme { return p.cfg.Scheme }

// Clock returns the plane's clock.
func (p *Plane) Clock() clock.Clock { return p.cfg.Clock }

// Store returns the plane's store, for tests and administration (compaction, statistics
// through the store's optional interfaces). Components use the client.
func (p *Plane) Store() store.Store { return p.store }
