package cli

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// epoch is the fake time every test starts at.
var epoch = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// env is a store in a temporary directory, a client over it and the fake clock that dates
// its objects and the commands' output.
type env struct {
	t     *testing.T
	ctx   context.Context
	c     client.Client
	st    *boltstore.Store
	clock *clock.Fake
	// vars is the environment the commands see (EDITOR, ...); empty by default.
	vars map[string]string
}

func newEnv(t *testing.T) *env {
	t.Helper()
	sch := scheme.NewBuiltin()
	fake := clock.NewFake(epoch)
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: fake})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{t: t, ctx: context.Background(), c: client.NewLocal(st, sch), st: st, clock: fake}
	for _, ns := range []string{"default", "other"} {
		e.create(&core.Namespace{ObjectMeta: meta.ObjectMeta{Name: ns}})
	}
	return e
}

// options returns the Options of a command run against the env.
func (e *env) options(in string, out, errOut *syncBuffer) Options {
	return Options{
		In:        strings.NewReader(in),
		Out:       out,
		ErrOut:    errOut,
		NewClient: func(ClientConfig) (client.Client, error) { return e.c, nil },
		Clock:     e.clock,
		Getenv:    func(k string) string { return e.vars[k] },
	}
}

// result is what a command printed and its exit code.
type result struct {
	out, err string
	code     int
}

// run runs a command line and returns what it printed.
func (e *env) run(args ...string) result { return e.runIn("", args...) }

// runIn runs a command line with in as its standard input.
func (e *env) runIn(in string, args ...string) result {
	e.t.Helper()
	var out, errOut syncBuffer
	code := Run(e.ctx, args, e.options(in, &out, &errOut))
	return result{out: out.String(), err: errOut.String(), code: code}
}

// ok runs a command line that must succeed and returns its output.
func (e *env) ok(args ...string) string {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 0 {
		e.t.Fatalf("skiff %s: exit %d\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	return r.out
}

// fails runs a command line that must fail with exit code 1 and the given stderr.
func (e *env) fails(wantErr string, args ...string) result {
	e.t.Helper()
	r := e.run(args...)
	if r.code != 1 {
		e.t.Fatalf("skiff %s: exit %d, want 1\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), r.code, r.out, r.err)
	}
	if r.err != wantErr {
		e.t.Errorf("skiff %s: stderr\n%q\nwant\n%q", strings.Join(args, " "), r.err, wantErr)
	}
	return r
}

func (e *env) create(obj meta.Object) meta.Object {
	e.t.Helper()
	out, err := e.c.Create(e.ctx, obj, store.CreateOptions{})
	if err != nil {
		e.t.Fatalf("create %s: %v", obj.GetName(), err)
	}
	return out
}

func (e *env) get(gvk scheme.GroupVersionKind, ns, name string) meta.Object {
	e.t.Helper()
	out, err := e.c.Get(e.ctx, gvk, ns, name)
	if err != nil {
		e.t.Fatalf("get %s: %v", name, err)
	}
	return out
}

// step moves the fake clock, which dates the objects and ages.
func (e *env) step(d time.Duration) { e.clock.Step(d) }

// syncBuffer is a bytes.Buffer safe for a command writing while a test reads.
type syncBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// eventually polls cond until it holds, failing the test after a bound. It is for real
// concurrency (a command running on its own goroutine), never to wait for time to pass.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(10 * time.Second)
	defer deadline.Stop()
	tick := time.NewTicker(2 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		case <-tick.C:
		}
	}
}

// start runs a long-running command on its own goroutine; stop cancels it and returns its
// result.
func (e *env) start(args ...string) (out, errOut *syncBuffer, stop func() int) {
	out, errOut = &syncBuffer{}, &syncBuffer{}
	ctx, cancel := context.WithCancel(e.ctx)
	done := make(chan int, 1)
	go func() { done <- Run(ctx, args, e.options("", out, errOut)) }()
	return out, errOut, func() int {
		cancel()
		return <-done
	}
}

func ptr[T any](v T) *T { return &v }

// collapse collapses runs of spaces, for comparing table rows without their alignment.
func collapse(s string) string {
	var lines []string
	for _, l := range strings.Split(strings.TrimRight(s, "\n"), "\n") {
		lines = append(lines, strings.Join(strings.Fields(l), " "))
	}
	return strings.Join(lines, "\n")
}
