package controller_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
)

// fakeQueue records what handlers add.
type fakeQueue struct{ added []reconcile.Request }

func (q *fakeQueue) Add(r reconcile.Request)                       { q.added = append(q.added, r) }
func (q *fakeQueue) AddAfter(r reconcile.Request, _ time.Duration) { q.added = append(q.added, r) }
func (q *fakeQueue) AddRateLimited(r reconcile.Request)            { q.added = append(q.added, r) }

func TestEnqueueOwner(t *testing.T) {
	sch := scheme.NewBuiltin()
	deploy, _ := sch.ForGVK(scheme.DeploymentGVK)
	node, _ := sch.ForGVK(scheme.NodeGVK)
	ref := func(apiVersion, kind, name string, controller bool) meta.OwnerReference {
		return meta.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: name, UID: "u", Controller: &controller}
	}
	tests := []struct {
		name  string
		owner *scheme.KindInfo
		refs  []meta.OwnerReference
		want  []reconcile.Request
	}{
		{"controller of the kind", deploy, []meta.OwnerReference{ref("apps/v1", "Deployment", "web", true)},
			[]reconcile.Request{{Namespace: "ns", Name: "web"}}},
		{"other version of the group", deploy, []meta.OwnerReference{ref("apps/v1beta1", "Deployment", "web", true)},
			[]reconcile.Request{{Namespace: "ns", Name: "web"}}},
		{"not the controller", deploy, []meta.OwnerReference{ref("apps/v1", "Deployment", "web", false)}, nil},
		{"other kind", deploy, []meta.OwnerReference{ref("apps/v1", "ReplicaSet", "web", true)}, nil},
		{"other group", deploy, []meta.OwnerReference{ref("v1", "Deployment", "web", true)}, nil},
		{"no owner", deploy, nil, nil},
		{"cluster-scoped owner", node, []meta.OwnerReference{ref("v1", "Node", "n1", true)},
			[]reconcile.Request{{Name: "n1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "cm", OwnerReferences: tt.refs}}
			var q fakeQueue
			controller.EnqueueOwner[*core.ConfigMap](tt.owner).Create(context.Background(), cm, &q)
			if !slices.Equal(q.added, tt.want) {
				t.Fatalf("queued %v, want %v", q.added, tt.want)
			}
		})
	}
}

func TestHandlers(t *testing.T) {
	a := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "a", Labels: map[string]string{"to": "x"}}}
	b := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "a", Labels: map[string]string{"to": "y"}}}
	ctx := context.Background()
	var q fakeQueue
	h := controller.EnqueueObject[*core.ConfigMap]{}
	h.Create(ctx, a, &q)
	h.Update(ctx, a, b, &q)
	h.Delete(ctx, b, &q)
	self := reconcile.Request{Namespace: "ns", Name: "a"}
	if !slices.Equal(q.added, []reconcile.Request{self, self, self}) {
		t.Fatalf("EnqueueObject queued %v", q.added)
	}

	q = fakeQueue{}
	m := controller.MapFunc[*core.ConfigMap](func(_ context.Context, c *core.ConfigMap) []reconcile.Request {
		return []reconcile.Request{{Name: c.Labels["to"]}}
	})
	m.Update(ctx, a, b, &q)
	m.Update(ctx, b, b, &q) // a resync maps once
	if !slices.Equal(q.added, []reconcile.Request{{Name: "x"}, {Name: "y"}, {Name: "y"}}) {
		t.Fatalf("MapFunc queued %v", q.added)
	}

	q = fakeQueue{}
	var deleted bool
	f := controller.HandlerFuncs[*core.ConfigMap]{DeleteFunc: func(context.Context, *core.ConfigMap, controller.Queue) { deleted = true }}
	f.Create(ctx, a, &q)
	f.Update(ctx, a, b, &q)
	f.Delete(ctx, a, &q)
	if !deleted || len(q.added) != 0 {
		t.Fatalf("HandlerFuncs: deleted=%v queued %v", deleted, q.added)
	}
}
