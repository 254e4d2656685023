package workqueue

import (
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/clock"
)

func whens(l RateLimiter[string], item string, n int) []time.Duration {
	var ds []time.Duration
	for range n {
		ds = append(ds, l.When(item))
	}
	return ds
}

const ms = time.Millisecond

func TestItemExponentialFailureRateLimiter(t *testing.T) {
	tests := []struct {
		name      string
		base, max time.Duration
		n         int
		want      []time.Duration
	}{
		{"doubles", 5 * ms, time.Second, 5, []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms}},
		{"capped", time.Second, 3 * time.Second, 4, []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second}},
		{"zero base", 0, time.Second, 3, []time.Duration{0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewItemExponentialFailureRateLimiter[string](tt.base, tt.max)
			if got := whens(l, "a", tt.n); !slices.Equal(got, tt.want) {
				t.Errorf("When sequence %v, want %v", got, tt.want)
			}
			if got := l.NumRequeues("a"); got != tt.n {
				t.Errorf("NumRequeues = %d, want %d", got, tt.n)
			}
			if got := l.NumRequeues("other"); got != 0 {
				t.Errorf("NumRequeues(other) = %d, want 0", got)
			}
			l.Forget("a")
			if got := l.NumRequeues("a"); got != 0 {
				t.Errorf("NumRequeues after Forget = %d, want 0", got)
			}
			if got := l.When("a"); got != tt.want[0] {
				t.Errorf("When after Forget = %v, want %v", got, tt.want[0])
			}
		})
	}
}

func TestExponentialOverflow(t *testing.T) {
	tests := []struct {
		base, max time.Duration
		n         int
		want      time.Duration
	}{
		{time.Millisecond, 1000 * time.Second, 18, 262144 * ms},
		{time.Millisecond, 1000 * time.Second, 20, 1000 * time.Second},
		{time.Millisecond, time.Duration(1<<63 - 1), 62, time.Duration(1<<63 - 1)},
		{time.Nanosecond, time.Duration(1<<63 - 1), 62, 1 << 62},
		{time.Nanosecond, time.Duration(1<<63 - 1), 63, time.Duration(1<<63 - 1)},
		{time.Hour, time.Duration(1<<63 - 1), 1000, time.Duration(1<<63 - 1)},
	}
	for _, tt := range tests {
		if got := exponential(tt.base, tt.max, tt.n); got != tt.want {
			t.Errorf("exponential(%v, %v, %d) = %v, want %v", tt.base, tt.max, tt.n, got, tt.want)
		}
	}
}

func TestDefaultControllerRateLimiterSequence(t *testing.T) {
	l := defaultControllerRateLimiter[string](clock.NewFake(epoch))
	want := []time.Duration{5 * ms, 10 * ms, 20 * ms, 40 * ms, 80 * ms, 160 * ms}
	if got := whens(l, "a", len(want)); !slices.Equal(got, want) {
		t.Fatalf("When sequence %v, want %v", got, want)
	}
	l.Forget("a")
	if got := l.When("a"); got != 5*ms {
		t.Fatalf("When after Forget = %v, want 5ms", got)
	}
	// ~18 failures reach the 1000 s cap.
	b := defaultControllerRateLimiter[string](clock.NewFake(epoch))
	ds := whens(b, "slow", 20)
	if ds[17] >= 1000*time.Second || ds[18] != 1000*time.Second || ds[19] != 1000*time.Second {
		t.Fatalf("failures 18..20 gave %v, want the 1000s cap from the 19th", ds[17:])
	}
	if DefaultControllerRateLimiter[string]().When("x") != 5*ms {
		t.Fatal("DefaultControllerRateLimiter's first delay is not 5ms")
	}
}

func TestDefaultControllerRateLimiterBucket(t *testing.T) {
	c := clock.NewFake(epoch)
	l := defaultControllerRateLimiter[int](c)
	// 100 distinct items in a burst: only the per-item 5 ms.
	for i := range 100 {
		if d := l.When(i); d != 5*ms {
			t.Fatalf("item %d of the burst: %v, want 5ms", i, d)
		}
	}
	// Beyond the burst, the shared bucket (10 qps) adds 100 ms per item.
	for i := 100; i < 105; i++ {
		want := time.Duration(i-99) * 100 * ms
		if d := l.When(i); d != want {
			t.Fatalf("item %d past the burst: %v, want %v", i, d, want)
		}
	}
}

func TestBucketRateLimiter(t *testing.T) {
	c := clock.NewFake(epoch)
	l := NewBucketRateLimiter[string](2, 3, c) // 2 per second, burst 3
	want := []time.Duration{0, 0, 0, 500 * ms, 1000 * ms, 1500 * ms}
	if got := whens(l, "a", len(want)); !slices.Equal(got, want) {
		t.Fatalf("burst: %v, want %v", got, want)
	}
	// 3 tokens are owed; after 3 s the debt (1.5 s) is repaid and 3 tokens have accrued again.
	c.Step(3 * time.Second)
	want = []time.Duration{0, 0, 0, 500 * ms}
	if got := whens(l, "b", len(want)); !slices.Equal(got, want) {
		t.Fatalf("after refill: %v, want %v", got, want)
	}
	if l.NumRequeues("a") != 0 {
		t.Error("bucket tracks items")
	}
	l.Forget("a")
	// Moving the clock back neither refills nor breaks the bucket.
	c.SetTime(epoch)
	if got := l.When("a"); got != time.Second {
		t.Errorf("after clock moved back: %v, want 1s", got)
	}
}

func TestBucketRateLimiterConstructor(t *testing.T) {
	inf := NewBucketRateLimiter[string](posInf(), 1, nil)
	for range 1000 {
		if inf.When("a") != 0 {
			t.Fatal("an infinite rate delayed an item")
		}
	}
	for _, tt := range []struct {
		qps   float64
		burst int
	}{{0, 1}, {-1, 1}, {1, 0}, {nan(), 1}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("NewBucketRateLimiter(%v, %v) did not panic", tt.qps, tt.burst)
				}
			}()
			NewBucketRateLimiter[string](tt.qps, tt.burst, nil)
		}()
	}
}

func posInf() float64 { z := 0.0; return 1 / z }
func nan() float64    { z := 0.0; return z / z }

func TestItemFastSlowRateLimiter(t *testing.T) {
	l := NewItemFastSlowRateLimiter[string](5*ms, 10*time.Second, 3)
	want := []time.Duration{5 * ms, 5 * ms, 5 * ms, 10 * time.Second, 10 * time.Second}
	if got := whens(l, "a", len(want)); !slices.Equal(got, want) {
		t.Fatalf("When sequence %v, want %v", got, want)
	}
	if l.NumRequeues("a") != 5 {
		t.Errorf("NumRequeues = %d, want 5", l.NumRequeues("a"))
	}
	l.Forget("a")
	if l.NumRequeues("a") != 0 || l.When("a") != 5*ms {
		t.Error("Forget did not reset the item")
	}
}

func TestMaxOfRateLimiter(t *testing.T) {
	fast := NewItemFastSlowRateLimiter[string](5*ms, 3*time.Second, 3)
	exp := NewItemExponentialFailureRateLimiter[string](ms, time.Second)
	l := NewMaxOfRateLimiter[string](fast, exp)
	want := []time.Duration{5 * ms, 5 * ms, 5 * ms, 3 * time.Second, 3 * time.Second}
	if got := whens(l, "a", len(want)); !slices.Equal(got, want) {
		t.Fatalf("When sequence %v, want %v", got, want)
	}
	exp.When("a") // exp alone has seen one more failure
	if got := l.NumRequeues("a"); got != 6 {
		t.Errorf("NumRequeues = %d, want the max, 6", got)
	}
	l.Forget("a")
	if fast.NumRequeues("a") != 0 || exp.NumRequeues("a") != 0 {
		t.Error("Forget was not forwarded to every limiter")
	}
	if NewMaxOfRateLimiter[string]().When("a") != 0 {
		t.Error("MaxOf of nothing delays")
	}
}

func TestWithMaxWaitRateLimiter(t *testing.T) {
	inner := NewItemExponentialFailureRateLimiter[string](time.Second, time.Hour)
	l := NewWithMaxWaitRateLimiter[string](inner, 3*time.Second)
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 3 * time.Second}
	if got := whens(l, "a", len(want)); !slices.Equal(got, want) {
		t.Fatalf("When sequence %v, want %v", got, want)
	}
	if l.NumRequeues("a") != 4 {
		t.Errorf("NumRequeues = %d, want 4", l.NumRequeues("a"))
	}
	l.Forget("a")
	if inner.NumRequeues("a") != 0 {
		t.Error("Forget not forwarded")
	}
}

func TestQueueRateLimited(t *testing.T) {
	c := clock.NewFake(epoch)
	q := New(Options[string]{Clock: c, RateLimiter: NewItemExponentialFailureRateLimiter[string](time.Second, time.Minute)})
	defer q.ShutDown()
	// The canonical worker loop, failing three times then succeeding.
	q.Add("a")
	for failure, delay := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second} {
		item, _ := q.Get()
		q.AddRateLimited(item)
		q.Done(item)
		if got := q.NumRequeues("a"); got != failure+1 {
			t.Fatalf("NumRequeues = %d, want %d", got, failure+1)
		}
		c.Step(delay - ms)
		if q.Len() != 0 {
			t.Fatalf("failure %d: retried before %v", failure, delay)
		}
		c.Step(ms)
		if q.Len() != 1 {
			t.Fatalf("failure %d: not retried after %v", failure, delay)
		}
	}
	item, _ := q.Get()
	q.Forget(item)
	q.Done(item)
	if q.NumRequeues("a") != 0 {
		t.Fatal("Forget did not reset NumRequeues")
	}
	q.AddRateLimited("a")
	c.Step(time.Second)
	if q.Len() != 1 {
		t.Fatal("after Forget the delay did not start over at 1s")
	}
}

func TestAddWithOptsRateLimitedAndAfter(t *testing.T) {
	c := clock.NewFake(epoch)
	q := New(Options[string]{Clock: c, RateLimiter: NewItemExponentialFailureRateLimiter[string](time.Second, time.Minute)})
	defer q.ShutDown()
	// After (5s) is longer than the limiter's 1s: 5s wins.
	q.AddWithOpts("a", AddOpts{RateLimited: true, After: 5 * time.Second})
	// After (1s) is shorter than the limiter's 1s→2s: 2s wins.
	q.AddWithOpts("b", AddOpts{RateLimited: true, After: time.Second})
	q.AddWithOpts("b", AddOpts{RateLimited: true, After: time.Second}) // 2s; b keeps its earlier 1s
	c.Step(time.Second)
	if got := drainReady(q); !slices.Equal(got, []string{"b"}) {
		t.Fatalf("at 1s: %v, want [b]", got)
	}
	c.Step(4 * time.Second)
	if got := drainReady(q); !slices.Equal(got, []string{"a"}) {
		t.Fatalf("at 5s: %v, want [a]", got)
	}
}
