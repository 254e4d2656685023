package clienttest

import (
	"slices"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

var deleteTests = []test{
	{"Delete/Propagation", testDeletePropagation},
	{"Delete/Preconditions", testDeletePreconditions},
	{"Delete/Finalizers", testDeleteFinalizers},
	{"Delete/PodGracePeriod", testDeletePodGracePeriod},
}

func testDeletePropagation(e *env) {
	cases := []struct {
		name      string
		opts      []client.DeleteOption
		finalizer string // "" means the object is removed at once
	}{
		{"default", nil, ""},
		{"background", []client.DeleteOption{client.PropagationPolicy(meta.DeletePropagationBackground)}, ""},
		{"foreground", []client.DeleteOption{client.PropagationPolicy(meta.DeletePropagationForeground)}, meta.FinalizerDeleteDependents},
		{"orphan", []client.DeleteOption{client.PropagationPolicy(meta.DeletePropagationOrphan)}, meta.FinalizerOrphanDependents},
	}
	for _, tc := range cases {
		d := create(e, e.deployments, newDeployment(tc.name, 1))
		out, err := e.deployments.Delete(e.ctx, Namespace, tc.name, tc.opts...)
		if err != nil {
			e.t.Fatalf("delete %s: %v", tc.name, err)
		}
		if out.UID != d.UID {
			e.t.Fatalf("delete %s returned uid %s, want %s", tc.name, out.UID, d.UID)
		}
		if tc.finalizer == "" {
			wantNotFound(e, e.deployments, Namespace, tc.name)
			continue
		}
		for _, got := range []struct {
			what string
			obj  meta.Object
		}{{"returned", out}, {"stored", get(e, e.deployments, Namespace, tc.name)}} {
			m := got.obj.GetObjectMeta()
			if m.DeletionTimestamp == nil || !slices.Equal(m.Finalizers, []string{tc.finalizer}) {
				e.t.Fatalf("%s delete: %s object has deletionTimestamp %v finalizers %v, want a timestamp and [%s]",
					tc.name, got.what, m.DeletionTimestamp, m.Finalizers, tc.finalizer)
			}
		}
		if e.rv(out) <= e.rv(d) {
			e.t.Fatalf("%s delete did not move resourceVersion", tc.name)
		}
	}

	// Switching policy on a pending deletion swaps the finalizer.
	out, err := e.deployments.Delete(e.ctx, Namespace, "orphan", client.PropagationPolicy(meta.DeletePropagationForeground))
	if err != nil || !slices.Equal(out.Finalizers, []string{meta.FinalizerDeleteDependents}) {
		e.t.Fatalf("foreground delete of an orphaning object: %v (finalizers %v)", err, out)
	}

	// Releasing the finalizer completes the deletion.
	out.Finalizers = nil
	if _, err := e.deployments.Update(e.ctx, out); err != nil {
		e.t.Fatalf("removing the last finalizer: %v", err)
	}
	wantNotFound(e, e.deployments, Namespace, "orphan")
}

func testDeletePreconditions(e *env) {
	cm := create(e, e.configMaps, newConfigMap("cm", nil))
	_, err := e.configMaps.Delete(e.ctx, Namespace, "cm", client.PreconditionUID("00000000-0000-0000-0000-000000000000"))
	e.wantErr("delete with another uid", err, store.IsConflict, "Conflict")
	_, err = e.configMaps.Delete(e.ctx, Namespace, "cm", client.PreconditionResourceVersion("1"))
	e.wantErr("delete with a stale resourceVersion", err, store.IsConflict, "Conflict")
	_, err = e.configMaps.Delete(e.ctx, Namespace, "cm", client.PreconditionUID(cm.UID), client.PreconditionResourceVersion("1"))
	e.wantErr("delete with the uid but a stale resourceVersion", err, store.IsConflict, "Conflict")
	get(e, e.configMaps, Namespace, "cm")

	out, err := e.configMaps.Delete(e.ctx, Namespace, "cm", client.PreconditionUID(cm.UID), client.PreconditionResourceVersion(cm.ResourceVersion))
	if err != nil || out.UID != cm.UID {
		e.t.Fatalf("delete with matching preconditions: %v", err)
	}
	wantNotFound(e, e.configMaps, Namespace, "cm")

	// A re-created object is another object: the old uid no longer matches.
	create(e, e.configMaps, newConfigMap("cm", nil))
	_, err = e.configMaps.Delete(e.ctx, Namespace, "cm", client.PreconditionUID(cm.UID))
	e.wantErr("delete of a re-created object with the old uid", err, store.IsConflict, "Conflict")
}

func testDeleteFinalizers(e *env) {
	cm := newConfigMap("cm", nil)
	cm.Finalizers = []string{"example.com/cleanup"}
	cm = create(e, e.configMaps, cm)
	out, err := e.configMaps.Delete(e.ctx, Namespace, "cm")
	if err != nil {
		e.t.Fatalf("delete: %v", err)
	}
	if out.DeletionTimestamp == nil || !slices.Equal(out.Finalizers, cm.Finalizers) {
		e.t.Fatalf("deleted object with a finalizer: deletionTimestamp %v finalizers %v", out.DeletionTimestamp, out.Finalizers)
	}
	// A second delete of a pending deletion changes nothing.
	again, err := e.configMaps.Delete(e.ctx, Namespace, "cm")
	if err != nil || again.ResourceVersion != out.ResourceVersion {
		e.t.Fatalf("second delete: %v (resourceVersion %v, want %s)", err, again, out.ResourceVersion)
	}
	// No new finalizer may be added to an object being deleted.
	added := out.DeepCopy()
	added.Finalizers = append(added.Finalizers, "example.com/late")
	_, err = e.configMaps.Update(e.ctx, added)
	e.wantErr("adding a finalizer during deletion", err, store.IsInvalid, "Invalid")

	got, err := client.GuaranteedUpdate(e.ctx, e.configMaps, Namespace, "cm", func(c *core.ConfigMap) error {
		meta.RemoveFinalizer(c, "example.com/cleanup")
		return nil
	})
	if err != nil {
		e.t.Fatalf("removing the finalizer: %v", err)
	}
	if got.DeletionTimestamp == nil {
		e.t.Fatal("the update that completed a deletion returned an object without deletionTimestamp")
	}
	wantNotFound(e, e.configMaps, Namespace, "cm")
}

func testDeletePodGracePeriod(e *env) {
	// A pod never bound to a node goes at once.
	create(e, e.pods, newPod("unbound", nil))
	if _, err := e.pods.Delete(e.ctx, Namespace, "unbound"); err != nil {
		e.t.Fatalf("delete unbound pod: %v", err)
	}
	wantNotFound(e, e.pods, Namespace, "unbound")

	// A bound pod waits for its node, 30 seconds by default.
	p := newPod("bound", nil)
	p.Spec.NodeName = "node-1"
	create(e, e.pods, p)
	out, err := e.pods.Delete(e.ctx, Namespace, "bound")
	if err != nil {
		e.t.Fatalf("delete bound pod: %v", err)
	}
	if out.DeletionTimestamp == nil || out.DeletionGracePeriodSeconds == nil || *out.DeletionGracePeriodSeconds != 30 {
		e.t.Fatalf("bound pod after delete: deletionTimestamp %v deletionGracePeriodSeconds %v, want set and 30",
			out.DeletionTimestamp, out.DeletionGracePeriodSeconds)
	}
	// A shorter grace period moves the deadline earlier; 0 removes the pod.
	out2, err := e.pods.Delete(e.ctx, Namespace, "bound", client.GracePeriod(10))
	if err != nil || *out2.DeletionGracePeriodSeconds != 10 || !out2.DeletionTimestamp.Before(out.DeletionTimestamp) {
		e.t.Fatalf("delete with a shorter grace period: %v (pod %+v)", err, out2)
	}
	if _, err := e.pods.Delete(e.ctx, Namespace, "bound", client.GracePeriod(0)); err != nil {
		e.t.Fatalf("delete with grace period 0: %v", err)
	}
	wantNotFound(e, e.pods, Namespace, "bound")
}
