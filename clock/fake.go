package clock

import (
	"sync"
	"time"
)

// Fake is a Clock whose time moves only when the test says so. Timers, tickers and AfterFunc
// callbacks whose due time is reached fire inside Step or SetTime, earliest first. Channels of
// timers and tickers have a buffer of one, like the time package's, so firing never blocks; a
// ticker whose reader is behind drops ticks, as a real one does.
//
// Stop and Reset discard a value that fired but was not received yet, so after they return the
// channel yields only what fires later: the behaviour of the time package's timers since Go 1.23.
//
// A Fake is safe for concurrent use. Step and SetTime calls are serialized, so concurrent steps
// neither lose time nor fire timers out of order. AfterFunc callbacks run without the clock's
// lock held, so they may create, stop and reset timers, but they must not call Step or SetTime.
type Fake struct {
	// stepMu serializes Step and SetTime, so that each fires its timers as one batch in due
	// order. Lock order: stepMu before mu.
	stepMu sync.Mutex
	// mu guards now, waiters and seq, and the due, seq and active fields of every waiter.
	mu      sync.Mutex
	now     time.Time
	waiters []*fakeWaiter
	seq     uint64
}

var _ Clock = (*Fake)(nil)

// NewFake returns a fake clock set to t.
func NewFake(t time.Time) *Fake { return &Fake{now: t} }

type fakeWaiter struct {
	clock  *Fake
	due    time.Time
	seq    uint64 // creation order, breaks ties between equal due times
	period time.Duration
	ch     chan time.Time
	fn     func()
	active bool
}

// Now returns the fake time.
func (f *Fake) Now() time.Time {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.now
}

// Since returns the fake time elapsed since t.
func (f *Fake) Since(t time.Time) time.Duration { return f.Now().Sub(t) }

// After returns a channel that receives the fake time once it has advanced by d.
func (f *Fake) After(d time.Duration) <-chan time.Time { return f.NewTimer(d).C() }

// NewTimer returns a timer that fires once the fake time has advanced by d. A timer with d <= 0
// fires at once.
func (f *Fake) NewTimer(d time.Duration) Timer {
	w := &fakeWaiter{clock: f, ch: make(chan time.Time, 1)}
	f.add(w, d)
	return w
}

// NewTicker returns a ticker that ticks every d of fake time. It panics if d <= 0, like
// time.NewTicker.
func (f *Fake) NewTicker(d time.Duration) Ticker {
	if d <= 0 {
		panic("clock: non-positive interval for NewTicker")
	}
	w := &fakeWaiter{clock: f, ch: make(chan time.Time, 1), period: d}
	f.add(w, d)
	return fakeTicker{w}
}

// AfterFunc calls fn once the fake time has advanced by d, on the goroutine that advances it.
// With d <= 0 fn runs at once on a new goroutine, as time.AfterFunc would.
func (f *Fake) AfterFunc(d time.Duration, fn func()) Timer {
	w := &fakeWaiter{clock: f, fn: fn}
	f.add(w, d)
	return w
}

func (f *Fake) add(w *fakeWaiter, d time.Duration) {
	f.mu.Lock()
	fire, now := f.addLocked(w, d)
	f.mu.Unlock()
	if fire {
		w.fireNow(now)
	}
}

// addLocked arms w to fire d after the current time. With d <= 0 it arms nothing and reports
// that the caller must fire w at once (after releasing f.mu) with the returned time.
func (f *Fake) addLocked(w *fakeWaiter, d time.Duration) (fire bool, now time.Time) {
	w.due = f.now.Add(d)
	if d <= 0 {
		return true, f.now
	}
	f.seq++
	w.seq = f.seq
	w.active = true
	f.waiters = append(f.waiters, w)
	return false, time.Time{}
}

// fireNow fires a waiter whose duration was not positive: an AfterFunc runs on a new goroutine,
// as time.AfterFunc(0, f) would; a timer sends at once.
func (w *fakeWaiter) fireNow(now time.Time) {
	if w.fn != nil {
		go w.fn()
		return
	}
	w.send(now)
}

// send delivers a tick without blocking: the channel has a buffer of one and a full buffer means
// the reader has not consumed the previous tick yet.
func (w *fakeWaiter) send(now time.Time) {
	select {
	case w.ch <- now:
	default:
	}
}

// drain discards a tick that fired but was not received (nil channel: nothing to do).
func (w *fakeWaiter) drain() {
	select {
	case <-w.ch:
	default:
	}
}

// Step advances the fake time by d, firing every timer that becomes due, in due-time order.
// Now() already reads the final time while they fire, as a real clock would for code that was
// scheduled late.
func (f *Fake) Step(d time.Duration) {
	f.stepMu.Lock()
	defer f.stepMu.Unlock()
	f.mu.Lock()
	f.setTimeLocked(f.now.Add(d))
}

// SetTime moves the fake time to t, firing every timer due at or before t. Setting a time
// earlier than the current one moves the clock back and fires nothing.
func (f *Fake) SetTime(t time.Time) {
	f.stepMu.Lock()
	defer f.stepMu.Unlock()
	f.mu.Lock()
	f.setTimeLocked(t)
}

// setTimeLocked does the work of SetTime. It is called with f.mu held and returns with it
// released, because callbacks and sends happen without the lock.
func (f *Fake) setTimeLocked(t time.Time) {
	f.now = t
	for {
		w := f.nextDueLocked(t)
		if w == nil {
			break
		}
		if w.period > 0 {
			// Tickers come round again; skip missed periods like a real ticker would drop ticks.
			for !w.due.After(t) {
				w.due = w.due.Add(w.period)
			}
			f.seq++
			w.seq = f.seq
		} else {
			w.active = false
			f.removeLocked(w)
		}
		if w.fn == nil {
			// Send under the lock: it never blocks, and a Stop or Reset racing with this step
			// then either prevents the tick or discards it, never lets a stale one through.
			w.send(t)
			continue
		}
		f.mu.Unlock()
		w.fn()
		f.mu.Lock()
	}
	f.mu.Unlock()
}

func (f *Fake) nextDueLocked(t time.Time) *fakeWaiter {
	var best *fakeWaiter
	for _, w := range f.waiters {
		if w.due.After(t) {
			continue
		}
		if best == nil || w.due.Before(best.due) || (w.due.Equal(best.due) && w.seq < best.seq) {
			best = w
		}
	}
	return best
}

func (f *Fake) removeLocked(w *fakeWaiter) bool {
	for i, x := range f.waiters {
		if x == w {
			last := len(f.waiters) - 1
			copy(f.waiters[i:], f.waiters[i+1:])
			f.waiters[last] = nil // let the garbage collector have it
			f.waiters = f.waiters[:last]
			return true
		}
	}
	return false
}

// HasWaiters reports whether any timer, ticker or AfterFunc is pending.
func (f *Fake) HasWaiters() bool { return f.Waiters() > 0 }

// Waiters returns the number of pending timers, tickers and AfterFuncs.
func (f *Fake) Waiters() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.waiters)
}

// NextDue returns the due time of the earliest pending waiter, and false if there is none.
// Tests use it to jump straight to the next interesting moment.
func (f *Fake) NextDue() (time.Time, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.waiters) == 0 {
		return time.Time{}, false
	}
	due := f.waiters[0].due
	for _, w := range f.waiters[1:] {
		if w.due.Before(due) {
			due = w.due
		}
	}
	return due, true
}

// C returns the waiter's channel (nil for AfterFunc).
func (w *fakeWaiter) C() <-chan time.Time { return w.ch }

// Stop removes the waiter and discards a tick it sent that was not received yet; it reports
// whether the waiter was still pending.
func (w *fakeWaiter) Stop() bool {
	f := w.clock
	f.mu.Lock()
	defer f.mu.Unlock()
	was := w.active
	w.active = false
	f.removeLocked(w)
	w.drain()
	return was
}

// Reset re-arms the waiter to fire d after the current fake time, discarding a tick it sent that
// was not received yet. It reports whether the waiter had been pending.
func (w *fakeWaiter) Reset(d time.Duration) bool {
	f := w.clock
	f.mu.Lock()
	was := w.active
	w.active = false
	f.removeLocked(w)
	w.drain()
	fire, now := f.addLocked(w, d)
	f.mu.Unlock()
	if fire {
		w.fireNow(now)
	}
	return was
}

var (
	_ Timer  = (*fakeWaiter)(nil)
	_ Ticker = fakeTicker{}
)

type fakeTicker struct{ *fakeWaiter }

func (t fakeTicker) Stop() { t.fakeWaiter.Stop() }
