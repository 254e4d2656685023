package planetest

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/scheme"
)

// Epoch is the time the fake clock of a test plane starts at, unless WithStartTime says
// otherwise: fixed, so that tests see the same timestamps on every run.
var Epoch = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// Plane is a running test control plane. It embeds *controlplane.Plane (Client, Manager,
// Store, ...) and adds the fake clock that drives it.
type Plane struct {
	*controlplane.Plane
	// Clock is the plane's time: step it to fire delays, back-offs and resyncs.
	Clock *clock.Fake

	t testing.TB
}

// Option changes how Start configures the plane.
type Option func(*options)

type options struct {
	cfg    controlplane.Config
	start  time.Time
	logger *logr.Logger
	edit   []func(*controlplane.Config)
}

// WithScheme makes the plane store and serve the kinds of s (built-in kinds included only if
// s has them: start from scheme.NewBuiltin and register your own).
func WithScheme(s *scheme.Scheme) Option { return func(o *options) { o.cfg.Scheme = s } }

// WithStartTime sets the fake clock's start time (default Epoch).
func WithStartTime(t time.Time) Option { return func(o *options) { o.start = t } }

// WithLogger sends the plane's logs to l instead of the test's log.
func WithLogger(l logr.Logger) Option { return func(o *options) { o.logger = &l } }

// WithConfig lets f change the plane's configuration (addresses, leader election,
// timeouts) after the test defaults are set. DataDir, Clock and Logger are the test's unless
// f changes them.
func WithConfig(f func(*controlplane.Config)) Option {
	return func(o *options) { o.edit = append(o.edit, f) }
}

// Start starts a control plane for a test, on a fresh directory of t.TempDir() with a fake
// clock, and stops it in t.Cleanup. Logs go to t.Log (shown for failed tests and with -v).
// It fails the test if the plane cannot start. Startup takes milliseconds: there is no
// external binary, only a bbolt file and goroutines.
func Start(t testing.TB, opts ...Option) *Plane {
	t.Helper()
	o := options{start: Epoch}
	for _, opt := range opts {
		opt(&o)
	}
	fake := clock.NewFake(o.start)
	o.cfg.DataDir = t.TempDir()
	o.cfg.Clock = fake
	var tw *testWriter
	if o.logger != nil {
		o.cfg.Logger = *o.logger
	} else {
		tw = &testWriter{t: t}
		o.cfg.Logger = logr.FromSlogHandler(slog.NewTextHandler(tw, &slog.HandlerOptions{
			ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
				if len(groups) == 0 && a.Key == slog.TimeKey {
					return slog.Attr{} // the wall clock means nothing here; the fake one is in the objects
				}
				return a
			},
		}))
	}
	for _, f := range o.edit {
		f(&o.cfg)
	}
	p, err := controlplane.Start(context.Background(), o.cfg)
	if err != nil {
		t.Fatalf("planetest: starting the control plane: %v", err)
	}
	t.Cleanup(func() {
		if err := p.Stop(); err != nil {
			t.Errorf("planetest: stopping the control plane: %v", err)
		}
		if tw != nil {
			tw.close()
		}
	})
	return &Plane{Plane: p, Clock: fake, t: t}
}

// Eventually waits until cond returns true, failing the test if it does not within the
// bound (see Within). Between polls it steps the plane's clock if Step says so.
func (p *Plane) Eventually(cond func() bool, opts ...WaitOption) {
	p.t.Helper()
	Eventually(p.t, cond, opts...)
}

// Step is the WaitOption that advances the plane's fake clock by d between polls. It steps
// only while the simulated kubelets are idle (nothing queued or syncing), so the clock never
// runs ahead of the node agents: a kubelet that could not keep up would miss its lease
// renewals and the node lifecycle controller would mark its node unreachable.
func (p *Plane) Step(d time.Duration) WaitOption {
	return func(o *waitOptions) {
		Stepping(p.Clock, d)(o)
		if h := p.Kubelets(); h != nil {
			WhenIdle(func() bool { s := h.Stats(); return s.Queued == 0 && s.Syncing == 0 })(o)
		}
	}
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
