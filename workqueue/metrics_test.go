package workqueue

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/clock"
)

// recordingProvider records every metric update as a value per metric name.
type recordingProvider struct {
	mu     sync.Mutex // guards values, observations and names
	values map[string]float64
	obs    map[string][]float64
	names  []string
}

type recMetric struct {
	p    *recordingProvider
	kind string
}

func (p *recordingProvider) metric(kind, name string) recMetric {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.values == nil {
		p.values, p.obs = map[string]float64{}, map[string][]float64{}
	}
	p.names = append(p.names, kind+":"+name)
	return recMetric{p, kind}
}

func (m recMetric) add(d float64) {
	m.p.mu.Lock()
	defer m.p.mu.Unlock()
	m.p.values[m.kind] += d
}
func (m recMetric) Inc()          { m.add(1) }
func (m recMetric) Dec()          { m.add(-1) }
func (m recMetric) Set(v float64) { m.p.mu.Lock(); m.p.values[m.kind] = v; m.p.mu.Unlock() }
func (m recMetric) Observe(v float64) {
	m.p.mu.Lock()
	defer m.p.mu.Unlock()
	m.p.obs[m.kind] = append(m.p.obs[m.kind], v)
}

func (p *recordingProvider) get(kind string) float64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.values[kind]
}

func (p *recordingProvider) observations(kind string) string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return fmt.Sprint(p.obs[kind])
}

func (p *recordingProvider) NewDepthMetric(n string) GaugeMetric  { return p.metric("depth", n) }
func (p *recordingProvider) NewAddsMetric(n string) CounterMetric { return p.metric("adds", n) }
func (p *recordingProvider) NewLatencyMetric(n string) HistogramMetric {
	return p.metric("latency", n)
}
func (p *recordingProvider) NewWorkDurationMetric(n string) HistogramMetric {
	return p.metric("work", n)
}
func (p *recordingProvider) NewUnfinishedWorkSecondsMetric(n string) SettableGaugeMetric {
	return p.metric("unfinished", n)
}
func (p *recordingProvider) NewLongestRunningProcessorSecondsMetric(n string) SettableGaugeMetric {
	return p.metric("longest", n)
}
func (p *recordingProvider) NewRetriesMetric(n string) CounterMetric { return p.metric("retries", n) }

func TestMetrics(t *testing.T) {
	c := clock.NewFake(epoch)
	p := &recordingProvider{}
	q := New(Options[string]{Name: "test", Clock: c, MetricsProvider: p,
		RateLimiter: NewItemExponentialFailureRateLimiter[string](time.Second, time.Minute)})
	defer q.ShutDown()
	if len(p.names) != 7 || p.names[0] != "depth:test" {
		t.Fatalf("metrics created: %v", p.names)
	}
	check := func(kind string, want float64) {
		t.Helper()
		if got := p.get(kind); got != want {
			t.Errorf("%s = %v, want %v", kind, got, want)
		}
	}

	q.Add("a")
	q.Add("a") // de-duplicated: not counted
	q.Add("b")
	check("adds", 2)
	check("depth", 2)

	c.Step(2 * time.Second)
	a, _ := q.Get()
	check("depth", 1)
	if got := p.observations("latency"); got != "[2]" {
		t.Errorf("latency observations %s, want [2]", got)
	}

	// Unfinished work is refreshed every 500 ms while a is processing.
	c.Step(1500 * time.Millisecond)
	check("unfinished", 1.5)
	check("longest", 1.5)
	b, _ := q.Get()
	c.Step(500 * time.Millisecond)
	check("unfinished", 2.5) // a: 2 s, b: 0.5 s
	check("longest", 2)

	q.Done(a)
	q.Done(b)
	if got := p.observations("work"); got != "[2 0.5]" {
		t.Errorf("work duration observations %s, want [2 0.5]", got)
	}
	c.Step(500 * time.Millisecond)
	check("unfinished", 0)
	check("longest", 0)
	if c.HasWaiters() {
		t.Error("the refresh timer is still armed with nothing processing")
	}

	q.AddAfter("c", time.Second)
	q.AddRateLimited("d")
	q.AddAfter("e", 0) // not a retry
	check("retries", 2)
}

func TestNoMetricsProviderReadsNoClock(t *testing.T) {
	c := &countingClock{Fake: clock.NewFake(epoch)}
	q := New(Options[string]{Clock: c})
	defer q.ShutDown()
	for range 10 {
		q.Add("a")
		item, _ := q.Get()
		q.Done(item)
	}
	if c.nows != 0 {
		t.Errorf("queue without metrics read the clock %d times", c.nows)
	}
}

type countingClock struct {
	*clock.Fake
	nows int // only touched from the test goroutine
}

func (c *countingClock) Now() time.Time { c.nows++; return c.Fake.Now() }
