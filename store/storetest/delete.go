package storetest

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

var deleteTests = []test{
	{"DeleteRemoves", testDeleteRemoves},
	{"DeleteNotFound", testDeleteNotFound},
	{"DeletePreconditions", testDeletePreconditions},
	{"FinalizersHoldDeletion", testFinalizersHoldDeletion},
	{"NoNewFinalizersWhileDeleting", testNoNewFinalizersWhileDeleting},
	{"PropagationFinalizers", testPropagationFinalizers},
	{"PodGracefulDeletion", testPodGracefulDeletion},
	{"PodGracePeriodRules", testPodGracePeriodRules},
	{"PodShorterGracePeriod", testPodShorterGracePeriod},
	{"PodWithFinalizerAndGrace", testPodWithFinalizerAndGrace},
}

func testDeleteRemoves(t *testing.T, e *env) {
	cm := e.create(ConfigMap("default", "a", map[string]string{"k": "v"}))
	out := e.del(configMapGVK, "default", "a", store.DeleteOptions{})
	if rv(t, out) != e.s.CurrentRevision() || rv(t, out) != rv(t, cm)+1 {
		t.Fatalf("deleted object has resourceVersion %s, want the deletion's revision %d", out.GetResourceVersion(), e.s.CurrentRevision())
	}
	if out.GetUID() != cm.GetUID() || out.(*core.ConfigMap).Data["k"] != "v" {
		t.Fatalf("Delete did not return the final state: %+v", out)
	}
	if _, err := e.s.Get(e.ctx, configMapGVK, "default", "a"); !store.IsNotFound(err) {
		t.Fatalf("Get after Delete: %v", err)
	}
	// The name is free again, for a new incarnation.
	if again := e.create(ConfigMap("default", "a", nil)); again.GetUID() == cm.GetUID() {
		t.Fatal("re-created object reuses the uid")
	}
}

func testDeleteNotFound(t *testing.T, e *env) {
	_, err := e.s.Delete(e.ctx, deploymentGVK, "default", "web", store.DeleteOptions{})
	wantMessage(t, err, `deployments.apps "web" not found`)
}

func testDeletePreconditions(t *testing.T, e *env) {
	cm := e.create(ConfigMap("default", "a", nil))
	wrongUID := meta.UID("00000000-0000-0000-0000-000000000000")
	_, err := e.s.Delete(e.ctx, configMapGVK, "default", "a", store.DeleteOptions{Preconditions: &meta.Preconditions{UID: &wrongUID}})
	wantReason(t, err, store.ReasonConflict)
	if !strings.Contains(err.Error(), `Operation cannot be fulfilled on configmaps "a": Precondition failed: UID in precondition: 00000000`) {
		t.Fatalf("message %q", err)
	}
	stale := "999"
	_, err = e.s.Delete(e.ctx, configMapGVK, "default", "a", store.DeleteOptions{Preconditions: &meta.Preconditions{ResourceVersion: &stale}})
	wantReason(t, err, store.ReasonConflict)
	uid, cur := cm.GetUID(), cm.GetResourceVersion()
	e.del(configMapGVK, "default", "a", store.DeleteOptions{Preconditions: &meta.Preconditions{UID: &uid, ResourceVersion: &cur}})
}

func testFinalizersHoldDeletion(t *testing.T, e *env) {
	cm := ConfigMap("default", "a", nil)
	cm.Finalizers = []string{"example.com/a", "example.com/b"}
	e.create(cm)
	e.clock.Step(10 * time.Second)
	out := e.del(configMapGVK, "default", "a", store.DeleteOptions{}).(*core.ConfigMap)
	if out.DeletionTimestamp == nil || !out.DeletionTimestamp.Time.Equal(Epoch.Add(10*time.Second)) {
		t.Fatalf("deletionTimestamp = %v, want now", out.DeletionTimestamp)
	}
	if out.DeletionGracePeriodSeconds == nil || *out.DeletionGracePeriodSeconds != 0 {
		t.Fatalf("deletionGracePeriodSeconds = %v, want 0", out.DeletionGracePeriodSeconds)
	}
	got := e.get(configMapGVK, "default", "a").(*core.ConfigMap)
	if got.DeletionTimestamp == nil || got.ResourceVersion != out.ResourceVersion {
		t.Fatal("object with finalizers did not stay")
	}
	// Deleting again changes nothing.
	rev := e.s.CurrentRevision()
	e.del(configMapGVK, "default", "a", store.DeleteOptions{})
	if e.s.CurrentRevision() != rev {
		t.Fatal("a repeated delete wrote")
	}
	got.Finalizers = []string{"example.com/b"}
	got = e.update(got).(*core.ConfigMap)
	if got.DeletionTimestamp == nil || !got.DeletionTimestamp.Time.Equal(out.DeletionTimestamp.Time) {
		t.Fatal("update lost the deletionTimestamp")
	}
	got.Finalizers = nil
	final, err := e.s.Update(e.ctx, got, store.UpdateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if rv(t, final) != e.s.CurrentRevision() {
		t.Fatalf("final state has resourceVersion %s, want the deletion's %d", final.GetResourceVersion(), e.s.CurrentRevision())
	}
	if _, err := e.s.Get(e.ctx, configMapGVK, "default", "a"); !store.IsNotFound(err) {
		t.Fatalf("object still there after its last finalizer was removed: %v", err)
	}
}

func testNoNewFinalizersWhileDeleting(t *testing.T, e *env) {
	cm := ConfigMap("default", "a", nil)
	cm.Finalizers = []string{"example.com/a"}
	e.create(cm)
	got := e.del(configMapGVK, "default", "a", store.DeleteOptions{}).(*core.ConfigMap)
	got.Finalizers = append(got.Finalizers, "example.com/new")
	_, err := e.s.Update(e.ctx, got, store.UpdateOptions{})
	wantReason(t, err, store.ReasonInvalid)
	if !strings.Contains(err.Error(), "no new finalizers can be added if the object is being deleted") {
		t.Fatalf("message %q", err)
	}
}

func testPropagationFinalizers(t *testing.T, e *env) {
	tests := []struct {
		name       string
		obj        meta.Object
		gvk        scheme.GroupVersionKind
		policy     *meta.DeletionPropagation
		finalizers []string
		wantGone   bool
		want       []string
	}{
		{name: "deployment default is background", obj: Deployment("default", "d1", 1), gvk: deploymentGVK, wantGone: true},
		{name: "foreground", obj: Deployment("default", "d2", 1), gvk: deploymentGVK, policy: ptr(meta.DeletePropagationForeground), want: []string{meta.FinalizerDeleteDependents}},
		{name: "orphan", obj: Deployment("default", "d3", 1), gvk: deploymentGVK, policy: ptr(meta.DeletePropagationOrphan), want: []string{meta.FinalizerOrphanDependents}},
		{name: "job default is orphan", obj: Job("default", "j1"), gvk: jobGVK, want: []string{meta.FinalizerOrphanDependents}},
		{name: "job with explicit background", obj: Job("default", "j2"), gvk: jobGVK, policy: ptr(meta.DeletePropagationBackground), wantGone: true},
		{name: "existing orphan finalizer wins over the default", obj: Deployment("default", "d4", 1), gvk: deploymentGVK, finalizers: []string{meta.FinalizerOrphanDependents}, want: []string{meta.FinalizerOrphanDependents}},
		{name: "explicit policy replaces the existing one", obj: Deployment("default", "d5", 1), gvk: deploymentGVK, finalizers: []string{"x.io/keep", meta.FinalizerOrphanDependents}, policy: ptr(meta.DeletePropagationForeground), want: []string{"x.io/keep", meta.FinalizerDeleteDependents}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.obj.SetFinalizers(tc.finalizers)
			e.create(tc.obj)
			out := e.del(tc.gvk, "default", tc.obj.GetName(), store.DeleteOptions{PropagationPolicy: tc.policy})
			_, err := e.s.Get(e.ctx, tc.gvk, "default", tc.obj.GetName())
			if tc.wantGone {
				if !store.IsNotFound(err) {
					t.Fatalf("object stayed with finalizers %v", out.GetFinalizers())
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if out.GetDeletionTimestamp() == nil || !slices.Equal(out.GetFinalizers(), tc.want) {
				t.Fatalf("deletionTimestamp %v finalizers %v, want set and %v", out.GetDeletionTimestamp(), out.GetFinalizers(), tc.want)
			}
		})
	}
}

func testPodGracefulDeletion(t *testing.T, e *env) {
	p := e.create(Pod("default", "p", "node-1")).(*core.Pod)
	out := e.del(podGVK, "default", "p", store.DeleteOptions{}).(*core.Pod)
	if out.DeletionGracePeriodSeconds == nil || *out.DeletionGracePeriodSeconds != 30 {
		t.Fatalf("deletionGracePeriodSeconds = %v, want 30", out.DeletionGracePeriodSeconds)
	}
	if out.DeletionTimestamp == nil || !out.DeletionTimestamp.Time.Equal(Epoch.Add(30*time.Second)) {
		t.Fatalf("deletionTimestamp = %v, want now+30s", out.DeletionTimestamp)
	}
	if out.Generation != p.Generation+1 {
		t.Fatalf("generation %d, want %d (graceful deletion bumps it)", out.Generation, p.Generation+1)
	}
	if got := e.get(podGVK, "default", "p"); got.GetDeletionTimestamp() == nil {
		t.Fatal("terminating pod vanished")
	}
	// Deleting again with the same or a longer grace period changes nothing.
	rev := e.s.CurrentRevision()
	e.del(podGVK, "default", "p", store.DeleteOptions{})
	e.del(podGVK, "default", "p", store.DeleteOptions{GracePeriodSeconds: ptr(int64(60))})
	if e.s.CurrentRevision() != rev {
		t.Fatal("a repeated delete wrote")
	}
	// The node confirms with grace 0: the pod goes.
	e.del(podGVK, "default", "p", store.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	if _, err := e.s.Get(e.ctx, podGVK, "default", "p"); !store.IsNotFound(err) {
		t.Fatalf("pod still there after a delete with grace 0: %v", err)
	}
}

func testPodGracePeriodRules(t *testing.T, e *env) {
	tests := []struct {
		name      string
		pod       *core.Pod
		grace     *int64
		wantGone  bool
		wantGrace int64
	}{
		{name: "never bound goes at once", pod: Pod("default", "a", ""), wantGone: true},
		{name: "bound pod uses its terminationGracePeriodSeconds", pod: withGrace(Pod("default", "b", "n1"), 5), wantGrace: 5},
		{name: "explicit grace wins", pod: withGrace(Pod("default", "c", "n1"), 5), grace: ptr(int64(12)), wantGrace: 12},
		{name: "negative grace is read as 1", pod: Pod("default", "d", "n1"), grace: ptr(int64(-5)), wantGrace: 1},
		{name: "explicit zero goes at once", pod: Pod("default", "e", "n1"), grace: ptr(int64(0)), wantGone: true},
		{name: "terminationGracePeriodSeconds 0 goes at once", pod: withGrace(Pod("default", "f", "n1"), 0), wantGone: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.create(tc.pod)
			out := e.del(podGVK, "default", tc.pod.Name, store.DeleteOptions{GracePeriodSeconds: tc.grace}).(*core.Pod)
			_, err := e.s.Get(e.ctx, podGVK, "default", tc.pod.Name)
			if tc.wantGone {
				if !store.IsNotFound(err) {
					t.Fatalf("pod stayed: %+v", out.ObjectMeta)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g := out.DeletionGracePeriodSeconds; g == nil || *g != tc.wantGrace {
				t.Fatalf("deletionGracePeriodSeconds = %v, want %d", g, tc.wantGrace)
			}
		})
	}
	// A pod that already finished goes at once.
	p := e.create(Pod("default", "done", "n1")).(*core.Pod)
	p.Status.Phase = core.PodSucceeded
	if _, err := e.s.UpdateStatus(e.ctx, p, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	e.del(podGVK, "default", "done", store.DeleteOptions{})
	if _, err := e.s.Get(e.ctx, podGVK, "default", "done"); !store.IsNotFound(err) {
		t.Fatalf("succeeded pod stayed: %v", err)
	}
}

func testPodShorterGracePeriod(t *testing.T, e *env) {
	e.create(Pod("default", "p", "node-1"))
	first := e.del(podGVK, "default", "p", store.DeleteOptions{})
	e.clock.Step(5 * time.Second)
	out := e.del(podGVK, "default", "p", store.DeleteOptions{GracePeriodSeconds: ptr(int64(10))}).(*core.Pod)
	want := first.GetDeletionTimestamp().Add(-20 * time.Second)
	if !out.DeletionTimestamp.Time.Equal(want) || *out.DeletionGracePeriodSeconds != 10 {
		t.Fatalf("shorter grace: deletionTimestamp %v grace %d, want %v and 10", out.DeletionTimestamp, *out.DeletionGracePeriodSeconds, want)
	}
}

func testPodWithFinalizerAndGrace(t *testing.T, e *env) {
	p := Pod("default", "p", "node-1")
	p.Finalizers = []string{"example.com/hold"}
	e.create(p)
	e.del(podGVK, "default", "p", store.DeleteOptions{})
	e.del(podGVK, "default", "p", store.DeleteOptions{GracePeriodSeconds: ptr(int64(0))})
	got := e.get(podGVK, "default", "p").(*core.Pod)
	if *got.DeletionGracePeriodSeconds != 0 {
		t.Fatalf("grace %d after the node's confirmation, want 0", *got.DeletionGracePeriodSeconds)
	}
	got.Finalizers = nil
	e.update(got)
	if _, err := e.s.Get(e.ctx, podGVK, "default", "p"); !store.IsNotFound(err) {
		t.Fatalf("pod stayed after its finalizer went: %v", err)
	}
}

func withGrace(p *core.Pod, g int64) *core.Pod {
	p.Spec.TerminationGracePeriodSeconds = &g
	return p
}
