package client

import (
	"context"
	"math/rand/v2"
	"time"

	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/store"
)

// Backoff says how often and how patiently RetryOnConflict and RetryOnError try: at most
// Steps attempts, waiting Duration after the first failure, then Duration*Factor,
// Duration*Factor², ... each plus up to Jitter times itself at random, and never more than
// Cap.
type Backoff struct {
	// Steps is the number of attempts; values below 1 mean 1.
	Steps int
	// Duration is the wait after the first failed attempt.
	Duration time.Duration
	// Factor multiplies the wait after each failed attempt; values below 1 mean 1.
	Factor float64
	// Jitter adds a random fraction, up to Jitter, of each wait to it; 0 means none.
	Jitter float64
	// Cap bounds each wait (before jitter); 0 means no bound.
	Cap time.Duration
	// Clock measures the waits; nil means clock.Real{}. Tests pass a fake clock.
	Clock clock.Clock
}

// DefaultRetry is client-go's retry.DefaultRetry: five quick attempts about 10ms apart, for
// conflicts between writers of the same object.
var DefaultRetry = Backoff{Steps: 5, Duration: 10 * time.Millisecond, Factor: 1, Jitter: 0.1}

// DefaultBackoff is client-go's retry.DefaultBackoff: four attempts with waits of about 10ms,
// 50ms and 250ms between them, for conditions that take longer to clear.
var DefaultBackoff = Backoff{Steps: 4, Duration: 10 * time.Millisecond, Factor: 5, Jitter: 0.1}

// RetryOnConflict runs fn until it returns nil or an error other than Conflict, at most
// b.Steps times, waiting between attempts as b says. fn must read the object afresh on every
// attempt: a Conflict means its copy was stale. It returns fn's last error (a Conflict once
// the attempts run out), or ctx's error if ctx ends during a wait.
//
// For the common read-mutate-write loop, GuaranteedUpdate is simpler and never gives up on a
// Conflict.
func RetryOnConflict(ctx context.Context, b Backoff, fn func() error) error {
	return RetryOnError(ctx, b, store.IsConflict, fn)
}

// RetryOnError is RetryOnConflict for the errors retriable accepts, for example
// store.IsRetryable.
func RetryOnError(ctx context.Context, b Backoff, retriable func(error) bool, fn func() error) error {
	clk := b.Clock
	if clk == nil {
		clk = clock.Real{}
	}
	wait := b.Duration
	for step := 1; ; step++ {
		err := fn()
		if err == nil || !retriable(err) || step >= b.Steps {
			return err
		}
		if b.Cap > 0 && wait > b.Cap {
			wait = b.Cap
		}
		d := wait
		if b.Jitter > 0 {
			d += time.Duration(rand.Float64() * b.Jitter * float64(wait))
		}
		if d > 0 {
			t := clk.NewTimer(d)
			select {
			case <-t.C():
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		} else if ctx.Err() != nil {
			return ctx.Err()
		}
		if b.Factor > 1 {
			wait = time.Duration(float64(wait) * b.Factor)
		}
	}
}
