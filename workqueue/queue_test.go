package workqueue

import (
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/clock"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var epoch = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// newTestQueue returns a queue on a fake clock.
func newTestQueue(t *testing.T) (*Queue[string], *clock.Fake) {
	t.Helper()
	c := clock.NewFake(epoch)
	q := New(Options[string]{Clock: c})
	t.Cleanup(q.ShutDown)
	return q, c
}

// step is one operation of a scripted single-goroutine test.
type step struct {
	op   string // "add", "get", "done", "shutdown", "len"
	item string
	want string // get: the item expected ("" with shutdown=true); len: the count
}

func add(item string) step            { return step{op: "add", item: item} }
func get(want string) step            { return step{op: "get", want: want} }
func done(item string) step           { return step{op: "done", item: item} }
func length(n int) step               { return step{op: "len", want: fmt.Sprint(n)} }
func getShutdown() step               { return step{op: "get", want: "<shutdown>"} }
func shutdown() step                  { return step{op: "shutdown"} }
func addPrio(item string, p int) step { return step{op: "prio", item: item, want: fmt.Sprint(p)} }

func runSteps(t *testing.T, q *Queue[string], steps []step) {
	t.Helper()
	for i, s := range steps {
		switch s.op {
		case "add":
			q.Add(s.item)
		case "prio":
			var p int
			fmt.Sscan(s.want, &p)
			q.AddWithOpts(s.item, AddOpts{Priority: p})
		case "done":
			q.Done(s.item)
		case "shutdown":
			q.ShutDown()
		case "len":
			if got := fmt.Sprint(q.Len()); got != s.want {
				t.Fatalf("step %d: Len() = %s, want %s", i, got, s.want)
			}
		case "get":
			if s.want != "<shutdown>" && q.Len() == 0 {
				t.Fatalf("step %d: Get() would block: queue empty, want %q", i, s.want)
			}
			item, sd := q.Get()
			got := item
			if sd {
				got = "<shutdown>"
			}
			if got != s.want {
				t.Fatalf("step %d: Get() = %q, want %q", i, got, s.want)
			}
		default:
			t.Fatalf("step %d: unknown op %q", i, s.op)
		}
	}
}

func TestQueueGuarantees(t *testing.T) {
	tests := []struct {
		name  string
		steps []step
	}{
		{
			name:  "FIFO",
			steps: []step{add("a"), add("b"), add("c"), length(3), get("a"), get("b"), get("c"), length(0)},
		},
		{
			name: "added many times before taken is handed out once",
			steps: []step{add("a"), add("b"), add("a"), add("a"), add("b"), length(2),
				get("a"), get("b"), length(0), done("a"), done("b"), length(0)},
		},
		{
			name:  "duplicate keeps its first place",
			steps: []step{add("a"), add("b"), add("a"), get("a"), get("b")},
		},
		{
			name: "re-added while processing is handed out again after Done",
			steps: []step{add("a"), get("a"), add("a"), add("a"), length(0), add("b"),
				get("b"), done("a"), length(1), get("a"), done("a"), length(0)},
		},
		{
			name:  "re-added while processing goes behind items queued before Done",
			steps: []step{add("a"), get("a"), add("a"), add("b"), done("a"), get("b"), get("a")},
		},
		{
			name:  "Done without re-add forgets the item",
			steps: []step{add("a"), get("a"), done("a"), length(0), add("a"), get("a")},
		},
		{
			name:  "Done of an unknown item or twice is a no-op",
			steps: []step{done("x"), add("a"), get("a"), done("a"), done("a"), add("b"), get("b")},
		},
		{
			name:  "Done of a queued item that is not processing is a no-op",
			steps: []step{add("a"), done("a"), length(1), get("a")},
		},
		{
			name: "queued items are still handed out after ShutDown",
			steps: []step{add("a"), add("b"), shutdown(), length(2), get("a"), get("b"),
				getShutdown(), getShutdown()},
		},
		{
			name:  "Add after ShutDown is ignored",
			steps: []step{shutdown(), add("a"), length(0), getShutdown()},
		},
		{
			name: "re-add before ShutDown of a processing item is handed out after Done",
			steps: []step{add("a"), get("a"), add("a"), shutdown(), done("a"), get("a"),
				done("a"), getShutdown()},
		},
		{
			name:  "re-add after ShutDown of a processing item is ignored",
			steps: []step{add("a"), get("a"), shutdown(), add("a"), done("a"), getShutdown()},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, _ := newTestQueue(t)
			runSteps(t, q, tt.steps)
		})
	}
}

func TestQueueEmptyZeroValueItem(t *testing.T) {
	q, _ := newTestQueue(t)
	q.Add("") // the zero value is an ordinary item
	if item, sd := q.Get(); item != "" || sd {
		t.Fatalf(`Get() = %q, %v; want "", false`, item, sd)
	}
	q.Done("")
}

func TestQueueManyItemsFIFOAndReuse(t *testing.T) {
	q, _ := newTestQueue(t)
	// Several rounds through thousands of items exercise table growth, shrinking, slot reuse
	// and ring wrap-around.
	for round := range 3 {
		n := 5000 * (round + 1)
		for i := range n {
			q.Add(fmt.Sprint(i))
		}
		for i := range n {
			q.Add(fmt.Sprint(i)) // duplicates
		}
		if q.Len() != n {
			t.Fatalf("round %d: Len() = %d, want %d", round, q.Len(), n)
		}
		for i := range n {
			item, _ := q.Get()
			if want := fmt.Sprint(i); item != want {
				t.Fatalf("round %d: Get() = %s, want %s", round, item, want)
			}
			q.Done(item)
		}
		if n := q.entries(); n != 0 {
			t.Fatalf("round %d: %d entries left after everything is Done", round, n)
		}
	}
}

func TestGetBlocksUntilAdd(t *testing.T) {
	q, _ := newTestQueue(t)
	got := make(chan string)
	go func() {
		item, _ := q.Get()
		got <- item
	}()
	q.Add("a")
	if item := <-got; item != "a" {
		t.Fatalf("Get() = %q, want a", item)
	}
}

func TestShutDownWakesAllGetters(t *testing.T) {
	q, _ := newTestQueue(t)
	const getters = 5
	results := make(chan bool, getters)
	for range getters {
		go func() {
			_, sd := q.Get()
			results <- sd
		}()
	}
	q.ShutDown()
	for range getters {
		if !<-results {
			t.Fatal("a blocked Get returned shutdown=false")
		}
	}
	if !q.ShuttingDown() {
		t.Fatal("ShuttingDown() = false")
	}
}

func TestShutDownWithDrain(t *testing.T) {
	t.Run("waits for every handed-out item to be Done", func(t *testing.T) {
		q, _ := newTestQueue(t)
		q.Add("a")
		q.Add("b")
		a, _ := q.Get()
		b, _ := q.Get()
		drained := make(chan struct{})
		go func() {
			q.ShutDownWithDrain()
			close(drained)
		}()
		waitFor(t, q.ShuttingDown)
		q.Done(a)
		select {
		case <-drained:
			t.Fatal("ShutDownWithDrain returned with an item still processing")
		default:
		}
		q.Done(b)
		<-drained
		if _, sd := q.Get(); !sd {
			t.Fatal("Get() after drain: shutdown=false")
		}
	})
	t.Run("returns at once with nothing processing", func(t *testing.T) {
		q, _ := newTestQueue(t)
		q.ShutDownWithDrain()
	})
	t.Run("items queued at shutdown are handed out and waited for", func(t *testing.T) {
		q, _ := newTestQueue(t)
		q.Add("a")
		q.Add("b")
		a, _ := q.Get()
		drained := make(chan struct{})
		go func() {
			q.ShutDownWithDrain()
			close(drained)
		}()
		waitFor(t, q.ShuttingDown)
		b, sd := q.Get() // still handed out while draining
		if sd || b != "b" {
			t.Fatalf("Get() while draining = %q, %v; want b, false", b, sd)
		}
		q.Done(a)
		select {
		case <-drained:
			t.Fatal("drain returned while b was processing")
		default:
		}
		q.Done(b)
		<-drained
	})
	t.Run("ShutDown ends the wait", func(t *testing.T) {
		q, _ := newTestQueue(t)
		q.Add("a")
		q.Get()
		drained := make(chan struct{})
		go func() {
			q.ShutDownWithDrain()
			close(drained)
		}()
		waitFor(t, q.ShuttingDown)
		q.ShutDown()
		<-drained
	})
}

// waitFor polls cond, for tests where another goroutine must reach a state that has no event to
// wait on. It gives up after 10 s.
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not reached in 10s")
		}
		time.Sleep(time.Millisecond) // bounded polling of real goroutine concurrency
	}
}

// TestConcurrentWorkersNeverShareAnItem runs many producers and workers and checks, with a
// holder count per item, that no item is ever held by two workers, and that every item is
// processed after its last Add.
func TestConcurrentWorkersNeverShareAnItem(t *testing.T) {
	q, _ := newTestQueue(t)
	const (
		producers = 4
		workers   = 8
		items     = 50
		adds      = 2000
	)
	var mu sync.Mutex // guards held, lastAdd, lastGet, seq
	held := map[string]int{}
	lastAdd := map[string]int{}
	lastGet := map[string]int{}
	seq := 0
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				item, sd := q.Get()
				if sd {
					return
				}
				mu.Lock()
				held[item]++
				if held[item] > 1 {
					t.Errorf("item %s held by %d workers", item, held[item])
				}
				seq++
				lastGet[item] = seq
				mu.Unlock()
				runtime.Gosched() // widen the window in which a second holder would show
				mu.Lock()
				held[item]--
				mu.Unlock()
				q.Done(item)
			}
		})
	}
	var pwg sync.WaitGroup
	for p := range producers {
		pwg.Go(func() {
			for i := range adds {
				item := fmt.Sprint((i*7 + p) % items)
				mu.Lock()
				seq++
				lastAdd[item] = seq
				mu.Unlock()
				q.Add(item)
			}
		})
	}
	pwg.Wait()
	q.ShutDown()
	wg.Wait()
	for item, a := range lastAdd {
		if lastGet[item] < a {
			t.Errorf("item %s: last added at %d, last handed out at %d: lost", item, a, lastGet[item])
		}
	}
}

func TestSteadyStateAllocatesNothing(t *testing.T) {
	q, c := newTestQueue(t)
	items := []string{"ns/a", "ns/b", "ns/c"}
	for _, it := range items { // warm up: the items become known, buffers grow
		q.Add(it)
	}
	for range items {
		it, _ := q.Get()
		q.Done(it)
	}
	tests := []struct {
		name string
		f    func()
	}{
		{"Add Get Done", func() {
			for _, it := range items {
				q.Add(it)
			}
			for range items {
				it, _ := q.Get()
				q.Done(it)
			}
		}},
		{"Add of a queued item", func() {
			q.Add("ns/a")
			q.Add("ns/a")
			it, _ := q.Get()
			q.Done(it)
		}},
		{"re-add while processing", func() {
			q.Add("ns/a")
			it, _ := q.Get()
			q.Add("ns/a")
			q.Done(it)
			it, _ = q.Get()
			q.Done(it)
		}},
		{"AddAfter and fire", func() {
			q.AddAfter("ns/a", time.Second)
			c.Step(time.Second)
			it, _ := q.Get()
			q.Done(it)
		}},
		{"AddRateLimited Forget", func() {
			q.AddRateLimited("ns/b")
			q.Forget("ns/b")
		}},
		{"priority", func() {
			q.AddWithOpts("ns/c", AddOpts{Priority: 3})
			it, _ := q.Get()
			q.Done(it)
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.f() // warm up this path
			if n := testing.AllocsPerRun(100, tt.f); n != 0 {
				t.Errorf("%v allocations per run, want 0", n)
			}
		})
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts Options[string]
		want error
	}{
		{"zero value", Options[string]{}, nil},
		{"negative aging", Options[string]{PriorityAging: -1}, ErrNegativeAging},
		{"negative period", Options[string]{UnfinishedWorkUpdatePeriod: -time.Second}, ErrNegativeUpdatePeriod},
		{"metrics without name", Options[string]{MetricsProvider: &recordingProvider{}}, ErrMetricsWithoutName},
		{"metrics with name", Options[string]{Name: "q", MetricsProvider: &recordingProvider{}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.opts.Validate(); got != tt.want {
				t.Errorf("Validate() = %v, want %v", got, tt.want)
			}
			if tt.want != nil {
				defer func() {
					if recover() == nil {
						t.Error("New did not panic on invalid options")
					}
				}()
				New(tt.opts)
			}
		})
	}
}

func TestNewStartsNothing(t *testing.T) {
	c := clock.NewFake(epoch)
	q := New(Options[string]{Clock: c, Name: "q", MetricsProvider: &recordingProvider{}})
	q.Add("a")
	if c.HasWaiters() {
		t.Errorf("a queue with no delayed and no processing item armed %d timers", c.Waiters())
	}
}

// TestManyBlockedGettersAllWake checks the baton passing between sleeping Get calls: a burst of
// items wakes as many sleepers as there are items.
func TestManyBlockedGettersAllWake(t *testing.T) {
	q, _ := newTestQueue(t)
	const n = 8
	got := make(chan string, n)
	for range n {
		go func() {
			item, _ := q.Get() // holds the item: each getter takes exactly one
			got <- item
		}()
	}
	waitFor(t, func() bool { q.mu.Lock(); defer q.mu.Unlock(); return q.sleepers == n })
	for i := range n {
		q.Add(fmt.Sprint(i))
	}
	seen := map[string]bool{}
	for range n {
		seen[<-got] = true
	}
	if len(seen) != n {
		t.Fatalf("%d distinct items handed out to %d getters, want %d", len(seen), n, n)
	}
}
