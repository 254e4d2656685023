package workqueue

import "time"

// Delayed adds. Items given to AddAfter wait in a min-heap ordered by ready time. One clock
// AfterFunc timer is armed for the earliest of them; when it fires it adds every item that is
// due and re-arms itself for the next one. No goroutine waits in the background: while nothing
// is waiting no timer is armed, and ShutDown stops the timer and drops the waiting items, as
// client-go's delaying queue does.

// waitRef is one element of the waiting heap.
type waitRef struct {
	readyAt time.Time
	seq     uint64 // breaks ties between equal ready times: first come, first added
	prio    int    // priority to add the item with
	slot    uint32
}

func (a *waitRef) before(b *waitRef) bool {
	return a.readyAt.Before(b.readyAt) || (a.readyAt.Equal(b.readyAt) && a.seq < b.seq)
}

// AddAfter adds item once d has passed on the queue's clock; d <= 0 adds it now. An item that is
// already waiting keeps the earlier of its two ready times: a delay is never postponed. Ignored
// after ShutDown.
func (q *Queue[T]) AddAfter(item T, d time.Duration) {
	q.AddWithOpts(item, AddOpts{After: d})
}

// AddWithOpts adds item with a priority, a delay, a rate-limited delay, or any combination; see
// AddOpts. The zero AddOpts makes it Add. Ignored after ShutDown.
func (q *Queue[T]) AddWithOpts(item T, o AddOpts) {
	d := o.After
	if o.RateLimited {
		d = max(d, q.limiter.When(item))
	}
	hash := q.prepare(item)
	q.lock()
	defer q.mu.Unlock()
	if q.shuttingDown {
		return
	}
	if q.metrics != nil && (o.After > 0 || o.RateLimited) {
		q.metrics.retries.Inc()
	}
	slot := q.slotLocked(item, hash)
	if d <= 0 {
		q.addLocked(slot, o.Priority)
		return
	}
	now := q.clock.Now()
	q.waitLocked(slot, now, now.Add(d), o.Priority)
}

// waitLocked puts the entry at slot in the waiting heap to be added at readyAt, or moves its
// ready time earlier if it is already waiting.
func (q *Queue[T]) waitLocked(slot uint32, now, readyAt time.Time, p int) {
	if i := q.tab.at(slot).waitIdx; i >= 0 {
		w := &q.waiting.s[i]
		w.prio = max(w.prio, p)
		if !readyAt.Before(w.readyAt) {
			return
		}
		w.readyAt = readyAt
		q.waiting.up(int(i))
	} else {
		q.seq++
		q.waiting.push(waitRef{readyAt: readyAt, seq: q.seq, prio: p, slot: slot})
	}
	if q.waiting.s[0].slot == slot {
		q.armLocked(now, readyAt)
	}
}

// armLocked makes sure the timer fires no later than readyAt.
func (q *Queue[T]) armLocked(now, readyAt time.Time) {
	if !q.timerDue.IsZero() && !readyAt.Before(q.timerDue) {
		return
	}
	q.timerDue = readyAt
	d := max(readyAt.Sub(now), 1) // a positive delay: the fake clock fires 0 on a goroutine
	if q.timer == nil {
		q.timer = q.clock.AfterFunc(d, q.addDue)
		return
	}
	q.timer.Reset(d)
}

// addDue runs when the timer fires: it adds every waiting item whose time has come and re-arms
// the timer for the next one.
func (q *Queue[T]) addDue() {
	q.lock()
	defer q.mu.Unlock()
	q.timerDue = time.Time{}
	if q.shuttingDown {
		return
	}
	now := q.clock.Now()
	for q.waiting.len() > 0 && !q.waiting.s[0].readyAt.After(now) {
		w := q.waiting.pop()
		q.addLocked(w.slot, w.prio)
	}
	if q.waiting.len() > 0 {
		q.armLocked(now, q.waiting.s[0].readyAt)
	}
}

// dropWaitingLocked forgets every waiting item and stops the timer (at shutdown).
func (q *Queue[T]) dropWaitingLocked() {
	if q.timer != nil {
		q.timer.Stop()
	}
	q.timerDue = time.Time{}
	for q.waiting.len() > 0 {
		w := q.waiting.pop()
		q.releaseLocked(w.slot)
	}
}
