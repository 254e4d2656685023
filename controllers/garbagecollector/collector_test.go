package garbagecollector_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/garbagecollector"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const ns = "default"

// holdFinalizer keeps a dependent around (with a deletionTimestamp) until the test lets go.
const holdFinalizer = "test.skiff.dev/hold"

// env is a running manager with a garbage collector and typed clients.
type env struct {
	*managertest.Env
	cms *client.Typed[*core.ConfigMap]
}

// start runs a garbage collector on a fresh store. before, if set, writes objects before the
// collector starts.
func start(t *testing.T, sch *scheme.Scheme, before func(e *env)) *env {
	t.Helper()
	me := managertest.New(t, managertest.Options{Scheme: sch})
	e := &env{Env: me, cms: client.For[*core.ConfigMap](me.Client)}
	if before != nil {
		before(e)
	}
	if _, err := garbagecollector.Add(me.Manager, garbagecollector.Options{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	me.Start(t)
	return e
}

// ref is an owner reference to o.
func ref(o meta.Object, block bool) meta.OwnerReference {
	r := meta.NewControllerRef(o)
	r.Controller = nil
	r.BlockOwnerDeletion = &block
	return r
}

func (e *env) create(t *testing.T, name string, finalizers []string, owners ...meta.OwnerReference) *core.ConfigMap {
	t.Helper()
	cm, err := e.cms.Create(context.Background(), &core.ConfigMap{ObjectMeta: meta.ObjectMeta{
		Namespace: ns, Name: name, OwnerReferences: owners, Finalizers: finalizers,
	}})
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

func (e *env) get(t *testing.T, name string) (*core.ConfigMap, bool) {
	t.Helper()
	cm, err := e.cms.Get(context.Background(), ns, name)
	if store.IsNotFound(err) {
		return nil, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return cm, true
}

func (e *env) exists(t *testing.T, name string) bool {
	_, ok := e.get(t, name)
	return ok
}

func (e *env) release(t *testing.T, name string) {
	t.Helper()
	_, err := client.GuaranteedUpdate(context.Background(), e.cms, ns, name, func(cm *core.ConfigMap) error {
		meta.RemoveFinalizer(cm, holdFinalizer)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// eventually polls cond, stepping the fake clock so that retries after conflicts happen.
func (e *env) eventually(t *testing.T, msg string, cond func() bool) {
	t.Helper()
	planetest.Eventually(t, cond, planetest.Stepping(e.Clock, 50*time.Millisecond), planetest.Message("%s", msg))
}

func gone(t *testing.T, e *env, names ...string) func() bool {
	return func() bool {
		for _, n := range names {
			if e.exists(t, n) {
				return false
			}
		}
		return true
	}
}

func ownerUIDs(cm *core.ConfigMap) []meta.UID {
	var out []meta.UID
	for _, r := range cm.OwnerReferences {
		out = append(out, r.UID)
	}
	return out
}

// TestPropagationPolicies deletes an owner of two dependents, one of which blocks owner
// deletion (and is held by a finalizer of the test), with each policy.
func TestPropagationPolicies(t *testing.T) {
	tests := []struct {
		policy meta.DeletionPropagation
		check  func(t *testing.T, e *env, other *core.ConfigMap)
	}{
		{meta.DeletePropagationBackground, func(t *testing.T, e *env, _ *core.ConfigMap) {
			if e.exists(t, "owner") {
				t.Fatal("a background delete left the owner")
			}
			e.eventually(t, "the plain dependent deleted", gone(t, e, "plain"))
			e.eventually(t, "the blocking dependent marked for deletion", func() bool {
				cm, ok := e.get(t, "blocking")
				return ok && cm.DeletionTimestamp != nil
			})
			e.release(t, "blocking")
			e.eventually(t, "the blocking dependent deleted", gone(t, e, "blocking"))
		}},
		{meta.DeletePropagationForeground, func(t *testing.T, e *env, _ *core.ConfigMap) {
			e.eventually(t, "the plain dependent deleted", gone(t, e, "plain"))
			e.eventually(t, "the blocking dependent marked for deletion", func() bool {
				cm, ok := e.get(t, "blocking")
				return ok && cm.DeletionTimestamp != nil
			})
			owner, ok := e.get(t, "owner")
			if !ok || owner.DeletionTimestamp == nil || !meta.HasFinalizer(owner, meta.FinalizerDeleteDependents) {
				t.Fatalf("the owner must wait for its blocking dependent with foregroundDeletion, got %+v", owner)
			}
			e.release(t, "blocking")
			e.eventually(t, "the owner deleted once its blocking dependent is gone", gone(t, e, "blocking", "owner"))
		}},
		{meta.DeletePropagationOrphan, func(t *testing.T, e *env, other *core.ConfigMap) {
			e.eventually(t, "the owner deleted", gone(t, e, "owner"))
			for _, name := range []string{"blocking", "plain"} {
				cm, ok := e.get(t, name)
				if !ok || cm.DeletionTimestamp != nil {
					t.Fatalf("orphan deletion deleted dependent %s", name)
				}
				if uids := ownerUIDs(cm); !slices.Equal(uids, []meta.UID{other.UID}) {
					t.Errorf("%s has owner uids %v, want only the other owner's %v", name, uids, other.UID)
				}
			}
			e.release(t, "blocking")
		}},
	}
	for _, tc := range tests {
		t.Run(string(tc.policy), func(t *testing.T) {
			e := start(t, nil, nil)
			owner := e.create(t, "owner", nil)
			var other *core.ConfigMap
			var extra []meta.OwnerReference
			if tc.policy == meta.DeletePropagationOrphan {
				// Orphaning removes the deleted owner's reference and keeps the others.
				other = e.create(t, "other", nil)
				extra = append(extra, ref(other, false))
			}
			e.create(t, "blocking", []string{holdFinalizer}, append([]meta.OwnerReference{ref(owner, true)}, extra...)...)
			e.create(t, "plain", nil, append([]meta.OwnerReference{ref(owner, false)}, extra...)...)
			if _, err := e.cms.Delete(context.Background(), ns, "owner", client.PropagationPolicy(tc.policy)); err != nil {
				t.Fatal(err)
			}
			tc.check(t, e, other)
		})
	}
}

// TestDanglingOwners collects dependents whose owners do not exist (404, or another uid
// under the owner's name), whether they exist before the collector starts or are created
// while it runs, and strips dangling references from dependents that still have a live
// owner.
func TestDanglingOwners(t *testing.T) {
	missing := meta.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "missing", UID: "no-such-uid"}
	tests := []struct {
		name   string
		before bool // create the objects before the collector starts
	}{
		{"at start", true},
		{"while running", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var live *core.ConfigMap
			setup := func(e *env) {
				live = e.create(t, "live", nil)
				stale := ref(live, false)
				stale.UID = "old-uid-of-live" // the name exists, the uid does not
				e.create(t, "dangling", nil, missing)
				e.create(t, "replaced-owner", nil, stale)
				e.create(t, "kept", nil, missing, ref(live, true))
			}
			var e *env
			if tc.before {
				e = start(t, nil, setup)
			} else {
				e = start(t, nil, nil)
				setup(e)
			}
			e.eventually(t, "dependents of missing owners deleted", gone(t, e, "dangling", "replaced-owner"))
			e.eventually(t, "the dangling reference of a dependent with a live owner removed", func() bool {
				cm, ok := e.get(t, "kept")
				return ok && slices.Equal(ownerUIDs(cm), []meta.UID{live.UID})
			})
			if !e.exists(t, "live") {
				t.Fatal("the live owner was deleted")
			}
		})
	}
}

// TestForegroundCascade deletes a three-level hierarchy in the foreground: the middle
// object, having dependents of its own, is deleted in the foreground too, so the root
// disappears only after the leaf.
func TestForegroundCascade(t *testing.T) {
	e := start(t, nil, nil)
	root := e.create(t, "root", nil)
	middle := e.create(t, "middle", nil, ref(root, true))
	e.create(t, "leaf", []string{holdFinalizer}, ref(middle, true))
	if _, err := e.cms.Delete(context.Background(), ns, "root", client.PropagationPolicy(meta.DeletePropagationForeground)); err != nil {
		t.Fatal(err)
	}
	e.eventually(t, "the leaf marked for deletion", func() bool {
		cm, ok := e.get(t, "leaf")
		return ok && cm.DeletionTimestamp != nil
	})
	for _, name := range []string{"root", "middle"} {
		cm, ok := e.get(t, name)
		if !ok || !meta.HasFinalizer(cm, meta.FinalizerDeleteDependents) {
			t.Fatalf("%s must wait in the foreground while the leaf exists, got %+v", name, cm)
		}
	}
	e.release(t, "leaf")
	e.eventually(t, "the whole hierarchy deleted", gone(t, e, "leaf", "middle", "root"))
}

// TestUnresolvableOwner keeps a dependent whose owner reference names a kind the scheme
// does not know, as Kubernetes does.
func TestUnresolvableOwner(t *testing.T) {
	e := start(t, nil, nil)
	e.create(t, "odd", nil, meta.OwnerReference{APIVersion: "example.com/v1", Kind: "Widget", Name: "w", UID: "widget-uid"})
	e.create(t, "dangling", nil, meta.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "missing", UID: "missing-uid"})
	// Once the collector has acted on the dangling one, it has also seen the odd one.
	e.eventually(t, "the dependent of a missing owner deleted", gone(t, e, "dangling"))
	if !e.exists(t, "odd") {
		t.Fatal("a dependent of an unresolvable owner was deleted")
	}
}

// TestUnstructuredKind collects objects of a kind without a Go type, which the collector
// watches through an informer of its own, and pods, which are deleted gracefully.
func TestUnstructuredAndPods(t *testing.T) {
	sch := scheme.NewBuiltin()
	gvk := scheme.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}
	if err := sch.RegisterUnstructured(scheme.UnstructuredKind{GVK: gvk, Plural: "widgets", Namespaced: true}); err != nil {
		t.Fatal(err)
	}
	e := start(t, sch, nil)
	ctx := context.Background()
	owner := e.create(t, "owner", nil)
	widgets := client.ForKind[*scheme.Unstructured](e.Client, gvk)
	w := &scheme.Unstructured{Content: map[string]any{}}
	w.Namespace, w.Name, w.OwnerReferences = ns, "w", []meta.OwnerReference{ref(owner, true)}
	if _, err := widgets.Create(ctx, w); err != nil {
		t.Fatal(err)
	}
	pods := client.For[*core.Pod](e.Client)
	for _, node := range []string{"", "node-1"} {
		p := &core.Pod{
			ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: "pod" + node, OwnerReferences: []meta.OwnerReference{ref(owner, true)}},
			Spec:       core.PodSpec{NodeName: node, Containers: []core.Container{{Name: "c", Image: "busybox"}}},
		}
		if _, err := pods.Create(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := e.cms.Delete(ctx, ns, "owner"); err != nil {
		t.Fatal(err)
	}
	e.eventually(t, "the widget and the unbound pod deleted", func() bool {
		_, werr := widgets.Get(ctx, ns, "w")
		_, perr := pods.Get(ctx, ns, "pod")
		return store.IsNotFound(werr) && store.IsNotFound(perr)
	})
	e.eventually(t, "the bound pod terminating gracefully", func() bool {
		p, err := pods.Get(ctx, ns, "podnode-1")
		return err == nil && p.DeletionTimestamp != nil && *p.DeletionGracePeriodSeconds == 30
	})
}

// TestOrphanedOwnerRemembered: a dependent the collector sees only after it orphaned the
// owner's dependents (its informer lagged behind the owner's) is orphaned too, not
// collected.
func TestOrphanedOwnerRemembered(t *testing.T) {
	e := start(t, nil, nil)
	owner := e.create(t, "owner", nil)
	e.create(t, "dependent", nil, ref(owner, true))
	if _, err := e.cms.Delete(context.Background(), ns, "owner", client.PropagationPolicy(meta.DeletePropagationOrphan)); err != nil {
		t.Fatal(err)
	}
	e.eventually(t, "the owner deleted", gone(t, e, "owner"))
	e.create(t, "late", nil, ref(owner, true))
	e.create(t, "marker", nil, meta.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "missing", UID: "missing-uid"})
	e.eventually(t, "the late dependent orphaned", func() bool {
		cm, ok := e.get(t, "late")
		return ok && len(cm.OwnerReferences) == 0
	})
	e.eventually(t, "a dependent of an owner never orphaned collected", gone(t, e, "marker"))
	if cm, ok := e.get(t, "dependent"); !ok || len(cm.OwnerReferences) != 0 {
		t.Fatalf("the dependent was not orphaned: %+v", cm)
	}
}

// TestRestart removes the collector from its manager and adds it back: the new run rebuilds
// the graph and collects what became dangling meanwhile.
func TestRestart(t *testing.T) {
	me := managertest.New(t, managertest.Options{})
	e := &env{Env: me, cms: client.For[*core.ConfigMap](me.Client)}
	gc, err := garbagecollector.Add(me.Manager, garbagecollector.Options{})
	if err != nil {
		t.Fatal(err)
	}
	me.Start(t)
	owner := e.create(t, "owner", nil)
	e.create(t, "first", nil, ref(owner, false))
	if err := me.Manager.Remove(gc); err != nil {
		t.Fatal(err)
	}
	if _, err := e.cms.Delete(context.Background(), ns, "owner"); err != nil {
		t.Fatal(err)
	}
	if err := me.Manager.Add(gc); err != nil {
		t.Fatal(err)
	}
	e.eventually(t, "the dependent collected after the restart", gone(t, e, "first"))
}
