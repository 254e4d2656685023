package statefulset

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/skiff-dev/skiff/api/intstr"
)

func TestSlowStartBatch(t *testing.T) {
	errBoom := errors.New("boom")
	tests := []struct {
		name          string
		n, max        int
		failAt        int // the call index that fails; -1 for none
		wantCalls     int // whole batches: 1, 2, 4, ... up to max
		wantSuccesses int
	}{
		{"nothing", 0, 500, -1, 0, 0},
		{"doubling", 10, 500, -1, 10, 10},
		{"capped", 20, 4, -1, 20, 20},
		{"first call fails", 10, 500, 0, 1, 0},
		{"second batch fails", 10, 500, 2, 3, 2},
		{"third batch fails", 10, 500, 4, 7, 6},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var mu sync.Mutex
			seen := map[int]bool{}
			var inFlight, maxInFlight atomic.Int32
			got, err := slowStartBatch(tc.n, 1, tc.max, func(i int) error {
				n := inFlight.Add(1)
				defer inFlight.Add(-1)
				for {
					m := maxInFlight.Load()
					if n <= m || maxInFlight.CompareAndSwap(m, n) {
						break
					}
				}
				mu.Lock()
				defer mu.Unlock()
				if seen[i] {
					t.Errorf("index %d called twice", i)
				}
				seen[i] = true
				if i == tc.failAt {
					return errBoom
				}
				return nil
			})
			if len(seen) != tc.wantCalls {
				t.Errorf("%d calls, want %d", len(seen), tc.wantCalls)
			}
			for i := range len(seen) {
				if !seen[i] {
					t.Errorf("index %d skipped", i)
				}
			}
			if got != tc.wantSuccesses {
				t.Errorf("successes %d, want %d", got, tc.wantSuccesses)
			}
			if !errors.Is(err, errBoom) != (tc.failAt < 0) {
				t.Errorf("err = %v", err)
			}
			if int(maxInFlight.Load()) > tc.max {
				t.Errorf("%d calls at once, more than %d", maxInFlight.Load(), tc.max)
			}
		})
	}
}

func TestResolveMaxUnavailable(t *testing.T) {
	tests := []struct {
		v        intstr.IntOrString
		replicas int
		want     int
	}{
		{intstr.FromInt(2), 5, 2},
		{intstr.FromInt(0), 5, 1},
		{intstr.FromString("50%"), 5, 2}, // rounded down
		{intstr.FromString("10%"), 5, 1}, // 0.5 → 0 → at least 1
		{intstr.FromString("100%"), 4, 4},
		{intstr.FromString("bad"), 4, 1},
	}
	for _, tc := range tests {
		if got := resolveMaxUnavailable(&tc.v, tc.replicas); got != tc.want {
			t.Errorf("resolveMaxUnavailable(%v, %d) = %d, want %d", tc.v, tc.replicas, got, tc.want)
		}
	}
}
