package clock

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"
)

var epoch = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

// fireLog records the order in which AfterFunc callbacks run.
type fireLog struct {
	mu    sync.Mutex // guards names
	names []string
}

func (l *fireLog) fn(name string) func() {
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		l.names = append(l.names, name)
	}
}

func (l *fireLog) get() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.names)
}

func TestFakeStepFiresInDueOrder(t *testing.T) {
	type timer struct {
		name string
		d    time.Duration
	}
	tests := []struct {
		name   string
		timers []timer
		steps  []time.Duration
		want   []string
		left   int // waiters still pending at the end
	}{
		{
			name:   "out of creation order",
			timers: []timer{{"c", 3 * time.Second}, {"a", time.Second}, {"b", 2 * time.Second}},
			steps:  []time.Duration{5 * time.Second},
			want:   []string{"a", "b", "c"},
		},
		{
			name:   "equal due times fire in creation order",
			timers: []timer{{"x", time.Second}, {"y", time.Second}, {"z", time.Second}},
			steps:  []time.Duration{time.Second},
			want:   []string{"x", "y", "z"},
		},
		{
			name:   "due exactly at the step fires, later does not",
			timers: []timer{{"now", time.Second}, {"later", time.Second + time.Nanosecond}},
			steps:  []time.Duration{time.Second},
			want:   []string{"now"},
			left:   1,
		},
		{
			name:   "several small steps",
			timers: []timer{{"b", 2 * time.Second}, {"a", time.Second}, {"d", 10 * time.Second}},
			steps:  []time.Duration{500 * time.Millisecond, time.Second, time.Second},
			want:   []string{"a", "b"},
			left:   1,
		},
		{
			name:   "zero step fires nothing",
			timers: []timer{{"a", time.Nanosecond}},
			steps:  []time.Duration{0},
			left:   1,
		},
		{
			name:   "negative step moves back and fires nothing",
			timers: []timer{{"a", time.Second}},
			steps:  []time.Duration{-time.Hour, time.Hour},
			left:   1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewFake(epoch)
			var log fireLog
			for _, tm := range tt.timers {
				c.AfterFunc(tm.d, log.fn(tm.name))
			}
			for _, d := range tt.steps {
				c.Step(d)
			}
			if got := log.get(); !slices.Equal(got, tt.want) {
				t.Errorf("fired %v, want %v", got, tt.want)
			}
			if got := c.Waiters(); got != tt.left {
				t.Errorf("Waiters() = %d, want %d", got, tt.left)
			}
		})
	}
}

func TestFakeTimersAndCallbacksInterleave(t *testing.T) {
	c := NewFake(epoch)
	var log fireLog
	tm := c.NewTimer(2 * time.Second)
	c.AfterFunc(time.Second, log.fn("1s"))
	c.AfterFunc(3*time.Second, func() {
		// The timer due at 2s has already sent by the time this 3s callback runs.
		select {
		case <-tm.C():
			log.fn("timer seen at 3s")()
		default:
			log.fn("timer missing at 3s")()
		}
	})
	c.Step(time.Hour)
	want := []string{"1s", "timer seen at 3s"}
	if got := log.get(); !slices.Equal(got, want) {
		t.Errorf("fired %v, want %v", got, want)
	}
}

func TestFakeNowDuringCallbackIsFinalTime(t *testing.T) {
	c := NewFake(epoch)
	var seen time.Time
	c.AfterFunc(time.Second, func() { seen = c.Now() })
	c.Step(time.Minute)
	if want := epoch.Add(time.Minute); !seen.Equal(want) {
		t.Errorf("Now() in callback = %v, want %v", seen, want)
	}
	if got := c.Since(epoch); got != time.Minute {
		t.Errorf("Since(epoch) = %v, want 1m", got)
	}
}

func TestFakeTimerStop(t *testing.T) {
	tests := []struct {
		name     string
		stepBy   time.Duration // before Stop
		wantStop bool
		wantTick bool // a tick can be received after Stop
	}{
		{name: "pending", stepBy: 0, wantStop: true},
		{name: "fired and received is not pending", stepBy: 2 * time.Second, wantStop: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewFake(epoch)
			tm := c.NewTimer(time.Second)
			c.Step(tt.stepBy)
			if tt.stepBy > 0 {
				<-tm.C()
			}
			if got := tm.Stop(); got != tt.wantStop {
				t.Errorf("Stop() = %v, want %v", got, tt.wantStop)
			}
			if got := tm.Stop(); got {
				t.Errorf("second Stop() = true, want false")
			}
			c.Step(time.Hour)
			if got := received(tm.C()); got != tt.wantTick {
				t.Errorf("tick after Stop = %v, want %v", got, tt.wantTick)
			}
			if c.HasWaiters() {
				t.Errorf("HasWaiters() after Stop = true")
			}
		})
	}
}

func TestFakeStopDiscardsUnreceivedTick(t *testing.T) {
	c := NewFake(epoch)
	tm := c.NewTimer(time.Second)
	c.Step(time.Second)
	if tm.Stop() {
		t.Errorf("Stop() of a fired timer = true")
	}
	if received(tm.C()) {
		t.Errorf("stale tick received after Stop; time.Timer (Go 1.23+) discards it")
	}
}

func TestFakeTimerReset(t *testing.T) {
	tests := []struct {
		name       string
		fireFirst  bool          // step past the first due time before Reset
		reset      time.Duration // Reset argument
		wantActive bool          // Reset's result
	}{
		{name: "pending timer moved later", reset: 5 * time.Second, wantActive: true},
		{name: "pending timer moved earlier", reset: 100 * time.Millisecond, wantActive: true},
		{name: "fired timer re-armed", fireFirst: true, reset: 5 * time.Second, wantActive: false},
		{name: "fired timer reset to zero fires at once", fireFirst: true, reset: 0, wantActive: false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewFake(epoch)
			tm := c.NewTimer(time.Second)
			if tt.fireFirst {
				c.Step(time.Second) // fires, tick left unreceived
			}
			start := c.Now()
			if got := tm.Reset(tt.reset); got != tt.wantActive {
				t.Errorf("Reset() = %v, want %v", got, tt.wantActive)
			}
			if tt.reset <= 0 {
				if got := <-tm.C(); !got.Equal(start) {
					t.Errorf("tick = %v, want %v", got, start)
				}
				return
			}
			// The stale tick (if any) is gone and nothing fires before the new due time.
			c.Step(tt.reset - time.Nanosecond)
			if received(tm.C()) {
				t.Fatalf("tick before the reset due time")
			}
			c.Step(time.Nanosecond)
			if !received(tm.C()) {
				t.Fatalf("no tick at the reset due time")
			}
		})
	}
}

func TestFakeConcurrentResetKeepsOneWaiter(t *testing.T) {
	c := NewFake(epoch)
	var mu sync.Mutex // guards count
	count := 0
	tm := c.AfterFunc(time.Hour, func() {
		mu.Lock()
		count++
		mu.Unlock()
	})
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() { tm.Reset(time.Duration(i+1) * time.Second) })
	}
	wg.Wait()
	if got := c.Waiters(); got != 1 {
		t.Fatalf("Waiters() after concurrent Resets = %d, want 1", got)
	}
	c.Step(time.Hour)
	if count != 1 {
		t.Errorf("callback ran %d times, want 1", count)
	}
}

func TestFakeTicker(t *testing.T) {
	c := NewFake(epoch)
	tk := c.NewTicker(time.Second)
	defer tk.Stop()
	steps := []struct {
		by   time.Duration
		want bool
	}{
		{999 * time.Millisecond, false},
		{time.Millisecond, true},
		{time.Second, true},
		{500 * time.Millisecond, false},
		{500 * time.Millisecond, true},
	}
	for i, s := range steps {
		c.Step(s.by)
		if got := received(tk.C()); got != s.want {
			t.Errorf("step %d (+%v, now %v): tick = %v, want %v", i, s.by, c.Since(epoch), got, s.want)
		}
	}
}

func TestFakeTickerDropsMissedTicks(t *testing.T) {
	c := NewFake(epoch)
	tk := c.NewTicker(time.Second)
	c.Step(10 * time.Second) // one tick; nine missed
	if !received(tk.C()) {
		t.Fatal("no tick")
	}
	if received(tk.C()) {
		t.Fatal("a second tick was buffered; a slow reader should lose ticks")
	}
	// The ticker keeps its phase: next tick at 11s.
	if due, ok := c.NextDue(); !ok || !due.Equal(epoch.Add(11*time.Second)) {
		t.Errorf("NextDue() = %v, %v; want %v", due, ok, epoch.Add(11*time.Second))
	}
	c.Step(time.Second)
	c.Step(time.Second) // tick at 12s not received: buffer holds the 11s one
	tk.Stop()
	if received(tk.C()) {
		t.Error("tick received after Stop")
	}
	c.Step(time.Hour)
	if received(tk.C()) || c.HasWaiters() {
		t.Error("stopped ticker still ticking")
	}
}

func TestFakeNewTickerPanicsOnNonPositive(t *testing.T) {
	for _, d := range []time.Duration{0, -time.Second} {
		t.Run(d.String(), func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Errorf("NewTicker(%v) did not panic", d)
				}
			}()
			NewFake(epoch).NewTicker(d)
		})
	}
}

func TestFakeAfterFunc(t *testing.T) {
	t.Run("callback runs inside Step on the stepping goroutine", func(t *testing.T) {
		c := NewFake(epoch)
		ran := false
		tm := c.AfterFunc(time.Second, func() { ran = true })
		if tm.C() != nil {
			t.Error("AfterFunc timer has a channel")
		}
		c.Step(time.Second)
		if !ran { // no synchronisation needed: same goroutine
			t.Error("callback did not run inside Step")
		}
	})
	t.Run("non-positive duration runs at once on a new goroutine", func(t *testing.T) {
		c := NewFake(epoch)
		done := make(chan struct{})
		c.AfterFunc(0, func() { close(done) })
		<-done
		if c.HasWaiters() {
			t.Error("HasWaiters() after an immediate AfterFunc")
		}
	})
	t.Run("callback may re-arm itself; the new due time is after the step", func(t *testing.T) {
		c := NewFake(epoch)
		var log fireLog
		var tm Timer
		n := 0
		tm = c.AfterFunc(time.Second, func() {
			n++
			log.fn(fmt.Sprint(c.Since(epoch)))()
			if n < 3 {
				tm.Reset(time.Second)
			}
		})
		c.Step(10 * time.Second) // fires once at 10s, re-arms for 11s
		c.Step(time.Second)
		c.Step(time.Second)
		c.Step(time.Second)
		want := []string{"10s", "11s", "12s"}
		if got := log.get(); !slices.Equal(got, want) {
			t.Errorf("fired at %v, want %v", got, want)
		}
	})
	t.Run("stopped callback never runs", func(t *testing.T) {
		c := NewFake(epoch)
		tm := c.AfterFunc(time.Second, func() { t.Error("stopped callback ran") })
		if !tm.Stop() {
			t.Error("Stop() = false for a pending AfterFunc")
		}
		c.Step(time.Hour)
	})
}

func TestFakeAfter(t *testing.T) {
	c := NewFake(epoch)
	ch := c.After(time.Minute)
	c.Step(59 * time.Second)
	if received(ch) {
		t.Fatal("After fired early")
	}
	c.Step(time.Second)
	select {
	case got := <-ch:
		if want := epoch.Add(time.Minute); !got.Equal(want) {
			t.Errorf("After sent %v, want %v", got, want)
		}
	default:
		t.Fatal("After did not fire")
	}
}

func TestFakeWaitersAndNextDue(t *testing.T) {
	c := NewFake(epoch)
	if c.HasWaiters() || c.Waiters() != 0 {
		t.Fatal("new clock has waiters")
	}
	if _, ok := c.NextDue(); ok {
		t.Fatal("NextDue() ok on a clock without waiters")
	}
	t1 := c.NewTimer(3 * time.Second)
	c.AfterFunc(2*time.Second, func() {})
	tk := c.NewTicker(5 * time.Second)
	defer tk.Stop()
	if got := c.Waiters(); got != 3 {
		t.Errorf("Waiters() = %d, want 3", got)
	}
	checkNext := func(want time.Duration) {
		t.Helper()
		due, ok := c.NextDue()
		if !ok || !due.Equal(epoch.Add(want)) {
			t.Errorf("NextDue() = %v, %v; want +%v", due.Sub(epoch), ok, want)
		}
	}
	checkNext(2 * time.Second)
	c.Step(2 * time.Second)
	checkNext(3 * time.Second)
	t1.Stop()
	checkNext(5 * time.Second)
	if got := c.Waiters(); got != 1 {
		t.Errorf("Waiters() = %d, want 1 (the ticker)", got)
	}
}

func TestFakeSetTime(t *testing.T) {
	c := NewFake(epoch)
	tm := c.NewTimer(time.Hour)
	c.SetTime(epoch.Add(-time.Hour))
	if received(tm.C()) {
		t.Fatal("moving back fired a timer")
	}
	// Due time is fixed at creation: epoch+1h.
	c.SetTime(epoch.Add(time.Hour))
	if !received(tm.C()) {
		t.Fatal("SetTime to the due time did not fire")
	}
	if !c.Now().Equal(epoch.Add(time.Hour)) {
		t.Errorf("Now() = %v", c.Now())
	}
}

func TestFakeConcurrentStepsAddUp(t *testing.T) {
	c := NewFake(epoch)
	var count sync.WaitGroup
	var mu sync.Mutex // guards fired
	fired := 0
	for i := range 100 {
		count.Add(1)
		c.AfterFunc(time.Duration(i+1)*time.Second, func() {
			mu.Lock()
			fired++
			mu.Unlock()
			count.Done()
		})
	}
	var wg sync.WaitGroup
	for range 100 {
		wg.Go(func() { c.Step(time.Second) })
	}
	wg.Wait()
	count.Wait()
	if got := c.Since(epoch); got != 100*time.Second {
		t.Errorf("time advanced by %v, want 100s", got)
	}
	if fired != 100 {
		t.Errorf("fired %d callbacks, want 100", fired)
	}
}

// received reports whether a value is ready on ch, without blocking.
func received(ch <-chan time.Time) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}
