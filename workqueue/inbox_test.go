package workqueue

import (
	"fmt"
	"testing"
)

// TestAddNewItemWithoutLock checks that Add of an item the queue does not track yet completes
// while another goroutine holds the lock (it leaves the item in the inbox), that the item is
// then counted and handed out, and, under -race, that what the adder wrote before Add is
// visible to the worker: the adder synchronizes with nothing but the inbox.
func TestAddNewItemWithoutLock(t *testing.T) {
	q, _ := newTestQueue(t)
	for round := range 20 {
		item := fmt.Sprint("ns/new-", round)
		var payload int
		q.mu.Lock()
		go unsyncAdder(q, item, &payload, round+1)
		if !waitUnsynchronized("workqueue.TestAddNewItemWithoutLock") {
			q.mu.Unlock()
			t.Fatal("Add of a new item blocked on the queue's lock")
		}
		q.mu.Unlock()
		if n := q.Len(); n != 1 {
			t.Fatalf("round %d: Len() = %d after the Add, want 1", round, n)
		}
		got, shutdown := q.Get()
		if shutdown || got != item {
			t.Fatalf("round %d: Get() = %q, %v; want %q, false", round, got, shutdown, item)
		}
		if payload != round+1 { // the read the race detector checks
			t.Fatalf("round %d: the worker saw payload %d, want %d", round, payload, round+1)
		}
		q.Done(got)
	}
}

// TestInboxOverflowKeepsOrder adds more items than the inbox holds, with duplicates, before
// any Get: the adds past its capacity take the lock, which must first move what the inbox holds,
// so the order stays FIFO and each item comes out once.
func TestInboxOverflowKeepsOrder(t *testing.T) {
	q, _ := newTestQueue(t)
	const n = 3*inboxSize + 7
	for i := range n {
		q.Add(fmt.Sprint("ns/", i))
		if i%5 == 0 {
			q.Add(fmt.Sprint("ns/", i/2)) // already added: no new place in the order
		}
	}
	if got := q.Len(); got != n {
		t.Fatalf("Len() = %d, want %d", got, n)
	}
	for i := range n {
		got, _ := q.Get()
		if want := fmt.Sprint("ns/", i); got != want {
			t.Fatalf("Get() #%d = %q, want %q", i, got, want)
		}
		q.Done(got)
	}
}

// TestInboxAndShutDown checks that adds still in the inbox when ShutDown is called are handed
// out before Get reports shutdown, that adds after ShutDown (or overtaken by it) are ignored,
// and that Done of an item with an Add of it still in the inbox queues it again behind what was
// added before.
func TestInboxAndShutDown(t *testing.T) {
	q, _ := newTestQueue(t)
	q.Add("a")
	held, _ := q.Get()
	// An Add of "a", which is processing, whose search for the entry missed it (a search
	// without the lock can, when it races with changes to the index): it waits in the inbox.
	if !q.in.push("a", q.tab.hash("a")) {
		t.Fatal("inbox full")
	}
	q.Add("b")
	q.Done(held) // must see the pending Add of "a": "a" goes behind "b"
	q.Add("c")
	if q.in.tail.Load() == 0 {
		t.Fatal("the adds did not go through the inbox")
	}
	q.ShutDown()
	q.Add("d") // ignored
	// An Add that saw the queue running, then was overtaken by ShutDown before it claimed its
	// place in the inbox: it ran concurrently with ShutDown and is ignored too.
	if !q.in.push("e", q.tab.hash("e")) {
		t.Fatal("inbox full")
	}
	var got []string
	for {
		item, shutdown := q.Get()
		if shutdown {
			break
		}
		got = append(got, item)
		q.Done(item)
	}
	if want := []string{"b", "a", "c"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("handed out %v after ShutDown, want %v", got, want)
	}
}
