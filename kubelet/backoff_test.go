package kubelet

import (
	"testing"
	"time"
)

// TestBackoff replays a container that exits at the given times and checks when each
// restart may happen (spec/pod-lifecycle.md §5).
func TestBackoff(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name     string
		exits    []time.Duration // each exit, measured from 0; the restart follows as soon as allowed
		restarts []time.Duration // when each restart happened
	}{{
		name:     "first restart at once, then 10s doubling",
		exits:    []time.Duration{0, 0, 0, 0, 0},
		restarts: []time.Duration{0, 10 * s, 30 * s, 70 * s, 150 * s},
	}, {
		name:     "capped at 300s",
		exits:    []time.Duration{0, 0, 0, 0, 0, 0, 0, 0},
		restarts: []time.Duration{0, 10 * s, 30 * s, 70 * s, 150 * s, 310 * s, 610 * s, 910 * s},
	}, {
		name:     "measured from the exit, not the restart",
		exits:    []time.Duration{0, 5 * s, 5 * s},
		restarts: []time.Duration{0, 15 * s, 40 * s},
	}, {
		name:     "forgotten after 10 minutes without a restart",
		exits:    []time.Duration{0, 0, 11 * time.Minute, 0},
		restarts: []time.Duration{0, 10 * s, 11*time.Minute + 10*s, 11*time.Minute + 20*s},
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var b backoff
			epoch := time.Unix(0, 0)
			now := epoch
			for i, run := range tc.exits {
				exit := now.Add(run)
				restart := exit
				if wait, until := b.inBackOffSince(exit, exit); wait {
					restart = until
					if w, _ := b.inBackOffSince(exit, until.Add(-time.Nanosecond)); !w {
						t.Fatalf("restart %d: not in back-off just before %s", i+1, until.Sub(epoch))
					}
				}
				if w, _ := b.inBackOffSince(exit, restart); w {
					t.Fatalf("restart %d: still in back-off at %s", i+1, restart.Sub(epoch))
				}
				b.next(exit, restart)
				if got := restart.Sub(epoch); got != tc.restarts[i] {
					t.Fatalf("restart %d at %s, want %s", i+1, got, tc.restarts[i])
				}
				now = restart
			}
		})
	}
}
