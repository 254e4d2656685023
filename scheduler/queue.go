package scheduler

import (
	"sync"
	"time"

	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/workqueue"
)

// schedulingQueue holds the keys ("namespace/name") of the pods waiting to be scheduled. It
// is kube-scheduler's scheduling queue, made of a workqueue and a set:
//
//   - active is a workqueue: the pods to try now (or after a delay), highest priority first,
//     each handed to one attempt at a time, failures retried with the queue's rate limiter.
//   - parked are the pods that fit no node at their last attempt (kube-scheduler's
//     unschedulablePods). Nothing retries them until the cluster changes in a way that may
//     make room: moveAll, on a node added or changed, or a bound pod deleted or terminated,
//     puts them back into active, each after its back-off (initial, doubling per attempt, up
//     to max, counted from its last attempt). flush does the same periodically, for changes
//     no event reveals.
//
// A pod that fails while a cluster change is reported (moveSeq moved on during its attempt)
// is not parked but requeued after its back-off, so that the change is not missed.
type schedulingQueue struct {
	active *workqueue.Queue[string]
	clock  clock.Clock

	initialBackoff, maxBackoff time.Duration

	// mu guards pods, parked and moveSeq, and the fields of every queuedPod. It is held while
	// calling active's methods, never the other way round.
	mu sync.Mutex
	// pods are the pending pods the queue tracks: waiting in active, being scheduled, being
	// bound, or parked. A pod leaves when the informer shows it bound or deleted.
	pods map[string]*queuedPod
	// parked are the pods that fit nowhere at their last attempt.
	parked map[string]*queuedPod
	// moveSeq counts moveAll calls.
	moveSeq uint64
}

// queuedPod is what the queue keeps about one pending pod.
type queuedPod struct {
	priority    int
	attempts    int       // scheduling attempts so far
	lastAttempt time.Time // start of the last attempt
	attemptSeq  uint64    // moveSeq at the start of the last attempt
}

func newSchedulingQueue(clk clock.Clock, initialBackoff, maxBackoff time.Duration) *schedulingQueue {
	return &schedulingQueue{
		active:         workqueue.New(workqueue.Options[string]{Clock: clk}),
		clock:          clk,
		initialBackoff: initialBackoff,
		maxBackoff:     maxBackoff,
		pods:           map[string]*queuedPod{},
		parked:         map[string]*queuedPod{},
	}
}

// add queues a pod for an attempt now: a new pending pod, or one whose spec or labels
// changed. A parked pod leaves the parked set.
func (q *schedulingQueue) add(key string, priority int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	qp, ok := q.pods[key]
	if !ok {
		qp = &queuedPod{}
		q.pods[key] = qp
	}
	qp.priority = priority
	delete(q.parked, key)
	q.active.AddWithOpts(key, workqueue.AddOpts{Priority: priority})
}

// update is add for a pod the informer reports changed: a pod the queue does not track is
// added; a parked one is retried if changed() says something that matters for scheduling
// changed; any other tracked pod is left alone (it is queued or being tried already).
func (q *schedulingQueue) update(key string, priority int, changed func() bool) {
	q.mu.Lock()
	_, tracked := q.pods[key]
	_, parked := q.parked[key]
	q.mu.Unlock()
	if !tracked || parked && changed() {
		q.add(key, priority)
	}
}

// remove stops tracking a pod that was bound or deleted. A key still in active is dropped by
// the attempt, which finds nothing to schedule.
func (q *schedulingQueue) remove(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	delete(q.pods, key)
	delete(q.parked, key)
	q.active.Forget(key)
}

// pop blocks until a pod is due and returns its key, or ok=false once the queue is shut down.
// The caller must call done(key) after the attempt.
func (q *schedulingQueue) pop() (key string, ok bool) {
	key, shutdown := q.active.Get()
	if shutdown {
		return "", false
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	if qp := q.pods[key]; qp != nil {
		qp.attempts++
		qp.lastAttempt = q.clock.Now()
		qp.attemptSeq = q.moveSeq
	}
	return key, true
}

// done ends the attempt pop started.
func (q *schedulingQueue) done(key string) { q.active.Done(key) }

// park records that the pod fit no node in the attempt just made. If the cluster changed
// during the attempt, the pod is retried after its back-off instead.
func (q *schedulingQueue) park(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	qp := q.pods[key]
	if qp == nil {
		return // bound or deleted meanwhile
	}
	if qp.attemptSeq != q.moveSeq {
		q.activateLocked(key, qp)
		return
	}
	q.parked[key] = qp
}

// retry requeues a pod whose attempt failed for another reason than fitting nowhere (a
// failed write), after the workqueue's rate-limited delay.
func (q *schedulingQueue) retry(key string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	if qp := q.pods[key]; qp != nil {
		q.active.AddWithOpts(key, workqueue.AddOpts{Priority: qp.priority, RateLimited: true})
	}
}

// succeeded resets the rate limiter's failure count of a pod that was placed.
func (q *schedulingQueue) succeeded(key string) { q.active.Forget(key) }

// moveAll retries every parked pod after its back-off: the cluster changed in a way that may
// let them fit.
func (q *schedulingQueue) moveAll() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.moveSeq++
	q.activateParkedLocked()
}

// flush retries every parked pod after its back-off, as moveAll does, without counting as a
// cluster change.
func (q *schedulingQueue) flush() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.activateParkedLocked()
}

func (q *schedulingQueue) activateParkedLocked() {
	for key, qp := range q.parked {
		delete(q.parked, key)
		q.activateLocked(key, qp)
	}
}

// activateLocked queues the pod once its back-off since its last attempt is over.
func (q *schedulingQueue) activateLocked(key string, qp *queuedPod) {
	wait := q.backoff(qp.attempts) - q.clock.Since(qp.lastAttempt)
	q.active.AddWithOpts(key, workqueue.AddOpts{Priority: qp.priority, After: wait})
}

// backoff is the least time between attempt n and the next: initialBackoff doubled for each
// earlier attempt, at most maxBackoff.
func (q *schedulingQueue) backoff(attempts int) time.Duration {
	d := q.initialBackoff
	for i := 1; i < attempts && d < q.maxBackoff; i++ {
		d *= 2
	}
	return min(d, q.maxBackoff)
}

// parkedCount returns the number of parked pods.
func (q *schedulingQueue) parkedCount() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return len(q.parked)
}

// attempts returns the number of attempts made for the pod, 0 when it is not tracked.
func (q *schedulingQueue) attempts(key string) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	if qp := q.pods[key]; qp != nil {
		return qp.attempts
	}
	return 0
}

// shutDown stops pop. Pods still waiting in active are handed out by later pops.
func (q *schedulingQueue) shutDown() { q.active.ShutDown() }
