package deployment

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/intstr"
)

// TestPlanScale is Kubernetes' TestScale (pkg/controller/deployment/sync_test.go), case for
// case: the ReplicaSets were last scaled by oldDeployment (their desired-replicas and
// max-replicas annotations say so), and the Deployment is now deployment.
func TestPlanScale(t *testing.T) {
	newTS, oldTS, olderTS := t2, t1, t0
	rs := func(name string, replicas int32, created time.Time) *apps.ReplicaSet {
		r := testRS(name, replicas, 0, created)
		r.Status = apps.ReplicaSetStatus{} // Kubernetes' helper leaves the status empty
		return r
	}
	surge := func(n int) *intstr.IntOrString { return new(intstr.FromInt(n)) }
	updatedTemplate := func(replicas int32) *apps.Deployment {
		d := testDeployment(replicas, nil, nil)
		d.Spec.Template.Labels = map[string]string{"foo": "bar", "another": "label"}
		return d
	}
	tests := []struct {
		name          string
		deployment    *apps.Deployment
		oldDeployment *apps.Deployment
		newRS         *apps.ReplicaSet
		oldRSs        []*apps.ReplicaSet
		desiredAnnot  map[string]int32 // desired-replicas annotations that differ from oldDeployment's
		wantNew       int32
		wantOld       []int32
	}{
		{"normal scaling event: 10 -> 12", testDeployment(12, nil, nil), testDeployment(10, nil, nil),
			rs("foo-v1", 10, newTS), nil, nil, 12, nil},
		{"normal scaling event: 10 -> 5", testDeployment(5, nil, nil), testDeployment(10, nil, nil),
			rs("foo-v1", 10, newTS), nil, nil, 5, nil},
		{"proportional scaling: 5 -> 10", testDeployment(10, nil, nil), testDeployment(5, nil, nil),
			rs("foo-v2", 2, newTS), []*apps.ReplicaSet{rs("foo-v1", 3, oldTS)}, nil, 4, []int32{6}},
		{"proportional scaling: 5 -> 3", testDeployment(3, nil, nil), testDeployment(5, nil, nil),
			rs("foo-v2", 2, newTS), []*apps.ReplicaSet{rs("foo-v1", 3, oldTS)}, nil, 1, []int32{2}},
		{"proportional scaling: 9 -> 4", testDeployment(4, nil, nil), testDeployment(9, nil, nil),
			rs("foo-v2", 8, newTS), []*apps.ReplicaSet{rs("foo-v1", 1, oldTS)}, nil, 4, []int32{0}},
		{"proportional scaling: 7 -> 10", testDeployment(10, nil, nil), testDeployment(7, nil, nil),
			rs("foo-v3", 2, newTS), []*apps.ReplicaSet{rs("foo-v2", 3, oldTS), rs("foo-v1", 2, olderTS)}, nil, 3, []int32{4, 3}},
		{"proportional scaling: 13 -> 8", testDeployment(8, nil, nil), testDeployment(13, nil, nil),
			rs("foo-v3", 2, newTS), []*apps.ReplicaSet{rs("foo-v2", 8, oldTS), rs("foo-v1", 3, olderTS)}, nil, 1, []int32{5, 2}},
		{"leftover distribution: 3 -> 4 (to the new one)", testDeployment(4, nil, nil), testDeployment(3, nil, nil),
			rs("foo-v3", 1, newTS), []*apps.ReplicaSet{rs("foo-v2", 1, oldTS), rs("foo-v1", 1, olderTS)}, nil, 2, []int32{1, 1}},
		{"leftover distribution: 3 -> 2 (from the oldest)", testDeployment(2, nil, nil), testDeployment(3, nil, nil),
			rs("foo-v3", 1, newTS), []*apps.ReplicaSet{rs("foo-v2", 1, oldTS), rs("foo-v1", 1, olderTS)}, nil, 1, []int32{1, 0}},
		{"proportional scaling (no new rs): 4 -> 5", testDeployment(5, nil, nil), testDeployment(4, nil, nil),
			nil, []*apps.ReplicaSet{rs("foo-v2", 2, oldTS), rs("foo-v1", 2, olderTS)}, nil, 0, []int32{3, 2}},
		{"proportional scaling: 6 -> 0", testDeployment(0, nil, nil), testDeployment(6, nil, nil),
			rs("foo-v3", 3, newTS), []*apps.ReplicaSet{rs("foo-v2", 2, oldTS), rs("foo-v1", 1, olderTS)}, nil, 0, []int32{0, 0}},
		{"proportional scaling: 0 -> 6", testDeployment(6, nil, nil), testDeployment(6, nil, nil),
			rs("foo-v3", 0, newTS), []*apps.ReplicaSet{rs("foo-v2", 0, oldTS), rs("foo-v1", 0, olderTS)}, nil, 6, []int32{0, 0}},
		{"one ReplicaSet scaled earlier to 3", testDeployment(5, nil, nil), testDeployment(5, nil, nil),
			rs("foo-v3", 2, newTS), []*apps.ReplicaSet{rs("foo-v2", 1, oldTS), rs("foo-v1", 1, olderTS)},
			map[string]int32{"foo-v2": 3}, 2, []int32{2, 1}},
		{"deployment with surge pods", testDeployment(20, surge(2), nil), testDeployment(10, surge(2), nil),
			rs("foo-v2", 6, newTS), []*apps.ReplicaSet{rs("foo-v1", 6, oldTS)}, nil, 11, []int32{11}},
		{"change both surge and size", testDeployment(50, surge(6), nil), testDeployment(10, surge(3), nil),
			rs("foo-v2", 5, newTS), []*apps.ReplicaSet{rs("foo-v1", 8, oldTS)}, nil, 22, []int32{34}},
		{"change both size and template", updatedTemplate(14), testDeployment(10, nil, nil),
			nil, []*apps.ReplicaSet{rs("foo-v2", 7, newTS), rs("foo-v1", 3, oldTS)}, nil, 0, []int32{10, 4}},
		{"saturated but broken new replica set does not affect old pods", testDeployment(2, surge(1), surge(1)), testDeployment(2, surge(1), surge(1)),
			rs("foo-v2", 2, newTS), []*apps.ReplicaSet{rs("foo-v1", 1, oldTS)}, nil, 2, []int32{1}},
		// The spec's example: old 8 + new 5 at max 13, scaled 10 -> 15 with surge 3.
		{"spec example: 10 -> 15", testDeployment(15, surge(3), nil), testDeployment(10, surge(3), nil),
			rs("web-new", 5, newTS), []*apps.ReplicaSet{rs("web-old", 8, oldTS)}, nil, 7, []int32{11}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			annotate := func(r *apps.ReplicaSet) {
				desired := desiredReplicas(tt.oldDeployment)
				if v, ok := tt.desiredAnnot[r.Name]; ok {
					desired = v
				}
				setReplicasAnnotations(r, desired, desired+MaxSurge(tt.oldDeployment))
			}
			if tt.newRS != nil {
				annotate(tt.newRS)
			}
			for _, r := range tt.oldRSs {
				annotate(r)
			}
			plan := planScale(tt.deployment, tt.newRS, tt.oldRSs)
			if tt.newRS != nil {
				if got := finalSize(tt.newRS, plan.steps); got != tt.wantNew {
					t.Errorf("new ReplicaSet %s: %d, want %d", tt.newRS.Name, got, tt.wantNew)
				}
			}
			for i, r := range tt.oldRSs {
				if got := finalSize(r, plan.steps); got != tt.wantOld[i] {
					t.Errorf("old ReplicaSet %s: %d, want %d", r.Name, got, tt.wantOld[i])
				}
			}
		})
	}
}

func TestReplicaSetFraction(t *testing.T) {
	// surge 3 throughout: replicas + maxSurge is the numerator's factor.
	tests := []struct {
		name           string
		replicas, spec int32
		maxAnnotation  string // "" for none
		statusReplicas int32
		want           int32
	}{
		{"grow", 15, 8, "13", 0, 3},                         // round(8×18/13) = round(11.08) = 11
		{"grow more", 20, 5, "13", 0, 4},                    // round(5×23/13) = round(8.85) = 9
		{"to zero", 0, 7, "13", 0, -7},                      // scaling to 0 takes everything
		{"no annotation: status.replicas", 10, 4, "", 8, 3}, // round(4×13/8) = round(6.5) = 7, half away from 0
		{"never from nothing", 10, 4, "0", 0, 0},            // a zero max-replicas gives nothing
		{"unreadable annotation", 10, 3, "bad", 0, 0},       // falls back to status.replicas, 0 here
		{"shrink", 5, 10, "13", 0, -4},                      // round(10×8/13) = round(6.15) = 6
	}
	for _, tt := range tests {
		d := testDeployment(tt.replicas, new(intstr.FromInt(3)), nil)
		d.Status.Replicas = tt.statusReplicas
		r := testRS("rs", tt.spec, 0, t0)
		if tt.maxAnnotation != "" {
			r.Annotations = map[string]string{apps.MaxReplicasAnnotation: tt.maxAnnotation}
		}
		if got := replicaSetFraction(r, d); got != tt.want {
			t.Errorf("%s: fraction %d, want %d", tt.name, got, tt.want)
		}
	}
}
