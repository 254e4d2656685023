package statefulset

import (
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/scheme"
)

func TestParentAndOrdinal(t *testing.T) {
	for _, tc := range []struct {
		name   string
		parent string
		ord    int
	}{
		{"web-0", "web", 0},
		{"web-12", "web", 12},
		{"my-web-3", "my-web", 3},
		{"web", "", -1},
		{"web-", "", -1},
		{"web-x", "", -1},
		{"web-1a", "", -1},
		{"web-99999999999", "", -1}, // overflows int32
		{"-4", "", 4},
	} {
		parent, ord := parentAndOrdinal(tc.name)
		if parent != tc.parent || ord != tc.ord {
			t.Errorf("parentAndOrdinal(%q) = %q, %d; want %q, %d", tc.name, parent, ord, tc.parent, tc.ord)
		}
	}
}

// testSet is a set named web in ns with two claim templates, the first also a template
// volume.
func testSet(mutate ...func(*apps.StatefulSet)) *apps.StatefulSet {
	s := &apps.StatefulSet{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "web", UID: "set-uid"},
		Spec: apps.StatefulSetSpec{
			Replicas:    new(int32(3)),
			Selector:    &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}},
			ServiceName: "web-svc",
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web", "tier": "db"}},
				Spec: core.PodSpec{
					Containers: []core.Container{{Name: "c", Image: "img"}},
					Volumes: []core.Volume{
						{Name: "data", VolumeSource: core.VolumeSource{EmptyDir: &core.EmptyDirVolumeSource{}}},
						{Name: "cache", VolumeSource: core.VolumeSource{EmptyDir: &core.EmptyDirVolumeSource{}}},
					},
				},
			},
			VolumeClaimTemplates: []core.PersistentVolumeClaim{
				{ObjectMeta: meta.ObjectMeta{Name: "data", Labels: map[string]string{"kind": "data"}}},
				{ObjectMeta: meta.ObjectMeta{Name: "logs"}},
			},
		},
	}
	for _, m := range mutate {
		m(s)
	}
	return s
}

func TestNewPod(t *testing.T) {
	set := testSet()
	ref := controllerref.NewControllerRef(set, scheme.StatefulSetGVK)
	pod := newPod(set, ref, 2, "web-abc")
	if pod.Name != "web-2" || pod.Namespace != "ns" || pod.Spec.Hostname != "web-2" || pod.Spec.Subdomain != "web-svc" {
		t.Errorf("identity: %s/%s hostname %q subdomain %q", pod.Namespace, pod.Name, pod.Spec.Hostname, pod.Spec.Subdomain)
	}
	wantLabels := map[string]string{"app": "web", "tier": "db", apps.StatefulSetPodNameLabel: "web-2", apps.PodIndexLabel: "2", apps.StatefulSetRevisionLabel: "web-abc"}
	if len(pod.Labels) != len(wantLabels) {
		t.Errorf("labels %v, want %v", pod.Labels, wantLabels)
	}
	for k, v := range wantLabels {
		if pod.Labels[k] != v {
			t.Errorf("label %s = %q, want %q", k, pod.Labels[k], v)
		}
	}
	var vols []string
	for _, v := range pod.Spec.Volumes {
		s := v.Name
		if v.PersistentVolumeClaim != nil {
			s += "=" + v.PersistentVolumeClaim.ClaimName
		}
		vols = append(vols, s)
	}
	if want := []string{"data=data-web-2", "logs=logs-web-2", "cache"}; !slices.Equal(vols, want) {
		t.Errorf("volumes %v, want %v", vols, want)
	}
	if !meta.IsControlledBy(pod, set) {
		t.Errorf("owners %v", pod.OwnerReferences)
	}
	if !identityMatches(set, pod) || !storageMatches(set, pod) {
		t.Error("a new pod does not match its own identity or storage")
	}
	if set.Spec.Template.Labels[apps.StatefulSetPodNameLabel] != "" || set.Spec.Template.Spec.Volumes[0].EmptyDir == nil {
		t.Error("newPod modified the set's template")
	}
}

func TestIdentityAndStorageMatch(t *testing.T) {
	set := testSet()
	ref := controllerref.NewControllerRef(set, scheme.StatefulSetGVK)
	tests := []struct {
		name             string
		change           func(*core.Pod)
		identity, stored bool
	}{
		{"unchanged", func(*core.Pod) {}, true, true},
		{"pod-name label missing", func(p *core.Pod) { delete(p.Labels, apps.StatefulSetPodNameLabel) }, false, true},
		{"pod-index label wrong", func(p *core.Pod) { p.Labels[apps.PodIndexLabel] = "7" }, false, true},
		{"other namespace", func(p *core.Pod) { p.Namespace = "other" }, false, true},
		{"other parent", func(p *core.Pod) { p.Name = "db-1" }, false, true}, // the volumes still name the claims of ordinal 1
		{"claim volume missing", func(p *core.Pod) { p.Spec.Volumes = p.Spec.Volumes[1:] }, true, false},
		{"claim volume points elsewhere", func(p *core.Pod) { p.Spec.Volumes[0].PersistentVolumeClaim.ClaimName = "x" }, true, false},
		{"claim volume is not a claim", func(p *core.Pod) {
			p.Spec.Volumes[1].PersistentVolumeClaim = nil
			p.Spec.Volumes[1].EmptyDir = &core.EmptyDirVolumeSource{}
		}, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			pod := newPod(set, ref, 1, "rev")
			tc.change(pod)
			if got := identityMatches(set, pod); got != tc.identity {
				t.Errorf("identityMatches = %v, want %v", got, tc.identity)
			}
			if got := storageMatches(set, pod); got != tc.stored {
				t.Errorf("storageMatches = %v, want %v", got, tc.stored)
			}
		})
	}
}

func TestPodClaims(t *testing.T) {
	set := testSet()
	claims := podClaims(set, 4)
	if len(claims) != 2 {
		t.Fatalf("%d claims", len(claims))
	}
	for i, want := range []struct {
		name   string
		labels map[string]string
	}{
		{"data-web-4", map[string]string{"kind": "data", "app": "web"}},
		{"logs-web-4", map[string]string{"app": "web"}},
	} {
		c := claims[i]
		if c.Name != want.name || c.Namespace != "ns" || len(c.Labels) != len(want.labels) {
			t.Errorf("claim %d: %s/%s labels %v, want %s %v", i, c.Namespace, c.Name, c.Labels, want.name, want.labels)
		}
		for k, v := range want.labels {
			if c.Labels[k] != v {
				t.Errorf("claim %s label %s = %q, want %q", c.Name, k, c.Labels[k], v)
			}
		}
	}
	claims[0].Labels["x"] = "y"
	if set.Spec.VolumeClaimTemplates[0].Labels["x"] != "" || set.Spec.Selector.MatchLabels["x"] != "" {
		t.Error("podClaims shares labels with the set")
	}
}

func TestOrdinalRange(t *testing.T) {
	tests := []struct {
		name      string
		start     *int32
		replicas  int32
		in        []string
		out       []string
		wantStart int
		wantEnd   int
	}{
		{"from zero", nil, 3, []string{"web-0", "web-2"}, []string{"web-3", "web-10"}, 0, 2},
		{"from five", new(int32(5)), 2, []string{"web-5", "web-6"}, []string{"web-4", "web-7", "web-0"}, 5, 6},
		{"none", nil, 0, nil, []string{"web-0"}, 0, -1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set := testSet(func(s *apps.StatefulSet) {
				s.Spec.Replicas = &tc.replicas
				if tc.start != nil {
					s.Spec.Ordinals = &apps.StatefulSetOrdinals{Start: *tc.start}
				}
			})
			if startOrdinal(set) != tc.wantStart || endOrdinal(set) != tc.wantEnd {
				t.Errorf("range [%d, %d], want [%d, %d]", startOrdinal(set), endOrdinal(set), tc.wantStart, tc.wantEnd)
			}
			for _, n := range tc.in {
				if !inOrdinalRange(set, &core.Pod{ObjectMeta: meta.ObjectMeta{Name: n}}) {
					t.Errorf("%s should be in range", n)
				}
			}
			for _, n := range tc.out {
				if inOrdinalRange(set, &core.Pod{ObjectMeta: meta.ObjectMeta{Name: n}}) {
					t.Errorf("%s should be out of range", n)
				}
			}
		})
	}
}

func TestSplitPods(t *testing.T) {
	cur := &apps.ControllerRevision{ObjectMeta: meta.ObjectMeta{Name: "web-cur"}}
	upd := &apps.ControllerRevision{ObjectMeta: meta.ObjectMeta{Name: "web-upd"}}
	existing := func(name string) *core.Pod {
		return &core.Pod{ObjectMeta: meta.ObjectMeta{Name: name}, Status: core.PodStatus{Phase: core.PodRunning}}
	}
	tests := []struct {
		name      string
		mutate    func(*apps.StatefulSet)
		pods      []*core.Pod
		revisions []string // of the replicas, "" for existing pods
		condemned []string
	}{
		{"rolling, partition 2", func(s *apps.StatefulSet) {
			s.Spec.Replicas = new(int32(4))
			s.Spec.UpdateStrategy = apps.StatefulSetUpdateStrategy{Type: apps.RollingUpdateStatefulSetStrategyType,
				RollingUpdate: &apps.RollingUpdateStatefulSetStrategy{Partition: new(int32(2))}}
		}, []*core.Pod{existing("web-1"), existing("web-7"), existing("web-5"), existing("other-0")},
			[]string{"web-cur", "", "web-upd", "web-upd"}, []string{"web-7", "web-5"}},
		{"on delete: always the update revision", func(s *apps.StatefulSet) {
			s.Spec.Replicas = new(int32(2))
			s.Spec.UpdateStrategy = apps.StatefulSetUpdateStrategy{Type: apps.OnDeleteStatefulSetStrategyType}
		}, nil, []string{"web-upd", "web-upd"}, nil},
		{"start 3", func(s *apps.StatefulSet) {
			s.Spec.Replicas = new(int32(2))
			s.Spec.Ordinals = &apps.StatefulSetOrdinals{Start: 3}
		}, []*core.Pod{existing("web-0"), existing("web-4")}, []string{"web-upd", ""}, []string{"web-0"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			set := testSet(tc.mutate)
			rv := &revisions{current: cur, update: upd, currentSet: set, updateSet: set}
			replicas, condemned := splitPods(set, controllerref.NewControllerRef(set, scheme.StatefulSetGVK), rv, tc.pods)
			if len(replicas) != len(tc.revisions) {
				t.Fatalf("%d replicas, want %d", len(replicas), len(tc.revisions))
			}
			for i, want := range tc.revisions {
				p := replicas[i]
				if want == "" {
					if !isCreated(p) {
						t.Errorf("replica %d should be the existing pod", i)
					}
					continue
				}
				if isCreated(p) || revisionOf(p) != want || ordinalOf(p) != startOrdinal(set)+i {
					t.Errorf("replica %d: %s at %s, want a virtual pod at %s", i, p.Name, revisionOf(p), want)
				}
			}
			var got []string
			for _, p := range condemned {
				got = append(got, p.Name)
			}
			if !slices.Equal(got, tc.condemned) {
				t.Errorf("condemned %v, want %v", got, tc.condemned)
			}
		})
	}
}
