package workqueue

// AddRateLimited adds item after the delay the queue's RateLimiter gives it, which usually grows
// with each failure of the item. Call it when processing item failed. Ignored after ShutDown
// (the limiter still counts the failure, as in client-go).
func (q *Queue[T]) AddRateLimited(item T) {
	q.AddWithOpts(item, AddOpts{RateLimited: true})
}

// Forget tells the RateLimiter to stop tracking item: its next failure starts from the shortest
// delay again. Call it when processing item succeeded. Forget does not remove item from the queue.
func (q *Queue[T]) Forget(item T) {
	q.limiter.Forget(item)
}

// NumRequeues returns how many times item has been rate-limited since it was last forgotten.
func (q *Queue[T]) NumRequeues(item T) int {
	return q.limiter.NumRequeues(item)
}
