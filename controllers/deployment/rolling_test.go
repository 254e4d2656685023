package deployment

import (
	"fmt"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
)

// The tables of this file are Kubernetes' own (pkg/controller/deployment/rolling_test.go and
// util/deployment_util_test.go), with the numbers it produces.

var (
	t0 = time.Date(2016, 5, 20, 0, 0, 0, 0, time.UTC)
	t1 = t0.Add(time.Hour)
	t2 = t0.Add(2 * time.Hour)
)

// testDeployment is Kubernetes' newDeployment test helper: RollingUpdate with maxSurge and
// maxUnavailable 0 unless given.
func testDeployment(replicas int32, maxSurge, maxUnavailable *intstr.IntOrString) *apps.Deployment {
	zero := intstr.FromInt(0)
	d := &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Name: "foo", Namespace: "default", UID: "d-uid", Generation: 1},
		Spec: apps.DeploymentSpec{
			Replicas: new(replicas),
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"foo": "bar"}},
			Strategy: apps.DeploymentStrategy{
				Type:          apps.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &apps.RollingUpdateDeployment{MaxSurge: &zero, MaxUnavailable: new(zero)},
			},
		},
	}
	if maxSurge != nil {
		d.Spec.Strategy.RollingUpdate.MaxSurge = maxSurge
	}
	if maxUnavailable != nil {
		d.Spec.Strategy.RollingUpdate.MaxUnavailable = maxUnavailable
	}
	return d
}

// testRS is Kubernetes' rs test helper, with an available count.
func testRS(name string, replicas, available int32, created time.Time) *apps.ReplicaSet {
	return &apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Name: name, Namespace: "default", UID: meta.UID(name + "-uid"), CreationTimestamp: meta.Time{Time: created}},
		Spec:       apps.ReplicaSetSpec{Replicas: new(replicas)},
		Status:     apps.ReplicaSetStatus{Replicas: replicas, AvailableReplicas: available, ReadyReplicas: available},
	}
}

func ptrIS(s string) *intstr.IntOrString { return new(intstr.Parse(s)) }

func TestResolveFenceposts(t *testing.T) {
	tests := []struct {
		surge, unavailable     *intstr.IntOrString
		desired                int32
		wantSurge, wantUnavail int32
		wantErr                bool
	}{
		{ptrIS("0%"), ptrIS("0%"), 0, 0, 1, false},
		{ptrIS("39%"), ptrIS("39%"), 10, 4, 3, false},
		{ptrIS("oops"), ptrIS("39%"), 10, 0, 0, true},
		{ptrIS("55%"), ptrIS("urg"), 10, 0, 0, true},
		{nil, ptrIS("39%"), 10, 0, 3, false},
		{ptrIS("39%"), nil, 10, 4, 0, false},
		{nil, nil, 10, 0, 1, false},
		// The spec's examples: 25%/25% of 10 and of 1.
		{ptrIS("25%"), ptrIS("25%"), 10, 3, 2, false},
		{ptrIS("25%"), ptrIS("25%"), 1, 1, 0, false},
		{ptrIS("25%"), ptrIS("25%"), 3, 1, 0, false},
		{ptrIS("1"), ptrIS("2"), 3, 1, 2, false},
	}
	for _, tt := range tests {
		name := fmt.Sprintf("%v/%v of %d", tt.surge, tt.unavailable, tt.desired)
		surge, unavail, err := ResolveFenceposts(tt.surge, tt.unavailable, tt.desired)
		if (err != nil) != tt.wantErr || (!tt.wantErr && (surge != tt.wantSurge || unavail != tt.wantUnavail)) {
			t.Errorf("%s: got %d, %d, %v; want %d, %d, err %v", name, surge, unavail, err, tt.wantSurge, tt.wantUnavail, tt.wantErr)
		}
	}
}

func TestMaxUnavailable(t *testing.T) {
	d := func(replicas int32, maxUnavailable string) *apps.Deployment {
		return testDeployment(replicas, ptrIS("1"), ptrIS(maxUnavailable))
	}
	recreate := &apps.Deployment{Spec: apps.DeploymentSpec{Replicas: new(int32(10)), Strategy: apps.DeploymentStrategy{Type: apps.RecreateDeploymentStrategyType}}}
	tests := []struct {
		name string
		d    *apps.Deployment
		want int32
	}{
		{"less than replicas", d(10, "5"), 5},
		{"equal to replicas", d(10, "10"), 10},
		{"greater than replicas", d(5, "10"), 5},
		{"replicas is 0", d(0, "10"), 0},
		{"Recreate", recreate, 0},
		{"less than replicas with percents", d(10, "50%"), 5},
		{"equal to replicas with percents", d(10, "100%"), 10},
		{"greater than replicas with percents", d(5, "100%"), 5},
	}
	for _, tt := range tests {
		if got := MaxUnavailable(tt.d); got != tt.want {
			t.Errorf("%s: MaxUnavailable = %d, want %d", tt.name, got, tt.want)
		}
	}
	if MaxSurge(recreate) != 0 {
		t.Error("Recreate has a surge")
	}
}

func TestNewRSNewReplicas(t *testing.T) {
	tests := []struct {
		name          string
		strategy      apps.DeploymentStrategyType
		depReplicas   int32
		newRSReplicas int32
		maxSurge      string
		want          int32
	}{
		{"can not scale up: stays", apps.RollingUpdateDeploymentStrategyType, 1, 5, "1", 5},
		{"scale up to the deployment's replicas", apps.RollingUpdateDeploymentStrategyType, 6, 2, "10", 6},
		{"Recreate: the deployment's replicas", apps.RecreateDeploymentStrategyType, 3, 1, "1", 3},
	}
	for _, tt := range tests {
		d := testDeployment(tt.depReplicas, ptrIS(tt.maxSurge), ptrIS("1"))
		d.Spec.Strategy.Type = tt.strategy
		others := []*apps.ReplicaSet{testRS("rs5", 5, 5, t0)} // Kubernetes' test: allRSs is one RS of 5
		if got := NewRSNewReplicas(d, others, testRS("new", tt.newRSReplicas, 0, t1)); got != tt.want {
			t.Errorf("%s: NewRSNewReplicas = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestNewReplicaSetTarget(t *testing.T) {
	tests := []struct {
		name                     string
		replicas                 int32
		maxSurge                 string
		oldReplicas, newReplicas int32
		want                     int32
	}{
		{"no surge: stays", 10, "0", 10, 0, 0},
		{"surge 2", 10, "2", 10, 0, 2},
		{"old already halved", 10, "2", 5, 0, 7},
		{"surge used up", 10, "2", 10, 2, 2},
		{"more than wanted: down at once", 2, "0", 2, 4, 2},
	}
	for _, tt := range tests {
		d := testDeployment(tt.replicas, ptrIS(tt.maxSurge), nil)
		old, nw := testRS("old", tt.oldReplicas, tt.oldReplicas, t0), testRS("new", tt.newReplicas, 0, t1)
		if got := newReplicaSetTarget(d, []*apps.ReplicaSet{old, nw}, nw); got != tt.want {
			t.Errorf("%s: target %d, want %d", tt.name, got, tt.want)
		}
	}
}

// TestPlanOldScaleDown is Kubernetes' TestDeploymentController_reconcileOldReplicaSets: ten
// replicas, no surge, one old and one new ReplicaSet.
func TestPlanOldScaleDown(t *testing.T) {
	tests := []struct {
		name               string
		maxUnavailable     string
		oldReplicas        int32
		newReplicas        int32
		readyOld, readyNew int32
		wantScaled         bool
		wantOldReplicas    int32
	}{
		{"fencepost: unavailable 0 resolves to 1", "0", 10, 0, 10, 0, true, 9},
		{"unavailable 2", "2", 10, 0, 10, 0, true, 8},
		{"unhealthy old replicas cleaned up", "2", 10, 0, 8, 0, true, 8},
		{"one unhealthy cleaned up, one ready scaled down", "2", 10, 0, 9, 0, true, 8},
		{"unavailable new pods hold old ones", "2", 8, 2, 8, 0, false, 8},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := testDeployment(10, nil, ptrIS(tt.maxUnavailable))
			old := testRS("foo-v1", tt.oldReplicas, tt.readyOld, t0)
			nw := testRS("foo-v2", tt.newReplicas, tt.readyNew, t1)
			cleanup, down := planOldScaleDown(d, []*apps.ReplicaSet{old, nw}, []*apps.ReplicaSet{old}, nw)
			got := finalSize(old, append(cleanup, down...))
			if scaled := len(cleanup)+len(down) > 0; scaled != tt.wantScaled || got != tt.wantOldReplicas {
				t.Fatalf("scaled %v to %d, want %v to %d (cleanup %v, scale down %v)", scaled, got, tt.wantScaled, tt.wantOldReplicas, cleanup, down)
			}
		})
	}
}

// finalSize returns the size of rs after the steps (by UID).
func finalSize(rs *apps.ReplicaSet, steps []rsScale) int32 {
	size := *rs.Spec.Replicas
	for _, s := range steps {
		if s.rs.UID == rs.UID {
			size = s.to
		}
	}
	return size
}

// TestPlanCleanupUnhealthy is Kubernetes' TestDeploymentController_cleanupUnhealthyReplicas.
func TestPlanCleanupUnhealthy(t *testing.T) {
	tests := []struct {
		oldReplicas, ready, maxCleanup, want int32
	}{
		{10, 8, 1, 1},
		{10, 8, 3, 2},
		{10, 8, 0, 0},
		{10, 10, 3, 0},
	}
	for _, tt := range tests {
		_, got := planCleanupUnhealthy([]*apps.ReplicaSet{testRS("foo-v2", tt.oldReplicas, tt.ready, t0)}, tt.maxCleanup)
		if got != tt.want {
			t.Errorf("%d replicas, %d ready, budget %d: cleaned %d, want %d", tt.oldReplicas, tt.ready, tt.maxCleanup, got, tt.want)
		}
	}
	// Several old ReplicaSets: oldest first, within the budget.
	a, b := testRS("a", 5, 3, t1), testRS("b", 4, 1, t0)
	plan, total := planCleanupUnhealthy([]*apps.ReplicaSet{a, b}, 4)
	if total != 4 || len(plan) != 2 || plan[0].rs != b || plan[0].to != 1 || plan[1].rs != a || plan[1].to != 4 {
		t.Errorf("plan %+v total %d", plan, total)
	}
}

// TestPlanScaleDownOld is Kubernetes' TestDeploymentController_scaleDownOldReplicaSetsForRollingUpdate.
func TestPlanScaleDownOld(t *testing.T) {
	tests := []struct {
		name           string
		maxUnavailable string
		ready          int32
		oldReplicas    int32
		wantScaled     bool
		want           int32
	}{
		{"fencepost", "0", 10, 10, true, 9},
		{"unavailable 2", "2", 10, 10, true, 8},
		{"unhealthy ones are for the cleanup", "2", 8, 10, false, 10},
		{"nothing left", "2", 10, 0, false, 0},
		{"too few available", "2", 1, 10, false, 10},
	}
	for _, tt := range tests {
		d := testDeployment(10, nil, ptrIS(tt.maxUnavailable))
		old := testRS("foo-v1", tt.oldReplicas, tt.ready, t0)
		plan := planScaleDownOld(d, []*apps.ReplicaSet{old}, []*apps.ReplicaSet{old})
		if got := finalSize(old, plan); (len(plan) > 0) != tt.wantScaled || got != tt.want {
			t.Errorf("%s: plan %+v (size %d), want scaled=%v to %d", tt.name, plan, got, tt.wantScaled, tt.want)
		}
	}
}

// TestRollingUpdateArithmetic walks the spec's worked example step by step: 10 replicas,
// surge 3, unavailable 2, new pods available as soon as created.
func TestRollingUpdateArithmetic(t *testing.T) {
	d := testDeployment(10, ptrIS("25%"), ptrIS("25%"))
	old := testRS("old", 10, 10, t0)
	nw := testRS("new", 0, 0, t1)
	var trace []string
	for step := 0; step < 20 && !(*nw.Spec.Replicas == 10 && *old.Spec.Replicas == 0); step++ {
		all := []*apps.ReplicaSet{old, nw}
		if target := newReplicaSetTarget(d, all, nw); target != *nw.Spec.Replicas {
			nw = testRS("new", target, *nw.Spec.Replicas, t1) // the pods created last sync are available now
			trace = append(trace, fmt.Sprintf("new→%d", target))
			continue
		}
		cleanup, down := planOldScaleDown(d, all, []*apps.ReplicaSet{old}, nw)
		size := finalSize(old, append(cleanup, down...))
		trace = append(trace, fmt.Sprintf("old→%d", size))
		old = testRS("old", size, size, t0)
		nw = testRS("new", *nw.Spec.Replicas, *nw.Spec.Replicas, t1)
	}
	want := "[new→3 old→8 new→5 old→5 new→8 old→3 new→10 old→0]"
	if got := fmt.Sprint(trace); got != want {
		t.Fatalf("steps %s, want %s", got, want)
	}
}

func TestPendingScaleDown(t *testing.T) {
	settled := testRS("a", 3, 3, t0)
	shrinking := testRS("b", 3, 3, t0)
	shrinking.Spec.Replicas = new(int32(1))
	growing := testRS("c", 5, 0, t0)
	growing.Status.Replicas = 2
	if pendingScaleDown([]*apps.ReplicaSet{settled, growing}) != nil {
		t.Error("a ReplicaSet below its spec is not scaling down")
	}
	if pendingScaleDown([]*apps.ReplicaSet{settled, shrinking}) != shrinking {
		t.Error("a ReplicaSet with more pods than its spec was not reported")
	}
}
