package manager

import (
	"context"
	"fmt"
	"net/http"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/manager/leaderelection"
	"github.com/skiff-dev/skiff/scheme"
)

// Runnable is a component a Manager runs: Start blocks until its context is done (or the
// component fails) and returns once every goroutine it started has returned.
// *controller.Controller is one. It is controller.Runnable, so that a controller.Builder can
// add to a Manager without importing this package.
//
// A Runnable runs only while its manager leads (with leader election on) unless it has a
// method NeedLeaderElection() bool that returns false. One with a method Name() string is
// known by that name, which must be unique within the manager.
type Runnable = controller.Runnable

// Manager runs a set of controllers and other Runnables over one client, one shared informer
// factory, one metrics registry and one event writer: see the package documentation. It is
// safe for concurrent use.
type Manager struct {
	opts     Options // defaults applied
	client   client.Client
	factory  *informer.Factory
	metrics  *controller.Metrics
	events   *controller.EventWriter
	elector  *leaderelection.Elector // nil without leader election
	log      logr.Logger
	leaderGV prometheus.Gauge

	started chan struct{} // closed when Start has bound its listeners
	ready   chan struct{} // closed when the caches have synced and the runnables started
	synced  atomic.Bool   // the caches have synced: /readyz

	// mu guards every field below. Lock order: mu before the factory's and the runnables'
	// own locks; runnables' Start is never called with mu held.
	mu          sync.Mutex
	state       runState
	runCtx      context.Context    // the run's context while starting or running
	cancelRun   context.CancelFunc // ends the run (Start's context or a runnable's failure)
	leaderCtx   context.Context    // non-nil while runnables that need a leader may run
	entries     []*entry
	names       map[string]*entry
	firstErr    error
	checks      map[string]map[string]Checker // "healthz"/"readyz" → name → check
	metricsAddr string
	healthAddr  string

	// wg tracks the runnables' goroutines. Add is called only with mu held and state
	// starting or running, so it never races with the Wait of the shutdown.
	wg sync.WaitGroup
}

type runState uint8

const (
	stateNew runState = iota
	stateStarting
	stateRunning
	stateStopping
	stateStopped
)

// entry is one Runnable of the manager.
type entry struct {
	r      Runnable
	name   string
	leader bool // runs only while leading

	// Guarded by Manager.mu.
	cancel context.CancelFunc // ends the current run; nil when not running
	done   chan struct{}      // closed when the current run's Start returned
}

// running reports whether e's Start is running; called with Manager.mu held.
func (e *entry) running() bool {
	if e.done == nil {
		return false
	}
	select {
	case <-e.done:
		return false
	default:
		return true
	}
}

// New returns a manager configured by opts. It starts nothing: add runnables, then call
// Start. It fails if opts do not validate or the metrics cannot be registered.
func New(opts Options) (*Manager, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	fo := opts.Informers
	fo.Scheme, fo.Clock, fo.Logger = opts.Client.Scheme(), opts.Clock, opts.Logger.WithName("informers")
	m := &Manager{
		opts:    opts,
		client:  opts.Client,
		factory: informer.NewFactory(opts.Client, fo),
		log:     opts.Logger,
		started: make(chan struct{}),
		ready:   make(chan struct{}),
		names:   map[string]*entry{},
		checks:  map[string]map[string]Checker{"healthz": {}, "readyz": {}},
	}
	var err error
	if m.metrics, err = controller.NewMetrics(opts.Registry); err != nil {
		return nil, fmt.Errorf("manager: registering metrics: %w", err)
	}
	m.events, err = controller.NewEventWriter(opts.Client, controller.EventWriterOptions{
		Clock: opts.Clock, Logger: opts.Logger, Host: opts.Identity,
	})
	if err != nil {
		return nil, err
	}
	if err := m.registerOwnMetrics(); err != nil {
		return nil, fmt.Errorf("manager: registering metrics: %w", err)
	}
	if opts.LeaderElection.Enabled {
		eo := opts.electionOptions()
		eo.OnStartedLeading = m.lead
		if m.elector, err = leaderelection.New(eo); err != nil {
			return nil, err
		}
	}
	m.checks["healthz"]["ping"] = func(*http.Request) error { return nil }
	m.checks["readyz"]["informers"] = m.informersSynced
	return m, nil
}

// registerOwnMetrics registers the manager's own metrics: events dropped and leadership.
func (m *Manager) registerOwnMetrics() error {
	dropped := prometheus.NewCounterFunc(prometheus.CounterOpts{
		Name: "skiff_events_dropped_total",
		Help: "Events dropped because the event writer's buffer was full.",
	}, func() float64 { return float64(m.events.Dropped()) })
	leader := prometheus.NewGaugeVec(prometheus.GaugeOpts{
		Name: "leader_election_master_status",
		Help: "1 while this manager holds the leader lease, 0 otherwise.",
	}, []string{"name"})
	m.leaderGV = leader.WithLabelValues(m.opts.LeaderElection.Name)
	for _, c := range []prometheus.Collector{dropped, leader} {
		if err := m.opts.Registry.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// Client returns the manager's client.
func (m *Manager) Client() client.Client { return m.client }

// Scheme returns the client's scheme.
func (m *Manager) Scheme() *scheme.Scheme { return m.client.Scheme() }

// Informers returns the shared informer factory. Informers asked for while the manager runs
// are started by the next Add (which a Builder calls).
func (m *Manager) Informers() *informer.Factory { return m.factory }

// Clock returns the manager's clock.
func (m *Manager) Clock() clock.Clock { return m.opts.Clock }

// Logger returns the manager's logger.
func (m *Manager) Logger() logr.Logger { return m.log }

// Metrics returns the controller metrics registered on the manager's registry.
func (m *Manager) Metrics() *controller.Metrics { return m.metrics }

// Registry returns the manager's Prometheus registry; register your own metrics on it.
func (m *Manager) Registry() *prometheus.Registry { return m.opts.Registry }

// Identity returns the manager's identity.
func (m *Manager) Identity() string { return m.opts.Identity }

// EventRecorder returns a recorder of events from component (e.g. "website-controller"),
// written by the manager's event writer while the manager runs.
func (m *Manager) EventRecorder(component string) *controller.Recorder {
	return m.events.Recorder(component)
}

// IsLeader reports whether the runnables that need a leader may run here: always true
// without leader election once started; with it, while this manager holds the Lease.
func (m *Manager) IsLeader() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.leaderCtx != nil && m.leaderCtx.Err() == nil
}

// Started returns a channel closed once Start has bound its listeners (MetricsAddr and
// HealthAddr then report the addresses).
func (m *Manager) Started() <-chan struct{} { return m.started }

// Ready returns a channel closed once the caches have synced and the runnables have been
// started: what /readyz reports.
func (m *Manager) Ready() <-chan struct{} { return m.ready }

// Add adds r to the manager. If the manager is running, r starts at once (if it needs a
// leader: once this manager leads), and informers created since the manager started (by a
// Builder) are started too. It fails with ErrStopped once the manager is stopping, and with
// ErrDuplicateName if r's Name is taken.
//
// If r's Start returns an error while r belongs to the manager, the manager stops and its
// Start returns that error.
func (m *Manager) Add(r Runnable) error {
	e := &entry{r: r, leader: true}
	if n, ok := r.(interface{ Name() string }); ok {
		e.name = n.Name()
	}
	if le, ok := r.(interface{ NeedLeaderElection() bool }); ok {
		e.leader = le.NeedLeaderElection()
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state >= stateStopping {
		return ErrStopped
	}
	if e.name != "" {
		if _, taken := m.names[e.name]; taken {
			return fmt.Errorf("%w: %q", ErrDuplicateName, e.name)
		}
		m.names[e.name] = e
	}
	m.entries = append(m.entries, e)
	if m.state == stateRunning {
		m.factory.Start(m.runCtx)
		m.startIfDueLocked(e)
	}
	return nil
}

// Remove stops r, waits for its Start to return (at most GracefulShutdownTimeout, on the
// clock) and removes it from the manager. A removed controller removes its informer handlers
// and stops its goroutines; the shared informers keep running for other users. Adding r
// again later runs it again (controllers can be restarted). Remove fails with
// ErrUnknownRunnable if r was not added (r must be comparable, as pointers are), and with
// ErrShutdownTimeout if r did not return in time. An error r's Start returns once removed is
// logged, not returned.
func (m *Manager) Remove(r Runnable) error {
	if !reflect.TypeOf(r).Comparable() {
		return fmt.Errorf("%w: %T is not comparable", ErrUnknownRunnable, r)
	}
	m.mu.Lock()
	k := slices.IndexFunc(m.entries, func(e *entry) bool { return e.r == r })
	if k < 0 {
		m.mu.Unlock()
		return fmt.Errorf("%w: %T", ErrUnknownRunnable, r)
	}
	e := m.entries[k]
	m.entries = slices.Delete(m.entries, k, k+1)
	if e.name != "" {
		delete(m.names, e.name)
	}
	cancel, done := e.cancel, e.done
	m.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	if !m.wait(done) {
		return fmt.Errorf("%w: removing %T %s", ErrShutdownTimeout, r, e.name)
	}
	return nil
}

// startIfDueLocked starts e if it may run now and is not running.
func (m *Manager) startIfDueLocked(e *entry) {
	if e.running() {
		return
	}
	parent := m.runCtx
	if e.leader {
		if m.leaderCtx == nil || m.leaderCtx.Err() != nil {
			return // starts when this manager leads
		}
		parent = m.leaderCtx
	}
	ctx, cancel := context.WithCancel(parent)
	done := make(chan struct{})
	e.cancel, e.done = cancel, done
	m.wg.Go(func() {
		defer close(done)
		defer cancel()
		if err := e.r.Start(ctx); err != nil {
			m.failed(e, err)
		}
	})
}

// failed handles a runnable's error: a runnable that still belongs to the running manager
// stops the manager with it; one being removed or stopped only logs it.
func (m *Manager) failed(e *entry, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	member := slices.Contains(m.entries, e)
	if !member || m.state >= stateStopping {
		m.log.Error(err, "Runnable failed while stopping", "runnable", fmt.Sprintf("%T", e.r), "name", e.name)
		return
	}
	m.log.Error(err, "Runnable failed; stopping the manager", "runnable", fmt.Sprintf("%T", e.r), "name", e.name)
	if m.firstErr == nil {
		m.firstErr = err
	}
	m.cancelRun()
}

// lead is the elector's OnStartedLeading: it runs the runnables that need a leader until ctx
// is done, then waits for them to return, so that the Lease is released (or another
// campaign begins) only when they have all stopped.
func (m *Manager) lead(ctx context.Context) {
	m.mu.Lock()
	if m.state != stateRunning {
		m.mu.Unlock()
		return
	}
	m.leaderCtx = ctx
	for _, e := range m.entries {
		m.startIfDueLocked(e)
	}
	m.mu.Unlock()
	m.leaderGV.Set(1)
	m.log.Info("Leading: started the runnables that need a leader")

	<-ctx.Done()
	m.mu.Lock()
	m.leaderCtx = nil
	var dones []chan struct{}
	for _, e := range m.entries {
		if e.leader && e.done != nil {
			dones = append(dones, e.done)
		}
	}
	m.mu.Unlock()
	for _, d := range dones {
		<-d
	}
	m.leaderGV.Set(0)
	m.log.Info("No longer leading: the runnables that need a leader have stopped")
}

// wait waits for done for at most GracefulShutdownTimeout on the clock; it reports whether
// done was closed.
func (m *Manager) wait(done <-chan struct{}) bool {
	t := m.opts.Clock.NewTimer(m.opts.GracefulShutdownTimeout)
	defer t.Stop()
	select {
	case <-done:
		return true
	case <-t.C():
		return false
	}
}

// MetricsAddr returns the address /metrics is served on, once Started is closed ("" if
// none).
func (m *Manager) MetricsAddr() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.metricsAddr
}

// HealthAddr returns the address /healthz and /readyz are served on, once Started is closed
// ("" if none).
func (m *Manager) HealthAddr() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.healthAddr
}

// RunnableFunc adapts a function to Runnable. Function values are not comparable: a
// RunnableFunc cannot be given to Remove.
type RunnableFunc func(ctx context.Context) error

var _ Runnable = RunnableFunc(nil)

// Start calls f.
func (f RunnableFunc) Start(ctx context.Context) error { return f(ctx) }
