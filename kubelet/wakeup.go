package kubelet

import (
	"sync"
	"time"

	"github.com/skiff-dev/skiff/clock"
)

// armSlack is how far the clock may move while a timer is armed before wakeups arms it
// again: a real clock moves a little (harmless), a fake clock stepped by a test jumps.
const armSlack = time.Millisecond

// wakeups holds the Host's timed syncs: for each item, the absolute time at which it must
// be added to the work queue. One clock timer is armed for the earliest.
//
// The work queue's AddAfter would do, but it takes a duration: it reads the clock, then
// arms a timer relative to the clock's time at that later moment. A fake clock stepped in
// between (a test that moves time as soon as it sees a status, while the worker that wrote
// it has not scheduled its next sync yet) makes the wake-up late by the step, and the test
// waits forever. wakeups takes absolute times, fires what is already due at once, and arms
// again when the clock moved while it armed.
type wakeups struct {
	clock clock.Clock
	fire  func(item)

	// mu guards every field below. Lock order: mu, then the clock's lock (timers are armed
	// with mu held); fire is called with mu held and must not call back.
	mu       sync.Mutex
	heap     []wakeup
	index    map[item]int // position of each item in heap
	timer    clock.Timer
	armedFor time.Time // when timer fires; zero when not armed
	stopped  bool
}

type wakeup struct {
	due time.Time
	it  item
}

func newWakeups(c clock.Clock, fire func(item)) *wakeups {
	return &wakeups{clock: c, fire: fire, index: map[item]int{}}
}

// at asks for it to be fired at due. An item already waiting keeps the earlier time.
func (w *wakeups) at(it item, due time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.stopped {
		return
	}
	if i, ok := w.index[it]; ok {
		if !due.Before(w.heap[i].due) {
			return
		}
		w.heap[i].due = due
		w.up(i)
	} else {
		w.heap = append(w.heap, wakeup{due: due, it: it})
		w.index[it] = len(w.heap) - 1
		w.up(len(w.heap) - 1)
	}
	if w.armedFor.IsZero() || w.heap[0].due.Before(w.armedFor) {
		w.armLocked()
	}
}

// stop drops every pending wake-up and disarms the timer.
func (w *wakeups) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.stopped = true
	if w.timer != nil {
		w.timer.Stop()
	}
	w.heap, w.index, w.armedFor = nil, nil, time.Time{}
}

// len returns the number of pending wake-ups.
func (w *wakeups) len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.heap)
}

// onTimer is the timer's callback.
func (w *wakeups) onTimer() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.armedFor = time.Time{}
	if !w.stopped {
		w.armLocked()
	}
}

// armLocked fires every due item and arms the timer for the earliest of the others.
func (w *wakeups) armLocked() {
	for len(w.heap) > 0 {
		now := w.clock.Now()
		first := w.heap[0]
		if !first.due.After(now) {
			w.pop()
			w.fire(first.it)
			continue
		}
		d := first.due.Sub(now)
		if w.timer == nil {
			w.timer = w.clock.AfterFunc(d, w.onTimer)
		} else {
			w.timer.Reset(d)
		}
		w.armedFor = first.due
		if w.clock.Since(now) < armSlack {
			return
		}
		// The clock jumped while the timer was armed: arm it again from the new time.
	}
	if w.timer != nil {
		w.timer.Stop()
	}
	w.armedFor = time.Time{}
}

func (w *wakeups) pop() {
	last := len(w.heap) - 1
	w.swap(0, last)
	delete(w.index, w.heap[last].it)
	w.heap = w.heap[:last]
	if last > 0 {
		w.down(0)
	}
}

func (w *wakeups) up(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !w.heap[i].due.Before(w.heap[p].due) {
			return
		}
		w.swap(i, p)
		i = p
	}
}

func (w *wakeups) down(i int) {
	n := len(w.heap)
	for {
		l, small := 2*i+1, i
		if l < n && w.heap[l].due.Before(w.heap[small].due) {
			small = l
		}
		if r := l + 1; r < n && w.heap[r].due.Before(w.heap[small].due) {
			small = r
		}
		if small == i {
			return
		}
		w.swap(i, small)
		i = small
	}
}

func (w *wakeups) swap(i, j int) {
	w.heap[i], w.heap[j] = w.heap[j], w.heap[i]
	w.index[w.heap[i].it] = i
	w.index[w.heap[j].it] = j
}
