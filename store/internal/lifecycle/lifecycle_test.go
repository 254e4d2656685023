package lifecycle

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

var (
	sch   = scheme.NewBuiltin()
	now   = time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC)
	later = meta.NewTime(now.Add(30 * time.Second))
)

func info(gvk scheme.GroupVersionKind) *scheme.KindInfo {
	i, err := sch.ForGVK(gvk)
	if err != nil {
		panic(err)
	}
	return i
}

func pod(node string, mutate ...func(*core.Pod)) *core.Pod {
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "p", UID: "u1", ResourceVersion: "5", Generation: 1},
		Spec:       core.PodSpec{NodeName: node, Containers: []core.Container{{Name: "c", Image: "i"}}},
	}
	for _, m := range mutate {
		m(p)
	}
	return p
}

func i64(v int64) *int64 { return &v }

func TestPlanDeletePods(t *testing.T) {
	tests := []struct {
		name      string
		pod       *core.Pod
		opts      store.DeleteOptions
		want      DeleteAction
		wantGrace int64
		wantTS    time.Time
	}{
		{"unbound", pod(""), store.DeleteOptions{}, DeleteRemove, 0, time.Time{}},
		{"bound default 30s", pod("n"), store.DeleteOptions{}, DeleteMark, 30, now.Add(30 * time.Second)},
		{"bound own grace", pod("n", func(p *core.Pod) { p.Spec.TerminationGracePeriodSeconds = i64(7) }), store.DeleteOptions{}, DeleteMark, 7, now.Add(7 * time.Second)},
		{"explicit grace", pod("n"), store.DeleteOptions{GracePeriodSeconds: i64(3)}, DeleteMark, 3, now.Add(3 * time.Second)},
		{"negative grace is 1", pod("n"), store.DeleteOptions{GracePeriodSeconds: i64(-2)}, DeleteMark, 1, now.Add(time.Second)},
		{"explicit zero", pod("n"), store.DeleteOptions{GracePeriodSeconds: i64(0)}, DeleteRemove, 0, time.Time{}},
		{"failed pod", pod("n", func(p *core.Pod) { p.Status.Phase = core.PodFailed }), store.DeleteOptions{}, DeleteRemove, 0, time.Time{}},
		{"unbound with finalizer", pod("", func(p *core.Pod) { p.Finalizers = []string{"x.io/f"} }), store.DeleteOptions{}, DeleteMark, 0, now},
		{"pending: same grace", pod("n", func(p *core.Pod) { p.DeletionTimestamp, p.DeletionGracePeriodSeconds = &later, i64(30) }), store.DeleteOptions{}, DeleteNothing, 0, time.Time{}},
		{"pending: longer grace", pod("n", func(p *core.Pod) { p.DeletionTimestamp, p.DeletionGracePeriodSeconds = &later, i64(30) }), store.DeleteOptions{GracePeriodSeconds: i64(40)}, DeleteNothing, 0, time.Time{}},
		{"pending: shorter grace", pod("n", func(p *core.Pod) { p.DeletionTimestamp, p.DeletionGracePeriodSeconds = &later, i64(30) }), store.DeleteOptions{GracePeriodSeconds: i64(10)}, DeleteMark, 10, now.Add(10 * time.Second)},
		{"pending: node confirms", pod("n", func(p *core.Pod) { p.DeletionTimestamp, p.DeletionGracePeriodSeconds = &later, i64(30) }), store.DeleteOptions{GracePeriodSeconds: i64(0)}, DeleteRemove, 0, time.Time{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := tc.pod.DeepCopy()
			action, next, err := PlanDelete(info(scheme.PodGVK), tc.pod, tc.opts, now)
			if err != nil {
				t.Fatal(err)
			}
			if action != tc.want {
				t.Fatalf("action %d, want %d", action, tc.want)
			}
			if !equalPods(tc.pod, before) {
				t.Fatal("PlanDelete modified the stored object")
			}
			if action != DeleteMark {
				return
			}
			m := next.GetObjectMeta()
			if *m.DeletionGracePeriodSeconds != tc.wantGrace || !m.DeletionTimestamp.Time.Equal(tc.wantTS) {
				t.Fatalf("grace %d at %v, want %d at %v", *m.DeletionGracePeriodSeconds, m.DeletionTimestamp, tc.wantGrace, tc.wantTS)
			}
		})
	}
}

func equalPods(a, b *core.Pod) bool {
	return a.Generation == b.Generation && slices.Equal(a.Finalizers, b.Finalizers) && a.DeletionTimestamp.Equal(b.DeletionTimestamp)
}

func TestPlanDeletePreconditions(t *testing.T) {
	uid, rv := meta.UID("other"), "4"
	for _, p := range []*meta.Preconditions{{UID: &uid}, {ResourceVersion: &rv}} {
		_, _, err := PlanDelete(info(scheme.PodGVK), pod("n"), store.DeleteOptions{Preconditions: p}, now)
		if !store.IsConflict(err) || !strings.Contains(err.Error(), "Precondition failed") {
			t.Fatalf("precondition %+v: %v", p, err)
		}
	}
}

func TestPropagationFinalizers(t *testing.T) {
	orphan, fg, bg := meta.DeletePropagationOrphan, meta.DeletePropagationForeground, meta.DeletePropagationBackground
	tests := []struct {
		gvk     scheme.GroupVersionKind
		fins    []string
		policy  *meta.DeletionPropagation
		want    []string
		changed bool
	}{
		{scheme.DeploymentGVK, nil, nil, nil, false},
		{scheme.JobGVK, nil, nil, []string{"orphan"}, true},
		{scheme.JobGVK, nil, &bg, nil, false},
		{scheme.DeploymentGVK, nil, &fg, []string{"foregroundDeletion"}, true},
		{scheme.DeploymentGVK, []string{"a", "orphan"}, &fg, []string{"a", "foregroundDeletion"}, true},
		{scheme.DeploymentGVK, []string{"foregroundDeletion"}, nil, []string{"foregroundDeletion"}, false},
		{scheme.JobGVK, []string{"foregroundDeletion"}, nil, []string{"foregroundDeletion"}, false},
		{scheme.DeploymentGVK, []string{"orphan"}, &bg, nil, true},
		{scheme.DeploymentGVK, []string{"a"}, &orphan, []string{"a", "orphan"}, true},
	}
	for _, tc := range tests {
		got, changed := propagationFinalizers(info(tc.gvk), tc.fins, tc.policy)
		if !slices.Equal(got, tc.want) || changed != tc.changed {
			t.Errorf("%s %v %v: got %v %v, want %v %v", tc.gvk.Kind, tc.fins, tc.policy, got, changed, tc.want, tc.changed)
		}
	}
}

func TestDeletesOnUpdate(t *testing.T) {
	deleting := func(grace *int64, fins ...string) *core.Pod {
		return pod("n", func(p *core.Pod) {
			p.DeletionTimestamp, p.DeletionGracePeriodSeconds, p.Finalizers = &later, grace, fins
		})
	}
	tests := []struct {
		name     string
		obj, old *core.Pod
		want     bool
	}{
		{"last finalizer removed", deleting(i64(0)), deleting(i64(0), "f"), true},
		{"finalizer left", deleting(i64(0), "g"), deleting(i64(0), "f", "g"), false},
		{"grace not over", deleting(i64(30)), deleting(i64(30), "f"), false},
		{"not deleting", pod("n"), pod("n", func(p *core.Pod) { p.Finalizers = []string{"f"} }), false},
		{"no finalizers before", deleting(i64(0)), deleting(i64(0)), false},
	}
	for _, tc := range tests {
		if got := DeletesOnUpdate(tc.obj, tc.old); got != tc.want {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

func TestPrepareCreateAndUpdate(t *testing.T) {
	p := pod("")
	p.UID, p.ResourceVersion, p.Generation = "", "", 9
	p.DeletionTimestamp = &later
	if err := PrepareCreate(info(scheme.PodGVK), p, now); err != nil {
		t.Fatal(err)
	}
	if len(p.UID) != 36 || p.Generation != 1 || p.DeletionTimestamp != nil || !p.CreationTimestamp.Time.Equal(now) || p.Kind != "Pod" || p.APIVersion != "v1" {
		t.Fatalf("after PrepareCreate: %+v", p.ObjectMeta)
	}
	p.ResourceVersion = "3"
	if err := PrepareCreate(info(scheme.PodGVK), p, now); !store.IsBadRequest(err) {
		t.Fatalf("resourceVersion on create: %v", err)
	}
	bad := pod("")
	bad.Name, bad.UID, bad.ResourceVersion = "", "", ""
	if err := PrepareCreate(info(scheme.PodGVK), bad, now); !store.IsInvalid(err) || !strings.Contains(err.Error(), "name or generateName is required") {
		t.Fatalf("no name: %v", err)
	}

	old := pod("", func(p *core.Pod) { p.CreationTimestamp = meta.NewTime(now) })
	info(scheme.PodGVK).Strategy.Default(old)
	upd := old.DeepCopy()
	upd.UID = ""
	upd.CreationTimestamp = meta.Time{}
	upd.Labels = map[string]string{"a": "b"}
	if err := PrepareUpdate(info(scheme.PodGVK), upd, old); err != nil {
		t.Fatal(err)
	}
	if upd.UID != old.UID || !upd.CreationTimestamp.Time.Equal(now) || upd.Generation != 1 {
		t.Fatalf("after PrepareUpdate: %+v", upd.ObjectMeta)
	}
	cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "d", Name: "c"}}
	if err := PrepareStatusUpdate(info(scheme.ConfigMapGVK), cm, cm.DeepCopyObject()); !store.IsBadRequest(err) {
		t.Fatalf("status update of a kind without status: %v", err)
	}
}

func TestGenerateName(t *testing.T) {
	seen := map[string]bool{}
	for range 200 {
		n := GenerateName("web-")
		if len(n) != 9 || !strings.HasPrefix(n, "web-") || strings.ContainsAny(n[4:], "aeiou013") {
			t.Fatalf("GenerateName = %q", n)
		}
		seen[n] = true
	}
	if len(seen) < 190 {
		t.Fatalf("only %d distinct names of 200", len(seen))
	}
	if n := GenerateName(strings.Repeat("a", 100)); len(n) != 63 {
		t.Fatalf("long prefix: %d", len(n))
	}
}
