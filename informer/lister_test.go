package informer_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/store"
)

// listOnly is an Indexer that is not a *Cache, to test the Lister's general path.
type listOnly struct{ informer.Indexer[*core.Pod] }

func TestLister(t *testing.T) {
	c := informer.NewCache(informer.CacheOptions[*core.Pod]{Indexers: informer.Indexers[*core.Pod]{"node": byNode}})
	c.Set(pod("ns", "a", 1, "app=web"))
	c.Set(onNode(pod("ns", "b", 1, "app=db"), "n1"))
	c.Set(pod("other", "c", 1, "app=web"))
	web, err := labels.Parse("app=web")
	if err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string]informer.Lister[*core.Pod]{
		"cache":   informer.NewLister[*core.Pod](c, podsResource),
		"indexer": informer.NewLister[*core.Pod](listOnly{c}, podsResource),
	} {
		t.Run(name, func(t *testing.T) {
			for _, tt := range []struct {
				what string
				got  []*core.Pod
				want []string
			}{
				{"List(nil)", l.List(nil), []string{"ns/a", "ns/b", "other/c"}},
				{"List(Everything)", l.List(labels.Everything()), []string{"ns/a", "ns/b", "other/c"}},
				{"List(app=web)", l.List(web), []string{"ns/a", "other/c"}},
				{"List(Nothing)", l.List(labels.Nothing()), []string{}},
				{"Namespace(ns).List(nil)", l.Namespace("ns").List(nil), []string{"ns/a", "ns/b"}},
				{"Namespace(ns).List(app=web)", l.Namespace("ns").List(web), []string{"ns/a"}},
				{"Namespace(empty).List(nil)", l.Namespace("empty").List(nil), []string{}},
				{`Namespace("").List(app=web)`, l.Namespace("").List(web), []string{"ns/a", "other/c"}},
			} {
				if got := names(tt.got); !slices.Equal(got, tt.want) {
					t.Errorf("%s = %v, want %v", tt.what, got, tt.want)
				}
			}
			if p, err := l.Namespace("other").Get("c"); err != nil || p.Name != "c" {
				t.Errorf("Get(other/c) = %v, %v", p, err)
			}
			_, err := l.Namespace("ns").Get("c")
			if !store.IsNotFound(err) || err.Error() != `pods "c" not found` {
				t.Errorf("Get(ns/c) error = %v, want NotFound", err)
			}
			if _, err := l.Get("a"); !store.IsNotFound(err) {
				t.Errorf("cluster-scoped Get(a) error = %v, want NotFound", err)
			}
			got, err := l.ByIndex("node", "n1")
			if err != nil || !slices.Equal(names(got), []string{"ns/b"}) {
				t.Errorf("ByIndex(node, n1) = %v, %v", names(got), err)
			}
			if _, err := l.ByIndex("nope", ""); !errors.Is(err, informer.ErrUnknownIndex) {
				t.Errorf("ByIndex(nope) error = %v", err)
			}
		})
	}
}
