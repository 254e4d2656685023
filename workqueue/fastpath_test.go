package workqueue

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestAddFastPathPublishesWrites checks the memory-ordering half of Add's lock-free fast path:
// writes made before an Add that returns without locking are visible to the worker that
// processes the item next, as they are after a locked Add. Run it with -race: the adder below
// synchronizes with nothing but the queue's entry state, so if the fast path only loaded the
// state (or a later write to it were a plain store) the race detector would report the read of
// payload.
func TestAddFastPathPublishesWrites(t *testing.T) {
	q, _ := newTestQueue(t)
	for round := range 50 {
		item := fmt.Sprint("ns/", round)
		q.Add(item)
		held, _ := q.Get()
		q.Add(item) // dirty while processing: Done queues it again

		var payload int // written by the adder, read by the next worker
		q.mu.Lock()     // an Add of a dirty item must not need the lock
		go unsyncAdder(q, item, &payload, round+1)
		// Wait for the adder to finish without synchronizing with it: goroutine exit is not a
		// synchronizing event, and looking at goroutine stacks is not one either.
		if !waitUnsynchronized("workqueue.TestAddFastPathPublishesWrites") {
			q.mu.Unlock()
			t.Fatal("Add of a dirty item blocked on the queue's lock")
		}
		q.mu.Unlock()

		q.Done(held)
		got, _ := q.Get()
		if got != item {
			t.Fatalf("round %d: Get() = %q, want %q", round, got, item)
		}
		if payload != round+1 { // the read the race detector checks
			t.Fatalf("round %d: the worker saw payload %d, want %d", round, payload, round+1)
		}
		q.Done(got)
		if q.Len() != 0 {
			t.Fatalf("round %d: Len() = %d after the fast-path Add was processed, want 0", round, q.Len())
		}
	}
}

// TestDoneFastPathPublishesWrites is the same check for Done without the lock: what a worker
// wrote before Done is visible to the worker that processes the item next.
func TestDoneFastPathPublishesWrites(t *testing.T) {
	q, _ := newTestQueue(t)
	for round := range 50 {
		item := fmt.Sprint("ns/", round)
		q.Add(item)
		held, _ := q.Get()

		var payload int // written by the first worker, read by the next
		q.mu.Lock()     // Done of an item that was not added again must not need the lock
		go unsyncDoer(q, held, &payload, round+1)
		if !waitUnsynchronized("workqueue.TestDoneFastPathPublishesWrites") {
			q.mu.Unlock()
			t.Fatal("Done blocked on the queue's lock")
		}
		q.mu.Unlock()

		q.Add(item)
		got, _ := q.Get()
		if got != item {
			t.Fatalf("round %d: Get() = %q, want %q", round, got, item)
		}
		if payload != round+1 { // the read the race detector checks
			t.Fatalf("round %d: the next worker saw payload %d, want %d", round, payload, round+1)
		}
		q.Done(got)
	}
	if n := q.entries(); n != 0 {
		t.Fatalf("%d entries left after everything is Done", n)
	}
}

// unsyncAdder and unsyncDoer write *payload, then Add or Done item.
func unsyncAdder(q *Queue[string], item string, payload *int, v int) {
	*payload = v
	q.Add(item)
}

func unsyncDoer(q *Queue[string], item string, payload *int, v int) {
	*payload = v
	q.Done(item)
}

// waitUnsynchronized waits, for at most ten seconds, until no goroutine created by the function
// creator (its name qualified by the package name) is left, and reports whether that happened.
// It reads the stacks of all goroutines, which (unlike counting goroutines, which another
// test's goroutine exiting can confuse) identifies the goroutines, and is not a synchronizing
// event for the race detector.
func waitUnsynchronized(creator string) bool {
	buf := make([]byte, 1<<20)
	marker := "created by github.com/skiff-dev/skiff/" + creator + " in goroutine"
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		n := runtime.Stack(buf, true)
		if !strings.Contains(string(buf[:n]), marker) {
			return true
		}
		runtime.Gosched()
	}
	return false
}

// TestDoneTwice checks that a second Done of an item, even concurrent with the first, does
// nothing: the queue's counts and entries stay consistent.
func TestDoneTwice(t *testing.T) {
	q, _ := newTestQueue(t)
	for round := range 200 {
		item := fmt.Sprint("ns/", round%7)
		q.Add(item)
		got, _ := q.Get()
		if round%3 == 0 {
			q.Add(item) // dirty: the first Done queues it again
		}
		var wg sync.WaitGroup
		for range 2 {
			wg.Go(func() { q.Done(got) })
		}
		wg.Wait()
		if round%3 == 0 {
			again, _ := q.Get()
			q.Done(again)
			q.Done(again)
		}
		if !q.idle() {
			t.Fatalf("round %d: queue not idle after every item is Done", round)
		}
	}
	if n := q.entries(); n != 0 {
		t.Fatalf("%d entries left after everything is Done", n)
	}
}

// TestAddFastPathUnderChurn hammers the lock-free path of Add while entries are created,
// released and their slots reused, and the index grows and shrinks: a few hot items that stay
// dirty, items that are released after almost every Done, and a stream of fresh items. It
// checks the queue's guarantees (no item held twice, none lost, none invented) and, run with
// -race, the protocol that lets Add read entries without the lock.
func TestAddFastPathUnderChurn(t *testing.T) {
	q, _ := newTestQueue(t)
	const (
		producers = 4
		workers   = 4
		adds      = 20000
		hot       = 8
		churning  = 64
	)
	itemOf := func(p, i int) string {
		switch i % 4 {
		case 0, 1:
			return fmt.Sprint("hot/", (i/4+p)%hot)
		case 2:
			return fmt.Sprint("churn/", (i*7+p)%churning)
		}
		return fmt.Sprint("fresh/", p, "/", i) // grows the index, later shrinks it
	}
	var (
		mu      sync.Mutex // guards lastAdd and added
		lastAdd = map[string]int64{}
		added   = map[string]bool{}
		clk     atomic.Int64
	)
	var lastGet sync.Map // item -> int64: when it was last handed out
	holders := sync.Map{}
	var violations atomic.Int32

	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				item, sd := q.Get()
				if sd {
					return
				}
				if _, loaded := holders.LoadOrStore(item, true); loaded {
					violations.Add(1)
				}
				lastGet.Store(item, clk.Add(1))
				if len(item) > 0 && item[0] == 'c' {
					runtime.Gosched() // let adders find the entry while it is processing
				}
				holders.Delete(item)
				q.Done(item)
			}
		})
	}
	var pwg sync.WaitGroup
	for p := range producers {
		pwg.Go(func() {
			for i := range adds {
				item := itemOf(p, i)
				mu.Lock()
				lastAdd[item] = clk.Add(1)
				added[item] = true
				mu.Unlock()
				q.Add(item)
			}
		})
	}
	pwg.Wait()
	waitFor(t, q.idle)
	q.ShutDown()
	wg.Wait()

	if v := violations.Load(); v > 0 {
		t.Fatalf("an item was held by two workers at once (%d times)", v)
	}
	for item, a := range lastAdd {
		g, ok := lastGet.Load(item)
		if !ok || g.(int64) < a {
			t.Fatalf("item %s: last Add began at %d, last handed out at %v: lost", item, a, g)
		}
	}
	lastGet.Range(func(k, _ any) bool {
		if !added[k.(string)] {
			t.Errorf("item %q handed out but never added", k)
		}
		return true
	})
	if n := q.entries(); n != 0 {
		t.Fatalf("%d entries left after everything is Done", n)
	}
}
