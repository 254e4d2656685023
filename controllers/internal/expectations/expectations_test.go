package expectations_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/internal/expectations"
)

var epoch = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func TestSatisfied(t *testing.T) {
	tests := []struct {
		name string
		do   func(e *expectations.Expectations[string], clk *clock.Fake)
		want bool
	}{
		{"no record", func(*expectations.Expectations[string], *clock.Fake) {}, true},
		{"creations pending", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectCreations("rs", 3)
			e.CreationObserved("rs")
			e.CreationObserved("rs")
		}, false},
		{"creations observed", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectCreations("rs", 2)
			e.CreationObserved("rs")
			e.CreationObserved("rs")
		}, true},
		{"creations skipped", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectCreations("rs", 5)
			e.CreationObserved("rs")
			e.CreationsSkipped("rs", 4)
		}, true},
		{"over-observed", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectCreations("rs", 1)
			e.CreationObserved("rs")
			e.CreationObserved("rs")
		}, true},
		{"observation without record", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.CreationObserved("rs")
			e.DeletionObserved("rs", "a")
		}, true},
		{"deletions pending", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectDeletions("rs", []meta.UID{"a", "b"})
			e.DeletionObserved("rs", "a")
		}, false},
		{"a pod observed twice counts once", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectDeletions("rs", []meta.UID{"a", "b"})
			e.DeletionObserved("rs", "a")
			e.DeletionObserved("rs", "a")
		}, false},
		{"unknown pod ignored", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectDeletions("rs", []meta.UID{"a"})
			e.DeletionObserved("rs", "z")
		}, false},
		{"deletions observed", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectDeletions("rs", []meta.UID{"a", "b"})
			e.DeletionObserved("rs", "b")
			e.DeletionObserved("rs", "a")
		}, true},
		{"creations replace deletions", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectDeletions("rs", []meta.UID{"a"})
			e.ExpectCreations("rs", 0)
		}, true},
		{"other key", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectCreations("other", 1)
		}, true},
		{"not yet expired", func(e *expectations.Expectations[string], clk *clock.Fake) {
			e.ExpectCreations("rs", 1)
			clk.Step(expectations.DefaultTimeout)
		}, false},
		{"expired", func(e *expectations.Expectations[string], clk *clock.Fake) {
			e.ExpectCreations("rs", 1)
			clk.Step(expectations.DefaultTimeout + time.Nanosecond)
		}, true},
		{"expecting again restarts the timeout", func(e *expectations.Expectations[string], clk *clock.Fake) {
			e.ExpectCreations("rs", 1)
			clk.Step(4 * time.Minute)
			e.ExpectDeletions("rs", []meta.UID{"a"})
			clk.Step(2 * time.Minute)
		}, false},
		{"deleted", func(e *expectations.Expectations[string], _ *clock.Fake) {
			e.ExpectCreations("rs", 1)
			e.Delete("rs")
		}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clk := clock.NewFake(epoch)
			e := expectations.New[string](clk)
			tt.do(e, clk)
			if got := e.Satisfied("rs"); got != tt.want {
				adds, dels, ok := e.Pending("rs")
				t.Fatalf("Satisfied = %v, want %v (pending adds %d, deletes %d, record %v)", got, tt.want, adds, dels, ok)
			}
		})
	}
}

func TestPending(t *testing.T) {
	e := expectations.New[string](clock.NewFake(epoch))
	if _, _, ok := e.Pending("rs"); ok {
		t.Fatal("record before any expectation")
	}
	e.ExpectDeletions("rs", []meta.UID{"a", "b", "c"})
	e.DeletionObserved("rs", "b")
	if adds, dels, ok := e.Pending("rs"); !ok || adds != 0 || dels != 2 {
		t.Fatalf("Pending = %d, %d, %v; want 0, 2, true", adds, dels, ok)
	}
}

func TestCustomTimeout(t *testing.T) {
	clk := clock.NewFake(epoch)
	e := expectations.NewWithTimeout[string](clk, time.Second)
	e.ExpectCreations("rs", 1)
	clk.Step(1001 * time.Millisecond)
	if !e.Satisfied("rs") {
		t.Fatal("not expired after the custom timeout")
	}
	if d := expectations.NewWithTimeout[string](clk, 0); d == nil {
		t.Fatal("nil")
	}
}

// TestConcurrent has handlers observe while a worker expects, under the race detector.
func TestConcurrent(t *testing.T) {
	e := expectations.New[int](clock.NewFake(epoch))
	const keys, n = 8, 200
	for k := range keys {
		e.ExpectCreations(k, n)
	}
	var wg sync.WaitGroup
	for k := range keys {
		wg.Go(func() {
			for range n {
				e.CreationObserved(k)
				_ = e.Satisfied(k)
			}
		})
	}
	wg.Wait()
	for k := range keys {
		if !e.Satisfied(k) {
			adds, _, _ := e.Pending(k)
			t.Errorf("key %d: %d creations still pending", k, adds)
		}
	}
}

func ExampleExpectations() {
	clk := clock.NewFake(epoch)
	exp := expectations.New[string](clk)

	// A sync decides to create two pods for "default/web" and says so first.
	exp.ExpectCreations("default/web", 2)
	// The pod handler sees one of them; the next sync must not create again yet.
	exp.CreationObserved("default/web")
	fmt.Println(exp.Satisfied("default/web"))
	// The second appears: the cache is up to date with the controller's writes.
	exp.CreationObserved("default/web")
	fmt.Println(exp.Satisfied("default/web"))
	// Output:
	// false
	// true
}
