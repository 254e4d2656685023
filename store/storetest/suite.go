package storetest

import (
	"context"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Config is what the suite asks of a backend when it opens a store.
type Config struct {
	// Scheme is the scheme to open the store with (the built-in kinds).
	Scheme *scheme.Scheme
	// Clock is the clock the store must take timestamps and compaction ages from. The
	// suite's clock is a *clock.Fake.
	Clock clock.Clock
	// Location names the data. Opening a store again with the same Location, after the
	// previous one was closed, must give back the same data.
	Location string
}

// OpenFunc opens a store for the suite. The suite closes every store it opens. An error
// should be reported with t.Fatal.
type OpenFunc func(t *testing.T, cfg Config) store.Store

// Epoch is the fake clock's start time in every test of the suite.
var Epoch = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)

// Run runs the conformance suite against the backend open returns, one subtest per
// behaviour. Tests that need an optional capability (store.Compactor) are skipped when the
// store lacks it.
func Run(t *testing.T, open OpenFunc) {
	groups := []struct {
		name  string
		tests []test
	}{
		{"CRUD", crudTests},
		{"Update", updateTests},
		{"Delete", deleteTests},
		{"List", listTests},
		{"Watch", watchTests},
		{"Concurrency", concurrencyTests},
	}
	for _, g := range groups {
		t.Run(g.name, func(t *testing.T) {
			for _, tc := range g.tests {
				t.Run(tc.name, func(t *testing.T) {
					tc.fn(t, newEnv(t, open))
				})
			}
		})
	}
}

// test is one conformance test.
type test struct {
	name string
	fn   func(t *testing.T, e *env)
}

// env is what a test gets: a fresh store, its clock and a way to reopen it.
type env struct {
	t     *testing.T
	open  OpenFunc
	cfg   Config
	clock *clock.Fake
	s     store.Store
	ctx   context.Context
}

func newEnv(t *testing.T, open OpenFunc) *env {
	fc := clock.NewFake(Epoch)
	e := &env{
		t:     t,
		open:  open,
		cfg:   Config{Scheme: scheme.NewBuiltin(), Clock: fc, Location: t.TempDir()},
		clock: fc,
		ctx:   t.Context(),
	}
	e.s = open(t, e.cfg)
	t.Cleanup(func() {
		if err := e.s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return e
}

// reopen closes the store and opens it again on the same data.
func (e *env) reopen() {
	e.t.Helper()
	if err := e.s.Close(); err != nil {
		e.t.Fatalf("Close: %v", err)
	}
	e.s = e.open(e.t, e.cfg)
}

// compactor returns the store as a store.Compactor, or skips the test.
func (e *env) compactor() store.Compactor {
	c, ok := e.s.(store.Compactor)
	if !ok {
		e.t.Skip("store does not implement store.Compactor")
	}
	return c
}

// create creates obj and fails the test on error.
func (e *env) create(obj meta.Object) meta.Object {
	e.t.Helper()
	out, err := e.s.Create(e.ctx, obj, store.CreateOptions{})
	if err != nil {
		e.t.Fatalf("Create %s: %v", obj.GetName(), err)
	}
	return out
}

// get reads an object and fails the test on error.
func (e *env) get(gvk scheme.GroupVersionKind, ns, name string) meta.Object {
	e.t.Helper()
	out, err := e.s.Get(e.ctx, gvk, ns, name)
	if err != nil {
		e.t.Fatalf("Get %s/%s: %v", ns, name, err)
	}
	return out
}

// update updates obj and fails the test on error.
func (e *env) update(obj meta.Object) meta.Object {
	e.t.Helper()
	out, err := e.s.Update(e.ctx, obj, store.UpdateOptions{})
	if err != nil {
		e.t.Fatalf("Update %s: %v", obj.GetName(), err)
	}
	return out
}

// del deletes an object and fails the test on error.
func (e *env) del(gvk scheme.GroupVersionKind, ns, name string, opts store.DeleteOptions) meta.Object {
	e.t.Helper()
	out, err := e.s.Delete(e.ctx, gvk, ns, name, opts)
	if err != nil {
		e.t.Fatalf("Delete %s/%s: %v", ns, name, err)
	}
	return out
}

// wantReason fails the test unless err has the given reason.
func wantReason(t *testing.T, err error, r store.Reason) {
	t.Helper()
	if got := store.ReasonOf(err); got != r {
		t.Fatalf("want a %s error, got %v (reason %q)", r, err, got)
	}
}

// wantMessage fails the test unless err's message is msg.
func wantMessage(t *testing.T, err error, msg string) {
	t.Helper()
	if err == nil || err.Error() != msg {
		t.Fatalf("want error %q, got %v", msg, err)
	}
}

// rv parses an object's resourceVersion.
func rv(t *testing.T, obj meta.Object) uint64 {
	t.Helper()
	n, err := store.ParseResourceVersion(obj.GetResourceVersion())
	if err != nil || n == 0 {
		t.Fatalf("bad resourceVersion %q on %s", obj.GetResourceVersion(), obj.GetName())
	}
	return n
}

// Fixtures.

// ConfigMap returns a config map with the given data.
func ConfigMap(ns, name string, data map[string]string) *core.ConfigMap {
	return &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name}, Data: data}
}

// Pod returns a minimal valid pod; node, when not empty, binds it.
func Pod(ns, name, node string) *core.Pod {
	return &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: core.PodSpec{
			NodeName:   node,
			Containers: []core.Container{{Name: "main", Image: "busybox"}},
		},
	}
}

// Namespace returns a namespace.
func Namespace(name string) *core.Namespace {
	return &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: name}}
}

// Deployment returns a valid deployment with the given replicas, selecting app=name.
func Deployment(ns, name string, replicas int32) *apps.Deployment {
	lbl := map[string]string{"app": name}
	return &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: apps.DeploymentSpec{
			Replicas: &replicas,
			Selector: &meta.LabelSelector{MatchLabels: lbl},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: lbl},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "main", Image: "nginx"}}},
			},
		},
	}
}

// Job returns a valid job.
func Job(ns, name string) *batch.Job {
	return &batch.Job{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name},
		Spec: batch.JobSpec{
			Template: core.PodTemplateSpec{
				Spec: core.PodSpec{
					RestartPolicy: core.RestartPolicyNever,
					Containers:    []core.Container{{Name: "main", Image: "busybox"}},
				},
			},
		},
	}
}

// The kinds the suite uses.
var (
	podGVK        = scheme.PodGVK
	configMapGVK  = scheme.ConfigMapGVK
	namespaceGVK  = scheme.NamespaceGVK
	deploymentGVK = scheme.DeploymentGVK
	jobGVK        = scheme.JobGVK
)

func ptr[T any](v T) *T { return &v }
