package managertest

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// Epoch is the time the fake clock starts at.
var Epoch = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// Options configure New. The zero value is ready to use.
type Options struct {
	// Scheme registers the stored kinds. Default scheme.NewBuiltin().
	Scheme *scheme.Scheme
	// Admission, when set, is the store's admission hook; it is given the store to read
	// once the store is open, as a control plane wires namespace admission.
	Admission Admission
	// Quiet discards the logs instead of sending them to t.Log.
	Quiet bool
}

// Admission is an admission hook that reads the store it guards, such as
// *namespace.Admission.
type Admission interface {
	Admit(ctx context.Context, a store.Attributes) error
	SetReader(r store.Reader)
}

// Env is a store, a client over it and a manager, on a fake clock.
type Env struct {
	// Store is the bbolt store in a temporary directory.
	Store *boltstore.Store
	// Client is the local client over Store.
	Client *client.Local
	// Manager runs what the test adds to it; Start starts it.
	Manager *manager.Manager
	// Clock is the fake clock of the store, the manager and everything they run.
	Clock *clock.Fake

	log *testWriter
}

// New opens the store and makes the manager. It starts nothing.
func New(t testing.TB, opts Options) *Env {
	t.Helper()
	sch := opts.Scheme
	if sch == nil {
		sch = scheme.NewBuiltin()
	}
	fake := clock.NewFake(Epoch)
	env := &Env{Clock: fake}
	bo := boltstore.Options{Scheme: sch, Clock: fake}
	if opts.Admission != nil {
		bo.Admit = opts.Admission.Admit
	}
	st, err := boltstore.Open(t.TempDir(), bo)
	if err != nil {
		t.Fatalf("managertest: opening the store: %v", err)
	}
	if opts.Admission != nil {
		opts.Admission.SetReader(st)
	}
	env.Store = st
	env.Client = client.NewLocal(st, sch)
	logger := logr.FromSlogHandler(slog.DiscardHandler)
	if !opts.Quiet {
		env.log = &testWriter{t: t}
		logger = logr.FromSlogHandler(slog.NewTextHandler(env.log, &slog.HandlerOptions{
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if len(groups) == 0 && a.Key == slog.TimeKey {
					return slog.Attr{}
				}
				return a
			},
		}))
	}
	env.Manager, err = manager.New(manager.Options{Client: env.Client, Clock: fake, Logger: logger})
	if err != nil {
		_ = st.Close()
		t.Fatalf("managertest: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("managertest: closing the store: %v", err)
		}
		if env.log != nil {
			env.log.close()
		}
	})
	return env
}

// Start runs the manager until the end of the test and returns once its caches have synced
// and its runnables have started (see Run). The manager is stopped before the store is
// closed.
func (e *Env) Start(t testing.TB) {
	t.Helper()
	Run(t, e.Manager)
}

// testWriter writes log lines to a test's log until closed: logging to a finished test
// panics, and goroutines may outlive it by a little.
type testWriter struct {
	// mu guards closed and serializes calls to t.Log.
	mu     sync.Mutex
	t      testing.TB
	closed bool
}

var _ io.Writer = (*testWriter)(nil)

func (w *testWriter) Write(b []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.closed {
		w.t.Log(strings.TrimSuffix(string(b), "\n"))
	}
	return len(b), nil
}

func (w *testWriter) close() {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
}
