package deployment

import (
	"fmt"
	"math"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func TestEqualIgnoreHash(t *testing.T) {
	base := func(lbls map[string]string) *core.PodTemplateSpec {
		return &core.PodTemplateSpec{
			ObjectMeta: meta.ObjectMeta{Labels: lbls},
			Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx"}}},
		}
	}
	tests := []struct {
		name string
		a, b *core.PodTemplateSpec
		want bool
	}{
		{"same", base(map[string]string{"app": "web"}), base(map[string]string{"app": "web"}), true},
		{"hash label ignored", base(map[string]string{"app": "web", apps.DefaultDeploymentUniqueLabelKey: "abc"}), base(map[string]string{"app": "web"}), true},
		{"different hashes ignored", base(map[string]string{"app": "web", apps.DefaultDeploymentUniqueLabelKey: "abc"}),
			base(map[string]string{"app": "web", apps.DefaultDeploymentUniqueLabelKey: "xyz"}), true},
		{"other label differs", base(map[string]string{"app": "web", "v": "1"}), base(map[string]string{"app": "web", "v": "2"}), false},
		{"nil and empty labels", base(nil), base(map[string]string{}), true},
		{"spec differs", base(nil), &core.PodTemplateSpec{Spec: core.PodSpec{Containers: []core.Container{{Name: "app", Image: "httpd"}}}}, false},
	}
	for _, tt := range tests {
		a, b := tt.a.DeepCopy(), tt.b.DeepCopy()
		if got := EqualIgnoreHash(tt.a, tt.b); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
		if fmt.Sprint(a) != fmt.Sprint(tt.a) || fmt.Sprint(b) != fmt.Sprint(tt.b) {
			t.Errorf("%s: EqualIgnoreHash modified its arguments", tt.name)
		}
	}
}

func TestFindNewAndOldReplicaSets(t *testing.T) {
	d := testDeployment(3, nil, nil)
	d.Spec.Template = core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"foo": "bar"}},
		Spec: core.PodSpec{Containers: []core.Container{{Name: "app", Image: "v2"}}}}
	withTemplate := func(rs *apps.ReplicaSet, image, hash string) *apps.ReplicaSet {
		rs.Spec.Template = *d.Spec.Template.DeepCopy()
		rs.Spec.Template.Spec.Containers[0].Image = image
		rs.Spec.Template.Labels[apps.DefaultDeploymentUniqueLabelKey] = hash
		return rs
	}
	old := withTemplate(testRS("foo-old", 0, 0, t0), "v1", "h1")
	newer := withTemplate(testRS("foo-b", 3, 3, t2), "v2", "h2")
	oldest := withTemplate(testRS("foo-a", 0, 0, t1), "v2", "h3") // same template, created earlier: the new one
	rsList := []*apps.ReplicaSet{newer, old, oldest}
	got := FindNewReplicaSet(d, rsList)
	if got != oldest {
		t.Fatalf("new ReplicaSet %v, want the oldest with the template", got.Name)
	}
	olds := findOldReplicaSets(rsList, got)
	if len(olds) != 2 || olds[0] != newer || olds[1] != old {
		t.Fatalf("old ReplicaSets %v", olds)
	}
	if FindNewReplicaSet(d, []*apps.ReplicaSet{old}) != nil {
		t.Fatal("a new ReplicaSet without the template")
	}
	if rsList[0] != newer {
		t.Fatal("FindNewReplicaSet reordered its argument")
	}
}

func TestFindActiveOrLatest(t *testing.T) {
	nw, old1, old2 := testRS("new", 0, 0, t2), testRS("old1", 0, 0, t0), testRS("old2", 0, 0, t1)
	active := testRS("active", 3, 3, t0)
	tests := []struct {
		name   string
		newRS  *apps.ReplicaSet
		oldRSs []*apps.ReplicaSet
		want   *apps.ReplicaSet
	}{
		{"nothing", nil, nil, nil},
		{"none active: the new one", nw, []*apps.ReplicaSet{old1, old2}, nw},
		{"none active, no new one: the newest old one", nil, []*apps.ReplicaSet{old1, old2}, old2},
		{"one active", nw, []*apps.ReplicaSet{old1, active}, active},
		{"two active: none", testRS("new", 1, 0, t2), []*apps.ReplicaSet{active}, nil},
	}
	for _, tt := range tests {
		if got := findActiveOrLatest(tt.newRS, tt.oldRSs); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestIsSaturated(t *testing.T) {
	d := testDeployment(3, nil, nil)
	rs := func(replicas, available int32, desired string) *apps.ReplicaSet {
		r := testRS("new", replicas, available, t0)
		if desired != "" {
			r.Annotations = map[string]string{apps.DesiredReplicasAnnotation: desired}
		}
		return r
	}
	tests := []struct {
		name string
		rs   *apps.ReplicaSet
		want bool
	}{
		{"saturated", rs(3, 3, "3"), true},
		{"not all available", rs(3, 2, "3"), false},
		{"annotation from another size", rs(3, 3, "4"), false},
		{"no annotation", rs(3, 3, ""), false},
		{"smaller", rs(2, 2, "3"), false},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		if got := isSaturated(d, tt.rs); got != tt.want {
			t.Errorf("%s: %v", tt.name, got)
		}
	}
}

// TestHistoryToDelete is Kubernetes' TestDeploymentController_cleanupDeployment: how many old
// ReplicaSets are deleted for a revisionHistoryLimit.
func TestHistoryToDelete(t *testing.T) {
	rs := func(name string, spec, status int32, revision string) *apps.ReplicaSet {
		r := testRS(name, spec, 0, t0)
		r.Status.Replicas = status
		r.Annotations = map[string]string{apps.RevisionAnnotation: revision}
		return r
	}
	deleting := rs("foo-1", 0, 0, "1")
	deleting.DeletionTimestamp = &meta.Time{Time: t0}
	unobserved := rs("foo-2", 0, 0, "2")
	unobserved.Generation = 2
	tests := []struct {
		name   string
		oldRSs []*apps.ReplicaSet
		limit  int32
		want   []string
	}{
		{"two beyond a limit of 1", []*apps.ReplicaSet{rs("foo-3", 0, 0, "3"), rs("foo-1", 0, 0, "1"), rs("foo-2", 0, 0, "2")}, 1, []string{"foo-1", "foo-2"}},
		{"only fully scaled down ones", []*apps.ReplicaSet{rs("foo-1", 0, 0, "1"), rs("foo-2", 0, 1, "2"), rs("foo-3", 1, 0, "3"), rs("foo-4", 1, 1, "4")}, 0, []string{"foo-1"}},
		{"all with a limit of 0", []*apps.ReplicaSet{rs("foo-1", 0, 0, "1"), rs("foo-2", 0, 0, "2")}, 0, []string{"foo-1", "foo-2"}},
		{"none scaled down", []*apps.ReplicaSet{rs("foo-1", 1, 1, "1"), rs("foo-2", 1, 1, "2")}, 0, nil},
		{"already being deleted", []*apps.ReplicaSet{deleting}, 0, nil},
		{"generation not observed", []*apps.ReplicaSet{unobserved}, 0, nil},
		{"unlimited", []*apps.ReplicaSet{rs("foo-1", 0, 0, "1"), rs("foo-2", 0, 0, "2"), rs("foo-3", 0, 0, "3")}, math.MaxInt32, nil},
	}
	for _, tt := range tests {
		d := testDeployment(1, nil, nil)
		d.Spec.RevisionHistoryLimit = new(tt.limit)
		var got []string
		for _, r := range historyToDelete(d, tt.oldRSs) {
			got = append(got, r.Name)
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: deletes %v, want %v", tt.name, got, tt.want)
		}
	}
}
