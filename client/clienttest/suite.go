// Package clienttest is the conformance suite of client.Client: the behaviour every
// implementation must share, so that a component tested against the in-process client.Local
// runs unchanged against the API server's HTTP client.
//
// Run it from a test of the implementation:
//
//	func TestConformance(t *testing.T) {
//		clienttest.Run(t, func(t *testing.T) client.Client {
//			st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch})
//			...
//			t.Cleanup(func() { st.Close() })
//			return client.NewLocal(st, sch)
//		})
//	}
//
// The suite covers create, read, update and delete through client.Typed for Pod,
// Deployment, ConfigMap and (cluster-scoped) Namespace; optimistic concurrency; the status
// subresource; merge and JSON patches; deletion with each propagation policy, preconditions
// and grace periods; list selectors and pagination; watch ordering; the error classes of
// each call; and the helpers GuaranteedUpdate, CreateOrUpdate and RetryOnConflict under
// concurrent writers.
package clienttest

import (
	"context"
	"maps"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// Namespace is the namespace the suite's namespaced objects live in; each test creates it
// (an AlreadyExists is fine) before using it.
const Namespace = "clienttest"

// eventTimeout bounds the wait for an expected watch event: its expiry is a failure, never
// the way a test waits.
const eventTimeout = 10 * time.Second

// Run runs the suite, one parallel subtest per behaviour. newClient is called once per
// subtest, possibly from several goroutines at once, and must return a client over a fresh,
// empty store whose scheme has the built-in kinds, with no controllers running (the suite
// checks exact resourceVersions, finalizers and watch events). It should register the
// clean-up of what it starts with t.Cleanup.
func Run(t *testing.T, newClient func(t *testing.T) client.Client) {
	groups := [][]test{crudTests, patchTests, deleteTests, listTests, watchTests, helperTests}
	for _, g := range groups {
		for _, tc := range g {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				tc.fn(newEnv(t, newClient(t)))
			})
		}
	}
}

// test is one behaviour of the suite.
type test struct {
	name string
	fn   func(e *env)
}

// env is what a test gets: its client, a typed client per kind the suite uses, and a
// context that ends with the test.
type env struct {
	t   *testing.T
	ctx context.Context
	c   client.Client

	pods        *client.Typed[*core.Pod]
	deployments *client.Typed[*apps.Deployment]
	configMaps  *client.Typed[*core.ConfigMap]
	namespaces  *client.Typed[*core.Namespace]
}

func newEnv(t *testing.T, c client.Client) *env {
	e := &env{
		t:           t,
		ctx:         t.Context(),
		c:           c,
		pods:        client.For[*core.Pod](c),
		deployments: client.For[*apps.Deployment](c),
		configMaps:  client.For[*core.ConfigMap](c),
		namespaces:  client.For[*core.Namespace](c),
	}
	e.ensureNamespace(Namespace)
	return e
}

// ensureNamespace creates namespace name unless it exists.
func (e *env) ensureNamespace(name string) {
	e.t.Helper()
	_, err := e.namespaces.Create(e.ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: name}})
	if client.IgnoreAlreadyExists(err) != nil {
		e.t.Fatalf("create namespace %s: %v", name, err)
	}
}

// Fixtures: small valid objects of each kind.

func newPod(name string, labels map[string]string) *core.Pod {
	return &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name, Labels: maps.Clone(labels)},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "busybox:1.36"}}},
	}
}

func newDeployment(name string, replicas int32) *apps.Deployment {
	labels := map[string]string{"app": name}
	return &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name},
		Spec: apps.DeploymentSpec{
			Replicas: &replicas,
			Selector: &meta.LabelSelector{MatchLabels: labels},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: maps.Clone(labels)},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx:1.27"}}},
			},
		},
	}
}

func newConfigMap(name string, data map[string]string) *core.ConfigMap {
	return &core.ConfigMap{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name},
		Data:       maps.Clone(data),
	}
}

// create creates obj through c, failing the test on error.
func create[T meta.Object](e *env, c *client.Typed[T], obj T) T {
	e.t.Helper()
	out, err := c.Create(e.ctx, obj)
	if err != nil {
		e.t.Fatalf("create %s %s: %v", c.GVK().Kind, meta.Key(obj), err)
	}
	return out
}

// get reads an object through c, failing the test on error.
func get[T meta.Object](e *env, c *client.Typed[T], namespace, name string) T {
	e.t.Helper()
	out, err := c.Get(e.ctx, namespace, name)
	if err != nil {
		e.t.Fatalf("get %s %s/%s: %v", c.GVK().Kind, namespace, name, err)
	}
	return out
}

// update updates obj through c, failing the test on error.
func update[T meta.Object](e *env, c *client.Typed[T], obj T) T {
	e.t.Helper()
	out, err := c.Update(e.ctx, obj)
	if err != nil {
		e.t.Fatalf("update %s %s: %v", c.GVK().Kind, meta.Key(obj), err)
	}
	return out
}

// wantErr fails the test unless err is of the class is tests for.
func (e *env) wantErr(what string, err error, is func(error) bool, class string) {
	e.t.Helper()
	if err == nil {
		e.t.Fatalf("%s: got no error, want %s", what, class)
	}
	if !is(err) {
		e.t.Fatalf("%s: got error %v (reason %q), want %s", what, err, store.ReasonOf(err), class)
	}
}

// wantNotFound fails the test unless the named object is gone.
func wantNotFound[T meta.Object](e *env, c *client.Typed[T], namespace, name string) {
	e.t.Helper()
	_, err := c.Get(e.ctx, namespace, name)
	e.wantErr("get "+namespace+"/"+name, err, store.IsNotFound, "NotFound")
}

// rv parses an object's resourceVersion, failing the test if it is not a revision.
func (e *env) rv(obj meta.Object) uint64 {
	e.t.Helper()
	n, err := store.ParseResourceVersion(obj.GetResourceVersion())
	if err != nil || n == 0 {
		e.t.Fatalf("%s has resourceVersion %q, want a revision", meta.Key(obj), obj.GetResourceVersion())
	}
	return n
}

// next returns the next event of w, failing the test if none comes in time or the watch
// ends.
func next[T meta.Object](e *env, w *client.Watcher[T]) client.Event[T] {
	e.t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok {
			e.t.Fatal("watch ended, want another event")
		}
		return ev
	case <-time.After(eventTimeout):
		e.t.Fatalf("no watch event within %v", eventTimeout)
	}
	panic("unreachable")
}

// wantEvent fails the test unless ev is of type typ about the object name at revision rev (0:
// any revision).
func wantEvent[T meta.Object](e *env, ev client.Event[T], typ store.EventType, name string, rev uint64) {
	e.t.Helper()
	if ev.Type != typ || ev.Type == store.Error {
		e.t.Fatalf("got %s event (err %v), want %s of %s", ev.Type, ev.Err, typ, name)
	}
	if got := ev.Object.GetName(); got != name {
		e.t.Fatalf("got %s event of %s, want one of %s", ev.Type, got, name)
	}
	if rev != 0 && ev.Revision != rev {
		e.t.Fatalf("%s event of %s at revision %d, want %d", ev.Type, name, ev.Revision, rev)
	}
	if got := ev.Object.GetResourceVersion(); ev.Revision != 0 && got != store.FormatResourceVersion(ev.Revision) {
		e.t.Fatalf("%s event of %s: object resourceVersion %s, event revision %d", ev.Type, name, got, ev.Revision)
	}
}

func ptr[T any](v T) *T { return &v }
