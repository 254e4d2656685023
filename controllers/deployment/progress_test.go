package deployment

import (
	"math"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
)

func TestDeploymentComplete(t *testing.T) {
	st := func(updated, replicas, available int32, observed int64) *apps.DeploymentStatus {
		return &apps.DeploymentStatus{UpdatedReplicas: updated, Replicas: replicas, AvailableReplicas: available, ObservedGeneration: observed}
	}
	d := testDeployment(5, nil, nil)
	d.Generation = 2
	tests := []struct {
		name string
		st   *apps.DeploymentStatus
		want bool
	}{
		{"complete", st(5, 5, 5, 2), true},
		{"not all updated", st(4, 5, 5, 2), false},
		{"old replicas left", st(5, 6, 5, 2), false},
		{"not all available", st(5, 5, 4, 2), false},
		{"generation not observed", st(5, 5, 5, 1), false},
	}
	for _, tt := range tests {
		if got := DeploymentComplete(d, tt.st); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

func TestDeploymentProgressing(t *testing.T) {
	d := testDeployment(10, nil, nil)
	d.Status = apps.DeploymentStatus{Replicas: 12, UpdatedReplicas: 4, ReadyReplicas: 9, AvailableReplicas: 9}
	tests := []struct {
		name string
		st   apps.DeploymentStatus
		want bool
	}{
		{"nothing moved", d.Status, false},
		{"more updated", apps.DeploymentStatus{Replicas: 13, UpdatedReplicas: 5, ReadyReplicas: 9, AvailableReplicas: 9}, true},
		{"fewer old", apps.DeploymentStatus{Replicas: 11, UpdatedReplicas: 4, ReadyReplicas: 9, AvailableReplicas: 9}, true},
		{"more ready", apps.DeploymentStatus{Replicas: 12, UpdatedReplicas: 4, ReadyReplicas: 10, AvailableReplicas: 9}, true},
		{"more available", apps.DeploymentStatus{Replicas: 12, UpdatedReplicas: 4, ReadyReplicas: 9, AvailableReplicas: 10}, true},
		{"fewer ready only", apps.DeploymentStatus{Replicas: 12, UpdatedReplicas: 4, ReadyReplicas: 8, AvailableReplicas: 9}, false},
	}
	for _, tt := range tests {
		if got := DeploymentProgressing(d, &tt.st); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

func TestDeploymentTimedOut(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	progressing := func(reason string, updated time.Time) apps.DeploymentStatus {
		return apps.DeploymentStatus{Conditions: []apps.DeploymentCondition{{
			Type: apps.DeploymentProgressing, Status: meta.ConditionTrue, Reason: reason, LastUpdateTime: meta.NewTime(updated),
		}}}
	}
	tests := []struct {
		name     string
		deadline *int32
		st       apps.DeploymentStatus
		want     bool
	}{
		{"no condition", new(int32(60)), apps.DeploymentStatus{}, false},
		{"within the deadline", new(int32(60)), progressing(apps.ReplicaSetUpdatedReason, now.Add(-59*time.Second)), false},
		{"at the deadline", new(int32(60)), progressing(apps.ReplicaSetUpdatedReason, now.Add(-60*time.Second)), false},
		{"past the deadline", new(int32(60)), progressing(apps.ReplicaSetUpdatedReason, now.Add(-61*time.Second)), true},
		{"already timed out", new(int32(60)), progressing(apps.TimedOutReason, now), true},
		{"complete long ago", new(int32(60)), progressing(apps.NewRSAvailableReason, now.Add(-time.Hour)), false},
		{"no deadline", nil, progressing(apps.ReplicaSetUpdatedReason, now.Add(-time.Hour)), false},
		{"MaxInt32: never", new(int32(math.MaxInt32)), progressing(apps.ReplicaSetUpdatedReason, now.Add(-time.Hour)), false},
	}
	for _, tt := range tests {
		d := testDeployment(1, nil, nil)
		d.Spec.ProgressDeadlineSeconds = tt.deadline
		if got := DeploymentTimedOut(d, &tt.st, now); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

func TestSetCondition(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	st := &apps.DeploymentStatus{}
	setCondition(st, newCondition(apps.DeploymentProgressing, meta.ConditionTrue, apps.NewReplicaSetCreatedReason, "created", t0))
	setCondition(st, newCondition(apps.DeploymentAvailable, meta.ConditionFalse, apps.MinimumReplicasUnavailable, "no", t0))
	// Same status and reason: nothing changes, not even the message or the times.
	setCondition(st, newCondition(apps.DeploymentProgressing, meta.ConditionTrue, apps.NewReplicaSetCreatedReason, "other", t0.Add(time.Minute)))
	if c := getCondition(st, apps.DeploymentProgressing); c.Message != "created" || !c.LastUpdateTime.Equal(&meta.Time{Time: t0}) {
		t.Fatalf("%+v", c)
	}
	// Same status, another reason: replaced, keeping lastTransitionTime, moved to the end.
	setCondition(st, newCondition(apps.DeploymentProgressing, meta.ConditionTrue, apps.ReplicaSetUpdatedReason, "moving", t0.Add(time.Minute)))
	c := st.Conditions[len(st.Conditions)-1]
	if c.Type != apps.DeploymentProgressing || c.Reason != apps.ReplicaSetUpdatedReason || !c.LastTransitionTime.Time.Equal(t0) ||
		!c.LastUpdateTime.Time.Equal(t0.Add(time.Minute)) {
		t.Fatalf("%+v", c)
	}
	// Another status: a new transition.
	setCondition(st, newCondition(apps.DeploymentProgressing, meta.ConditionFalse, apps.TimedOutReason, "late", t0.Add(time.Hour)))
	if c := getCondition(st, apps.DeploymentProgressing); !c.LastTransitionTime.Time.Equal(t0.Add(time.Hour)) {
		t.Fatalf("%+v", c)
	}
	removeCondition(st, apps.DeploymentProgressing)
	if getCondition(st, apps.DeploymentProgressing) != nil || len(st.Conditions) != 1 {
		t.Fatalf("%+v", st.Conditions)
	}
}

func TestCalculateStatus(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	d := testDeployment(10, ptrIS("3"), ptrIS("2"))
	d.Generation = 7
	d.Status.CollisionCount = new(int32(2))
	old := testRS("old", 5, 5, t0)
	old.Status.TerminatingReplicas = new(int32(1))
	nw := testRS("new", 8, 3, t1)
	nw.Status.Replicas, nw.Status.ReadyReplicas = 7, 4
	nw.Status.TerminatingReplicas = new(int32(0))
	st := calculateStatus([]*apps.ReplicaSet{old, nw}, nw, d, now)
	want := apps.DeploymentStatus{ObservedGeneration: 7, Replicas: 12, UpdatedReplicas: 7, ReadyReplicas: 9, AvailableReplicas: 8,
		UnavailableReplicas: 5, TerminatingReplicas: new(int32(1)), CollisionCount: new(int32(2))}
	st.Conditions, want.Conditions = nil, nil
	if !statusEqual(&st, &want) {
		t.Fatalf("status %+v\nwant   %+v", st, want)
	}
	// 8 available ≥ 10 − 2: Available.
	full := calculateStatus([]*apps.ReplicaSet{old, nw}, nw, d, now)
	if c := getCondition(&full, apps.DeploymentAvailable); c == nil || c.Status != meta.ConditionTrue || c.Reason != apps.MinimumReplicasAvailable {
		t.Fatalf("Available %+v", c)
	}
	nw.Status.AvailableReplicas = 2
	low := calculateStatus([]*apps.ReplicaSet{old, nw}, nw, d, now)
	if c := getCondition(&low, apps.DeploymentAvailable); c.Status != meta.ConditionFalse || c.Reason != apps.MinimumReplicasUnavailable {
		t.Fatalf("Available %+v", c)
	}
	// A ReplicaSet that does not report terminating replicas makes the sum unknown.
	nw.Status.TerminatingReplicas = nil
	if st := calculateStatus([]*apps.ReplicaSet{old, nw}, nw, d, now); st.TerminatingReplicas != nil {
		t.Fatalf("terminating %v", *st.TerminatingReplicas)
	}
}

func TestReplicaFailure(t *testing.T) {
	failing := func(name string, created time.Time, msg string) *apps.ReplicaSet {
		rs := testRS(name, 1, 0, created)
		rs.Status.Conditions = []apps.ReplicaSetCondition{{Type: apps.ReplicaSetReplicaFailure, Status: meta.ConditionTrue, Reason: "FailedCreate", Message: msg}}
		return rs
	}
	old, nw := failing("old", t0, "old quota"), failing("new", t1, "new quota")
	if c, ok := replicaFailure([]*apps.ReplicaSet{old, nw}, nw); !ok || c.Message != "new quota" || c.Type != apps.DeploymentReplicaFailure {
		t.Fatalf("%+v %v: the new ReplicaSet's failure comes first", c, ok)
	}
	if c, ok := replicaFailure([]*apps.ReplicaSet{old, testRS("ok", 1, 1, t1)}, nil); !ok || c.Message != "old quota" {
		t.Fatalf("%+v %v", c, ok)
	}
	if _, ok := replicaFailure([]*apps.ReplicaSet{testRS("ok", 1, 1, t1)}, nil); ok {
		t.Fatal("failure without a failing ReplicaSet")
	}
}
