package kubelet

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/clock"
)

// TestProbeWorker feeds raw results to a probe, one per period, and checks the verdicts.
func TestProbeWorker(t *testing.T) {
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name     string
		kind     ProbeKind
		success  int32
		failure  int32
		results  string // one raw result per period: + ok, - failure
		verdicts string // the verdict after each: S success, F failure, ? unknown, K kill
	}{
		{"readiness starts failed", ProbeReadiness, 1, 3, "+", "S"},
		{"readiness success threshold", ProbeReadiness, 2, 3, "-++-++", "FFSSSS"},
		{"readiness failure threshold", ProbeReadiness, 1, 3, "+--+---", "SSSSSSF"},
		{"liveness starts succeeded, kills at the threshold", ProbeLiveness, 1, 3, "+--", "SSS"},
		{"liveness kill", ProbeLiveness, 1, 3, "---", "SSK"},
		{"startup unknown until success", ProbeStartup, 1, 3, "--+", "??S"},
		{"startup kill", ProbeStartup, 1, 2, "--", "?K"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := &core.Probe{InitialDelaySeconds: 5, PeriodSeconds: 10, SuccessThreshold: tc.success, FailureThreshold: tc.failure}
			var w probeWorker
			now := start
			if run, next := w.due(tc.kind, p, start, now); run || !next.Equal(start.Add(5*time.Second)) {
				t.Fatalf("first probe: run %v next %s", run, next)
			}
			now = start.Add(5 * time.Second)
			var got strings.Builder
			for i, r := range tc.results {
				run, _ := w.due(tc.kind, p, start, now)
				if !run {
					t.Fatalf("probe %d not due at %s", i, now.Sub(start))
				}
				kill := w.record(tc.kind, p, r == '+', now)
				switch {
				case kill:
					got.WriteByte('K')
				case w.result == probeSuccess:
					got.WriteByte('S')
				case w.result == probeFailure:
					got.WriteByte('F')
				default:
					got.WriteByte('?')
				}
				if want := now.Add(10 * time.Second); !w.next.Equal(want) {
					t.Fatalf("next probe at %s, want %s", w.next.Sub(start), want.Sub(start))
				}
				now = w.next
			}
			if got.String() != tc.verdicts {
				t.Errorf("verdicts %s, want %s", got.String(), tc.verdicts)
			}
		})
	}
	t.Run("late probes skip missed periods", func(t *testing.T) {
		p := &core.Probe{PeriodSeconds: 10, SuccessThreshold: 1, FailureThreshold: 3}
		var w probeWorker
		w.due(ProbeReadiness, p, start, start)
		w.record(ProbeReadiness, p, true, start.Add(35*time.Second))
		if want := start.Add(40 * time.Second); !w.next.Equal(want) {
			t.Errorf("next probe at %s, want 40s", w.next.Sub(start))
		}
	})
}

func TestWakeups(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	clk := clock.NewFake(t0)
	var fired []string
	w := newWakeups(clk, func(it item) { fired = append(fired, it.key) })
	at := func(key string, d time.Duration) { w.at(item{podItem, key}, t0.Add(d)) }
	at("c", 30*time.Second)
	at("a", 10*time.Second)
	at("b", 20*time.Second)
	at("b", 25*time.Second) // later: ignored
	at("c", 15*time.Second) // earlier: moved
	at("now", 0)            // due: fired at once
	if got := strings.Join(fired, ","); got != "now" {
		t.Fatalf("fired %s before any step", got)
	}
	clk.Step(10 * time.Second)
	clk.Step(5 * time.Second)
	clk.Step(4 * time.Second)
	if got := strings.Join(fired, ","); got != "now,a,c" {
		t.Errorf("fired %s, want now,a,c", got)
	}
	clk.Step(time.Hour)
	if got := strings.Join(fired, ","); got != "now,a,c,b" {
		t.Errorf("fired %s, want now,a,c,b", got)
	}
	if w.len() != 0 || clk.Waiters() != 0 {
		t.Errorf("%d wake-ups and %d timers left", w.len(), clk.Waiters())
	}
	at("d", 2*time.Hour)
	w.stop()
	clk.Step(3 * time.Hour)
	if len(fired) != 4 || clk.Waiters() != 0 {
		t.Errorf("fired %v after stop, %d timers left", fired, clk.Waiters())
	}
}

func TestPodIPs(t *testing.T) {
	a := newNodeAgent(NodeConfig{Name: "n"}, 300)
	if a.ip != "172.16.1.45" || a.podCIDR != "10.129.44.0/24" {
		t.Fatalf("node 300: ip %s, podCIDR %s", a.ip, a.podCIDR)
	}
	seen := map[string]bool{}
	for i := range 253 {
		ip, err := a.allocateIP()
		if err != nil {
			t.Fatalf("allocation %d: %v", i, err)
		}
		if seen[ip] || !strings.HasPrefix(ip, "10.129.44.") || ip == "10.129.44.0" || ip == "10.129.44.1" || ip == "10.129.44.255" {
			t.Fatalf("allocation %d: %s", i, ip)
		}
		seen[ip] = true
	}
	if _, err := a.allocateIP(); !errors.Is(err, errNoPodIP) {
		t.Fatalf("254th allocation: %v", err)
	}
	a.releaseIP("10.129.44.77")
	a.releaseIP("10.129.44.1") // reserved: ignored
	a.releaseIP("10.1.2.3")    // not ours: ignored
	if ip, err := a.allocateIP(); err != nil || ip != "10.129.44.77" {
		t.Fatalf("after release: %s, %v", ip, err)
	}
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		opts Options
		ok   bool
	}{
		{Options{}, false},
		{Options{Runtime: fakeRuntime{}}, true},
		{Options{Runtime: fakeRuntime{}, Workers: -1}, false},
		{Options{Runtime: fakeRuntime{}, LeaseDuration: 10 * time.Second, LeaseRenewInterval: 10 * time.Second}, false},
		{Options{Runtime: fakeRuntime{}, NodeStatusReportInterval: -time.Second}, false},
	}
	for i, tc := range tests {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if err := tc.opts.Validate(); (err == nil) != tc.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tc.ok)
			}
		})
	}
	o := Options{Runtime: fakeRuntime{}, LeaseDuration: 8 * time.Second}.withDefaults()
	if o.LeaseRenewInterval != 2*time.Second || o.Workers != DefaultWorkers || o.NodeStatusReportInterval != DefaultNodeStatusReportInterval {
		t.Errorf("defaults: %+v", o)
	}
}

func TestStartFailure(t *testing.T) {
	tests := []struct {
		err            error
		reason, prefix string
	}{
		{fmt.Errorf("%w: x not found", ErrImagePull), core.ContainerReasonErrImagePull, "x not found"},
		{fmt.Errorf("%w: bad", ErrCreateContainerConfig), core.ContainerReasonCreateContainerConfigError, "bad"},
		{errors.New("boom"), core.ContainerReasonRunContainerError, "boom"},
	}
	for _, tc := range tests {
		if r, m := startFailure(tc.err); r != tc.reason || m != tc.prefix {
			t.Errorf("startFailure(%v) = %s %q", tc.err, r, m)
		}
	}
}

// fakeRuntime satisfies Runtime for option tests; it is never called.
type fakeRuntime struct{ Runtime }
