package replicaset

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/expectations"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// discardRecorder drops events.
type discardRecorder struct{}

func (discardRecorder) Event(meta.Object, string, string, string)          {}
func (discardRecorder) Eventf(meta.Object, string, string, string, ...any) {}

var _ controller.EventRecorder = discardRecorder{}

// newTestReconciler returns a Reconciler over a fresh store whose listers are empty (no
// informer runs): for calling the sync's steps directly.
func newTestReconciler(t *testing.T, burst int) (*Reconciler, *client.Typed[*core.Pod]) {
	t.Helper()
	sch := scheme.NewBuiltin()
	clk := clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clk})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c := client.NewLocal(st, sch)
	f := informer.NewFactory(c, informer.FactoryOptions{Scheme: sch, Clock: clk})
	return &Reconciler{
		client:     c,
		rss:        client.For[*apps.ReplicaSet](c),
		pods:       client.For[*core.Pod](c),
		rsLister:   informer.For[*apps.ReplicaSet](f).Lister(),
		podLister:  informer.For[*core.Pod](f).Lister(),
		podControl: podcontrol.New(c, discardRecorder{}),
		exp:        expectations.New[reconcile.Request](clk),
		clock:      clk,
		burst:      burst,
	}, client.For[*core.Pod](c)
}

func testRS(replicas int32) *apps.ReplicaSet {
	return &apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web", UID: "rs-uid"},
		Spec: apps.ReplicaSetSpec{
			Replicas: new(replicas),
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx"}}},
			},
		},
	}
}

// TestManageCreatesAtMostBurst: one sync creates at most BurstReplicas pods, all expected.
func TestManageCreatesAtMostBurst(t *testing.T) {
	r, pods := newTestReconciler(t, DefaultBurstReplicas)
	req := reconcile.Request{Namespace: "default", Name: "web"}
	if err := r.manageReplicas(context.Background(), req, nil, testRS(600)); err != nil {
		t.Fatal(err)
	}
	l, err := pods.List(context.Background(), store.ListOptions{Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Items) != 500 {
		t.Fatalf("%d pods created in one sync, want 500", len(l.Items))
	}
	if adds, _, _ := r.exp.Pending(req); adds != 500 {
		t.Fatalf("%d creations expected, want 500", adds)
	}
	if r.exp.Satisfied(req) {
		t.Fatal("satisfied before the creations were observed")
	}
}

// TestManageDeletesAtMostBurst: one sync deletes at most BurstReplicas pods, by rank, and
// expects each deletion by UID.
func TestManageDeletesAtMostBurst(t *testing.T) {
	r, pods := newTestReconciler(t, 3)
	ctx := context.Background()
	req := reconcile.Request{Namespace: "default", Name: "web"}
	rs := testRS(0)
	var owned []*core.Pod
	for i := range 8 {
		p, err := pods.Create(ctx, &core.Pod{
			ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("web-%d", i), Labels: map[string]string{"app": "web"}},
			Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx"}}},
		})
		if err != nil {
			t.Fatal(err)
		}
		if i < 5 {
			p.Spec.NodeName = "node-1" // scheduled pods go last
		}
		owned = append(owned, p)
	}
	if err := r.manageReplicas(ctx, req, owned, rs); err != nil {
		t.Fatal(err)
	}
	l, err := pods.List(ctx, store.ListOptions{Namespace: "default"})
	if err != nil {
		t.Fatal(err)
	}
	left := map[string]bool{}
	for _, p := range l.Items {
		left[p.Name] = true
	}
	if len(left) != 5 || left["web-5"] || left["web-6"] || left["web-7"] {
		t.Fatalf("left %v, want the five scheduled pods", left)
	}
	if _, dels, _ := r.exp.Pending(req); dels != 3 {
		t.Fatalf("%d deletions expected, want 3", dels)
	}
	// A deletion that finds the pod gone is observed at once and is no error.
	if err := r.manageReplicas(ctx, req, owned[5:6], testRS(0)); err != nil {
		t.Fatalf("deleting a missing pod: %v", err)
	}
	if _, dels, _ := r.exp.Pending(req); dels != 0 {
		t.Fatalf("%d deletions still expected after NotFound", dels)
	}
}
