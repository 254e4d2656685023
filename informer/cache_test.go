package informer_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/informer"
)

func byNode(p *core.Pod) []string {
	if p.Spec.NodeName == "" {
		return nil
	}
	return []string{p.Spec.NodeName}
}

func onNode(p *core.Pod, node string) *core.Pod { p.Spec.NodeName = node; return p }

func ownedBy(p *core.Pod, uid meta.UID) *core.Pod {
	yes := true
	p.OwnerReferences = []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "rs", UID: uid, Controller: &yes}}
	return p
}

func names(ps []*core.Pod) []string {
	out := make([]string, len(ps))
	for i, p := range ps {
		out[i] = meta.Key(p)
	}
	slices.Sort(out)
	return out
}

func TestCacheIndexes(t *testing.T) {
	c := informer.NewCache(informer.CacheOptions[*core.Pod]{Indexers: informer.Indexers[*core.Pod]{"node": byNode}})
	c.Set(onNode(pod("ns", "a", 1), "n1"))
	c.Set(onNode(pod("ns", "b", 1), "n1"))
	c.Set(pod("other", "c", 1))
	c.Set(&core.Pod{ObjectMeta: meta.ObjectMeta{Name: "cluster-scoped"}})

	tests := []struct {
		index, value string
		want         []string
	}{
		{informer.NamespaceIndex, "ns", []string{"ns/a", "ns/b"}},
		{informer.NamespaceIndex, "other", []string{"other/c"}},
		{informer.NamespaceIndex, "", []string{}},
		{"node", "n1", []string{"ns/a", "ns/b"}},
		{"node", "n2", []string{}},
	}
	check := func(step string) {
		t.Helper()
		for _, tt := range tests {
			got, err := c.ByIndex(tt.index, tt.value)
			if err != nil || !slices.Equal(names(got), tt.want) {
				t.Errorf("%s: ByIndex(%s, %q) = %v, %v; want %v", step, tt.index, tt.value, names(got), err, tt.want)
			}
		}
	}
	check("initial")

	// Moving a pod between nodes refiles it; an index value left empty disappears.
	old, existed := c.Set(onNode(pod("ns", "b", 2), "n2"))
	if !existed || old.ResourceVersion != "1" {
		t.Fatalf("Set returned %v, %v", old, existed)
	}
	tests[3].want = []string{"ns/a"}
	tests[4].want = []string{"ns/b"}
	check("after moving b")

	// An index added later covers the objects already cached.
	if err := c.AddIndexers(informer.Indexers[*core.Pod]{informer.IndexControllerUID: informer.ControllerUIDIndexFunc[*core.Pod]}); err != nil {
		t.Fatal(err)
	}
	c.Set(ownedBy(pod("other", "c", 2), "rs-uid"))
	c.Set(ownedBy(pod("ns", "d", 1), "rs-uid"))
	tests = append(tests, struct {
		index, value string
		want         []string
	}{informer.IndexControllerUID, "rs-uid", []string{"ns/d", "other/c"}})
	tests[0].want = []string{"ns/a", "ns/b", "ns/d"}
	check("after the owner index")

	if _, ok := c.Delete("ns/d"); !ok {
		t.Fatal("Delete(ns/d) found nothing")
	}
	if _, ok := c.Delete("ns/d"); ok {
		t.Fatal("second Delete(ns/d) found something")
	}
	tests[0].want = []string{"ns/a", "ns/b"}
	tests[5].want = []string{"other/c"}
	check("after deleting d")

	if got := c.Len(); got != 4 {
		t.Errorf("Len = %d, want 4", got)
	}
	keys := c.Keys()
	slices.Sort(keys)
	if want := []string{"cluster-scoped", "ns/a", "ns/b", "other/c"}; !slices.Equal(keys, want) {
		t.Errorf("Keys = %v, want %v", keys, want)
	}
	if p, ok := c.Get("cluster-scoped"); !ok || p.Name != "cluster-scoped" {
		t.Errorf("Get(cluster-scoped) = %v, %v", p, ok)
	}
}

func TestCacheIndexErrors(t *testing.T) {
	c := informer.NewCache(informer.CacheOptions[*core.Pod]{})
	if _, err := c.ByIndex("nope", "x"); !errors.Is(err, informer.ErrUnknownIndex) {
		t.Errorf("ByIndex of an unknown index: %v", err)
	}
	for _, name := range []string{informer.NamespaceIndex, "node"} {
		_ = c.AddIndexers(informer.Indexers[*core.Pod]{"node": byNode})
		if err := c.AddIndexers(informer.Indexers[*core.Pod]{name: byNode}); !errors.Is(err, informer.ErrIndexExists) {
			t.Errorf("AddIndexers(%s) again: %v, want ErrIndexExists", name, err)
		}
	}
}

// mustPanicWith runs f and fails unless it panics with a message containing want.
func mustPanicWith(t *testing.T, want string, f func()) {
	t.Helper()
	defer func() {
		t.Helper()
		r := recover()
		if r == nil || !strings.Contains(fmt.Sprint(r), want) {
			t.Errorf("panic %v, want one mentioning %q", r, want)
		}
	}()
	f()
}

func TestMutationDetection(t *testing.T) {
	newCache := func() *informer.Cache[*core.Pod] {
		return informer.NewCache(informer.CacheOptions[*core.Pod]{MutationCheck: informer.MutationCheckOn})
	}
	t.Run("on update", func(t *testing.T) {
		c := newCache()
		p := pod("ns", "a", 1)
		c.Set(p)
		p.Labels = map[string]string{"oops": "modified"}
		mustPanicWith(t, `"ns/a" was modified`, func() { c.Set(pod("ns", "a", 2)) })
	})
	t.Run("on delete", func(t *testing.T) {
		c := newCache()
		c.Set(pod("ns", "a", 1))
		got, _ := c.Get("ns/a")
		got.Spec.Containers[0].Image = "evil"
		mustPanicWith(t, `"ns/a" was modified`, func() { c.Delete("ns/a") })
	})
	t.Run("untouched objects pass", func(t *testing.T) {
		c := newCache()
		c.Set(pod("ns", "a", 1, "x=y"))
		c.Set(pod("ns", "a", 2, "x=y"))
		c.Delete("ns/a")
	})
	t.Run("auto is on in tests", func(t *testing.T) {
		c := informer.NewCache(informer.CacheOptions[*core.Pod]{})
		p := pod("ns", "a", 1)
		c.Set(p)
		p.Name = "renamed"
		mustPanicWith(t, `"ns/a" was modified`, func() { c.Delete("ns/a") })
	})
	t.Run("env var turns it off", func(t *testing.T) {
		t.Setenv(informer.MutationCheckEnv, "false")
		c := informer.NewCache(informer.CacheOptions[*core.Pod]{})
		p := pod("ns", "a", 1)
		c.Set(p)
		p.Labels = map[string]string{"x": "y"}
		c.Delete("ns/a") // no panic
	})
}
