package controllerref_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type env struct {
	ctx  context.Context
	c    client.Client
	pods *client.Typed[*core.Pod]
	rss  *client.Typed[*apps.ReplicaSet]
}

func newEnv(t *testing.T) *env {
	t.Helper()
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c := client.NewLocal(st, sch)
	return &env{ctx: context.Background(), c: c, pods: client.For[*core.Pod](c), rss: client.For[*apps.ReplicaSet](c)}
}

func (e *env) rs(t *testing.T, name string) *apps.ReplicaSet {
	t.Helper()
	rs, err := e.rss.Create(e.ctx, &apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec: apps.ReplicaSetSpec{
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": name}},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "c", Image: "nginx"}}},
			},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func (e *env) pod(t *testing.T, ns, name string, lbls map[string]string, owner *apps.ReplicaSet, finalizers ...string) *core.Pod {
	t.Helper()
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Labels: lbls, Finalizers: finalizers},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "c", Image: "nginx"}}},
	}
	if owner != nil {
		p.OwnerReferences = []meta.OwnerReference{controllerref.NewControllerRef(owner, scheme.ReplicaSetGVK)}
	}
	p, err := e.pods.Create(e.ctx, p)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func names(pods []*core.Pod) []string {
	var out []string
	for _, p := range pods {
		out = append(out, p.Name)
	}
	slices.Sort(out)
	return out
}

func TestClaim(t *testing.T) {
	e := newEnv(t)
	web, other := e.rs(t, "web"), e.rs(t, "other")
	webLabels := map[string]string{"app": "web"}
	// A terminating orphan: deleted, kept by a finalizer.
	e.pod(t, "default", "terminating", webLabels, nil, "example.com/hold")
	if _, err := e.pods.Delete(e.ctx, "default", "terminating"); err != nil {
		t.Fatal(err)
	}
	terminating, _ := e.pods.Get(e.ctx, "default", "terminating")
	// An orphan that is adopted by "other" in the store after the cache saw it as an orphan.
	stale := e.pod(t, "default", "stale-orphan", webLabels, nil)
	if _, err := client.GuaranteedUpdate(e.ctx, e.pods, "default", "stale-orphan", func(p *core.Pod) error {
		p.OwnerReferences = []meta.OwnerReference{controllerref.NewControllerRef(other, scheme.ReplicaSetGVK)}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// An orphan the cache still has but the store no longer.
	gone := e.pod(t, "default", "gone", webLabels, nil)
	if _, err := e.pods.Delete(e.ctx, "default", "gone"); err != nil {
		t.Fatal(err)
	}
	candidates := []*core.Pod{
		e.pod(t, "default", "owned", webLabels, web),
		e.pod(t, "default", "owned-relabeled", map[string]string{"app": "moved"}, web),
		e.pod(t, "default", "orphan", webLabels, nil),
		e.pod(t, "default", "orphan-other-labels", map[string]string{"app": "db"}, nil),
		e.pod(t, "default", "others", webLabels, other),
		e.pod(t, "elsewhere", "orphan-other-namespace", webLabels, nil),
		terminating, stale, gone,
	}
	sel := labels.SelectorFromSet(webLabels)
	claimed, err := controllerref.NewClaimer(e.pods, controllerref.NewControllerRef(web, scheme.ReplicaSetGVK), sel,
		controllerref.Options[*core.Pod]{Namespace: "default", CanAdopt: controllerref.RecheckDeletion(e.rss, web)}).Claim(e.ctx, candidates)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := names(claimed), []string{"orphan", "owned"}; !slices.Equal(got, want) {
		t.Fatalf("claimed %v, want %v", got, want)
	}
	check := func(name string, wantOwner *apps.ReplicaSet) {
		t.Helper()
		p, err := e.pods.Get(e.ctx, namespaceOf(name), name)
		if err != nil {
			t.Fatal(err)
		}
		ref := meta.GetControllerOf(p)
		switch {
		case wantOwner == nil && ref != nil:
			t.Errorf("%s: controlled by %s, want an orphan", name, ref.Name)
		case wantOwner != nil && (ref == nil || ref.UID != wantOwner.UID):
			t.Errorf("%s: controller %+v, want %s", name, ref, wantOwner.Name)
		}
	}
	check("owned", web)
	check("orphan", web)
	check("owned-relabeled", nil) // released
	check("orphan-other-labels", nil)
	check("others", other)
	check("orphan-other-namespace", nil)
	check("terminating", nil)
	check("stale-orphan", other)
	if adopted := claimed[slices.IndexFunc(claimed, func(p *core.Pod) bool { return p.Name == "orphan" })]; meta.GetControllerOf(adopted) == nil {
		t.Error("the adopted pod returned is not the updated one")
	}
}

func namespaceOf(name string) string {
	if strings.HasSuffix(name, "other-namespace") {
		return "elsewhere"
	}
	return "default"
}

func TestClaimWhileOwnerDeleting(t *testing.T) {
	e := newEnv(t)
	web := e.rs(t, "web")
	lbls := map[string]string{"app": "web"}
	pods := []*core.Pod{
		e.pod(t, "default", "owned", lbls, web),
		e.pod(t, "default", "owned-relabeled", map[string]string{"app": "x"}, web),
		e.pod(t, "default", "orphan", lbls, nil),
	}
	claimed, err := controllerref.NewClaimer(e.pods, controllerref.NewControllerRef(web, scheme.ReplicaSetGVK), labels.SelectorFromSet(lbls),
		controllerref.Options[*core.Pod]{Namespace: "default", Deleting: true}).Claim(e.ctx, pods)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(claimed); !slices.Equal(got, []string{"owned"}) {
		t.Fatalf("claimed %v, want [owned]", got)
	}
	for _, name := range []string{"owned-relabeled", "orphan"} {
		p, _ := e.pods.Get(e.ctx, "default", name)
		if (name == "orphan") != (meta.GetControllerOf(p) == nil) {
			t.Errorf("%s was adopted or released while its owner is being deleted", name)
		}
	}
}

func TestCanAdoptRefusal(t *testing.T) {
	e := newEnv(t)
	web := e.rs(t, "web")
	lbls := map[string]string{"app": "web"}
	// The owner was deleted and re-created under the same name: another UID.
	if _, err := e.rss.Delete(e.ctx, "default", "web"); err != nil {
		t.Fatal(err)
	}
	e.rs(t, "web")
	pods := []*core.Pod{e.pod(t, "default", "a", lbls, nil), e.pod(t, "default", "b", lbls, nil), e.pod(t, "default", "owned", lbls, web)}
	calls := 0
	check := controllerref.RecheckDeletion(e.rss, web)
	claimed, err := controllerref.NewClaimer(e.pods, controllerref.NewControllerRef(web, scheme.ReplicaSetGVK), labels.SelectorFromSet(lbls),
		controllerref.Options[*core.Pod]{Namespace: "default", CanAdopt: func(ctx context.Context) error { calls++; return check(ctx) }}).Claim(e.ctx, pods)
	if err == nil || !strings.Contains(err.Error(), "is gone") {
		t.Fatalf("Claim error %v, want the owner gone", err)
	}
	if calls != 1 {
		t.Errorf("CanAdopt called %d times, want once", calls)
	}
	if got := names(claimed); !slices.Equal(got, []string{"owned"}) {
		t.Fatalf("claimed %v, want [owned]", got)
	}
}

func TestRecheckDeletion(t *testing.T) {
	e := newEnv(t)
	web := e.rs(t, "web")
	if err := controllerref.RecheckDeletion(e.rss, web)(e.ctx); err != nil {
		t.Fatalf("live owner: %v", err)
	}
	if _, err := client.GuaranteedUpdate(e.ctx, e.rss, "default", "web", func(rs *apps.ReplicaSet) error {
		rs.Finalizers = []string{"example.com/hold"}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.rss.Delete(e.ctx, "default", "web"); err != nil {
		t.Fatal(err)
	}
	if err := controllerref.RecheckDeletion(e.rss, web)(e.ctx); err == nil || !strings.Contains(err.Error(), "has just been deleted") {
		t.Fatalf("deleting owner: %v", err)
	}
	gone := &apps.ReplicaSet{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "nope", UID: "x"}}
	if err := controllerref.RecheckDeletion(e.rss, gone)(e.ctx); err == nil {
		t.Fatal("missing owner accepted")
	}
}

func TestResolve(t *testing.T) {
	web := &apps.ReplicaSet{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web", UID: "u1"}}
	cache := informer.NewCache(informer.CacheOptions[*apps.ReplicaSet]{})
	cache.Set(web)
	lister := informer.NewLister[*apps.ReplicaSet](cache, scheme.GroupResource{Group: "apps", Resource: "replicasets"})
	good := controllerref.NewControllerRef(web, scheme.ReplicaSetGVK)
	tests := []struct {
		name   string
		ref    *meta.OwnerReference
		change func(*meta.OwnerReference)
		ok     bool
	}{
		{"match", &good, nil, true},
		{"nil", nil, nil, false},
		{"other kind", &good, func(r *meta.OwnerReference) { r.Kind = "Deployment" }, false},
		{"other group", &good, func(r *meta.OwnerReference) { r.APIVersion = "extensions/v1beta1" }, false},
		{"other version", &good, func(r *meta.OwnerReference) { r.APIVersion = "apps/v1beta2" }, true},
		{"core group", &good, func(r *meta.OwnerReference) { r.APIVersion = "v1" }, false},
		{"other uid", &good, func(r *meta.OwnerReference) { r.UID = "u2" }, false},
		{"other name", &good, func(r *meta.OwnerReference) { r.Name = "db" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ref := tt.ref
			if ref != nil && tt.change != nil {
				ref = ref.DeepCopy()
				tt.change(ref)
			}
			got, ok := controllerref.Resolve(lister, scheme.ReplicaSetGVK, "default", ref)
			if ok != tt.ok || (ok && got != web) {
				t.Fatalf("Resolve = %v, %v", got, ok)
			}
		})
	}
}
