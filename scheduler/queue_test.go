package scheduler

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/clock"
)

func newTestQueue(t *testing.T) (*schedulingQueue, *clock.Fake) {
	t.Helper()
	clk := clock.NewFake(epoch)
	q := newSchedulingQueue(clk, time.Second, 10*time.Second)
	t.Cleanup(q.shutDown)
	return q, clk
}

// attempt pops the next key, which must be want, and ends the attempt, parking the pod if
// park is set.
func attempt(t *testing.T, q *schedulingQueue, want string, park bool) {
	t.Helper()
	if n := q.active.Len(); n == 0 {
		t.Fatalf("nothing ready, want %s", want)
	}
	key, ok := q.pop()
	if !ok || key != want {
		t.Fatalf("pop() = %q, %v; want %q", key, ok, want)
	}
	if park {
		q.park(key)
	}
	q.done(key)
}

func TestQueuePriorityOrder(t *testing.T) {
	q, _ := newTestQueue(t)
	q.add("ns/low", 0)
	q.add("ns/high", 1000)
	q.add("ns/low", 0) // deduplicated
	attempt(t, q, "ns/high", false)
	attempt(t, q, "ns/low", false)
	if n := q.active.Len(); n != 0 {
		t.Errorf("Len() = %d after popping everything", n)
	}
}

func TestQueueParkedUntilMoved(t *testing.T) {
	q, clk := newTestQueue(t)
	q.add("ns/p", 0)
	attempt(t, q, "ns/p", true)
	if q.parkedCount() != 1 || q.active.Len() != 0 {
		t.Fatalf("parked %d, ready %d; want 1, 0", q.parkedCount(), q.active.Len())
	}
	clk.Step(30 * time.Second)
	if q.active.Len() != 0 {
		t.Fatal("a parked pod came back without a cluster change")
	}
	// The back-off (1 s after the first attempt) is over: back at once.
	q.moveAll()
	if q.parkedCount() != 0 || q.active.Len() != 1 {
		t.Fatalf("after moveAll: parked %d, ready %d; want 0, 1", q.parkedCount(), q.active.Len())
	}
	attempt(t, q, "ns/p", true)
	// Second attempt: 2 s back-off from its start.
	q.moveAll()
	clk.Step(1999 * time.Millisecond)
	if q.active.Len() != 0 {
		t.Fatal("retried before its back-off")
	}
	clk.Step(time.Millisecond)
	if q.active.Len() != 1 {
		t.Fatal("not retried after its back-off")
	}
}

func TestQueueChangeDuringAttemptIsNotMissed(t *testing.T) {
	q, clk := newTestQueue(t)
	q.add("ns/p", 0)
	key, _ := q.pop()
	q.moveAll() // a node was added while the pod was being tried
	q.park(key)
	q.done(key)
	if q.parkedCount() != 0 {
		t.Fatal("pod parked although the cluster changed during its attempt")
	}
	clk.Step(time.Second)
	attempt(t, q, "ns/p", false)
}

func TestQueueUpdate(t *testing.T) {
	q, _ := newTestQueue(t)
	q.update("ns/p", 0, func() bool { t.Error("changed() called for an untracked pod"); return true })
	attempt(t, q, "ns/p", true)

	q.update("ns/p", 0, func() bool { return false }) // e.g. our own status write
	if q.parkedCount() != 1 || q.active.Len() != 0 {
		t.Fatal("an unchanged pod left the parked set")
	}
	q.update("ns/p", 0, func() bool { return true }) // e.g. a toleration added
	if q.parkedCount() != 0 || q.active.Len() != 1 {
		t.Fatal("a changed parked pod was not retried at once")
	}
}

func TestQueueRemoveAndFlush(t *testing.T) {
	q, _ := newTestQueue(t)
	q.add("ns/a", 0)
	q.add("ns/b", 0)
	attempt(t, q, "ns/a", true)
	key, _ := q.pop()
	q.remove(key) // bound or deleted during its attempt
	q.park(key)
	q.done(key)
	if q.parkedCount() != 1 || q.attempts("ns/b") != 0 {
		t.Fatalf("parked %d, attempts of b %d; want 1, 0", q.parkedCount(), q.attempts("ns/b"))
	}
	q.flush()
	if q.parkedCount() != 0 || q.attempts("ns/a") != 1 {
		t.Fatalf("after flush: parked %d, attempts %d", q.parkedCount(), q.attempts("ns/a"))
	}
}

func TestQueueBackoff(t *testing.T) {
	q, _ := newTestQueue(t)
	for attempts, want := range map[int]time.Duration{0: time.Second, 1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second,
		4: 8 * time.Second, 5: 10 * time.Second, 50: 10 * time.Second} {
		if got := q.backoff(attempts); got != want {
			t.Errorf("backoff(%d) = %v, want %v", attempts, got, want)
		}
	}
}
