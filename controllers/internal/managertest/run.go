package managertest

import (
	"context"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/manager"
)

// ReadyWithin bounds, in real time, how long Run waits for a manager to be ready.
const ReadyWithin = 10 * time.Second

// Running is a manager started by Run. Stop ends it before the end of the test, as a crash
// or a restart of the controllers it runs would.
type Running struct {
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// Run starts mgr, returns once its caches have synced and its runnables have started, and
// stops it in t.Cleanup (an error it stopped with fails the test). Cleanups run last in,
// first out, so a manager Run after its store was opened is stopped before the store is
// closed.
func Run(t testing.TB, mgr *manager.Manager) *Running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &Running{cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		if err := r.Stop(); err != nil {
			t.Errorf("managertest: manager: %v", err)
		}
	})
	select {
	case <-mgr.Ready():
	case err := <-r.done:
		r.done <- err
		t.Fatalf("managertest: the manager stopped before it was ready: %v", err)
	case <-time.After(ReadyWithin):
		t.Fatalf("managertest: the manager was not ready within %v", ReadyWithin)
	}
	return r
}

// Stop stops the manager and waits for it to return, and returns what it returned. It may
// be called more than once; later calls return the first result.
func (r *Running) Stop() error {
	r.once.Do(func() {
		r.cancel()
		r.err = <-r.done
	})
	return r.err
}

// QuietLogger discards everything: for managers whose controllers log every injected
// fault.
func QuietLogger() logr.Logger { return logr.FromSlogHandler(slog.DiscardHandler) }
