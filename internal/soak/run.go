package soak

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/faultstore"
)

// Leader election of the two controller managers: short, so that a killed leader is
// replaced within seconds.
const (
	leaseDuration = 4 * time.Second
	renewDeadline = 3 * time.Second
	retryPeriod   = 500 * time.Millisecond
	// managerShutdown bounds a manager's graceful stop.
	managerShutdown = 10 * time.Second
)

// runner is one soak run.
type runner struct {
	cfg    Config
	sched  Schedule
	sch    *scheme.Scheme
	dir    string
	log    logr.Logger
	ledger *Ledger
	start  time.Time

	// mu guards the plane and everything made on it (fs, managers), the fault state and the
	// counters of the summary. It is not held while waiting for the plane to stop or start;
	// reopening says so in down.
	mu           sync.Mutex
	plane        *controlplane.Plane
	fs           *faultstore.Store
	cli          client.Client // the plane's own client, without faults
	managers     []*managerRun
	down         chan struct{} // non-nil while the plane is being reopened; closed when it is up
	gen          int
	managerN     int
	rates        map[int]float64 // active store-write fault windows: schedule index → rate
	silenced     map[string]int  // node → active heartbeat faults
	faultSum     faultstore.Counts
	ops          [numOpKinds]int
	skipped      int
	faults       [numFaultKinds]int
	opErrors     int
	ledgerWrites int
	fatal        error // the run cannot go on (the plane did not reopen)
	faultsOver   bool  // stopFaults was called: no baseline write faults
	handovers    []time.Duration
	lastFault    time.Time

	// checkMu guards checker and seq (the pump and the fault code both use them).
	checkMu sync.Mutex
	checker *Checker
	seq     *Sequencer
	events  int

	watchCancel context.CancelFunc
	watchWG     sync.WaitGroup
}

// managerRun is one running controller manager.
type managerRun struct {
	id     string
	mgr    *manager.Manager
	cancel context.CancelFunc
	done   chan error
}

// Run runs a soak: it starts a plane on cfg.DataDir (a temporary directory by default),
// creates the workload, plays the schedule of cfg.Seed for cfg.Duration while the checkers
// watch every event, stops the faults and waits for every workload to converge. It returns
// the run's summary; the error is for a run that could not be carried out (the plane did
// not start), not for violations, which the summary lists.
func Run(ctx context.Context, cfg Config) (*Summary, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	return runSchedule(ctx, cfg, NewSchedule(cfg.Seed, cfg.Duration))
}

// runSchedule runs a soak of a given schedule; cfg has its defaults.
func runSchedule(ctx context.Context, cfg Config, sched Schedule) (*Summary, error) {
	r := &runner{
		cfg:      cfg,
		sched:    sched,
		sch:      scheme.NewBuiltin(),
		dir:      cfg.DataDir,
		log:      cfg.Logger,
		ledger:   NewLedger(),
		rates:    map[int]float64{},
		silenced: map[string]int{},
		checker:  NewChecker(5*time.Second, 5*time.Second),
		seq:      NewSequencer(len(watchedKinds), 2*time.Second),
	}
	if r.dir == "" {
		dir, err := os.MkdirTemp("", "skiff-soak-")
		if err != nil {
			return nil, fmt.Errorf("soak: %w", err)
		}
		defer os.RemoveAll(dir)
		r.dir = dir
	}
	return r.run(ctx)
}

func (r *runner) progress(format string, args ...any) {
	elapsed := time.Duration(0)
	if !r.start.IsZero() {
		elapsed = time.Since(r.start).Round(100 * time.Millisecond)
	}
	fmt.Fprintf(r.cfg.Progress, "[%8v] %s\n", elapsed, fmt.Sprintf(format, args...))
}

func (r *runner) run(ctx context.Context) (*Summary, error) {
	r.start = time.Now()
	if err := r.open(ctx); err != nil {
		return nil, err
	}
	pumpCtx, stopPump := context.WithCancel(context.WithoutCancel(ctx))
	var bg sync.WaitGroup
	bg.Go(func() { r.pump(pumpCtx) })
	defer func() {
		r.shutdown()
		stopPump()
		bg.Wait()
	}()
	if err := r.createWorkload(ctx); err != nil {
		return nil, err
	}
	r.progress("workload created: %d deployments, %d statefulsets, %d daemonsets, %d cronjobs on %d nodes",
		len(deploymentStrategies), numStatefulSets, len(daemonSets), len(cronJobs), r.cfg.Nodes)

	writerCtx, stopWriter := context.WithCancel(ctx)
	bg.Go(func() { r.ledgerWriter(writerCtx) })
	r.play(ctx)
	stopWriter()
	if r.fatal != nil {
		return nil, r.fatal
	}

	r.stopFaults()
	faultsStopped := time.Now()
	r.progress("faults stopped; waiting up to %v for convergence", r.cfg.ConvergeTimeout)
	converged, unconverged := r.converge(ctx)
	convergedIn := time.Since(faultsStopped)
	if !converged {
		for _, u := range unconverged {
			r.report(Violation{At: time.Now(), Invariant: InvConvergence, Object: u.object, Detail: u.detail})
		}
	}
	r.verifyLedger(ctx, "at the end")
	r.drain()
	return r.summary(converged, convergedIn, faultsStopped), ctx.Err()
}

// open starts the plane (again) on the data directory: the store with its write faults,
// the checkers' watches, then the two controller managers. On a reopen it first checks the
// ledger.
func (r *runner) open(ctx context.Context) error {
	p, err := controlplane.Start(ctx, controlplane.Config{
		DataDir:         r.dir,
		Logger:          r.log,
		Scheme:          r.sch,
		ShutdownTimeout: managerShutdown,
		Identity:        "soak-plane",
		Nodes:           controlplane.NodesConfig{Count: r.cfg.Nodes},
		Controllers:     controlplane.ControllersConfig{Disabled: true},
	})
	if err != nil {
		return fmt.Errorf("soak: starting the plane: %w", err)
	}
	r.mu.Lock()
	r.gen++
	if r.fs != nil {
		c := r.fs.Counts()
		r.faultSum.Conflicts += c.Conflicts
		r.faultSum.Transients += c.Transients
		r.faultSum.Passed += c.Passed
	}
	r.plane = p
	r.cli = p.Client()
	r.fs = faultstore.New(p.Store(), faultstore.Options{Scheme: r.sch, Seed: r.cfg.Seed*1000 + uint64(r.gen)})
	r.applyRatesLocked()
	gen := r.gen
	r.mu.Unlock()

	if gen > 1 {
		r.verifyLedger(ctx, fmt.Sprintf("after reopen %d", gen-1))
	}
	if err := r.startWatches(ctx); err != nil {
		return err
	}
	for range 2 {
		if err := r.addManager(ctx); err != nil {
			return err
		}
	}
	return nil
}

// addManager starts a controller manager with every built-in controller, writing through
// the fault store, campaigning for the leader Lease.
func (r *runner) addManager(ctx context.Context) error {
	r.mu.Lock()
	r.managerN++
	id := fmt.Sprintf("soak-manager-%d", r.managerN)
	fs := r.fs
	r.mu.Unlock()
	mgr, err := manager.New(manager.Options{
		Client:                  client.NewLocal(fs, r.sch),
		Logger:                  r.log.WithName(id),
		Identity:                id,
		GracefulShutdownTimeout: managerShutdown,
		LeaderElection: manager.LeaderElection{
			Enabled: true, LeaseDuration: leaseDuration, RenewDeadline: renewDeadline, RetryPeriod: retryPeriod,
		},
	})
	if err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	if err := addControllers(mgr); err != nil {
		return fmt.Errorf("soak: %w", err)
	}
	mctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	m := &managerRun{id: id, mgr: mgr, cancel: cancel, done: make(chan error, 1)}
	go func() { m.done <- mgr.Start(mctx) }()
	select {
	case <-mgr.Ready():
	case err := <-m.done:
		cancel()
		return fmt.Errorf("soak: manager %s stopped before it was ready: %w", id, err)
	}
	r.mu.Lock()
	r.managers = append(r.managers, m)
	r.mu.Unlock()
	return nil
}

// leader returns the manager that leads, or nil.
func (r *runner) leaderLocked() *managerRun {
	for _, m := range r.managers {
		if m.mgr.IsLeader() {
			return m
		}
	}
	return nil
}

// waitLeader waits (at most timeout) for one of the managers to lead and returns how long
// it took.
func (r *runner) waitLeader(ctx context.Context, timeout time.Duration) (time.Duration, bool) {
	start := time.Now()
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		r.mu.Lock()
		l := r.leaderLocked()
		r.mu.Unlock()
		if l != nil {
			return time.Since(start), true
		}
		if time.Since(start) > timeout {
			return time.Since(start), false
		}
		select {
		case <-ctx.Done():
			return time.Since(start), false
		case <-t.C:
		}
	}
}

// stopManager stops one manager gracefully (its controllers stop, it releases the Lease).
func stopManager(m *managerRun) error {
	m.cancel()
	return <-m.done
}

// kill closes the plane abruptly: the store first, so that no component gets to write its
// shutdown state (the managers cannot release the Lease, the kubelets cannot record their
// pods stopping), then everything else. Errors of the stop are expected and ignored.
func (r *runner) kill() {
	r.mu.Lock()
	p, managers := r.plane, r.managers
	r.managers = nil
	r.down = make(chan struct{})
	r.mu.Unlock()
	if c, ok := p.Store().(io.Closer); ok {
		_ = c.Close()
	}
	var wg sync.WaitGroup
	for _, m := range managers {
		wg.Go(func() { _ = stopManager(m) })
	}
	wg.Go(func() { _ = p.Stop() })
	wg.Wait()
	r.stopWatches()
	r.drain()
}

// reopen starts the plane again after kill.
func (r *runner) reopen(ctx context.Context) error {
	err := r.open(ctx)
	r.mu.Lock()
	close(r.down)
	r.down = nil
	r.mu.Unlock()
	return err
}

// shutdown stops everything gracefully at the end of the run.
func (r *runner) shutdown() {
	r.mu.Lock()
	p, managers := r.plane, r.managers
	r.managers = nil
	r.cli = nil
	r.mu.Unlock()
	for _, m := range managers {
		if err := stopManager(m); err != nil {
			r.log.Error(err, "Stopping a manager", "manager", m.id)
		}
	}
	r.stopWatches()
	if p != nil {
		if err := p.Stop(); err != nil {
			r.log.Error(err, "Stopping the plane")
		}
	}
}

// client returns the plane's client (without faults), waiting while the plane is being
// reopened.
func (r *runner) client(ctx context.Context) (client.Client, error) {
	return r.clientOf(ctx, func() client.Client { return r.cli })
}

// faultyClient returns a client over the fault store, waiting while the plane is being
// reopened.
func (r *runner) faultyClient(ctx context.Context) (client.Client, error) {
	return r.clientOf(ctx, func() client.Client {
		if r.fs == nil {
			return nil
		}
		return client.NewLocal(r.fs, r.sch)
	})
}

// clientOf returns get's client, called with mu held once the plane is up.
func (r *runner) clientOf(ctx context.Context, get func() client.Client) (client.Client, error) {
	for {
		r.mu.Lock()
		down, c := r.down, get()
		r.mu.Unlock()
		if down == nil {
			if c == nil {
				return nil, errors.New("soak: the plane is stopped")
			}
			return c, nil
		}
		select {
		case <-down:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// BaselineWriteFaultRate is the fraction of the controllers' store writes that fail
// throughout the faults, outside FaultStoreWrites windows too.
const BaselineWriteFaultRate = 0.02

// applyRatesLocked sets the fault store's rate to the highest of the active windows (or the
// baseline while faults run), half of it conflicts and half transient errors.
func (r *runner) applyRatesLocked() {
	rate := 0.0
	if !r.faultsOver {
		rate = BaselineWriteFaultRate
	}
	for _, x := range r.rates {
		rate = max(rate, x)
	}
	if r.fs != nil {
		r.fs.SetRates(rate/2, rate/2)
	}
}

// stopFaults ends every fault: no more write errors, every node sends heartbeats again.
func (r *runner) stopFaults() {
	r.mu.Lock()
	r.faultsOver = true
	clear(r.rates)
	r.applyRatesLocked()
	var nodes []string
	for n := range r.silenced {
		nodes = append(nodes, n)
	}
	clear(r.silenced)
	host := r.plane.Kubelets()
	r.mu.Unlock()
	for _, n := range nodes {
		_ = host.ResumeHeartbeats(n)
	}
	if len(nodes) > 0 {
		r.endDisruption()
	}
}

// report records a violation found outside the event stream.
func (r *runner) report(v Violation) {
	r.checkMu.Lock()
	r.checker.Report(v)
	r.checkMu.Unlock()
	r.progress("VIOLATION %s", v)
}

// currentRevision returns the store's revision (0 if it cannot tell).
func (r *runner) currentRevision() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.plane == nil {
		return 0
	}
	if s, ok := r.plane.Store().(interface{ CurrentRevision() uint64 }); ok {
		return s.CurrentRevision()
	}
	return 0
}

// verifyLedger checks every acknowledged write against the store.
func (r *runner) verifyLedger(ctx context.Context, when string) {
	r.mu.Lock()
	c := r.cli // not client: open calls this while the plane is down for the others
	r.mu.Unlock()
	if c == nil {
		return
	}
	if rev, max := r.currentRevision(), r.ledger.MaxRevision(); rev != 0 && rev < max {
		r.report(Violation{At: time.Now(), Invariant: InvWriteLost, Object: "store", Detail: fmt.Sprintf("%s: the store is at revision %d, before the acknowledged revision %d", when, rev, max)})
	}
	keys := r.ledger.Keys()
	for _, k := range keys {
		got, err := readStored(ctx, c, k)
		if err != nil {
			r.report(Violation{At: time.Now(), Invariant: InvWriteLost, Object: k.String(), Detail: fmt.Sprintf("%s: cannot read it: %v", when, err)})
			continue
		}
		if err := r.ledger.Check(k, got); err != nil {
			r.report(Violation{At: time.Now(), Invariant: InvWriteLost, Object: k.String(), Detail: when + ": " + err.Error()})
		}
	}
	r.progress("ledger verified %s: %d objects", when, len(keys))
}

// readStored reads what the store holds for a ledger key.
func readStored(ctx context.Context, c client.Client, k LedgerKey) (Stored, error) {
	gvk, ok := ledgerKinds[k.Kind]
	if !ok {
		return Stored{}, fmt.Errorf("soak: no kind %q in the ledger", k.Kind)
	}
	obj, err := c.Get(ctx, gvk, k.Namespace, k.Name)
	if store.IsNotFound(err) {
		return Stored{}, nil
	}
	if err != nil {
		return Stored{}, err
	}
	rev, err := store.ParseResourceVersion(obj.GetResourceVersion())
	if err != nil {
		return Stored{}, err
	}
	return Stored{Present: true, Value: fingerprint(obj), Revision: rev}, nil
}
