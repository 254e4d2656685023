package storetest

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

var crudTests = []test{
	{"CreateSetsSystemFields", testCreateSetsSystemFields},
	{"CreateGenerateName", testCreateGenerateName},
	{"CreateAlreadyExists", testCreateAlreadyExists},
	{"CreateInvalidWritesNothing", testCreateInvalid},
	{"CreateRejectsResourceVersion", testCreateRejectsResourceVersion},
	{"CreateDoesNotRetainInput", testCreateDoesNotRetainInput},
	{"GetNotFound", testGetNotFound},
	{"GetReturnsCopies", testGetReturnsCopies},
	{"ClusterScoped", testClusterScoped},
	{"UnknownKind", testUnknownKind},
	{"EveryWriteIsOneRevision", testEveryWriteIsOneRevision},
	{"ConcurrentCreates", testConcurrentCreates},
	{"RestartPersistence", testRestartPersistence},
	{"ClosedStore", testClosedStore},
}

func testCreateSetsSystemFields(t *testing.T, e *env) {
	in := ConfigMap("default", "a", map[string]string{"k": "v"})
	in.Labels = map[string]string{"app": "x"}
	before := e.s.CurrentRevision()
	out := e.create(in).(*core.ConfigMap)
	m := out.ObjectMeta
	if m.UID == "" || len(m.UID) != 36 {
		t.Errorf("uid = %q, want a UUID", m.UID)
	}
	if !m.CreationTimestamp.Time.Equal(Epoch) {
		t.Errorf("creationTimestamp = %v, want the clock's %v", m.CreationTimestamp, Epoch)
	}
	if m.Generation != 1 {
		t.Errorf("generation = %d, want 1", m.Generation)
	}
	if got := rv(t, out); got != before+1 || got != e.s.CurrentRevision() {
		t.Errorf("resourceVersion = %d, want %d = CurrentRevision %d", got, before+1, e.s.CurrentRevision())
	}
	if out.Kind != "ConfigMap" || out.APIVersion != "v1" {
		t.Errorf("TypeMeta = %+v, want v1 ConfigMap", out.TypeMeta)
	}
	if out.Data["k"] != "v" || out.Labels["app"] != "x" {
		t.Errorf("content lost: %+v", out)
	}
	got := e.get(configMapGVK, "default", "a").(*core.ConfigMap)
	if got.UID != m.UID || got.ResourceVersion != m.ResourceVersion || got.Data["k"] != "v" {
		t.Errorf("Get = %+v, want what Create returned", got)
	}
}

func testCreateGenerateName(t *testing.T, e *env) {
	seen := map[string]bool{}
	for range 20 {
		out := e.create(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", GenerateName: "web-"}})
		name := out.GetName()
		if !strings.HasPrefix(name, "web-") || len(name) != len("web-")+5 {
			t.Fatalf("generated name %q, want web- and 5 characters", name)
		}
		if strings.ContainsAny(name[4:], "aeiou013") {
			t.Fatalf("generated name %q uses characters outside Kubernetes' alphabet", name)
		}
		if seen[name] {
			t.Fatalf("name %q generated twice", name)
		}
		seen[name] = true
	}
	long := strings.Repeat("x", 70)
	out := e.create(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", GenerateName: long}})
	if len(out.GetName()) != 63 {
		t.Fatalf("generated name from a long prefix has length %d, want 63", len(out.GetName()))
	}
}

func testCreateAlreadyExists(t *testing.T, e *env) {
	e.create(ConfigMap("default", "a", nil))
	rev := e.s.CurrentRevision()
	_, err := e.s.Create(e.ctx, ConfigMap("default", "a", nil), store.CreateOptions{})
	wantReason(t, err, store.ReasonAlreadyExists)
	wantMessage(t, err, `configmaps "a" already exists`)
	if !store.IsAlreadyExists(err) {
		t.Fatal("IsAlreadyExists = false")
	}
	if e.s.CurrentRevision() != rev {
		t.Fatal("a refused create changed the revision")
	}
	// The same name in another namespace is another object.
	e.create(ConfigMap("other", "a", nil))
	_, err = e.s.Create(e.ctx, Deployment("default", "web", 1), store.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	_, err = e.s.Create(e.ctx, Deployment("default", "web", 1), store.CreateOptions{})
	wantMessage(t, err, `deployments.apps "web" already exists`)
}

func testCreateInvalid(t *testing.T, e *env) {
	rev := e.s.CurrentRevision()
	d := Deployment("default", "web", -1)
	_, err := e.s.Create(e.ctx, d, store.CreateOptions{})
	wantReason(t, err, store.ReasonInvalid)
	if !strings.HasPrefix(err.Error(), `Deployment.apps "web" is invalid: `) || !strings.Contains(err.Error(), "spec.replicas: Invalid value: -1") {
		t.Fatalf("message %q does not name the kind, object and field", err)
	}
	fe := store.FieldErrors(err)
	if len(fe) == 0 || fe[0].Field != "spec.replicas" {
		t.Fatalf("FieldErrors = %v, want spec.replicas first", fe)
	}
	var se *store.StatusError
	if !errors.As(err, &se) || se.Code != 422 || len(se.Causes) == 0 || se.Causes[0].Field != "spec.replicas" {
		t.Fatalf("StatusError = %+v, want code 422 with a spec.replicas cause", se)
	}
	_, err = e.s.Create(e.ctx, ConfigMap("default", "Bad_Name", nil), store.CreateOptions{})
	wantReason(t, err, store.ReasonInvalid)
	if !strings.Contains(err.Error(), "metadata.name") {
		t.Fatalf("message %q does not name metadata.name", err)
	}
	_, err = e.s.Create(e.ctx, ConfigMap("", "a", nil), store.CreateOptions{})
	wantReason(t, err, store.ReasonInvalid)
	if e.s.CurrentRevision() != rev {
		t.Fatal("invalid creates changed the revision")
	}
	if _, err := e.s.Get(e.ctx, deploymentGVK, "default", "web"); !store.IsNotFound(err) {
		t.Fatalf("invalid object was stored: %v", err)
	}
}

func testCreateRejectsResourceVersion(t *testing.T, e *env) {
	cm := ConfigMap("default", "a", nil)
	cm.ResourceVersion = "7"
	_, err := e.s.Create(e.ctx, cm, store.CreateOptions{})
	wantReason(t, err, store.ReasonBadRequest)
}

func testCreateDoesNotRetainInput(t *testing.T, e *env) {
	in := ConfigMap("default", "a", map[string]string{"k": "v"})
	out := e.create(in).(*core.ConfigMap)
	if in.UID != "" || in.ResourceVersion != "" {
		t.Fatalf("Create modified its input: %+v", in.ObjectMeta)
	}
	in.Data["k"] = "changed by caller"
	out.Data["k"] = "changed by caller"
	if got := e.get(configMapGVK, "default", "a").(*core.ConfigMap); got.Data["k"] != "v" {
		t.Fatalf("store shares memory with the caller: %q", got.Data["k"])
	}
}

func testGetNotFound(t *testing.T, e *env) {
	_, err := e.s.Get(e.ctx, podGVK, "default", "nope")
	wantReason(t, err, store.ReasonNotFound)
	wantMessage(t, err, `pods "nope" not found`)
	if !store.IsNotFound(err) {
		t.Fatal("IsNotFound = false")
	}
	_, err = e.s.Get(e.ctx, deploymentGVK, "default", "web")
	wantMessage(t, err, `deployments.apps "web" not found`)
}

func testGetReturnsCopies(t *testing.T, e *env) {
	e.create(ConfigMap("default", "a", map[string]string{"k": "v"}))
	g1 := e.get(configMapGVK, "default", "a").(*core.ConfigMap)
	g1.Data["k"] = "mutated"
	g1.Labels = map[string]string{"x": "y"}
	g2 := e.get(configMapGVK, "default", "a").(*core.ConfigMap)
	if g2.Data["k"] != "v" || g2.Labels != nil {
		t.Fatalf("Get returned shared memory: %+v", g2)
	}
}

func testClusterScoped(t *testing.T, e *env) {
	out := e.create(Namespace("team-a")).(*core.Namespace)
	if out.Namespace != "" {
		t.Fatalf("namespace of a Namespace = %q", out.Namespace)
	}
	e.get(namespaceGVK, "", "team-a")
	_, err := e.s.Create(e.ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "x", Namespace: "default"}}, store.CreateOptions{})
	wantReason(t, err, store.ReasonInvalid)
}

func testUnknownKind(t *testing.T, e *env) {
	_, err := e.s.Get(e.ctx, scheme.GroupVersionKind{Group: "nope.dev", Version: "v1", Kind: "Nope"}, "default", "a")
	wantReason(t, err, store.ReasonBadRequest)
}

func testEveryWriteIsOneRevision(t *testing.T, e *env) {
	rev := e.s.CurrentRevision()
	step := func(what string, obj meta.Object) {
		t.Helper()
		rev++
		if got := rv(t, obj); got != rev || e.s.CurrentRevision() != rev {
			t.Fatalf("%s: resourceVersion %d, CurrentRevision %d, want both %d", what, got, e.s.CurrentRevision(), rev)
		}
	}
	cm := e.create(ConfigMap("default", "a", nil)).(*core.ConfigMap)
	step("create", cm)
	cm.Data = map[string]string{"k": "v"}
	cm = e.update(cm).(*core.ConfigMap)
	step("update", cm)
	p := e.create(Pod("default", "p", ""))
	step("create pod", p)
	p.(*core.Pod).Status.Phase = core.PodRunning
	p, err := e.s.UpdateStatus(e.ctx, p, store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	step("update status", p)
	step("delete", e.del(configMapGVK, "default", "a", store.DeleteOptions{}))
}

func testConcurrentCreates(t *testing.T, e *env) {
	const writers, each = 16, 20
	rev0 := e.s.CurrentRevision()
	var mu sync.Mutex
	revs := map[uint64]bool{}
	var wg sync.WaitGroup
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				out, err := e.s.Create(e.ctx, ConfigMap("default", name("w", w, i), nil), store.CreateOptions{})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				revs[rv(t, out)] = true
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if len(revs) != writers*each {
		t.Fatalf("%d distinct revisions for %d creates", len(revs), writers*each)
	}
	for r := rev0 + 1; r <= rev0+writers*each; r++ {
		if !revs[r] {
			t.Fatalf("revision %d missing: revisions must be dense", r)
		}
	}
	res, err := e.s.List(e.ctx, configMapGVK, store.ListOptions{})
	if err != nil || len(res.Items) != writers*each {
		t.Fatalf("List: %d items, %v", len(res.Items), err)
	}
}

func testRestartPersistence(t *testing.T, e *env) {
	cm := e.create(ConfigMap("default", "a", map[string]string{"k": "v"}))
	e.create(Namespace("team-a"))
	gone := e.create(ConfigMap("default", "gone", nil))
	e.del(configMapGVK, "default", "gone", store.DeleteOptions{})
	e.create(Pod("default", "p", "node-1"))
	p := e.del(podGVK, "default", "p", store.DeleteOptions{}) // graceful: stays
	rev := e.s.CurrentRevision()

	e.reopen()
	if got := e.s.CurrentRevision(); got != rev {
		t.Fatalf("revision after restart = %d, want %d", got, rev)
	}
	got := e.get(configMapGVK, "default", "a").(*core.ConfigMap)
	if got.UID != cm.GetUID() || got.ResourceVersion != cm.GetResourceVersion() || got.Data["k"] != "v" || !got.CreationTimestamp.Time.Equal(Epoch) {
		t.Fatalf("after restart %+v, want %+v", got, cm)
	}
	e.get(namespaceGVK, "", "team-a")
	if _, err := e.s.Get(e.ctx, configMapGVK, "default", gone.GetName()); !store.IsNotFound(err) {
		t.Fatalf("deleted object back after restart: %v", err)
	}
	gp := e.get(podGVK, "default", "p")
	if gp.GetDeletionTimestamp() == nil || gp.GetResourceVersion() != p.GetResourceVersion() {
		t.Fatalf("terminating pod after restart: %+v", gp.GetObjectMeta())
	}
	// The revision keeps counting from where it was.
	if out := e.create(ConfigMap("default", "b", nil)); rv(t, out) != rev+1 {
		t.Fatalf("first write after restart got revision %d, want %d", rv(t, out), rev+1)
	}
}

func testClosedStore(t *testing.T, e *env) {
	w, err := e.s.Watch(e.ctx, configMapGVK, store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := e.s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := e.s.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	for range w.ResultChan() {
	}
	_, err = e.s.Create(e.ctx, ConfigMap("default", "a", nil), store.CreateOptions{})
	if !store.IsUnavailable(err) {
		t.Fatalf("Create after Close: %v, want ErrClosed", err)
	}
	if _, err = e.s.Get(e.ctx, configMapGVK, "default", "a"); !store.IsUnavailable(err) {
		t.Fatalf("Get after Close: %v, want ErrClosed", err)
	}
	e.s = e.open(t, e.cfg) // for the cleanup's Close
}

func name(prefix string, a, b int) string {
	return fmt.Sprintf("%s-%d-%d", prefix, a, b)
}
