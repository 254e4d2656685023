package managertest

import (
	"testing"

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
func NewFaulty(t testing.TB, under store.Store, clk *clock.Fake, fo faultstore.Options) *Faulty {
	t.Helper()
	if err := fo.Validate(); err != nil {
		t.Fatalf("managertest: faulty manager: %v", err)
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
