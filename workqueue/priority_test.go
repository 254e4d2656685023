package workqueue

import (
	"fmt"
	"testing"

	"github.com/skiff-dev/skiff/clock"
)

func TestPriorityOrder(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{
			name: "higher first, FIFO within a priority",
			steps: []step{addPrio("low1", -1), add("mid1"), addPrio("high1", 1), add("mid2"),
				addPrio("high2", 1), addPrio("low2", -1),
				get("high1"), get("high2"), get("mid1"), get("mid2"), get("low1"), get("low2")},
		},
		{
			name:  "re-add with a higher priority raises a queued item",
			steps: []step{add("a"), add("b"), add("c"), addPrio("c", 5), get("c"), get("a"), get("b")},
		},
		{
			name:  "re-add with a lower priority is ignored",
			steps: []step{addPrio("a", 5), addPrio("b", 5), addPrio("b", -5), get("a"), get("b")},
		},
		{
			name: "raise within the heap",
			steps: []step{addPrio("a", 1), addPrio("b", 2), addPrio("c", 1), addPrio("c", 3),
				get("c"), get("b"), get("a")},
		},
		{
			name: "priority given while processing applies when re-queued at Done",
			steps: []step{add("a"), get("a"), add("x"), add("y"), addPrio("a", 9), done("a"),
				get("a"), get("x"), get("y")},
		},
		{
			name: "a raised item stays processed once",
			steps: []step{add("a"), add("b"), addPrio("a", 1), addPrio("a", 2), get("a"), get("b"),
				length(0), done("a"), length(0)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := newTestQueue(t)
			runSteps(t, q, tt.steps)
		})
	}
}

func TestPriorityAgingBound(t *testing.T) {
	// With PriorityAging 10, an item of priority 1 ranks with a priority-0 item added 10
	// additions earlier: it overtakes at most 10 of the items queued before it.
	q := New(Options[string]{Clock: clock.NewFake(epoch), PriorityAging: 10})
	defer q.ShutDown()
	for i := range 20 {
		q.Add(fmt.Sprint(i))
	}
	q.AddWithOpts("p", AddOpts{Priority: 1})
	for i := range 21 {
		item, _ := q.Get()
		q.Done(item)
		if item == "p" {
			if i != 10 {
				t.Fatalf("priority-1 item handed out %d-th, want 10-th (after 10 earlier items)", i)
			}
			return
		}
	}
	t.Fatal("priority item never handed out")
}

// TestLowPriorityDoesNotStarve feeds a constant stream of high-priority items, more than the
// worker can take, and checks that low-priority items queued at the start (like an informer's
// initial list) are all handed out after a bounded number of others.
func TestLowPriorityDoesNotStarve(t *testing.T) {
	const (
		aging   = 4
		low     = -100
		initial = 50
	)
	q := New(Options[string]{Clock: clock.NewFake(epoch), PriorityAging: aging})
	defer q.ShutDown()
	for i := range initial {
		q.AddWithOpts(fmt.Sprint("initial-", i), AddOpts{Priority: low})
	}
	next := 0
	lowLeft := initial
	handedOut := 0
	for lowLeft > 0 {
		// Two high-priority arrivals for every item the worker takes.
		for range 2 {
			q.Add(fmt.Sprint("event-", next))
			next++
		}
		item, _ := q.Get()
		q.Done(item)
		handedOut++
		if len(item) > 8 && item[:8] == "initial-" {
			lowLeft--
		}
		// Bound: every initial item ranks like a priority-0 item added
		// (0 - low) × aging additions later, so at most that many events plus the other
		// initial items go before the last one.
		if bound := (0-low)*aging + initial + initial; handedOut > bound {
			t.Fatalf("%d items handed out with %d initial items still waiting: starved (bound %d)",
				handedOut, lowLeft, bound)
		}
	}
	if q.Len() == 0 {
		t.Fatal("the event stream did not outpace the worker; the test proves nothing")
	}
}

func TestRankSaturates(t *testing.T) {
	huge := int(^uint(0) >> 1)
	if r := rankOf(1, huge, DefaultPriorityAging); r >= 1 {
		t.Errorf("rank of a huge priority = %d, want below seq", r)
	}
	if r := rankOf(1, -huge, DefaultPriorityAging); r <= 1 {
		t.Errorf("rank of a huge negative priority = %d, want above seq", r)
	}
	q, _ := newTestQueue(t)
	runSteps(t, q, []step{addPrio("max", huge), addPrio("min", -huge), add("zero"),
		get("max"), get("zero"), get("min")})
}
