package workqueue

import (
	"fmt"
	"testing"

	"pgregory.net/rapid"
)

// TestTableMatchesMap checks the open-addressing index against a Go map under random inserts
// and removals, with a small key space so that probe runs collide, wrap around, grow and shrink.
func TestTableMatchesMap(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		var tab table[int]
		tab.init()
		model := map[int]uint32{}
		keys := rapid.IntRange(0, 5000)
		ops := rapid.IntRange(1, 3000).Draw(rt, "ops")
		for i := range ops {
			k := keys.Draw(rt, "key")
			if rapid.IntRange(0, 2).Draw(rt, "op") > 0 || i < ops/3 { // get or add
				slot, added := tab.getOrAdd(k, tab.hash(k))
				want, had := model[k]
				if had == added || (had && slot != want) {
					rt.Fatalf("getOrAdd(%d) = %d, %v; model %d, %v", k, slot, added, want, had)
				}
				model[k] = slot
			} else if slot, ok := model[k]; ok {
				tab.remove(slot)
				delete(model, k)
			}
			if tab.n != len(model) {
				rt.Fatalf("n = %d, model has %d", tab.n, len(model))
			}
		}
		for k, want := range model {
			if slot, _, ok := tab.get(k, tab.hash(k)); !ok || slot != want {
				rt.Fatalf("get(%d) = %d, %v; want %d", k, slot, ok, want)
			}
		}
		for k := range 5001 {
			if _, ok := model[k]; !ok {
				if _, _, found := tab.get(k, tab.hash(k)); found {
					rt.Fatalf("get(%d) found a removed key", k)
				}
			}
		}
	})
}

func TestTableGrowsAndShrinks(t *testing.T) {
	var tab table[int]
	tab.init()
	const n = 100_000
	for i := range n {
		tab.getOrAdd(i, tab.hash(i))
	}
	if len(tab.buckets.Load().b) < 2*n {
		t.Fatalf("%d buckets for %d items: more than half full", len(tab.buckets.Load().b), n)
	}
	for i := range n {
		slot, _, _ := tab.get(i, tab.hash(i))
		tab.remove(slot)
	}
	if tab.n != 0 || len(tab.buckets.Load().b) > 4096 {
		t.Fatalf("after removing everything: n = %d, %d buckets", tab.n, len(tab.buckets.Load().b))
	}
}

// TestIndexGrowsIntoSpare checks that a large index that is filling up gets its next, larger
// bucket array prepared outside the lock, that growing uses it, and that every item is still
// found and handed out in order afterwards.
func TestIndexGrowsIntoSpare(t *testing.T) {
	q, _ := newTestQueue(t)
	add := func(from, to int) {
		for i := from; i < to; i++ {
			q.Add(fmt.Sprint("ns/", i))
		}
		q.Len() // moves what waits in the inbox into the index
	}
	add(0, 7500) // 16384 buckets, more than 7/16 full: the next size is wanted
	add(7500, 7501)
	if sp := q.tab.spare.Load(); sp == nil || len(sp.b) != 2*spareMin {
		t.Fatalf("no spare bucket array of %d prepared at 7500 items (spare %v)", 2*spareMin, sp)
	}
	add(7501, 9000) // grows past half full
	if q.tab.spare.Load() != nil {
		t.Fatal("the index grew without using the spare array")
	}
	if n := len(q.tab.buckets.Load().b); n != 2*spareMin {
		t.Fatalf("index has %d buckets after growing, want %d", n, 2*spareMin)
	}
	for i := range 9000 {
		got, _ := q.Get()
		if want := fmt.Sprint("ns/", i); got != want {
			t.Fatalf("Get() #%d = %q, want %q", i, got, want)
		}
		q.Done(got)
	}
	if n := q.entries(); n != 0 {
		t.Fatalf("%d entries left after everything is Done", n)
	}
}
