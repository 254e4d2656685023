package garbagecollector

import (
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

func boolPtr(b bool) *bool { return &b }

func TestDiffOwners(t *testing.T) {
	a := meta.OwnerReference{UID: "a", BlockOwnerDeletion: boolPtr(true)}
	aFree := meta.OwnerReference{UID: "a", BlockOwnerDeletion: boolPtr(false)}
	b := meta.OwnerReference{UID: "b"}
	c := meta.OwnerReference{UID: "c", BlockOwnerDeletion: boolPtr(true)}
	tests := []struct {
		name                      string
		old, cur                  []meta.OwnerReference
		added, removed, unblocked []meta.UID
	}{
		{"none", nil, nil, nil, nil, nil},
		{"added", []meta.OwnerReference{a}, []meta.OwnerReference{a, b}, []meta.UID{"b"}, nil, nil},
		{"removed blocking", []meta.OwnerReference{a, b}, []meta.OwnerReference{b}, nil, []meta.UID{"a"}, []meta.UID{"a"}},
		{"removed plain", []meta.OwnerReference{a, b}, []meta.OwnerReference{a}, nil, []meta.UID{"b"}, nil},
		{"unblocked", []meta.OwnerReference{a}, []meta.OwnerReference{aFree}, nil, nil, []meta.UID{"a"}},
		{"blocked again", []meta.OwnerReference{aFree}, []meta.OwnerReference{a}, nil, nil, nil},
		{"replaced", []meta.OwnerReference{a}, []meta.OwnerReference{c}, []meta.UID{"c"}, []meta.UID{"a"}, []meta.UID{"a"}},
	}
	uids := func(refs []meta.OwnerReference) []meta.UID {
		var out []meta.UID
		for _, r := range refs {
			out = append(out, r.UID)
		}
		return out
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			added, removed, unblocked := diffOwners(tc.old, tc.cur)
			if !slices.Equal(uids(added), tc.added) || !slices.Equal(uids(removed), tc.removed) || !slices.Equal(unblocked, tc.unblocked) {
				t.Errorf("got added %v removed %v unblocked %v, want %v %v %v",
					uids(added), uids(removed), unblocked, tc.added, tc.removed, tc.unblocked)
			}
		})
	}
}

// recorder collects the uids a graph queues.
type recorder struct{ deletes, orphans []meta.UID }

func (r *recorder) reset() { r.deletes, r.orphans = nil, nil }

func cm(name string, uid meta.UID, mutate ...func(*core.ConfigMap)) *core.ConfigMap {
	c := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: name, UID: uid}}
	for _, m := range mutate {
		m(c)
	}
	return c
}

func owned(uid meta.UID, block bool) func(*core.ConfigMap) {
	return func(c *core.ConfigMap) {
		c.OwnerReferences = append(c.OwnerReferences, meta.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "o-" + string(uid), UID: uid, BlockOwnerDeletion: &block})
	}
}

func deleting(finalizers ...string) func(*core.ConfigMap) {
	return func(c *core.ConfigMap) {
		ts := meta.Now()
		c.DeletionTimestamp, c.Finalizers = &ts, finalizers
	}
}

// TestGraphTransitions walks the graph through the events of one owner and its dependents
// and checks what it queues at each step.
func TestGraphTransitions(t *testing.T) {
	var r recorder
	g := newGraph(func(u meta.UID) { r.deletes = append(r.deletes, u) }, func(u meta.UID) { r.orphans = append(r.orphans, u) })
	gvk := scheme.ConfigMapGVK
	steps := []struct {
		name             string
		apply            func()
		deletes, orphans []meta.UID
		nodes            int
	}{
		{"a dependent first: its owner is virtual and checked", func() { g.observe(gvk, cm("d1", "d1", owned("o", true))) }, []meta.UID{"o"}, nil, 2},
		{"the owner observed", func() { g.observe(gvk, cm("o-o", "o")) }, nil, nil, 2},
		{"a second dependent", func() { g.observe(gvk, cm("d2", "d2", owned("o", false))) }, nil, nil, 3},
		{"foreground deletion starts: dependents and owner queued", func() { g.observe(gvk, cm("o-o", "o", deleting(meta.FinalizerDeleteDependents))) },
			[]meta.UID{"d1", "d2", "o"}, nil, 3},
		{"a late dependent of a foreground-deleting owner is queued", func() { g.observe(gvk, cm("d3", "d3", owned("o", false))) }, []meta.UID{"d3"}, nil, 4},
		{"a dependent gone: the waiting owner queued", func() { g.forget(cm("d1", "d1", owned("o", true))) }, []meta.UID{"o"}, nil, 3},
		{"the owner gone: its dependents queued", func() { g.forget(cm("o-o", "o")) }, []meta.UID{"d2", "d3"}, nil, 2},
		{"orphan deletion starts", func() { g.observe(gvk, cm("d2", "d2", deleting(meta.FinalizerOrphanDependents))) }, nil, []meta.UID{"d2"}, 2},
		{"still orphaning: nothing new", func() {
			g.observe(gvk, cm("d2", "d2", deleting(meta.FinalizerOrphanDependents), func(c *core.ConfigMap) { c.Labels = map[string]string{"x": "y"} }))
		}, nil, nil, 2},
		{"an absent virtual owner leaves with its dependents queued", func() {
			g.observe(gvk, cm("d4", "d4", owned("v", true)))
			g.absent(ownerRef(meta.OwnerReference{APIVersion: "v1", Kind: "ConfigMap", Name: "o-v", UID: "v"}, "ns"))
		}, []meta.UID{"d4", "v"}, nil, 3},
	}
	for _, s := range steps {
		r.reset()
		s.apply()
		slices.Sort(r.deletes)
		if !slices.Equal(r.deletes, s.deletes) || !slices.Equal(r.orphans, s.orphans) || g.len() != s.nodes {
			t.Errorf("%s: queued deletes %v orphans %v with %d nodes, want %v %v with %d", s.name, r.deletes, r.orphans, g.len(), s.deletes, s.orphans, s.nodes)
		}
	}
	st, ok := g.state("d2")
	if !ok || !st.beingDeleted || st.deletingDependents {
		t.Errorf("state of d2: %+v", st)
	}
}
