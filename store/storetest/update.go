package storetest

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

var updateTests = []test{
	{"StaleResourceVersionConflicts", testStaleConflict},
	{"EmptyResourceVersionIsUnconditional", testUnconditionalUpdate},
	{"NoOpUpdateWritesNothing", testNoOpUpdate},
	{"UpdateNotFound", testUpdateNotFound},
	{"UpdateUIDMismatchConflicts", testUpdateUIDMismatch},
	{"UpdateInvalidWritesNothing", testUpdateInvalid},
	{"UpdateKeepsSystemFields", testUpdateKeepsSystemFields},
	{"GenerationOnSpecChangeOnly", testGeneration},
	{"StatusSubresource", testStatusSubresource},
	{"UpdateStatusWithoutSubresource", testUpdateStatusWithoutSubresource},
	{"GuaranteedUpdate", testGuaranteedUpdate},
}

func testStaleConflict(t *testing.T, e *env) {
	v1 := e.create(ConfigMap("default", "a", nil)).(*core.ConfigMap)
	v2 := v1.DeepCopyObject().(*core.ConfigMap)
	v2.Data = map[string]string{"k": "2"}
	e.update(v2)
	rev := e.s.CurrentRevision()
	v1.Data = map[string]string{"k": "stale"}
	_, err := e.s.Update(e.ctx, v1, store.UpdateOptions{})
	wantReason(t, err, store.ReasonConflict)
	wantMessage(t, err, `Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again`)
	if !store.IsConflict(err) || !store.IsRetryable(err) {
		t.Fatal("IsConflict/IsRetryable = false")
	}
	if e.s.CurrentRevision() != rev || e.get(configMapGVK, "default", "a").(*core.ConfigMap).Data["k"] != "2" {
		t.Fatal("a conflicting update was written")
	}
	d := e.create(Deployment("default", "web", 1))
	d2 := d.DeepCopyObject()
	d2.SetLabels(map[string]string{"v": "2"})
	e.update(d2)
	_, err = e.s.Update(e.ctx, d, store.UpdateOptions{})
	wantMessage(t, err, `Operation cannot be fulfilled on deployments.apps "web": the object has been modified; please apply your changes to the latest version and try again`)

	bad := ConfigMap("default", "a", nil)
	bad.ResourceVersion = "not-a-number"
	_, err = e.s.Update(e.ctx, bad, store.UpdateOptions{})
	wantReason(t, err, store.ReasonBadRequest)
}

func testUnconditionalUpdate(t *testing.T, e *env) {
	e.create(ConfigMap("default", "a", nil))
	out, err := e.s.Update(e.ctx, ConfigMap("default", "a", map[string]string{"k": "v"}), store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rv(t, out) != e.s.CurrentRevision() || out.(*core.ConfigMap).Data["k"] != "v" {
		t.Fatalf("unconditional update: %+v", out)
	}
}

func testNoOpUpdate(t *testing.T, e *env) {
	cm := e.create(ConfigMap("default", "a", map[string]string{"k": "v"}))
	rev := e.s.CurrentRevision()
	out := e.update(cm.DeepCopyObject())
	if out.GetResourceVersion() != cm.GetResourceVersion() || e.s.CurrentRevision() != rev {
		t.Fatalf("an update that changes nothing wrote revision %s", out.GetResourceVersion())
	}
}

func testUpdateNotFound(t *testing.T, e *env) {
	_, err := e.s.Update(e.ctx, ConfigMap("default", "nope", nil), store.UpdateOptions{})
	wantReason(t, err, store.ReasonNotFound)
	wantMessage(t, err, `configmaps "nope" not found`)
}

func testUpdateUIDMismatch(t *testing.T, e *env) {
	old := e.create(ConfigMap("default", "a", nil))
	e.del(configMapGVK, "default", "a", store.DeleteOptions{})
	e.create(ConfigMap("default", "a", nil))
	old.SetResourceVersion("")
	_, err := e.s.Update(e.ctx, old, store.UpdateOptions{})
	wantReason(t, err, store.ReasonConflict)
	if !strings.Contains(err.Error(), "Precondition failed: UID in precondition") {
		t.Fatalf("message %q", err)
	}
}

func testUpdateInvalid(t *testing.T, e *env) {
	d := e.create(Deployment("default", "web", 1)).(*apps.Deployment)
	rev := e.s.CurrentRevision()
	d.Spec.Replicas = ptr(int32(-3))
	_, err := e.s.Update(e.ctx, d, store.UpdateOptions{})
	wantReason(t, err, store.ReasonInvalid)
	if !strings.Contains(err.Error(), "spec.replicas: Invalid value: -3") {
		t.Fatalf("message %q", err)
	}
	if e.s.CurrentRevision() != rev {
		t.Fatal("an invalid update was written")
	}
}

func testUpdateKeepsSystemFields(t *testing.T, e *env) {
	cm := e.create(ConfigMap("default", "a", nil)).(*core.ConfigMap)
	e.clock.Step(3600e9)
	upd := cm.DeepCopyObject().(*core.ConfigMap)
	upd.UID = ""
	upd.CreationTimestamp = meta.NewTime(Epoch.Add(-1e12))
	upd.DeletionTimestamp = ptr(meta.NewTime(Epoch))
	upd.Data = map[string]string{"k": "v"}
	out := e.update(upd).(*core.ConfigMap)
	if out.UID != cm.UID || !out.CreationTimestamp.Time.Equal(Epoch) || out.DeletionTimestamp != nil {
		t.Fatalf("update changed system fields: %+v", out.ObjectMeta)
	}
}

func testGeneration(t *testing.T, e *env) {
	d := e.create(Deployment("default", "web", 1)).(*apps.Deployment)
	check := func(what string, want int64, mutate func(*apps.Deployment)) {
		t.Helper()
		mutate(d)
		d = e.update(d).(*apps.Deployment)
		if d.Generation != want {
			t.Fatalf("%s: generation %d, want %d", what, d.Generation, want)
		}
	}
	check("labels", 1, func(d *apps.Deployment) { d.Labels = map[string]string{"a": "b"} })
	check("spec", 2, func(d *apps.Deployment) { d.Spec.Replicas = ptr(int32(3)) })
	check("status via Update (ignored)", 2, func(d *apps.Deployment) { d.Status.Replicas = 9 })
	if d.Status.Replicas != 0 {
		t.Fatalf("Update changed status of a kind with a status subresource: %+v", d.Status)
	}
	check("annotations (Deployment bumps on annotations)", 3, func(d *apps.Deployment) { d.Annotations = map[string]string{"x": "y"} })
	check("generation written by the caller (ignored)", 3, func(d *apps.Deployment) { d.Generation = 42 })

	cm := e.create(ConfigMap("default", "a", nil)).(*core.ConfigMap)
	cm.Annotations = map[string]string{"x": "y"}
	if cm = e.update(cm).(*core.ConfigMap); cm.Generation != 1 {
		t.Fatalf("ConfigMap generation moved on an annotation change: %d", cm.Generation)
	}
}

func testStatusSubresource(t *testing.T, e *env) {
	d := e.create(Deployment("default", "web", 1)).(*apps.Deployment)
	upd := d.DeepCopyObject().(*apps.Deployment)
	upd.Status.Replicas = 1
	upd.Status.ObservedGeneration = 1
	upd.Spec.Replicas = ptr(int32(5))
	upd.Labels = map[string]string{"ignored": "yes"}
	out, err := e.s.UpdateStatus(e.ctx, upd, store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	got := out.(*apps.Deployment)
	if got.Status.Replicas != 1 || got.Status.ObservedGeneration != 1 {
		t.Fatalf("status not written: %+v", got.Status)
	}
	if *got.Spec.Replicas != 1 || got.Labels != nil || got.Generation != 1 {
		t.Fatalf("UpdateStatus changed more than status: replicas %d labels %v generation %d", *got.Spec.Replicas, got.Labels, got.Generation)
	}
	if rv(t, got) <= rv(t, d) {
		t.Fatal("UpdateStatus did not move resourceVersion")
	}
	// Optimistic concurrency applies to status writes too.
	_, err = e.s.UpdateStatus(e.ctx, upd, store.UpdateOptions{})
	wantReason(t, err, store.ReasonConflict)
	// Create clears status.
	p := Pod("default", "p", "")
	p.Status.Phase = core.PodRunning
	if out := e.create(p).(*core.Pod); out.Status.Phase == core.PodRunning {
		t.Fatal("Create kept the status of a kind with a status subresource")
	}
}

func testUpdateStatusWithoutSubresource(t *testing.T, e *env) {
	cm := e.create(ConfigMap("default", "a", nil))
	_, err := e.s.UpdateStatus(e.ctx, cm, store.UpdateOptions{})
	wantReason(t, err, store.ReasonBadRequest)
}

func testGuaranteedUpdate(t *testing.T, e *env) {
	e.create(ConfigMap("default", "counter", map[string]string{"n": "0"}))
	const writers, each = 8, 10
	var wg sync.WaitGroup
	for range writers {
		wg.Go(func() {
			for range each {
				_, err := store.GuaranteedUpdate(e.ctx, e.s, configMapGVK, "default", "counter", func(cur meta.Object) (meta.Object, error) {
					cm := cur.(*core.ConfigMap)
					n, _ := strconv.Atoi(cm.Data["n"])
					cm.Data["n"] = strconv.Itoa(n + 1)
					return cm, nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := e.get(configMapGVK, "default", "counter").(*core.ConfigMap).Data["n"]; got != strconv.Itoa(writers*each) {
		t.Fatalf("counter = %s after %d increments: lost updates", got, writers*each)
	}
	rev := e.s.CurrentRevision()
	out, err := store.GuaranteedUpdate(e.ctx, e.s, configMapGVK, "default", "counter", func(cur meta.Object) (meta.Object, error) { return cur, nil })
	if err != nil || e.s.CurrentRevision() != rev || rv(t, out) == 0 {
		t.Fatalf("unchanged GuaranteedUpdate wrote: %v", err)
	}
	boom := errors.New("boom")
	if _, err := store.GuaranteedUpdate(e.ctx, e.s, configMapGVK, "default", "counter", func(meta.Object) (meta.Object, error) { return nil, boom }); err != boom {
		t.Fatalf("tryUpdate's error not returned: %v", err)
	}
	if _, err := store.GuaranteedUpdate(e.ctx, e.s, configMapGVK, "default", "nope", func(cur meta.Object) (meta.Object, error) { return cur, nil }); !store.IsNotFound(err) {
		t.Fatalf("missing object: %v", err)
	}
}
