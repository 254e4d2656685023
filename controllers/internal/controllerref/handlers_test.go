package controllerref_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
)

func TestSameController(t *testing.T) {
	ref := func(change func(*meta.OwnerReference)) *meta.OwnerReference {
		r := &meta.OwnerReference{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web", UID: "u1", Controller: new(true)}
		if change != nil {
			change(r)
		}
		return r
	}
	tests := []struct {
		name string
		a, b *meta.OwnerReference
		want bool
	}{
		{"both nil", nil, nil, true},
		{"one nil", ref(nil), nil, false},
		{"other nil", nil, ref(nil), false},
		{"equal", ref(nil), ref(nil), true},
		{"another UID (same name, new object)", ref(nil), ref(func(r *meta.OwnerReference) { r.UID = "u2" }), false},
		{"another name", ref(nil), ref(func(r *meta.OwnerReference) { r.Name = "api" }), false},
		{"another kind", ref(nil), ref(func(r *meta.OwnerReference) { r.Kind = "StatefulSet" }), false},
		{"another version", ref(nil), ref(func(r *meta.OwnerReference) { r.APIVersion = "apps/v1beta2" }), false},
		{"no longer the controller", ref(nil), ref(func(r *meta.OwnerReference) { r.Controller = new(false) }), false},
		{"controller unset and false", ref(func(r *meta.OwnerReference) { r.Controller = nil }), ref(func(r *meta.OwnerReference) { r.Controller = new(false) }), true},
	}
	for _, tt := range tests {
		if got := controllerref.SameController(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: SameController = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMatchingOwners(t *testing.T) {
	cache := informer.NewCache[*apps.ReplicaSet](informer.CacheOptions[*apps.ReplicaSet]{})
	add := func(ns, name string, sel *meta.LabelSelector) {
		cache.Set(&apps.ReplicaSet{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name}, Spec: apps.ReplicaSetSpec{Selector: sel}})
	}
	add("default", "web", &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}})
	add("default", "web-canary", &meta.LabelSelector{MatchLabels: map[string]string{"app": "web", "track": "canary"}})
	add("default", "api", &meta.LabelSelector{MatchLabels: map[string]string{"app": "api"}})
	add("default", "everything", &meta.LabelSelector{})
	add("default", "no-selector", nil)
	add("default", "invalid", &meta.LabelSelector{MatchLabels: map[string]string{"app": "a b"}})
	add("other", "web", &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}})
	lister := informer.NewLister[*apps.ReplicaSet](cache, scheme.GroupResource{Group: "apps", Resource: "replicasets"})
	selectorOf := func(rs *apps.ReplicaSet) *meta.LabelSelector { return rs.Spec.Selector }

	tests := []struct {
		ns   string
		lbls labels.Set
		want string
	}{
		{"default", labels.Set{"app": "web"}, "[web]"},
		{"default", labels.Set{"app": "web", "track": "canary"}, "[web web-canary]"},
		{"default", labels.Set{"app": "db"}, "[]"},                      // the empty selector adopts nothing
		{"other", labels.Set{"app": "web", "track": "canary"}, "[web]"}, // one namespace only
	}
	for _, tt := range tests {
		var names []string
		for _, rs := range controllerref.MatchingOwners(lister, tt.ns, tt.lbls, selectorOf) {
			names = append(names, rs.Name)
		}
		if got := fmt.Sprint(slices.Sorted(slices.Values(names))); got != tt.want {
			t.Errorf("%s %v: %s, want %s", tt.ns, tt.lbls, got, tt.want)
		}
	}
}

func TestAddIndex(t *testing.T) {
	f := informer.NewFactory(nil, informer.FactoryOptions{})
	pods := informer.For[*core.Pod](f)
	// Two controllers sharing the informer both add the conventional indexes: no error.
	for range 2 {
		if err := controllerref.AddControllerUIDIndex("first", pods); err != nil {
			t.Fatal(err)
		}
		if err := controllerref.AddIndex("first", pods, controllerref.IndexOrphans, controllerref.OrphanIndexFunc[*core.Pod]); err != nil {
			t.Fatal(err)
		}
	}
	// Any other failure is returned, prefixed.
	err := controllerref.AddIndex[*core.Pod]("second", pods, "broken", nil)
	if err == nil || errors.Is(err, informer.ErrIndexExists) || !strings.HasPrefix(err.Error(), "second: ") {
		t.Fatalf("a nil index function: %v", err)
	}
}
