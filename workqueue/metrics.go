package workqueue

import (
	"time"

	"github.com/skiff-dev/skiff/clock"
)

// MetricsProvider creates the metrics of a queue; a Prometheus implementation lives with the
// controller runtime. Each method is called once per queue, by New, with Options.Name. The
// returned metrics are updated with the queue's lock held, so they must be fast and must not
// call back into the queue.
type MetricsProvider interface {
	// NewDepthMetric returns the gauge of items waiting to be processed (dirty items).
	NewDepthMetric(name string) GaugeMetric
	// NewAddsMetric returns the counter of additions that queued an item.
	NewAddsMetric(name string) CounterMetric
	// NewLatencyMetric returns the histogram of seconds an item waited before Get handed it out.
	NewLatencyMetric(name string) HistogramMetric
	// NewWorkDurationMetric returns the histogram of seconds between Get and Done.
	NewWorkDurationMetric(name string) HistogramMetric
	// NewUnfinishedWorkSecondsMetric returns the gauge of seconds of work in progress: the sum
	// over items being processed of the time since Get handed them out. Stuck workers show as
	// a steadily growing value.
	NewUnfinishedWorkSecondsMetric(name string) SettableGaugeMetric
	// NewLongestRunningProcessorSecondsMetric returns the gauge of seconds the longest-running
	// item has been processed for.
	NewLongestRunningProcessorSecondsMetric(name string) SettableGaugeMetric
	// NewRetriesMetric returns the counter of delayed and rate-limited additions.
	NewRetriesMetric(name string) CounterMetric
}

// GaugeMetric is a value that goes up and down by one.
type GaugeMetric interface {
	Inc()
	Dec()
}

// SettableGaugeMetric is a value that is set.
type SettableGaugeMetric interface {
	Set(float64)
}

// CounterMetric is a value that only goes up.
type CounterMetric interface {
	Inc()
}

// HistogramMetric records observations.
type HistogramMetric interface {
	Observe(float64)
}

// queueMetrics holds a queue's metrics. A queue without a provider has a nil *queueMetrics and
// skips every metrics step, including the clock reads.
type queueMetrics struct {
	depth        GaugeMetric
	adds         CounterMetric
	latency      HistogramMetric
	workDuration HistogramMetric
	unfinished   SettableGaugeMetric
	longest      SettableGaugeMetric
	retries      CounterMetric
	period       time.Duration
}

// itemTimes are the timestamps metrics need per entry slot.
type itemTimes struct {
	addedAt   time.Time // when the item became dirty; zero if it is not
	startedAt time.Time // when Get handed it out; zero if it is not processing
}

func newQueueMetrics(p MetricsProvider, name string, period time.Duration) *queueMetrics {
	return &queueMetrics{
		depth:        p.NewDepthMetric(name),
		adds:         p.NewAddsMetric(name),
		latency:      p.NewLatencyMetric(name),
		workDuration: p.NewWorkDurationMetric(name),
		unfinished:   p.NewUnfinishedWorkSecondsMetric(name),
		longest:      p.NewLongestRunningProcessorSecondsMetric(name),
		retries:      p.NewRetriesMetric(name),
		period:       period,
	}
}

func (m *queueMetrics) added(t *itemTimes, c clock.Clock) {
	m.adds.Inc()
	m.depth.Inc()
	if t.addedAt.IsZero() {
		t.addedAt = c.Now()
	}
}

func (m *queueMetrics) got(t *itemTimes, c clock.Clock) {
	now := c.Now()
	m.depth.Dec()
	m.latency.Observe(now.Sub(t.addedAt).Seconds())
	t.addedAt = time.Time{}
	t.startedAt = now
}

func (m *queueMetrics) done(t *itemTimes, c clock.Clock) {
	m.workDuration.Observe(c.Since(t.startedAt).Seconds())
	t.startedAt = time.Time{}
}

// armMetricsLocked starts refreshing the unfinished-work gauges, if they are not being
// refreshed already. The refresh timer runs only while items are being processed, so an idle
// queue has no timer.
func (q *Queue[T]) armMetricsLocked() {
	if q.mtimerOn || q.shuttingDown {
		return
	}
	q.mtimerOn = true
	if q.mtimer == nil {
		q.mtimer = q.clock.AfterFunc(q.metrics.period, q.refreshUnfinished)
		return
	}
	q.mtimer.Reset(q.metrics.period)
}

// refreshUnfinished sets the unfinished-work gauges and re-arms itself while work is in progress.
func (q *Queue[T]) refreshUnfinished() {
	q.mu.Lock()
	defer q.mu.Unlock()
	if !q.mtimerOn {
		return // stopped by ShutDown
	}
	q.mtimerOn = false
	now := q.clock.Now()
	var total, longest time.Duration
	for slot := range q.tab.slots {
		if q.tab.at(slot).flags()&stateProcessing == 0 {
			continue
		}
		d := now.Sub(q.times[slot].startedAt)
		total += d
		longest = max(longest, d)
	}
	q.metrics.unfinished.Set(total.Seconds())
	q.metrics.longest.Set(longest.Seconds())
	if q.processing > 0 {
		q.armMetricsLocked()
	}
}
