package planetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/clock"
)

// Defaults of Eventually.
const (
	// DefaultWithin is how long, in real time, Eventually polls before it fails the test.
	DefaultWithin = 10 * time.Second
	// DefaultPollInterval is the real time between two polls.
	DefaultPollInterval = time.Millisecond
)

// WaitOption changes how Eventually polls.
type WaitOption func(*waitOptions)

type waitOptions struct {
	within   time.Duration
	interval time.Duration
	clock    *clock.Fake
	step     time.Duration
	idle     func() bool
	msg      string
}

// Within bounds the wait, in real time (default DefaultWithin).
func Within(d time.Duration) WaitOption { return func(o *waitOptions) { o.within = d } }

// Interval sets the real time between polls (default DefaultPollInterval).
func Interval(d time.Duration) WaitOption { return func(o *waitOptions) { o.interval = d } }

// Stepping advances c by d after every poll that finds cond false: for conditions that
// need time to pass on the fake clock (a RequeueAfter, a back-off, a lease expiring).
func Stepping(c *clock.Fake, d time.Duration) WaitOption {
	return func(o *waitOptions) { o.clock, o.step = c, d }
}

// WhenIdle makes a Stepping wait, before each step, until idle reports true (or the bound
// runs out): for instance until the simulated kubelets have caught up with the clock, so that
// stepping faster than they work does not make their leases look stale.
func WhenIdle(idle func() bool) WaitOption { return func(o *waitOptions) { o.idle = idle } }

// Message sets what the failure says the test was waiting for.
func Message(format string, args ...any) WaitOption {
	return func(o *waitOptions) { o.msg = fmt.Sprintf(format, args...) }
}

// Eventually polls cond until it returns true, and fails the test (t.Fatal) if it does not
// within the bound. It is bounded polling for what happens on other goroutines
// (controllers, informers); it never sleeps on the fake clock, which only moves when a
// Stepping option moves it.
func Eventually(t testing.TB, cond func() bool, opts ...WaitOption) {
	t.Helper()
	o := waitOptions{within: DefaultWithin, interval: DefaultPollInterval, msg: "condition"}
	for _, opt := range opts {
		opt(&o)
	}
	deadline := time.Now().Add(o.within)
	timer := time.NewTimer(o.interval)
	defer timer.Stop()
	for polls := 1; ; polls++ {
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			if o.clock != nil {
				t.Fatalf("planetest: %s not met within %v (%d polls; fake clock at %v)", o.msg, o.within, polls, o.clock.Now())
			}
			t.Fatalf("planetest: %s not met within %v (%d polls)", o.msg, o.within, polls)
		}
		if o.clock != nil && (o.idle == nil || o.idle()) {
			o.clock.Step(o.step)
		}
		timer.Reset(o.interval)
		<-timer.C
	}
}
