package manager_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const waitTimeout = 10 * time.Second

var (
	epoch   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	discard = logr.FromSlogHandler(slog.DiscardHandler)
)

// openStore opens a store in a temporary directory, closed when the test ends, and returns a
// client over it with scheme sch (scheme.NewBuiltin() if nil).
func openStore(t *testing.T, sch *scheme.Scheme, c clock.Clock) *client.Local {
	t.Helper()
	if sch == nil {
		sch = scheme.NewBuiltin()
	}
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: c})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Error(err)
		}
	})
	return client.NewLocal(st, sch)
}

// newManager returns a manager over c on clk, with a discarding logger.
func newManager(t *testing.T, c client.Client, clk clock.Clock, change func(*manager.Options)) *manager.Manager {
	t.Helper()
	opts := manager.Options{Client: c, Clock: clk, Logger: discard}
	if change != nil {
		change(&opts)
	}
	m, err := manager.New(opts)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// running is a started manager.
type running struct {
	m      *manager.Manager
	cancel context.CancelFunc
	done   chan struct{}
	err    error // Start's result, once done is closed
}

// start runs m until stop or the end of the test.
func start(t *testing.T, m *manager.Manager) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{m: m, cancel: cancel, done: make(chan struct{})}
	go func() {
		r.err = m.Start(ctx)
		close(r.done)
	}()
	t.Cleanup(func() { r.stop() })
	return r
}

// stop cancels the manager and returns Start's result.
func (r *running) stop() error {
	r.cancel()
	<-r.done
	return r.err
}

// wait returns Start's result once it returned by itself, failing after waitTimeout.
func (r *running) wait(t *testing.T) error {
	t.Helper()
	select {
	case <-r.done:
		return r.err
	case <-time.After(waitTimeout):
		t.Fatal("manager did not stop")
		return nil
	}
}

func waitFor(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(waitTimeout):
		t.Fatalf("timed out waiting for %s", what)
	}
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		<-tick.C
	}
}

// probe is a Runnable that tells when it runs.
type probe struct {
	name       string
	leader     bool // needs leader election
	err        error
	ignoreStop chan struct{} // if set, Start returns only once it is closed
	running    atomic.Int32
	starts     atomic.Int32
	violations *atomic.Int32 // if set, incremented when a shared counter exceeds 1
	shared     *atomic.Int32
}

func (p *probe) Name() string             { return p.name }
func (p *probe) NeedLeaderElection() bool { return p.leader }

func (p *probe) Start(ctx context.Context) error {
	p.starts.Add(1)
	p.running.Add(1)
	defer p.running.Add(-1)
	if p.shared != nil {
		if p.shared.Add(1) > 1 {
			p.violations.Add(1)
		}
		defer p.shared.Add(-1)
	}
	if p.err != nil {
		return p.err
	}
	<-ctx.Done()
	if p.ignoreStop != nil {
		<-p.ignoreStop
	}
	return nil
}

// get fetches url and returns the status code and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// gatedClient blocks List until its gate is opened: caches that cannot sync yet.
type gatedClient struct {
	client.Client
	gate chan struct{}
	once sync.Once
}

func (g *gatedClient) open() { g.once.Do(func() { close(g.gate) }) }

func (g *gatedClient) List(ctx context.Context, gvk scheme.GroupVersionKind, opts store.ListOptions) (*store.ListResult, error) {
	select {
	case <-g.gate:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	return g.Client.List(ctx, gvk, opts)
}

var errFailed = errors.New("failed on purpose")
