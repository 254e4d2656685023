package controller_test

import (
	"context"
	"errors"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/storetest"
)

// TestBuilderOwns checks that the events of an owned object reach its controller owner, and
// only when the owner is of the builder's kind and the reference is the controller one.
func TestBuilderOwns(t *testing.T) {
	e := newEnv(t)
	web := create(e, storetest.Deployment("default", "web", 1))
	web.APIVersion, web.Kind = "apps/v1", "Deployment"
	rec := newRecorder(e.ctrlClock, nil)
	if err := controller.NewBuilder[*apps.Deployment](e).Watch(controller.Owns[*core.ConfigMap]()).Complete(rec); err != nil {
		t.Fatal(err)
	}
	rec.waitCalls(t, 1) // web itself, from the initial list

	owned := configMap("owned")
	owned.OwnerReferences = []meta.OwnerReference{meta.NewControllerRef(web)}
	// The references that must be ignored name other owners, so that a wrong mapping would
	// show as a request of another name (the queue would merge requests for web).
	notController := configMap("not-controller")
	ref := meta.NewControllerRef(web)
	ref.Controller, ref.Name = nil, "not-controller-owner"
	notController.OwnerReferences = []meta.OwnerReference{ref}
	otherKind := configMap("other-kind")
	otherKind.OwnerReferences = []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "other-kind-owner", UID: "u1", Controller: ptr(true)}}
	otherGroup := configMap("other-group")
	otherGroup.OwnerReferences = []meta.OwnerReference{{APIVersion: "example.com/v1", Kind: "Deployment", Name: "other-group-owner", UID: "u2", Controller: ptr(true)}}
	for _, cm := range []*core.ConfigMap{notController, otherKind, otherGroup, owned} {
		create(e, cm)
	}
	rec.waitCalls(t, 2)
	// The source delivers events in order, so an ignored object wrongly mapped would have
	// been queued before the owned one; and a second owned object, created after web's
	// reconcile, is reconciled again.
	owned2 := configMap("owned-2")
	owned2.OwnerReferences = []meta.OwnerReference{meta.NewControllerRef(web)}
	create(e, owned2)
	calls := rec.waitCalls(t, 3)
	want := reconcile.Request{Namespace: "default", Name: "web"}
	for _, c := range calls {
		if c.req != want {
			t.Fatalf("reconciled %v, want only %v (calls %v)", c.req, want, calls)
		}
	}
	if len(calls) != 3 {
		t.Fatalf("calls = %v, want 3", calls)
	}
}

// TestBuilderPredicates checks that For's predicates filter its own events: with
// GenerationChanged a label change is not reconciled, a spec change is.
func TestBuilderPredicates(t *testing.T) {
	e := newEnv(t)
	create(e, storetest.Deployment("default", "web", 1))
	rec := newRecorder(e.ctrlClock, nil)
	err := controller.NewBuilder[*apps.Deployment](e).
		Named("filtered").
		WithPredicates(controller.GenerationChanged[*apps.Deployment]{}).
		Complete(rec)
	if err != nil {
		t.Fatal(err)
	}
	rec.waitCalls(t, 1)
	update(e, "default", "web", func(d *apps.Deployment) { d.Labels = map[string]string{"x": "1"} })
	update(e, "default", "web", func(d *apps.Deployment) { d.Spec.Replicas = ptr(int32(3)) })
	rec.waitCalls(t, 2)
	// The spec change was reconciled; the label change (delivered before it) was not: a
	// third deployment event in order proves nothing else is queued.
	create(e, storetest.Deployment("default", "last", 1))
	calls := rec.waitCalls(t, 3)
	if len(calls) != 3 || calls[1].req.Name != "web" || calls[2].req.Name != "last" {
		t.Fatalf("calls = %v, want web, web (spec change), last", calls)
	}
}

// TestBuilderWatches checks a mapped watch and its predicates.
func TestBuilderWatches(t *testing.T) {
	e := newEnv(t)
	create(e, storetest.Deployment("default", "web", 1))
	rec := newRecorder(e.ctrlClock, nil)
	toDeployment := func(_ context.Context, cm *core.ConfigMap) []reconcile.Request {
		if d := cm.Labels["deployment"]; d != "" {
			return []reconcile.Request{{Namespace: cm.Namespace, Name: d}}
		}
		return nil
	}
	c, err := controller.NewBuilder[*apps.Deployment](e).
		Watch(controller.Watches(toDeployment, controller.LabelsChanged[*core.ConfigMap]{})).
		WithWorkers(2).
		Build(rec)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name() != "deployment" {
		t.Errorf("default name = %q, want deployment", c.Name())
	}
	rec.waitCalls(t, 1)
	cm := configMap("settings")
	cm.Labels = map[string]string{"deployment": "web"}
	create(e, cm)
	rec.waitCalls(t, 2)
	// A data change does not pass LabelsChanged; a relabel reconciles old and new targets.
	update(e, "default", "settings", func(cm *core.ConfigMap) { cm.Data = map[string]string{"a": "b"} })
	update(e, "default", "settings", func(cm *core.ConfigMap) { cm.Labels["deployment"] = "api" })
	calls := rec.waitCalls(t, 4)
	got := map[string]int{}
	for _, c := range calls[2:] {
		got[c.req.Name]++
	}
	if got["web"] != 1 || got["api"] != 1 {
		t.Fatalf("after relabel: calls %v, want web and api once each", calls)
	}
}

// TestBuilderRejects checks the kinds a Builder cannot watch.
func TestBuilderRejects(t *testing.T) {
	e := newEnv(t)
	rec := newRecorder(e.ctrlClock, nil)
	if err := controller.NewBuilder[*scheme.Unstructured](e).Complete(rec); !errors.Is(err, controller.ErrUnsupportedKind) {
		t.Errorf("Unstructured: %v, want ErrUnsupportedKind", err)
	}
	if err := controller.NewBuilder[*notRegistered](e).Complete(rec); !errors.Is(err, controller.ErrUnsupportedKind) {
		t.Errorf("unregistered For kind: %v, want ErrUnsupportedKind", err)
	}
	err := controller.NewBuilder[*apps.Deployment](e).Watch(controller.Owns[*notRegistered]()).Complete(rec)
	if !errors.Is(err, controller.ErrUnsupportedKind) {
		t.Errorf("unregistered owned kind: %v, want ErrUnsupportedKind", err)
	}
	if err := controller.NewBuilder[*apps.Deployment](e).Complete(nil); !errors.Is(err, controller.ErrNoReconciler) {
		t.Errorf("nil reconciler: %v, want ErrNoReconciler", err)
	}
	if err := controller.NewBuilder[*apps.Deployment](e).WithWorkers(-1).Complete(rec); err == nil {
		t.Error("negative workers accepted")
	}
}

// notRegistered is a kind no scheme knows.
type notRegistered struct {
	meta.TypeMeta
	meta.ObjectMeta
}

func (n *notRegistered) DeepCopyObject() meta.Object { c := *n; return &c }

func ptr[T any](v T) *T { return &v }

// TestChannelSource feeds a controller from a channel, across a restart.
func TestChannelSource(t *testing.T) {
	e := newEnv(t)
	rec := newRecorder(e.ctrlClock, nil)
	c, err := controller.New("channel", rec, controller.Options{Clock: e.ctrlClock, Logger: discard})
	if err != nil {
		t.Fatal(err)
	}
	ch := make(chan reconcile.Request)
	if err := c.Watch(controller.Channel(ch)); err != nil {
		t.Fatal(err)
	}
	stop := e.run(c)
	ch <- reconcile.Request{Name: "one"}
	rec.waitCalls(t, 1)
	stop()
	e.run(c)
	ch <- reconcile.Request{Name: "two"}
	if calls := rec.waitCalls(t, 2); calls[1].req.Name != "two" {
		t.Fatalf("calls = %v", calls)
	}
}
