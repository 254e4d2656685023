package workqueue_test

import (
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/workqueue"
)

// A worker loop: failures are retried with back-off, successes forgotten.
func Example() {
	c := clock.NewFake(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	q := workqueue.New(workqueue.Options[string]{
		Clock:       c,
		RateLimiter: workqueue.NewItemExponentialFailureRateLimiter[string](time.Second, time.Minute),
	})
	defer q.ShutDown()

	attempts := map[string]int{}
	sync := func(key string) error { // fails the first two times
		attempts[key]++
		if attempts[key] < 3 {
			return fmt.Errorf("not yet")
		}
		return nil
	}
	processNext := func() {
		key, _ := q.Get()
		defer q.Done(key)
		if err := sync(key); err != nil {
			fmt.Printf("%s: %v, retry #%d\n", key, err, q.NumRequeues(key)+1)
			q.AddRateLimited(key)
			return
		}
		fmt.Printf("%s: synced\n", key)
		q.Forget(key)
	}

	q.Add("default/web")
	q.Add("default/web") // de-duplicated
	processNext()
	c.Step(time.Second) // first retry after 1s
	processNext()
	c.Step(2 * time.Second) // second after 2s more
	processNext()
	fmt.Println("queued:", q.Len())
	// Output:
	// default/web: not yet, retry #1
	// default/web: not yet, retry #2
	// default/web: synced
	// queued: 0
}

// Priorities: higher first, but a low-priority item is overtaken by a bounded number of later
// items (here PriorityAging 1: priority -2 yields to at most 2 later items).
func ExampleQueue_AddWithOpts() {
	q := workqueue.New(workqueue.Options[string]{PriorityAging: 1})
	defer q.ShutDown()
	q.AddWithOpts("initial-list", workqueue.AddOpts{Priority: -2})
	for _, k := range []string{"event-1", "event-2", "event-3", "event-4"} {
		q.Add(k)
	}
	for q.Len() > 0 {
		k, _ := q.Get()
		fmt.Println(k)
		q.Done(k)
	}
	// Output:
	// event-1
	// event-2
	// initial-list
	// event-3
	// event-4
}
