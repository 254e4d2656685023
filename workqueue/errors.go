package workqueue

import "errors"

// Errors returned by Options.Validate. New panics with one of them (wrapped) when given options
// that do not validate.
var (
	// ErrNegativeAging means Options.PriorityAging is negative.
	ErrNegativeAging = errors.New("workqueue: PriorityAging must not be negative")
	// ErrNegativeUpdatePeriod means Options.UnfinishedWorkUpdatePeriod is negative.
	ErrNegativeUpdatePeriod = errors.New("workqueue: UnfinishedWorkUpdatePeriod must not be negative")
	// ErrMetricsWithoutName means Options.MetricsProvider is set but Options.Name is empty: metrics
	// of unnamed queues could not be told apart.
	ErrMetricsWithoutName = errors.New("workqueue: a queue with a MetricsProvider needs a Name")
)
