package scheduler

import (
	"errors"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
)

func TestFitErrorMessage(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  FitError
		want string
	}{
		{name: "one reason", err: FitError{NumAllNodes: 3, Reasons: map[string]int{"Insufficient cpu": 3}},
			want: "0/3 nodes are available: 3 Insufficient cpu."},
		{name: "sorted as strings", err: FitError{NumAllNodes: 3, Reasons: map[string]int{"Insufficient cpu": 2, ReasonNodeUnschedulable: 1}},
			want: "0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu."},
		{name: "counts sort as text, as in Kubernetes", err: FitError{NumAllNodes: 12, Reasons: map[string]int{"Insufficient cpu": 2, ReasonNodeAffinity: 10}},
			want: "0/12 nodes are available: 10 node(s) didn't match Pod's node affinity/selector, 2 Insufficient cpu."},
		{name: "a node with two reasons counts in both", err: FitError{NumAllNodes: 1, Reasons: map[string]int{"Insufficient cpu": 1, "Insufficient memory": 1}},
			want: "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory."},
		{name: "no nodes", err: FitError{}, want: "no nodes available to schedule pods"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.err.Error(); got != tc.want {
				t.Errorf("Error() = %q\nwant      %q", got, tc.want)
			}
		})
	}
}

func TestStatus(t *testing.T) {
	var ok *Status
	if !ok.IsSuccess() || ok.Reasons() != nil || ok.String() != "Success" {
		t.Errorf("nil Status: IsSuccess %v, Reasons %q, String %q", ok.IsSuccess(), ok.Reasons(), ok.String())
	}
	s := Unschedulable("a", "b")
	if s.IsSuccess() || s.String() != "a, b" {
		t.Errorf("Unschedulable(a, b): IsSuccess %v, String %q", s.IsSuccess(), s.String())
	}
	defer func() {
		if recover() == nil {
			t.Error("Unschedulable() without reasons did not panic")
		}
	}()
	Unschedulable()
}

func TestOptionsValidate(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
		ok   bool
	}{
		{name: "zero", ok: true},
		{name: "negative workers", opts: Options{Workers: -1}},
		{name: "negative duration", opts: Options{UnschedulableRetryInterval: -time.Second}},
		{name: "initial above max backoff", opts: Options{PodInitialBackoff: time.Minute, PodMaxBackoff: time.Second}},
		{name: "nil filter", opts: Options{Plugins: Plugins{Filters: []FilterPlugin{nil}}}},
		{name: "zero weight", opts: Options{Plugins: Plugins{Scores: []WeightedScorePlugin{{Plugin: LeastAllocated{}}}}}},
		{name: "filters only", opts: Options{Plugins: Plugins{Filters: []FilterPlugin{NodeResourcesFit{}}}}, ok: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.opts.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tc.ok)
			}
			if err != nil && !errors.Is(err, ErrInvalidOptions) {
				t.Errorf("Validate() = %v, does not wrap ErrInvalidOptions", err)
			}
		})
	}
}

func TestOptionsDefaults(t *testing.T) {
	o := Options{PodMaxBackoff: 500 * time.Millisecond}.withDefaults()
	if o.SchedulerName != core.DefaultSchedulerName || o.Workers != DefaultWorkers ||
		o.PodInitialBackoff != 500*time.Millisecond || o.UnschedulableRetryInterval != DefaultUnschedulableRetryInterval ||
		len(o.Plugins.Filters) != 4 || len(o.Plugins.Scores) != 4 {
		t.Errorf("withDefaults() = %+v", o)
	}
}

func TestNewResource(t *testing.T) {
	r := NewResource(resources("cpu", "1500m", "memory", "1Gi", "ephemeral-storage", "2k", "pods", "110", "example.com/gpu", "2"))
	want := Resource{MilliCPU: 1500, Memory: 1 << 30, EphemeralStorage: 2000, AllowedPodNumber: 110,
		Scalar: map[core.ResourceName]int64{"example.com/gpu": 2}}
	if r.MilliCPU != want.MilliCPU || r.Memory != want.Memory || r.EphemeralStorage != want.EphemeralStorage ||
		r.AllowedPodNumber != want.AllowedPodNumber || r.Scalar["example.com/gpu"] != 2 {
		t.Errorf("NewResource = %+v, want %+v", r, want)
	}
	c := r.Clone()
	c.Minus(&r)
	if !c.IsZero() || r.IsZero() {
		t.Errorf("r - r = %+v (IsZero %v); r.IsZero = %v", c, c.IsZero(), r.IsZero())
	}
}

func TestPodInfoRequests(t *testing.T) {
	sidecar := func(p *core.Pod) {
		always := core.ContainerRestartPolicyAlways
		p.Spec.InitContainers = append(p.Spec.InitContainers, core.Container{Name: "side", Image: "s:1", RestartPolicy: &always,
			Resources: core.ResourceRequirements{Requests: resources("cpu", "200m", "memory", "100Mi")}})
	}
	for _, tc := range []struct {
		name                 string
		pod                  *core.Pod
		cpu, mem             int64 // effective request
		nonZeroCPU, nonZeroM int64
	}{
		{name: "no requests", pod: pod("p"), nonZeroCPU: 100, nonZeroM: 200 << 20},
		{name: "containers add up", pod: pod("p", requests("cpu", "1", "memory", "1Gi"), container("b", "cpu", "500m")),
			cpu: 1500, mem: 1 << 30, nonZeroCPU: 1500, nonZeroM: 1<<30 + 200<<20},
		{name: "init container peak", pod: pod("p", requests("cpu", "1"), initContainer("i", "cpu", "2", "memory", "1Mi")),
			cpu: 2000, mem: 1 << 20, nonZeroCPU: 2000, nonZeroM: 200 << 20},
		{name: "sidecar runs beside later init containers and the app", pod: pod("p", requests("cpu", "1"), sidecar, initContainer("i", "cpu", "1")),
			cpu: 1200, mem: 100 << 20, nonZeroCPU: 1200, nonZeroM: 300 << 20},
		{name: "overhead", pod: pod("p", requests("cpu", "1"), overhead("cpu", "250m", "memory", "64Mi")),
			cpu: 1250, mem: 64 << 20, nonZeroCPU: 1250, nonZeroM: 264 << 20},
	} {
		t.Run(tc.name, func(t *testing.T) {
			pi := NewPodInfo(tc.pod)
			if pi.Requests.MilliCPU != tc.cpu || pi.Requests.Memory != tc.mem {
				t.Errorf("Requests = %d m cpu, %d memory; want %d, %d", pi.Requests.MilliCPU, pi.Requests.Memory, tc.cpu, tc.mem)
			}
			if pi.NonZeroMilliCPU != tc.nonZeroCPU || pi.NonZeroMemory != tc.nonZeroM {
				t.Errorf("NonZero = %d m cpu, %d memory; want %d, %d", pi.NonZeroMilliCPU, pi.NonZeroMemory, tc.nonZeroCPU, tc.nonZeroM)
			}
		})
	}
}
