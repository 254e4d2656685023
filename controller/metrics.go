package controller

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/skiff-dev/skiff/workqueue"
)

// The values of the result label of controller_runtime_reconcile_total.
const (
	ResultSuccess      = "success"
	ResultError        = "error"
	ResultRequeue      = "requeue"
	ResultRequeueAfter = "requeue_after"
)

// Metrics are the Prometheus metrics of a set of controllers and their work queues, under
// controller-runtime's names so that its dashboards and alerts apply:
//
//	controller_runtime_reconcile_total{controller,result}
//	controller_runtime_reconcile_errors_total{controller}
//	controller_runtime_terminal_reconcile_errors_total{controller}
//	controller_runtime_reconcile_panics_total{controller}
//	controller_runtime_reconcile_time_seconds{controller}
//	controller_runtime_active_workers{controller}
//	controller_runtime_max_concurrent_reconciles{controller}
//	workqueue_depth{controller,name}
//	workqueue_adds_total{controller,name}
//	workqueue_queue_duration_seconds{controller,name}
//	workqueue_work_duration_seconds{controller,name}
//	workqueue_unfinished_work_seconds{controller,name}
//	workqueue_longest_running_processor_seconds{controller,name}
//	workqueue_retries_total{controller,name}
//
// A manager makes one Metrics on its own registry (not the global one) and hands it to its
// controllers. Metrics is also the workqueue.MetricsProvider of their queues. It is safe for
// concurrent use.
type Metrics struct {
	reconcileTotal  *prometheus.CounterVec
	reconcileErrors *prometheus.CounterVec
	terminalErrors  *prometheus.CounterVec
	reconcilePanics *prometheus.CounterVec
	reconcileTime   *prometheus.HistogramVec
	activeWorkers   *prometheus.GaugeVec
	maxWorkers      *prometheus.GaugeVec

	depth        *prometheus.GaugeVec
	adds         *prometheus.CounterVec
	latency      *prometheus.HistogramVec
	workDuration *prometheus.HistogramVec
	unfinished   *prometheus.GaugeVec
	longest      *prometheus.GaugeVec
	retries      *prometheus.CounterVec
}

var _ workqueue.MetricsProvider = (*Metrics)(nil)

// NewMetrics creates the metrics and registers them with reg. It fails if reg already has
// metrics of these names.
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	ctrl := []string{"controller"}
	queue := []string{"controller", "name"}
	// Buckets of controller-runtime: reconciles from 5 ms to a minute, queue waits from 1 µs
	// to 10 s (exponential, factor 10).
	reconcileBuckets := []float64{0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7,
		0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25, 30, 40, 50, 60}
	queueBuckets := prometheus.ExponentialBuckets(10e-9, 10, 12)
	m := &Metrics{
		reconcileTotal: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "controller_runtime_reconcile_total",
			Help: "Total number of reconciliations per controller and result.",
		}, []string{"controller", "result"}),
		reconcileErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "controller_runtime_reconcile_errors_total",
			Help: "Total number of reconciliation errors per controller.",
		}, ctrl),
		terminalErrors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "controller_runtime_terminal_reconcile_errors_total",
			Help: "Total number of terminal reconciliation errors per controller.",
		}, ctrl),
		reconcilePanics: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "controller_runtime_reconcile_panics_total",
			Help: "Total number of reconciliation panics per controller.",
		}, ctrl),
		reconcileTime: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "controller_runtime_reconcile_time_seconds",
			Help:    "Length of time per reconciliation per controller.",
			Buckets: reconcileBuckets,
		}, ctrl),
		activeWorkers: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "controller_runtime_active_workers",
			Help: "Number of currently used workers per controller.",
		}, ctrl),
		maxWorkers: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "controller_runtime_max_concurrent_reconciles",
			Help: "Maximum number of concurrent reconciles per controller.",
		}, ctrl),
		depth: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "workqueue_depth",
			Help: "Current depth of workqueue.",
		}, queue),
		adds: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "workqueue_adds_total",
			Help: "Total number of adds handled by workqueue.",
		}, queue),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "workqueue_queue_duration_seconds",
			Help:    "How long in seconds an item stays in workqueue before being requested.",
			Buckets: queueBuckets,
		}, queue),
		workDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "workqueue_work_duration_seconds",
			Help:    "How long in seconds processing an item from workqueue takes.",
			Buckets: queueBuckets,
		}, queue),
		unfinished: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "workqueue_unfinished_work_seconds",
			Help: "How many seconds of work has been done that is in progress and hasn't been " +
				"observed by work_duration. Large values indicate stuck threads.",
		}, queue),
		longest: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "workqueue_longest_running_processor_seconds",
			Help: "How many seconds has the longest running processor for workqueue been running.",
		}, queue),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "workqueue_retries_total",
			Help: "Total number of retries handled by workqueue.",
		}, queue),
	}
	for _, c := range []prometheus.Collector{
		m.reconcileTotal, m.reconcileErrors, m.terminalErrors, m.reconcilePanics, m.reconcileTime,
		m.activeWorkers, m.maxWorkers,
		m.depth, m.adds, m.latency, m.workDuration, m.unfinished, m.longest, m.retries,
	} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// NewDepthMetric implements workqueue.MetricsProvider.
func (m *Metrics) NewDepthMetric(name string) workqueue.GaugeMetric {
	return m.depth.WithLabelValues(name, name)
}

// NewAddsMetric implements workqueue.MetricsProvider.
func (m *Metrics) NewAddsMetric(name string) workqueue.CounterMetric {
	return m.adds.WithLabelValues(name, name)
}

// NewLatencyMetric implements workqueue.MetricsProvider.
func (m *Metrics) NewLatencyMetric(name string) workqueue.HistogramMetric {
	return m.latency.WithLabelValues(name, name)
}

// NewWorkDurationMetric implements workqueue.MetricsProvider.
func (m *Metrics) NewWorkDurationMetric(name string) workqueue.HistogramMetric {
	return m.workDuration.WithLabelValues(name, name)
}

// NewUnfinishedWorkSecondsMetric implements workqueue.MetricsProvider.
func (m *Metrics) NewUnfinishedWorkSecondsMetric(name string) workqueue.SettableGaugeMetric {
	return m.unfinished.WithLabelValues(name, name)
}

// NewLongestRunningProcessorSecondsMetric implements workqueue.MetricsProvider.
func (m *Metrics) NewLongestRunningProcessorSecondsMetric(name string) workqueue.SettableGaugeMetric {
	return m.longest.WithLabelValues(name, name)
}

// NewRetriesMetric implements workqueue.MetricsProvider.
func (m *Metrics) NewRetriesMetric(name string) workqueue.CounterMetric {
	return m.retries.WithLabelValues(name, name)
}

// resetGauges drops the gauges of controller name, whose values describe a queue and
// workers that no longer exist; counters and histograms keep accumulating across runs.
func (m *Metrics) resetGauges(name string) {
	m.depth.DeleteLabelValues(name, name)
	m.unfinished.DeleteLabelValues(name, name)
	m.longest.DeleteLabelValues(name, name)
	m.activeWorkers.DeleteLabelValues(name)
	m.maxWorkers.DeleteLabelValues(name)
}

// controllerMetrics are one controller's series, looked up once per run rather than once
// per reconcile. The zero value (no Metrics) records nothing.
type controllerMetrics struct {
	on                               bool
	success, errored, requeue, after prometheus.Counter
	errors, terminal, panics         prometheus.Counter
	duration                         prometheus.Observer
	active                           prometheus.Gauge
}

func (m *Metrics) forController(name string, workers int) controllerMetrics {
	if m == nil {
		return controllerMetrics{}
	}
	m.maxWorkers.WithLabelValues(name).Set(float64(workers))
	return controllerMetrics{
		on:       true,
		success:  m.reconcileTotal.WithLabelValues(name, ResultSuccess),
		errored:  m.reconcileTotal.WithLabelValues(name, ResultError),
		requeue:  m.reconcileTotal.WithLabelValues(name, ResultRequeue),
		after:    m.reconcileTotal.WithLabelValues(name, ResultRequeueAfter),
		errors:   m.reconcileErrors.WithLabelValues(name),
		terminal: m.terminalErrors.WithLabelValues(name),
		panics:   m.reconcilePanics.WithLabelValues(name),
		duration: m.reconcileTime.WithLabelValues(name),
		active:   m.activeWorkers.WithLabelValues(name),
	}
}
