package workqueue

import (
	"fmt"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/skiff-dev/skiff/clock"
	"pgregory.net/rapid"
)

// TestPropertyConcurrentAddGetDone draws random plans of Adds (some with priorities) for several
// producers, and random re-adds for several workers, runs them concurrently, and checks two
// properties: no item is ever held by two workers at once, and no added item is lost (each one
// is handed out after its last Add began).
func TestPropertyConcurrentAddGetDone(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		nItems := rapid.IntRange(1, 8).Draw(rt, "items")
		producers := rapid.IntRange(1, 4).Draw(rt, "producers")
		workers := rapid.IntRange(1, 4).Draw(rt, "workers")
		type add struct{ item, prio int }
		plans := make([][]add, producers)
		for p := range plans {
			n := rapid.IntRange(0, 60).Draw(rt, fmt.Sprint("adds", p))
			for i := range n {
				plans[p] = append(plans[p], add{
					item: rapid.IntRange(0, nItems-1).Draw(rt, fmt.Sprint("item", p, ".", i)),
					prio: rapid.SampledFrom([]int{0, 0, 0, 1, -1}).Draw(rt, fmt.Sprint("prio", p, ".", i)),
				})
			}
		}
		// Workers re-add the item they hold at these positions of their own sequence.
		readd := rapid.SliceOfN(rapid.Bool(), 32, 32).Draw(rt, "readd")

		q := New(Options[int]{Clock: clock.NewFake(epoch), PriorityAging: 2})
		var clk atomic.Int64 // logical time for "last added" / "last handed out"
		lastAddStart := make([]atomic.Int64, nItems)
		lastGet := make([]atomic.Int64, nItems)
		holders := make([]atomic.Int32, nItems)
		var violations atomic.Int32

		var wg sync.WaitGroup
		for w := range workers {
			wg.Go(func() {
				for n := 0; ; n++ {
					item, sd := q.Get()
					if sd {
						return
					}
					if holders[item].Add(1) != 1 {
						violations.Add(1)
					}
					lastGet[item].Store(clk.Add(1))
					if readd[(n+w)%len(readd)] {
						lastAddStart[item].Store(clk.Add(1))
						q.Add(item)
					}
					runtime.Gosched()
					holders[item].Add(-1)
					q.Done(item)
				}
			})
		}
		var pwg sync.WaitGroup
		for _, plan := range plans {
			pwg.Go(func() {
				for _, a := range plan {
					lastAddStart[a.item].Store(clk.Add(1))
					q.AddWithOpts(a.item, AddOpts{Priority: a.prio})
				}
			})
		}
		pwg.Wait()
		// Workers re-add only while they hold an item, so once the queue is empty and nothing is
		// processing no more adds can come: then shut down and let the workers return.
		waitFor(t, q.idle)
		q.ShutDown()
		wg.Wait()

		if v := violations.Load(); v > 0 {
			rt.Fatalf("an item was held by two workers at once (%d times)", v)
		}
		for item := range nItems {
			a, g := lastAddStart[item].Load(), lastGet[item].Load()
			if a > 0 && g < a {
				rt.Fatalf("item %d: last Add began at %d, last handed out at %d: lost", item, a, g)
			}
		}
	})
}

// idle reports whether nothing is queued and nothing is being processed.
func (q *Queue[T]) idle() bool {
	q.lock()
	defer q.mu.Unlock()
	q.collectLocked()
	return q.queued == 0 && q.processing == 0
}

// entries returns how many items have an entry, once the entries released by Done calls without
// the lock are forgotten.
func (q *Queue[T]) entries() int {
	q.lock()
	defer q.mu.Unlock()
	q.collectLocked()
	return q.tab.n
}
