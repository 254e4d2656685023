package statefulset

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

// statusPod is a pod at revision rev, in phase, Ready since readySince when not zero.
func statusPod(rev string, phase core.PodPhase, readySince time.Duration, terminating bool) *core.Pod {
	p := &core.Pod{ObjectMeta: meta.ObjectMeta{Name: "web-0", Labels: map[string]string{apps.StatefulSetRevisionLabel: rev}},
		Status: core.PodStatus{Phase: phase}}
	if readySince > 0 {
		p.Status.Conditions = []core.PodCondition{{Type: core.PodReady, Status: core.ConditionTrue, LastTransitionTime: meta.NewTime(t0.Add(-readySince))}}
	}
	if terminating {
		p.DeletionTimestamp = new(meta.NewTime(t0))
	}
	return p
}

func TestCountPods(t *testing.T) {
	tests := []struct {
		name     string
		minReady int32
		pods     []*core.Pod
		want     apps.StatefulSetStatus // counters only
	}{
		{"virtual pods count for nothing", 0, []*core.Pod{statusPod("cur", "", 0, false)}, apps.StatefulSetStatus{}},
		{"pending", 0, []*core.Pod{statusPod("cur", core.PodPending, 0, false)},
			apps.StatefulSetStatus{Replicas: 1, CurrentReplicas: 1}},
		{"ready and available", 0, []*core.Pod{statusPod("upd", core.PodRunning, time.Second, false)},
			apps.StatefulSetStatus{Replicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, UpdatedReplicas: 1}},
		{"ready, not yet available", 10, []*core.Pod{statusPod("upd", core.PodRunning, 5*time.Second, false)},
			apps.StatefulSetStatus{Replicas: 1, ReadyReplicas: 1, UpdatedReplicas: 1}},
		{"available after minReadySeconds", 10, []*core.Pod{statusPod("upd", core.PodRunning, 11*time.Second, false)},
			apps.StatefulSetStatus{Replicas: 1, ReadyReplicas: 1, AvailableReplicas: 1, UpdatedReplicas: 1}},
		{"terminating pods are neither current nor updated", 0, []*core.Pod{statusPod("cur", core.PodRunning, time.Second, true)},
			apps.StatefulSetStatus{Replicas: 1, ReadyReplicas: 1, AvailableReplicas: 1}},
		{"ready but not running", 0, []*core.Pod{statusPod("cur", core.PodPending, time.Second, false)},
			apps.StatefulSetStatus{Replicas: 1, CurrentReplicas: 1}},
		{"other revisions", 0, []*core.Pod{statusPod("old", core.PodRunning, time.Second, false), nil},
			apps.StatefulSetStatus{Replicas: 1, ReadyReplicas: 1, AvailableReplicas: 1}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			st := apps.StatefulSetStatus{CurrentRevision: "cur", UpdateRevision: "upd"}
			countPods(&st, tc.minReady, t0, tc.pods)
			got := [5]int32{st.Replicas, st.ReadyReplicas, st.AvailableReplicas, st.CurrentReplicas, st.UpdatedReplicas}
			w := tc.want
			if want := [5]int32{w.Replicas, w.ReadyReplicas, w.AvailableReplicas, w.CurrentReplicas, w.UpdatedReplicas}; got != want {
				t.Errorf("replicas/ready/available/current/updated = %v, want %v", got, want)
			}
		})
	}
	// A pod at both revisions (no rollout in progress) counts as both.
	st := apps.StatefulSetStatus{CurrentRevision: "r", UpdateRevision: "r"}
	countPods(&st, 0, t0, []*core.Pod{statusPod("r", core.PodRunning, time.Second, false)})
	if st.CurrentReplicas != 1 || st.UpdatedReplicas != 1 {
		t.Errorf("current %d updated %d, want 1 1", st.CurrentReplicas, st.UpdatedReplicas)
	}
}

func TestCompleteRollingUpdate(t *testing.T) {
	tests := []struct {
		name     string
		strategy apps.StatefulSetUpdateStrategyType
		status   apps.StatefulSetStatus
		done     bool
	}{
		{"complete", apps.RollingUpdateStatefulSetStrategyType, apps.StatefulSetStatus{Replicas: 3, ReadyReplicas: 3, UpdatedReplicas: 3, CurrentReplicas: 0}, true},
		{"one not ready", apps.RollingUpdateStatefulSetStrategyType, apps.StatefulSetStatus{Replicas: 3, ReadyReplicas: 2, UpdatedReplicas: 3}, false},
		{"one not updated", apps.RollingUpdateStatefulSetStrategyType, apps.StatefulSetStatus{Replicas: 3, ReadyReplicas: 3, UpdatedReplicas: 2}, false},
		{"on delete never completes", apps.OnDeleteStatefulSetStrategyType, apps.StatefulSetStatus{Replicas: 3, ReadyReplicas: 3, UpdatedReplicas: 3}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set := testSet(func(s *apps.StatefulSet) { s.Spec.UpdateStrategy.Type = tc.strategy })
			st := tc.status
			st.CurrentRevision, st.UpdateRevision = "old", "new"
			completeRollingUpdate(set, &st)
			if done := st.CurrentRevision == "new"; done != tc.done {
				t.Errorf("completed = %v, want %v", done, tc.done)
			}
			if tc.done && st.CurrentReplicas != st.UpdatedReplicas {
				t.Errorf("currentReplicas %d, want %d", st.CurrentReplicas, st.UpdatedReplicas)
			}
		})
	}
}

func TestStatusChanged(t *testing.T) {
	base := apps.StatefulSetStatus{ObservedGeneration: 2, Replicas: 3, ReadyReplicas: 3, CurrentRevision: "a", UpdateRevision: "a", CollisionCount: new(int32(0))}
	tests := []struct {
		name    string
		change  func(*apps.StatefulSetStatus)
		changed bool
	}{
		{"same", func(*apps.StatefulSetStatus) {}, false},
		{"nil collision count is zero", func(s *apps.StatefulSetStatus) { s.CollisionCount = nil }, false},
		{"newer generation", func(s *apps.StatefulSetStatus) { s.ObservedGeneration = 3 }, true},
		{"older generation is not news", func(s *apps.StatefulSetStatus) { s.ObservedGeneration = 1 }, false},
		{"ready", func(s *apps.StatefulSetStatus) { s.ReadyReplicas = 2 }, true},
		{"available", func(s *apps.StatefulSetStatus) { s.AvailableReplicas = 1 }, true},
		{"update revision", func(s *apps.StatefulSetStatus) { s.UpdateRevision = "b" }, true},
		{"collision count", func(s *apps.StatefulSetStatus) { s.CollisionCount = new(int32(1)) }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set := testSet(func(s *apps.StatefulSet) { s.Status = base })
			st := base
			tc.change(&st)
			if got := statusChanged(set, &st); got != tc.changed {
				t.Errorf("statusChanged = %v, want %v", got, tc.changed)
			}
		})
	}
}
