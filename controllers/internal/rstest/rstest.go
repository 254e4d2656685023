package rstest

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// updateAttempts bounds Update's retries of conflicts and injected faults.
const updateAttempts = 50

// Logger returns a logger that writes errors to t's log (shown when the test fails) until
// the test ends — goroutines may outlive a test by a little, and logging to a finished test
// panics. With quiet, for tests whose failures are expected to log, and for benchmarks, it
// discards everything.
func Logger(t testing.TB, quiet bool) logr.Logger {
	if quiet {
		return logr.FromSlogHandler(slog.DiscardHandler)
	}
	w := &testWriter{t: t}
	t.Cleanup(w.close)
	return logr.FromSlogHandler(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelError}))
}

// testWriter writes to a test's log until closed.
type testWriter struct {
	mu     sync.Mutex // guards closed and serializes t.Log
	t      testing.TB
	closed bool
}

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

// Create creates obj through c and returns it as stored; an error fails the test.
func Create[T meta.Object](t testing.TB, c *client.Typed[T], obj T) T {
	t.Helper()
	out, err := c.Create(context.Background(), obj)
	if err != nil {
		t.Fatalf("creating %s: %v", c.GVK().Kind, err)
	}
	return out
}

// Get reads the named object through c (uncached); an error fails the test.
func Get[T meta.Object](t testing.TB, c *client.Typed[T], namespace, name string) T {
	t.Helper()
	out, err := c.Get(context.Background(), namespace, name)
	if err != nil {
		t.Fatalf("reading %s %s/%s: %v", c.GVK().Kind, namespace, name, err)
	}
	return out
}

// Update applies change to a fresh read of the named object and writes it, again on a fresh
// read after a conflict or a transient error (a fault-injecting store causes both), and
// returns it as stored. Any other error, or too many retries, fails the test.
func Update[T meta.Object](t testing.TB, c *client.Typed[T], namespace, name string, change func(T)) T {
	t.Helper()
	ctx := context.Background()
	var out T
	err := client.RetryOnError(ctx, client.Backoff{Steps: updateAttempts}, store.IsRetryable, func() error {
		var err error
		out, err = client.GuaranteedUpdate(ctx, c, namespace, name, func(obj T) error {
			change(obj)
			return nil
		})
		return err
	})
	if err != nil {
		t.Fatalf("updating %s %s/%s: %v", c.GVK().Kind, namespace, name, err)
	}
	return out
}

// EventMessages returns the messages of the events recorded in namespace about the object of
// kind and name with reason, in the order the store lists them.
func EventMessages(t testing.TB, c client.Client, namespace, kind, name, reason string) []string {
	t.Helper()
	l, err := client.For[*core.Event](c).List(context.Background(), store.ListOptions{Namespace: namespace})
	if err != nil {
		t.Fatalf("listing events: %v", err)
	}
	var out []string
	for _, ev := range l.Items {
		if ev.InvolvedObject.Kind == kind && ev.InvolvedObject.Name == name && ev.Reason == reason {
			out = append(out, ev.Message)
		}
	}
	return out
}

// ActivePods returns the active pods (not terminal, not being deleted) of namespace that keep
// accepts, sorted by name.
func ActivePods(t testing.TB, c client.Client, namespace string, keep func(*core.Pod) bool) []*core.Pod {
	t.Helper()
	l, err := client.For[*core.Pod](c).List(context.Background(), store.ListOptions{Namespace: namespace})
	if err != nil {
		t.Fatalf("listing pods: %v", err)
	}
	var out []*core.Pod
	for _, p := range l.Items {
		if core.IsPodActive(p) && keep(p) {
			out = append(out, p)
		}
	}
	slices.SortFunc(out, func(a, b *core.Pod) int { return strings.Compare(a.Name, b.Name) })
	return out
}
