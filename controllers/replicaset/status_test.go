package replicaset

import (
	"errors"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

var statusNow = time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)

// statusPod is an active pod; readyFor < 0 means not ready.
func statusPod(lbls map[string]string, readyFor time.Duration) *core.Pod {
	p := &core.Pod{ObjectMeta: meta.ObjectMeta{Labels: lbls}, Status: core.PodStatus{Phase: core.PodRunning}}
	if readyFor >= 0 {
		p.Status.Conditions = []core.PodCondition{{Type: core.PodReady, Status: core.ConditionTrue,
			LastTransitionTime: meta.NewTime(statusNow.Add(-readyFor))}}
	}
	return p
}

func TestCalculateStatus(t *testing.T) {
	full := map[string]string{"app": "web", "tier": "fe"}
	partial := map[string]string{"app": "web"}
	failure := apps.ReplicaSetCondition{Type: apps.ReplicaSetReplicaFailure, Status: meta.ConditionTrue, Reason: "FailedCreate", Message: "old"}
	tests := []struct {
		name            string
		replicas        int32
		minReady        int32
		pods            []*core.Pod
		terminating     int
		manageErr       error
		conditions      []apps.ReplicaSetCondition
		want            apps.ReplicaSetStatus
		wantFailure     string // reason of the ReplicaFailure condition, "" for none
		wantFailureText string
	}{
		{
			name: "counts", replicas: 4,
			pods: []*core.Pod{statusPod(full, time.Hour), statusPod(full, -1), statusPod(partial, time.Minute), statusPod(partial, -1)},
			want: apps.ReplicaSetStatus{Replicas: 4, FullyLabeledReplicas: 2, ReadyReplicas: 2, AvailableReplicas: 2},
		},
		{
			name: "minReadySeconds", replicas: 3, minReady: 30,
			pods: []*core.Pod{statusPod(full, 31*time.Second), statusPod(full, 30*time.Second), statusPod(full, time.Second)},
			want: apps.ReplicaSetStatus{Replicas: 3, FullyLabeledReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 1},
		},
		{
			name: "terminating", replicas: 1, pods: []*core.Pod{statusPod(full, -1)}, terminating: 2,
			want: apps.ReplicaSetStatus{Replicas: 1, FullyLabeledReplicas: 1},
		},
		{
			name: "create failure", replicas: 3, pods: []*core.Pod{statusPod(full, -1)}, manageErr: errors.New("exceeded quota"),
			want:        apps.ReplicaSetStatus{Replicas: 1, FullyLabeledReplicas: 1},
			wantFailure: "FailedCreate", wantFailureText: "exceeded quota",
		},
		{
			name: "delete failure", replicas: 0, pods: []*core.Pod{statusPod(full, -1)}, manageErr: errors.New("timeout"),
			want:        apps.ReplicaSetStatus{Replicas: 1, FullyLabeledReplicas: 1},
			wantFailure: "FailedDelete", wantFailureText: "timeout",
		},
		{
			name: "existing failure kept while failing", replicas: 3, manageErr: errors.New("new text"),
			conditions:  []apps.ReplicaSetCondition{failure},
			wantFailure: "FailedCreate", wantFailureText: "old",
		},
		{
			name: "failure removed once managing succeeds", replicas: 0,
			conditions: []apps.ReplicaSetCondition{failure},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := &apps.ReplicaSet{Spec: apps.ReplicaSetSpec{Replicas: new(tt.replicas), MinReadySeconds: tt.minReady,
				Template: core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: full}}}}
			rs.Status.Conditions = tt.conditions
			got := calculateStatus(rs, tt.pods, make([]*core.Pod, tt.terminating), tt.manageErr, statusNow)
			tt.want.TerminatingReplicas = new(int32(tt.terminating))
			if got.Replicas != tt.want.Replicas || got.FullyLabeledReplicas != tt.want.FullyLabeledReplicas ||
				got.ReadyReplicas != tt.want.ReadyReplicas || got.AvailableReplicas != tt.want.AvailableReplicas ||
				*got.TerminatingReplicas != *tt.want.TerminatingReplicas {
				t.Errorf("status = %+v, want %+v", got, tt.want)
			}
			c := getCondition(got.Conditions, apps.ReplicaSetReplicaFailure)
			switch {
			case tt.wantFailure == "" && c != nil:
				t.Errorf("unexpected ReplicaFailure %+v", c)
			case tt.wantFailure != "" && (c == nil || c.Reason != tt.wantFailure || c.Message != tt.wantFailureText || c.Status != meta.ConditionTrue):
				t.Errorf("ReplicaFailure = %+v, want reason %s message %q", c, tt.wantFailure, tt.wantFailureText)
			}
			if len(tt.conditions) > 0 && len(got.Conditions) > 0 && &got.Conditions[0] == &rs.Status.Conditions[0] {
				t.Error("the status shares its conditions with the cached ReplicaSet")
			}
		})
	}
}
