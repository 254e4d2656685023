// Package clock abstracts time so that everything in skiff that waits or reads the time can be
// driven deterministically in tests.
//
// Basics: production code takes a Clock (usually clock.Real{}); tests pass a *Fake and move
// time forward with Step or SetTime. Timers, tickers and AfterFunc callbacks of a Fake fire
// synchronously inside Step/SetTime, in order of their due time, so a test knows exactly what
// has fired when Step returns.
//
// Differences from k8s.io/utils/clock: one Clock interface (no separate PassiveClock or
// WithTicker variants), timers and tickers expose their channel through a C method, and the fake
// clock's AfterFunc callbacks run on the goroutine that steps the clock, not on a new one.
package clock

import "time"

// Clock tells the time and creates timers. Implementations are safe for concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Since returns the time elapsed since t.
	Since(t time.Time) time.Duration
	// After waits for the duration to elapse and then sends the current time on the returned
	// channel.
	After(d time.Duration) <-chan time.Time
	// NewTimer creates a Timer that sends the current time on its channel after d.
	NewTimer(d time.Duration) Timer
	// NewTicker returns a Ticker that sends the time on its channel every d. d must be positive.
	NewTicker(d time.Duration) Ticker
	// AfterFunc waits for d to elapse and then calls f. The returned Timer's C is nil.
	AfterFunc(d time.Duration, f func()) Timer
}

// Timer is the Clock counterpart of *time.Timer.
type Timer interface {
	// C returns the channel on which the timer delivers its time; nil for AfterFunc timers.
	C() <-chan time.Time
	// Stop prevents the timer from firing. It reports whether the call stopped the timer
	// (false if it had already fired or been stopped).
	Stop() bool
	// Reset changes the timer to expire after d. It reports whether the timer had been active.
	Reset(d time.Duration) bool
}

// Ticker is the Clock counterpart of *time.Ticker.
type Ticker interface {
	// C returns the channel on which ticks are delivered.
	C() <-chan time.Time
	// Stop turns off the ticker. No more ticks are sent after Stop returns.
	Stop()
}

// Real is the Clock backed by the time package. Its zero value is ready to use.
type Real struct{}

var _ Clock = Real{}

// Now returns time.Now().
func (Real) Now() time.Time { return time.Now() }

// Since returns time.Since(t).
func (Real) Since(t time.Time) time.Duration { return time.Since(t) }

// After returns time.After(d).
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }

// NewTimer wraps time.NewTimer.
func (Real) NewTimer(d time.Duration) Timer { return realTimer{time.NewTimer(d)} }

// NewTicker wraps time.NewTicker.
func (Real) NewTicker(d time.Duration) Ticker { return realTicker{time.NewTicker(d)} }

// AfterFunc wraps time.AfterFunc.
func (Real) AfterFunc(d time.Duration, f func()) Timer { return realTimer{time.AfterFunc(d, f)} }

type realTimer struct{ t *time.Timer }

func (r realTimer) C() <-chan time.Time        { return r.t.C }
func (r realTimer) Stop() bool                 { return r.t.Stop() }
func (r realTimer) Reset(d time.Duration) bool { return r.t.Reset(d) }

type realTicker struct{ t *time.Ticker }

func (r realTicker) C() <-chan time.Time { return r.t.C }
func (r realTicker) Stop()               { r.t.Stop() }
