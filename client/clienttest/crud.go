package clienttest

import (
	"reflect"
	"strings"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

var crudTests = []test{
	{"CRUD/Pod", func(e *env) {
		testCRUD(e, e.pods, newPod("web", map[string]string{"app": "web"}))
	}},
	{"CRUD/Deployment", func(e *env) {
		testCRUD(e, e.deployments, newDeployment("web", 2))
	}},
	{"CRUD/ConfigMap", func(e *env) {
		testCRUD(e, e.configMaps, newConfigMap("settings", map[string]string{"level": "debug"}))
	}},
	{"CRUD/Namespace", func(e *env) {
		testCRUD(e, e.namespaces, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "team-a"}})
	}},
	{"CreateGenerateName", testCreateGenerateName},
	{"CreateLeavesArgumentAlone", testCreateLeavesArgumentAlone},
	{"ErrorClasses", testErrorClasses},
	{"UpdateConflict", testUpdateConflict},
	{"UpdateStatus", testUpdateStatus},
	{"UpdateIgnoresStatus", testUpdateIgnoresStatus},
}

// testCRUD creates obj, reads it back, updates a label, finds it in a list, and deletes it.
func testCRUD[T meta.Object](e *env, c *client.Typed[T], obj T) {
	ns, name := obj.GetNamespace(), obj.GetName()

	created := create(e, c, obj)
	m := created.GetObjectMeta()
	if m.Name != name || m.Namespace != ns {
		e.t.Fatalf("created %s/%s, want %s/%s", m.Namespace, m.Name, ns, name)
	}
	if m.UID == "" || m.CreationTimestamp.IsZero() || m.Generation != 1 {
		e.t.Fatalf("created object has uid %q, creationTimestamp %v, generation %d; want all set, generation 1",
			m.UID, m.CreationTimestamp, m.Generation)
	}
	e.rv(created)
	if tm := created.GetTypeMeta(); tm.APIVersion != c.GVK().APIVersion() || tm.Kind != c.GVK().Kind {
		e.t.Fatalf("created object has apiVersion %q kind %q, want %q %q", tm.APIVersion, tm.Kind, c.GVK().APIVersion(), c.GVK().Kind)
	}

	got := get(e, c, ns, name)
	if !reflect.DeepEqual(got, created) {
		e.t.Fatalf("get returned\n%+v\nwant what create returned\n%+v", got, created)
	}

	got.GetObjectMeta().Labels = map[string]string{"clienttest": "updated"}
	updated := update(e, c, got)
	if e.rv(updated) <= e.rv(created) {
		e.t.Fatalf("update moved resourceVersion from %s to %s, want it to grow", created.GetResourceVersion(), updated.GetResourceVersion())
	}
	if updated.GetLabels()["clienttest"] != "updated" || updated.GetUID() != created.GetUID() {
		e.t.Fatalf("updated object has labels %v uid %s", updated.GetLabels(), updated.GetUID())
	}
	if again := get(e, c, ns, name); !reflect.DeepEqual(again, updated) {
		e.t.Fatalf("get after update returned\n%+v\nwant\n%+v", again, updated)
	}

	list, err := c.List(e.ctx, store.ListOptions{Namespace: ns})
	if err != nil {
		e.t.Fatalf("list: %v", err)
	}
	found := false
	for _, it := range list.Items {
		if it.GetName() == name {
			found = true
			if !reflect.DeepEqual(it, updated) {
				e.t.Fatalf("listed\n%+v\nwant\n%+v", it, updated)
			}
		}
	}
	if !found || list.ResourceVersion < e.rv(updated) {
		e.t.Fatalf("list at revision %d (found %v), want it to hold %s at revision >= %s", list.ResourceVersion, found, name, updated.GetResourceVersion())
	}

	deleted, err := c.Delete(e.ctx, ns, name)
	if err != nil {
		e.t.Fatalf("delete: %v", err)
	}
	if deleted.GetUID() != created.GetUID() {
		e.t.Fatalf("delete returned uid %s, want %s", deleted.GetUID(), created.GetUID())
	}
	if c.Kind().Namespaced {
		wantNotFound(e, c, ns, name)
		return
	}
	// A cluster may finalize namespaces before removing them; either state is conformant.
	if cur, err := c.Get(e.ctx, ns, name); err == nil && cur.GetDeletionTimestamp() == nil {
		e.t.Fatalf("%s still exists without deletionTimestamp after delete", name)
	} else if err != nil && !store.IsNotFound(err) {
		e.t.Fatalf("get after delete: %v", err)
	}
}

func testCreateGenerateName(e *env) {
	cm := newConfigMap("", nil)
	cm.GenerateName = "gen-"
	a := create(e, e.configMaps, cm)
	b := create(e, e.configMaps, cm)
	if !strings.HasPrefix(a.Name, "gen-") || len(a.Name) != len("gen-")+5 || a.Name == b.Name {
		e.t.Fatalf("generated names %q and %q, want distinct gen-xxxxx", a.Name, b.Name)
	}
}

func testCreateLeavesArgumentAlone(e *env) {
	in := newDeployment("web", 1)
	before := in.DeepCopy()
	out := create(e, e.deployments, in)
	if !reflect.DeepEqual(in, before) {
		e.t.Fatalf("create modified its argument:\n%+v\nwas\n%+v", in, before)
	}
	// The returned object is the caller's: changing it changes nothing stored.
	out.Labels = map[string]string{"mine": "yes"}
	if got := get(e, e.deployments, Namespace, "web"); got.Labels["mine"] != "" {
		e.t.Fatal("changing the object create returned changed the stored object")
	}
}

func testErrorClasses(e *env) {
	_, err := e.pods.Get(e.ctx, Namespace, "missing")
	e.wantErr("get missing", err, store.IsNotFound, "NotFound")
	if client.IgnoreNotFound(err) != nil {
		e.t.Fatalf("IgnoreNotFound(%v) is not nil", err)
	}

	create(e, e.pods, newPod("web", nil))
	_, err = e.pods.Create(e.ctx, newPod("web", nil))
	e.wantErr("create existing", err, store.IsAlreadyExists, "AlreadyExists")

	_, err = e.pods.Update(e.ctx, newPod("missing", nil))
	e.wantErr("update missing", err, store.IsNotFound, "NotFound")
	_, err = e.pods.UpdateStatus(e.ctx, newPod("missing", nil))
	e.wantErr("update status of missing", err, store.IsNotFound, "NotFound")
	_, err = e.pods.Delete(e.ctx, Namespace, "missing")
	e.wantErr("delete missing", err, store.IsNotFound, "NotFound")
	_, err = e.pods.Patch(e.ctx, Namespace, "missing", client.MergePatchType, []byte(`{}`))
	e.wantErr("patch missing", err, store.IsNotFound, "NotFound")

	bad := newPod("bad", nil)
	bad.Spec.Containers = nil
	_, err = e.pods.Create(e.ctx, bad)
	e.wantErr("create pod without containers", err, store.IsInvalid, "Invalid")
	if len(store.FieldErrors(err)) == 0 {
		e.t.Fatalf("Invalid error %v carries no field errors", err)
	}

	d := newDeployment("bad", 1)
	d.Spec.Template.Labels = map[string]string{"app": "other"}
	_, err = e.deployments.Create(e.ctx, d)
	e.wantErr("create deployment whose selector does not match its template", err, store.IsInvalid, "Invalid")

	cm := newConfigMap("rv-set", nil)
	cm.ResourceVersion = "1"
	_, err = e.configMaps.Create(e.ctx, cm)
	e.wantErr("create with resourceVersion", err, store.IsBadRequest, "BadRequest")
}

func testUpdateConflict(e *env) {
	cm := create(e, e.configMaps, newConfigMap("cm", map[string]string{"k": "1"}))
	stale := cm.DeepCopy()

	cm.Data["k"] = "2"
	update(e, e.configMaps, cm)

	stale.Data["k"] = "3"
	_, err := e.configMaps.Update(e.ctx, stale)
	e.wantErr("update with a stale resourceVersion", err, store.IsConflict, "Conflict")
	if got := get(e, e.configMaps, Namespace, "cm"); got.Data["k"] != "2" {
		e.t.Fatalf("a conflicting update changed data to %v", got.Data)
	}

	// An empty resourceVersion updates unconditionally.
	stale.ResourceVersion = ""
	if got := update(e, e.configMaps, stale); got.Data["k"] != "3" {
		e.t.Fatalf("unconditional update left data %v", got.Data)
	}

	// A uid that is not the object's is a Conflict, too.
	other := get(e, e.configMaps, Namespace, "cm")
	other.UID = "00000000-0000-0000-0000-000000000000"
	_, err = e.configMaps.Update(e.ctx, other)
	e.wantErr("update with another uid", err, store.IsConflict, "Conflict")
}

func testUpdateStatus(e *env) {
	d := create(e, e.deployments, newDeployment("web", 1))

	d.Status.Replicas = 3
	d.Status.ObservedGeneration = 1
	d.Spec.Replicas = ptr(int32(5))
	d.Labels = map[string]string{"ignored": "yes"}
	got, err := e.deployments.UpdateStatus(e.ctx, d)
	if err != nil {
		e.t.Fatalf("update status: %v", err)
	}
	if got.Status.Replicas != 3 || got.Status.ObservedGeneration != 1 {
		e.t.Fatalf("status after UpdateStatus is %+v, want replicas 3, observedGeneration 1", got.Status)
	}
	if *got.Spec.Replicas != 1 || got.Labels["ignored"] != "" || got.Generation != 1 {
		e.t.Fatalf("UpdateStatus changed more than status: replicas %d labels %v generation %d",
			*got.Spec.Replicas, got.Labels, got.Generation)
	}
	if e.rv(got) <= e.rv(d) {
		e.t.Fatal("UpdateStatus did not move resourceVersion")
	}

	// A stale resourceVersion conflicts on the status subresource too.
	_, err = e.deployments.UpdateStatus(e.ctx, d)
	e.wantErr("update status with a stale resourceVersion", err, store.IsConflict, "Conflict")

	// ConfigMap has no status subresource.
	cm := create(e, e.configMaps, newConfigMap("cm", nil))
	_, err = e.configMaps.UpdateStatus(e.ctx, cm)
	e.wantErr("update status of a kind without status", err, store.IsBadRequest, "BadRequest")
}

func testUpdateIgnoresStatus(e *env) {
	d := create(e, e.deployments, newDeployment("web", 1))
	d.Spec.Replicas = ptr(int32(4))
	d.Status.Replicas = 9
	got := update(e, e.deployments, d)
	if *got.Spec.Replicas != 4 || got.Generation != 2 {
		e.t.Fatalf("after a spec update: replicas %d generation %d, want 4 and 2", *got.Spec.Replicas, got.Generation)
	}
	if got.Status.Replicas != 0 {
		e.t.Fatalf("Update wrote status.replicas %d, want it ignored", got.Status.Replicas)
	}

	// A metadata-only change leaves generation alone.
	got.Labels = map[string]string{"tier": "web"}
	if again := update(e, e.deployments, got); again.Generation != 2 {
		e.t.Fatalf("a label change moved generation to %d", again.Generation)
	}

	// Pods are alike: Update keeps status, UpdateStatus writes it.
	p := create(e, e.pods, newPod("p", nil))
	p.Status.Phase = core.PodRunning
	p = update(e, e.pods, p)
	if p.Status.Phase != core.PodPending {
		e.t.Fatalf("Update changed a pod's phase to %s", p.Status.Phase)
	}
	p.Status.Phase = core.PodRunning
	if p, err := e.pods.UpdateStatus(e.ctx, p); err != nil || p.Status.Phase != core.PodRunning {
		e.t.Fatalf("UpdateStatus to Running: %v (phase %v)", err, p)
	}
}
