// Package workqueue provides the work queue controllers process keys from: a generic queue with
// client-go's de-duplication and processing guarantees, delayed adds, rate-limited retries with
// composable rate limiters, priorities with ageing, and metrics hooks.
//
// # Basics
//
// An informer's event handlers Add keys ("namespace/name") to a Queue; workers loop:
//
//	for {
//		key, shutdown := q.Get()
//		if shutdown {
//			return
//		}
//		err := sync(key)
//		if err == nil {
//			q.Forget(key) // success: reset the item's back-off
//		} else {
//			q.AddRateLimited(key) // failure: retry after a growing delay
//		}
//		q.Done(key)
//	}
//
// The queue guarantees that an item added many times before a worker takes it is processed
// once, that no two workers ever hold the same item, and that an item added while it is being
// processed is processed again after Done: controllers are level-based, so one more sync after
// the last change is all they need.
//
// AddAfter delays an addition (a delayed item keeps the earliest ready time asked for);
// AddRateLimited asks the queue's RateLimiter for the delay; AddWithOpts does either with a
// priority. Time comes from Options.Clock, so tests step a *clock.Fake instead of sleeping.
//
// # Differences from client-go, on purpose
//
//   - One generic type, Queue[T], has every capability; there are no untyped twins and no
//     separate plain, delaying and rate-limiting interfaces. Callers declare the interface they
//     consume.
//   - New starts no goroutine. Delays are driven by one clock.AfterFunc timer re-armed for the
//     earliest waiting item, instead of a goroutine with a 10 s heartbeat; nothing runs while no
//     item waits, and a queue that is never shut down does not leak.
//   - Priorities (AddOpts.Priority) age: an item of priority p is placed as if it had been added
//     p×Options.PriorityAging additions earlier, so low-priority items are overtaken by a bounded
//     number of later items and never starve, unlike controller-runtime's priority queue.
//     Ageing counts additions, not seconds: it costs no clock reads and keeps the order
//     deterministic in tests.
//   - The token bucket (BucketRateLimiter) is implemented here, with the behaviour of
//     golang.org/x/time/rate's Reserve, so that it reads a Clock and does not allocate.
//   - Metrics come from Options.MetricsProvider, not a process-wide provider; with none, the
//     queue reads no clock and keeps no timestamps. The unfinished-work gauges are refreshed by
//     a timer that runs only while items are being processed.
//   - Add of an item that is already waiting for a worker, and Done of an item that was not
//     added again while it was processed, take no lock: they find the item's entry and change
//     its state with atomic operations, and keep client-go's guarantees, including that a
//     worker sees what was written before the Add it processes and before the previous
//     worker's Done. Hot items re-added by many goroutines, and workers finishing items, do
//     not contend with Get. Add of an item the queue does not track yet usually takes no lock
//     either: it leaves the item in a small lock-free buffer that the next lock holder empties
//     first, which behaves exactly as if Add had taken the lock when it left the item there.
//   - Add, Get and Done of an item the queue already tracks, AddAfter and AddRateLimited with
//     the provided limiters, allocate nothing in steady state.
//
// # Caveats
//
// Items waiting for a delay are dropped by ShutDown, as in client-go. Like a Go map, the queue
// keeps the memory it grew to for tracking items (about 60 bytes per item it held at once);
// its index and ready ring shrink after a burst.
package workqueue
