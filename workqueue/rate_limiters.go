package workqueue

import (
	"math"
	"sync"
	"time"

	"github.com/skiff-dev/skiff/clock"
)

// RateLimiter decides how long an item waits before it is retried. Implementations are safe for
// concurrent use.
type RateLimiter[T comparable] interface {
	// When records a failure of item and returns how long to wait before retrying it.
	When(item T) time.Duration
	// Forget stops tracking item: its failure history is cleared. It does not stop the item
	// from being retried.
	Forget(item T)
	// NumRequeues returns the number of failures of item since it was last forgotten.
	NumRequeues(item T) int
}

var (
	_ RateLimiter[string] = (*ItemExponentialFailureRateLimiter[string])(nil)
	_ RateLimiter[string] = (*BucketRateLimiter[string])(nil)
	_ RateLimiter[string] = (*ItemFastSlowRateLimiter[string])(nil)
	_ RateLimiter[string] = (*MaxOfRateLimiter[string])(nil)
	_ RateLimiter[string] = (*WithMaxWaitRateLimiter[string])(nil)
)

// DefaultControllerRateLimiter returns the rate limiter controllers use unless they have a reason
// not to, the same policy as client-go's: the longer of a per-item exponential back-off (5 ms,
// doubling on each failure, at most 1000 s) and a token bucket shared by all items (10 per
// second, bursts of 100), so one item failing is retried quickly and many failing at once are
// throttled overall.
func DefaultControllerRateLimiter[T comparable]() *MaxOfRateLimiter[T] {
	return defaultControllerRateLimiter[T](clock.Real{})
}

func defaultControllerRateLimiter[T comparable](c clock.Clock) *MaxOfRateLimiter[T] {
	return NewMaxOfRateLimiter(
		NewItemExponentialFailureRateLimiter[T](5*time.Millisecond, 1000*time.Second),
		NewBucketRateLimiter[T](10, 100, c),
	)
}

// ItemExponentialFailureRateLimiter delays an item base×2^n, where n is the number of its
// earlier failures, up to max.
type ItemExponentialFailureRateLimiter[T comparable] struct {
	base, max time.Duration

	// mu guards failures.
	mu       sync.Mutex
	failures map[T]int
}

// NewItemExponentialFailureRateLimiter returns a limiter whose delays go base, 2×base, 4×base, …
// for consecutive failures of an item, capped at max.
func NewItemExponentialFailureRateLimiter[T comparable](base, max time.Duration) *ItemExponentialFailureRateLimiter[T] {
	return &ItemExponentialFailureRateLimiter[T]{base: base, max: max, failures: make(map[T]int)}
}

// When returns base×2^(failures so far) capped at max, and counts one more failure.
func (r *ItemExponentialFailureRateLimiter[T]) When(item T) time.Duration {
	r.mu.Lock()
	n := r.failures[item]
	r.failures[item] = n + 1
	r.mu.Unlock()
	return exponential(r.base, r.max, n)
}

// exponential returns base×2^n, or max if that is larger or does not fit in a Duration.
func exponential(base, max time.Duration, n int) time.Duration {
	if base <= 0 {
		return min(base, max)
	}
	if n >= 63 || base > math.MaxInt64>>n {
		return max
	}
	return min(base<<n, max)
}

// Forget clears item's failure count.
func (r *ItemExponentialFailureRateLimiter[T]) Forget(item T) {
	r.mu.Lock()
	delete(r.failures, item)
	r.mu.Unlock()
}

// NumRequeues returns item's failure count.
func (r *ItemExponentialFailureRateLimiter[T]) NumRequeues(item T) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failures[item]
}

// BucketRateLimiter is a token bucket shared by all items: it holds up to burst tokens and gains
// qps tokens per second; each When takes one token, and when the bucket is empty it returns how
// long until that token will have accrued (tokens are reserved, so a burst of calls gets
// growing delays). It does not track items: NumRequeues is 0 and Forget does nothing. It has the
// behaviour of golang.org/x/time/rate's Reserve without its allocation per call, and it reads
// time from a Clock.
type BucketRateLimiter[T comparable] struct {
	qps   float64
	burst float64
	clock clock.Clock

	// mu guards tokens and last.
	mu     sync.Mutex
	tokens float64   // may be negative: tokens reserved ahead of time
	last   time.Time // when tokens was last brought up to date; zero before the first When
}

// NewBucketRateLimiter returns a token bucket that starts full with burst tokens and refills at
// qps tokens per second, reading time from c (nil means clock.Real{}). It panics if qps is not
// positive or burst is less than 1; an infinite qps never delays.
func NewBucketRateLimiter[T comparable](qps float64, burst int, c clock.Clock) *BucketRateLimiter[T] {
	if !(qps > 0) || burst < 1 {
		panic("workqueue: NewBucketRateLimiter needs qps > 0 and burst >= 1")
	}
	if c == nil {
		c = clock.Real{}
	}
	return &BucketRateLimiter[T]{qps: qps, burst: float64(burst), clock: c, tokens: float64(burst)}
}

// When takes one token and returns how long until it is available.
func (r *BucketRateLimiter[T]) When(T) time.Duration {
	if math.IsInf(r.qps, 1) {
		return 0
	}
	now := r.clock.Now()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.last.IsZero() {
		r.last = now // the bucket starts full at its first use
	}
	if elapsed := now.Sub(r.last); elapsed > 0 {
		r.tokens = min(r.burst, r.tokens+elapsed.Seconds()*r.qps)
		r.last = now
	}
	r.tokens--
	if r.tokens >= 0 {
		return 0
	}
	return time.Duration(-r.tokens / r.qps * float64(time.Second))
}

// Forget does nothing: the bucket does not track items.
func (r *BucketRateLimiter[T]) Forget(T) {}

// NumRequeues returns 0: the bucket does not track items.
func (r *BucketRateLimiter[T]) NumRequeues(T) int { return 0 }

// ItemFastSlowRateLimiter delays an item by fast for its first maxFast failures and by slow after
// that.
type ItemFastSlowRateLimiter[T comparable] struct {
	fast, slow time.Duration
	maxFast    int

	// mu guards failures.
	mu       sync.Mutex
	failures map[T]int
}

// NewItemFastSlowRateLimiter returns a limiter that retries quickly (fast) maxFast times and
// slowly (slow) after that.
func NewItemFastSlowRateLimiter[T comparable](fast, slow time.Duration, maxFast int) *ItemFastSlowRateLimiter[T] {
	return &ItemFastSlowRateLimiter[T]{fast: fast, slow: slow, maxFast: maxFast, failures: make(map[T]int)}
}

// When counts one more failure of item and returns fast or slow.
func (r *ItemFastSlowRateLimiter[T]) When(item T) time.Duration {
	r.mu.Lock()
	n := r.failures[item] + 1
	r.failures[item] = n
	r.mu.Unlock()
	if n <= r.maxFast {
		return r.fast
	}
	return r.slow
}

// Forget clears item's failure count.
func (r *ItemFastSlowRateLimiter[T]) Forget(item T) {
	r.mu.Lock()
	delete(r.failures, item)
	r.mu.Unlock()
}

// NumRequeues returns item's failure count.
func (r *ItemFastSlowRateLimiter[T]) NumRequeues(item T) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.failures[item]
}

// MaxOfRateLimiter combines limiters: the delay is the longest any of them gives.
type MaxOfRateLimiter[T comparable] struct {
	limiters []RateLimiter[T]
}

// NewMaxOfRateLimiter returns a limiter that asks every one of limiters and waits for the longest
// delay.
func NewMaxOfRateLimiter[T comparable](limiters ...RateLimiter[T]) *MaxOfRateLimiter[T] {
	return &MaxOfRateLimiter[T]{limiters: limiters}
}

// When calls When on every limiter (each records the failure) and returns the largest delay.
func (r *MaxOfRateLimiter[T]) When(item T) time.Duration {
	var d time.Duration
	for _, l := range r.limiters {
		d = max(d, l.When(item))
	}
	return d
}

// Forget forgets item in every limiter.
func (r *MaxOfRateLimiter[T]) Forget(item T) {
	for _, l := range r.limiters {
		l.Forget(item)
	}
}

// NumRequeues returns the largest count any limiter reports.
func (r *MaxOfRateLimiter[T]) NumRequeues(item T) int {
	n := 0
	for _, l := range r.limiters {
		n = max(n, l.NumRequeues(item))
	}
	return n
}

// WithMaxWaitRateLimiter caps the delays of another limiter.
type WithMaxWaitRateLimiter[T comparable] struct {
	limiter RateLimiter[T]
	maxWait time.Duration
}

// NewWithMaxWaitRateLimiter returns limiter with every delay capped at maxWait.
func NewWithMaxWaitRateLimiter[T comparable](limiter RateLimiter[T], maxWait time.Duration) *WithMaxWaitRateLimiter[T] {
	return &WithMaxWaitRateLimiter[T]{limiter: limiter, maxWait: maxWait}
}

// When returns the wrapped limiter's delay, at most maxWait.
func (r *WithMaxWaitRateLimiter[T]) When(item T) time.Duration {
	return min(r.limiter.When(item), r.maxWait)
}

// Forget forwards to the wrapped limiter.
func (r *WithMaxWaitRateLimiter[T]) Forget(item T) { r.limiter.Forget(item) }

// NumRequeues forwards to the wrapped limiter.
func (r *WithMaxWaitRateLimiter[T]) NumRequeues(item T) int { return r.limiter.NumRequeues(item) }
