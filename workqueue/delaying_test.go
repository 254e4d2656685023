package workqueue

import (
	"slices"
	"testing"
	"time"
)

// drainReady takes every ready item, in order, and marks it Done.
func drainReady(q *Queue[string]) []string {
	var got []string
	for q.Len() > 0 {
		item, _ := q.Get()
		got = append(got, item)
		q.Done(item)
	}
	return got
}

func TestAddAfter(t *testing.T) {
	type addAfter struct {
		item string
		d    time.Duration
	}
	type check struct {
		step time.Duration // advance the clock by this much, then drain the ready items
		want []string
	}
	tests := []struct {
		name   string
		adds   []addAfter
		checks []check
	}{
		{
			name:   "item is ready only once its delay has passed",
			adds:   []addAfter{{"a", time.Second}},
			checks: []check{{999 * time.Millisecond, nil}, {time.Millisecond, []string{"a"}}, {time.Hour, nil}},
		},
		{
			name:   "non-positive delay adds at once",
			adds:   []addAfter{{"a", 0}, {"b", -time.Second}},
			checks: []check{{0, []string{"a", "b"}}},
		},
		{
			name:   "due items come out in ready-time order",
			adds:   []addAfter{{"c", 3 * time.Second}, {"a", time.Second}, {"b", 2 * time.Second}},
			checks: []check{{time.Hour, []string{"a", "b", "c"}}},
		},
		{
			name:   "equal ready times come out in the order they were added",
			adds:   []addAfter{{"x", time.Second}, {"y", time.Second}, {"z", time.Second}},
			checks: []check{{time.Second, []string{"x", "y", "z"}}},
		},
		{
			name: "one step at a time",
			adds: []addAfter{{"c", 3 * time.Second}, {"a", time.Second}, {"b", 2 * time.Second}},
			checks: []check{{time.Second, []string{"a"}}, {time.Second, []string{"b"}},
				{time.Second, []string{"c"}}},
		},
		{
			name:   "an earlier ready time wins (long then short)",
			adds:   []addAfter{{"a", time.Hour}, {"a", time.Second}},
			checks: []check{{time.Second, []string{"a"}}, {time.Hour, nil}},
		},
		{
			name:   "an earlier ready time wins (short then long)",
			adds:   []addAfter{{"a", time.Second}, {"a", time.Hour}},
			checks: []check{{time.Second, []string{"a"}}, {time.Hour, nil}},
		},
		{
			name:   "an earlier time moves the item ahead of others",
			adds:   []addAfter{{"a", 5 * time.Second}, {"b", 3 * time.Second}, {"a", time.Second}},
			checks: []check{{2 * time.Second, []string{"a"}}, {2 * time.Second, []string{"b"}}},
		},
		{
			name:   "a delayed add of a queued item is de-duplicated when due",
			adds:   []addAfter{{"a", 0}, {"a", time.Second}},
			checks: []check{{time.Second, []string{"a"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, c := newTestQueue(t)
			for _, a := range tt.adds {
				q.AddAfter(a.item, a.d)
			}
			for i, ch := range tt.checks {
				c.Step(ch.step)
				if got := drainReady(q); !slices.Equal(got, ch.want) {
					t.Fatalf("check %d (+%v): ready %v, want %v", i, ch.step, got, ch.want)
				}
			}
			if c.HasWaiters() {
				t.Errorf("a timer is still armed with nothing waiting")
			}
		})
	}
}

func TestAddAfterOfProcessingItem(t *testing.T) {
	q, c := newTestQueue(t)
	q.Add("a")
	item, _ := q.Get()
	q.AddAfter("a", time.Second)
	c.Step(time.Second)
	if q.Len() != 0 {
		t.Fatalf("Len() = %d while a is processing, want 0", q.Len())
	}
	q.Done(item)
	if got := drainReady(q); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("after Done: ready %v, want [a]", got)
	}
}

func TestAddAfterWakesBlockedGet(t *testing.T) {
	q, c := newTestQueue(t)
	got := make(chan string)
	go func() {
		item, _ := q.Get()
		got <- item
	}()
	q.AddAfter("a", time.Minute)
	c.Step(time.Minute)
	if item := <-got; item != "a" {
		t.Fatalf("Get() = %q, want a", item)
	}
}

func TestShutDownDropsWaitingItems(t *testing.T) {
	q, c := newTestQueue(t)
	q.AddAfter("a", time.Second)
	q.Add("b")
	q.ShutDown()
	if c.HasWaiters() {
		t.Error("ShutDown left the delay timer armed")
	}
	c.Step(time.Hour)
	if got := drainReady(q); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("after ShutDown: ready %v, want [b]", got)
	}
	q.AddAfter("c", time.Second) // ignored
	c.Step(time.Hour)
	if _, sd := q.Get(); !sd {
		t.Fatal("Get() after ShutDown and drain: shutdown=false")
	}
	if n := q.entries(); n != 0 {
		t.Errorf("%d entries left after shutdown and drain", n)
	}
}

func TestDelayTimerIsOneAndRearmed(t *testing.T) {
	q, c := newTestQueue(t)
	for i := range 100 {
		q.AddAfter(string(rune('a'+i%26))+string(rune('0'+i/26)), time.Duration(100-i)*time.Second)
	}
	if n := c.Waiters(); n != 1 {
		t.Fatalf("%d timers armed for 100 waiting items, want 1", n)
	}
	if due, _ := c.NextDue(); !due.Equal(epoch.Add(time.Second)) {
		t.Fatalf("timer due at %v, want the earliest item's time", due.Sub(epoch))
	}
	c.Step(50 * time.Second)
	if q.Len() != 50 {
		t.Fatalf("Len() = %d after 50s, want 50", q.Len())
	}
	if due, _ := c.NextDue(); !due.Equal(epoch.Add(51 * time.Second)) {
		t.Fatalf("timer re-armed for %v, want 51s", due.Sub(epoch))
	}
	c.Step(50 * time.Second)
	if q.Len() != 100 || c.HasWaiters() {
		t.Fatalf("Len() = %d, timers %d; want 100 and none", q.Len(), c.Waiters())
	}
}
