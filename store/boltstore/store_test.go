package boltstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/storetest"
)

func TestMain(m *testing.M) {
	if os.Getenv(crashChildEnv) != "" {
		crashChild() // never returns
	}
	if dir := os.Getenv(lockChildEnv); dir != "" {
		_, err := Open(dir, Options{Scheme: scheme.NewBuiltin(), LockTimeout: 100 * time.Millisecond})
		fmt.Println(err)
		os.Exit(0)
	}
	goleak.VerifyTestMain(m)
}

const lockChildEnv = "SKIFF_BOLTSTORE_LOCK_DIR"

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Store {
		s, err := Open(cfg.Location, Options{Scheme: cfg.Scheme, Clock: cfg.Clock})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// openTest opens a store in a fresh directory and closes it when the test ends.
func openTest(t testing.TB, opts Options) *Store {
	t.Helper()
	if opts.Scheme == nil {
		opts.Scheme = scheme.NewBuiltin()
	}
	s, err := Open(t.TempDir(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestSecondOpenFailsFast(t *testing.T) {
	dir := t.TempDir()
	sch := scheme.NewBuiltin()
	s, err := Open(dir, Options{Scheme: sch})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Now()
	_, err = Open(dir, Options{Scheme: sch, LockTimeout: 100 * time.Millisecond})
	if !errors.Is(err, ErrLocked) {
		t.Fatalf("second Open: %v, want ErrLocked", err)
	}
	if !strings.Contains(err.Error(), "held by another process") || !strings.Contains(err.Error(), dir) {
		t.Fatalf("message %q should say what is locked and why", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Fatalf("second Open took %v", d)
	}
}

func TestSecondProcessFailsFast(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Scheme: scheme.NewBuiltin()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+dir)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child: %v: %s", err, out)
	}
	if !strings.Contains(string(out), "data directory is locked") || !strings.Contains(string(out), "held by another process") {
		t.Fatalf("second process got %q", out)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Fatalf("second process took %v to fail", d)
	}
}

func TestOptionsValidate(t *testing.T) {
	if err := (Options{}).Validate(); err == nil || !strings.Contains(err.Error(), "scheme is required") {
		t.Fatalf("missing scheme: %v", err)
	}
	if err := (Options{Scheme: scheme.New(), MaxBatchSize: -1}).Validate(); err == nil {
		t.Fatal("negative size accepted")
	}
	if _, err := Open(t.TempDir(), Options{}); err == nil {
		t.Fatal("Open accepted invalid options")
	}
	o := Options{Scheme: scheme.New()}.withDefaults()
	if o.CompactMaxRevisions != 10000 || o.CompactMaxAge != 5*time.Minute || o.Clock == nil || o.InitialMmapSize != DefaultInitialMmapSize {
		t.Fatalf("defaults not applied: %+v", o)
	}
}

func TestUnknownKindOnDiskFailsOpen(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Scheme: scheme.NewBuiltin()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(context.Background(), storetest.ConfigMap("default", "a", nil), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(dir, Options{Scheme: scheme.New()})
	if !scheme.IsUnknownKind(err) {
		t.Fatalf("open with a scheme lacking a stored kind: %v, want an unknown-kind error", err)
	}
}

func TestAdmission(t *testing.T) {
	var seen []store.Operation
	s := openTest(t, Options{Admit: func(_ context.Context, a store.Attributes) error {
		seen = append(seen, a.Operation)
		if a.Object != nil && a.Object.GetNamespace() == "forbidden" {
			return store.NewForbidden(a.Kind.GroupResource(), a.Object.GetName(), "namespace forbidden is closed")
		}
		return nil
	}})
	ctx := context.Background()
	_, err := s.Create(ctx, storetest.ConfigMap("forbidden", "a", nil), store.CreateOptions{})
	if !store.IsForbidden(err) || err.Error() != `configmaps "a" is forbidden: namespace forbidden is closed` {
		t.Fatalf("admission refusal: %v", err)
	}
	if s.CurrentRevision() != 1 {
		t.Fatal("refused write was stored")
	}
	p, err := s.Create(ctx, storetest.Pod("default", "p", ""), store.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	p.(*core.Pod).Labels = map[string]string{"a": "b"}
	if p, err = s.Update(ctx, p, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err = s.UpdateStatus(ctx, p, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err = s.Delete(ctx, scheme.PodGVK, "default", "p", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	want := []store.Operation{store.OpCreate, store.OpCreate, store.OpUpdate, store.OpUpdateStatus, store.OpDelete}
	if strings.Join(opsToStrings(seen), ",") != strings.Join(opsToStrings(want), ",") {
		t.Fatalf("admission saw %v, want %v", seen, want)
	}
}

func opsToStrings(ops []store.Operation) []string {
	out := make([]string, len(ops))
	for i, o := range ops {
		out[i] = string(o)
	}
	return out
}

func TestAutomaticCompaction(t *testing.T) {
	fc := clock.NewFake(storetest.Epoch)
	s := openTest(t, Options{Clock: fc, CompactMaxRevisions: 50, CompactMaxAge: time.Minute, CompactInterval: time.Second})
	ctx := context.Background()
	for i := range 200 {
		if _, err := s.Create(ctx, storetest.ConfigMap("default", "c"+strconv.Itoa(i), nil), store.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, "compaction by revision count", func() bool { return s.CompactedRevision() >= 201-50-50/8 })
	if got := s.Stats(); got.Objects != 200 || got.Revision != 201 {
		t.Fatalf("stats after compaction: %+v", got)
	}
	// By age: everything is older than a minute once the clock moves on.
	fc.Step(2 * time.Minute)
	waitFor(t, "compaction by age", func() bool {
		fc.Step(time.Second)
		return s.CompactedRevision() == 201
	})
	// Compaction kept every current object, across a restart too.
	dir := s.db.Path()
	s.Close()
	s2, err := Open(strings.TrimSuffix(dir, "/"+FileName), Options{Scheme: scheme.NewBuiltin(), Clock: fc})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	res, err := s2.List(ctx, scheme.ConfigMapGVK, store.ListOptions{})
	if err != nil || len(res.Items) != 200 || s2.CurrentRevision() != 201 || s2.CompactedRevision() != 201 {
		t.Fatalf("after restart: %d items, revision %d, compacted %d, %v", len(res.Items), s2.CurrentRevision(), s2.CompactedRevision(), err)
	}
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(time.Millisecond) // bounded polling of the committer goroutine
	}
}
