package managertest

import (
	"context"
	"hash/fnv"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/faultstore"
)

// Faulty is a manager of a test's own whose writes go through a fault-injecting store
// (conflicts and transient errors) over another store, typically a test plane's. The
// controllers a test adds to it see the same objects as everything else on that store, but
// their writes fail at random.
type Faulty struct {
	// Manager runs what the test adds to it; Start starts it. Its logs are discarded.
	Manager *manager.Manager
	// Faults wraps the store the manager writes to; its Counts say what was injected and
	// SetRates calms it.
	Faults *faultstore.Store

	running *Running
}

// NewFaulty wraps under in a faultstore configured by fo (fo.Scheme is required and is the
// manager's scheme) and makes a manager over it on clk. It starts nothing.
//
// Without fo.Seed the fault schedule is chosen from the test's name, so a failing run repeats
// (as far as the goroutines' order of writes allows), and among such schedules the first
// whose opening writes include a fault: a short scenario then never runs without one, which
// would make ExpectFaults fail at random.
func NewFaulty(t testing.TB, under store.Store, clk *clock.Fake, fo faultstore.Options) *Faulty {
	t.Helper()
	if err := fo.Validate(); err != nil {
		t.Fatalf("managertest: faulty manager: %v", err)
	}
	if fo.Seed == 0 {
		fo.Seed = faultySeed(t.Name(), fo)
	}
	fs := faultstore.New(under, fo)
	mgr, err := manager.New(manager.Options{Client: client.NewLocal(fs, fo.Scheme), Clock: clk, Logger: QuietLogger()})
	if err != nil {
		t.Fatalf("managertest: faulty manager: %v", err)
	}
	return &Faulty{Manager: mgr, Faults: fs}
}

// Start runs the manager (see Run) until Stop or the end of the test.
func (f *Faulty) Start(t testing.TB) {
	t.Helper()
	f.running = Run(t, f.Manager)
}

// Stop stops the manager started by Start and returns what it returned; see Running.Stop.
func (f *Faulty) Stop() error {
	if f.running == nil {
		return nil
	}
	return f.running.Stop()
}

// ExpectFaults logs, at the end of the test, the faults injected, and fails the test if
// there were none: a scenario that injected nothing did not test what it says.
func (f *Faulty) ExpectFaults(t testing.TB) {
	t.Cleanup(func() {
		n := f.Faults.Counts()
		t.Logf("faults injected: %d conflicts, %d transient errors, %d writes passed", n.Conflicts, n.Transients, n.Passed)
		if n.Conflicts+n.Transients == 0 {
			t.Error("no fault was injected")
		}
	})
}

// faultyWithin is how many opening writes of a schedule faultySeed requires to hold a fault.
const faultyWithin = 3

// faultySeed returns the first seed from a hash of name on whose schedule one of the first
// faultyWithin writes fails. Every write draws from the schedule alike, so the writes are
// tried as creates against a store that accepts everything; only the transient rate applies
// to creates, so with no transient rate the hash itself is returned.
func faultySeed(name string, fo faultstore.Options) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	seed := h.Sum64() | 1
	if fo.TransientRate == 0 {
		return seed
	}
	for ; ; seed++ {
		fo.Seed = seed
		fs := faultstore.New(acceptAll{}, fo)
		for range faultyWithin {
			_, _ = fs.Create(context.Background(), &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "probe"}}, store.CreateOptions{})
		}
		if fs.Counts().Transients > 0 {
			return seed
		}
	}
}

// acceptAll is a store whose Create succeeds without storing anything; faultySeed probes
// fault schedules with it. Its other methods are never called.
type acceptAll struct{ store.Store }

func (acceptAll) Create(_ context.Context, obj meta.Object, _ store.CreateOptions) (meta.Object, error) {
	return obj, nil
}
