package client_test

import (
	"context"
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// recordingClock records the duration of every timer and fires it at once (or never, when
// stuck), so that backoff tests neither sleep nor poll.
type recordingClock struct {
	clock.Clock
	stuck bool

	mu    sync.Mutex // guards waits
	waits []time.Duration
}

type firedTimer struct{ c chan time.Time }

func (f firedTimer) C() <-chan time.Time      { return f.c }
func (f firedTimer) Stop() bool               { return false }
func (f firedTimer) Reset(time.Duration) bool { return false }

func (r *recordingClock) NewTimer(d time.Duration) clock.Timer {
	r.mu.Lock()
	r.waits = append(r.waits, d)
	r.mu.Unlock()
	t := firedTimer{c: make(chan time.Time, 1)}
	if !r.stuck {
		t.c <- time.Time{}
	}
	return t
}

func (r *recordingClock) recorded() []time.Duration {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.waits)
}

var conflict = store.NewModifiedConflict(scheme.GroupResource{Resource: "pods"}, "p")

func TestRetryOnConflictBackoff(t *testing.T) {
	ms := time.Millisecond
	cases := []struct {
		name      string
		b         client.Backoff
		failures  int // conflicts before success
		attempts  int
		wantWaits []time.Duration
		wantErr   bool
	}{
		{"success at once", client.Backoff{Steps: 3, Duration: ms}, 0, 1, nil, false},
		{"constant", client.Backoff{Steps: 4, Duration: 10 * ms}, 2, 3, []time.Duration{10 * ms, 10 * ms}, false},
		{"exponential with cap", client.Backoff{Steps: 5, Duration: 10 * ms, Factor: 3, Cap: 50 * ms}, 10, 5,
			[]time.Duration{10 * ms, 30 * ms, 50 * ms, 50 * ms}, true},
		{"zero steps means one attempt", client.Backoff{}, 10, 1, nil, true},
		{"zero duration does not wait", client.Backoff{Steps: 3}, 1, 2, nil, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := &recordingClock{}
			tc.b.Clock = clk
			attempts := 0
			err := client.RetryOnConflict(t.Context(), tc.b, func() error {
				attempts++
				if attempts <= tc.failures {
					return conflict
				}
				return nil
			})
			if tc.wantErr != (err != nil) || (err != nil && !store.IsConflict(err)) {
				t.Fatalf("err = %v, want error: %v", err, tc.wantErr)
			}
			if got := clk.recorded(); !slices.Equal(got, tc.wantWaits) {
				t.Fatalf("waits %v, want %v", got, tc.wantWaits)
			}
			if attempts != tc.attempts {
				t.Fatalf("%d attempts, want %d", attempts, tc.attempts)
			}
		})
	}
}

func TestRetryJitter(t *testing.T) {
	clk := &recordingClock{}
	b := client.Backoff{Steps: 50, Duration: 100 * time.Millisecond, Jitter: 0.5, Clock: clk}
	_ = client.RetryOnConflict(t.Context(), b, func() error { return conflict })
	waits := clk.recorded()
	if len(waits) != 49 {
		t.Fatalf("%d waits, want 49", len(waits))
	}
	varied := false
	for _, w := range waits {
		if w < 100*time.Millisecond || w > 150*time.Millisecond {
			t.Fatalf("jittered wait %v outside [100ms, 150ms]", w)
		}
		varied = varied || w != waits[0]
	}
	if !varied {
		t.Fatal("jitter never changed a wait")
	}
}

func TestRetryOnErrorStops(t *testing.T) {
	other := errors.New("other")
	attempts := 0
	err := client.RetryOnError(t.Context(), client.Backoff{Steps: 5, Clock: &recordingClock{}}, store.IsRetryable, func() error {
		attempts++
		return other
	})
	if err != other || attempts != 1 {
		t.Fatalf("non-retriable error: %v after %d attempts", err, attempts)
	}

	// The context ending during a wait ends the retries with its error.
	ctx, cancel := context.WithCancel(t.Context())
	attempts = 0
	err = client.RetryOnConflict(ctx, client.Backoff{Steps: 5, Duration: time.Hour, Clock: &recordingClock{stuck: true}}, func() error {
		attempts++
		cancel()
		return conflict
	})
	if !errors.Is(err, context.Canceled) || attempts != 1 {
		t.Fatalf("cancelled retry: %v after %d attempts", err, attempts)
	}
}
