package daemonset

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
)

var now = time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC)

// dpod describes a daemon pod for the planner: "node/state/rev", state one of avail (Ready
// long enough), ready (Ready just now), pending, gone (terminating); rev "new" or "old".
func dpod(desc string) *core.Pod {
	parts := strings.Split(desc, "/")
	node, state, rev := parts[0], parts[1], parts[2]
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Name: node + "-" + rev + "-" + state, Labels: map[string]string{apps.DefaultDaemonSetUniqueLabelKey: rev},
			CreationTimestamp: meta.NewTime(now.Add(-time.Hour))},
		Spec:   core.PodSpec{NodeName: node},
		Status: core.PodStatus{Phase: core.PodRunning},
	}
	switch state {
	case "avail", "gone":
		p.Status.Conditions = []core.PodCondition{{Type: core.PodReady, Status: core.ConditionTrue, LastTransitionTime: meta.NewTime(now.Add(-time.Hour))}}
		if state == "gone" {
			p.DeletionTimestamp = new(meta.NewTime(now))
		}
	case "ready":
		p.Status.Conditions = []core.PodCondition{{Type: core.PodReady, Status: core.ConditionTrue, LastTransitionTime: meta.NewTime(now)}}
	case "pending":
		p.Status.Phase = core.PodPending
	}
	return p
}

// testView builds a view of ds over nodes (all Linux unless named "win-…") and pods.
func testView(ds *apps.DaemonSet, nodes []string, pods ...string) *view {
	v := &view{ds: ds, place: newPlacement(ds), nodePods: map[string][]*core.Pod{}, byName: map[string]*core.Node{}, hash: "new", now: now}
	for _, n := range nodes {
		os := "linux"
		if strings.HasPrefix(n, "win") {
			os = "windows"
		}
		nd := node(n, map[string]string{core.LabelOSStable: os})
		v.nodes = append(v.nodes, nd)
		v.byName[n] = nd
	}
	for _, d := range pods {
		p := dpod(d)
		v.nodePods[p.Spec.NodeName] = append(v.nodePods[p.Spec.NodeName], p)
	}
	return v
}

func rolling(maxUnavailable, maxSurge intstr.IntOrString, minReady int32) *apps.DaemonSet {
	return testDS(func(ds *apps.DaemonSet) {
		ds.Spec.Template.Spec.NodeSelector = map[string]string{core.LabelOSStable: "linux"}
		ds.Spec.MinReadySeconds = minReady
		ds.Spec.UpdateStrategy.RollingUpdate = &apps.RollingUpdateDaemonSet{MaxUnavailable: &maxUnavailable, MaxSurge: &maxSurge}
	})
}

func TestBudgets(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		ds                   *apps.DaemonSet
		nodes                []string
		desired, surge, unav int
	}{
		{"ints", rolling(intstr.FromInt(2), intstr.FromInt(0), 0), []string{"a", "b", "c", "win"}, 3, 0, 2},
		{"percent rounds up", rolling(intstr.FromString("50%"), intstr.FromInt(0), 0), []string{"a", "b", "c"}, 3, 0, 2},
		{"surge percent", rolling(intstr.FromInt(0), intstr.FromString("10%"), 0), []string{"a", "b", "c"}, 3, 1, 0},
		{"both zero means one unavailable", rolling(intstr.FromInt(0), intstr.FromInt(0), 0), []string{"a"}, 1, 0, 1},
		{"no nodes", rolling(intstr.FromInt(0), intstr.FromInt(0), 0), nil, 0, 0, 0},
	} {
		d, s, u := testView(tc.ds, tc.nodes).budgets()
		if d != tc.desired || s != tc.surge || u != tc.unav {
			t.Errorf("%s: budgets = %d, %d, %d; want %d, %d, %d", tc.name, d, s, u, tc.desired, tc.surge, tc.unav)
		}
	}
}

func TestPlanRollingUpdate(t *testing.T) {
	abc := []string{"a", "b", "c"}
	one, two, zero := intstr.FromInt(1), intstr.FromInt(2), intstr.FromInt(0)
	tests := []struct {
		name       string
		ds         *apps.DaemonSet
		nodes      []string
		pods       []string
		wantDelete []string
		wantCreate []string
	}{
		// Without surge: delete, and let the manage pass create.
		{"one at a time, in node order", rolling(one, zero, 0), abc, []string{"a/avail/old", "b/avail/old", "c/avail/old"}, []string{"a-old-avail"}, nil},
		{"two at a time", rolling(two, zero, 0), abc, []string{"a/avail/old", "b/avail/old", "c/avail/old"}, []string{"a-old-avail", "b-old-avail"}, nil},
		{"a new pod not yet available uses the budget", rolling(one, zero, 0), abc, []string{"a/pending/new", "b/avail/old", "c/avail/old"}, nil, nil},
		{"minReadySeconds: ready is not available", rolling(one, zero, 60), abc, []string{"a/ready/new", "b/avail/old", "c/avail/old"}, nil, nil},
		{"an empty node uses the budget", rolling(one, zero, 0), abc, []string{"b/avail/old", "c/avail/old"}, nil, nil},
		{"a terminating old pod leaves its node empty", rolling(one, zero, 0), abc, []string{"a/gone/old", "b/avail/old", "c/avail/old"}, nil, nil},
		{"old and new on a node use the budget", rolling(two, zero, 0), abc, []string{"a/avail/old", "a/pending/new", "b/avail/old", "c/avail/old"}, []string{"b-old-avail"}, nil},
		{"excess pods use the budget", rolling(one, zero, 0), abc, []string{"a/avail/old", "a/avail/old", "b/avail/old"}, nil, nil},
		{"unavailable old pods are replaced at once", rolling(one, zero, 0), abc, []string{"a/avail/old", "b/pending/old", "c/pending/old"}, []string{"b-old-pending", "c-old-pending"}, nil},
		{"done", rolling(one, zero, 0), abc, []string{"a/avail/new", "b/avail/new", "c/avail/new"}, nil, nil},

		// With surge: create, then delete.
		{"surge one", rolling(zero, one, 0), abc, []string{"a/avail/old", "b/avail/old", "c/avail/old"}, nil, []string{"a"}},
		{"surging node waits", rolling(zero, one, 0), abc, []string{"a/avail/old", "a/pending/new", "b/avail/old", "c/avail/old"}, nil, nil},
		{"available new pod: delete old, surge on", rolling(zero, one, 0), abc, []string{"a/avail/old", "a/avail/new", "b/avail/old", "c/avail/old"}, []string{"a-old-avail"}, []string{"b"}},
		{"unavailable old pod: new pod at once", rolling(zero, one, 0), abc, []string{"a/avail/old", "a/pending/new", "b/pending/old", "c/avail/old"}, nil, []string{"b"}},
		{"unwanted old pods wait for enough available pods", rolling(zero, one, 0), []string{"a", "win"}, []string{"a/pending/new", "win/avail/old"}, nil, nil},
		{"unwanted old pods go once enough are available", rolling(zero, one, 0), []string{"a", "win"}, []string{"a/avail/new", "win/avail/old"}, []string{"win-old-avail"}, nil},
		{"unavailable unwanted old pods go at once", rolling(zero, one, 0), []string{"a", "win"}, []string{"a/avail/new", "win/pending/old"}, []string{"win-old-pending"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			del, create := testView(tc.ds, tc.nodes, tc.pods...).planRollingUpdate()
			var names []string
			for _, p := range del {
				names = append(names, p.Name)
			}
			if !slices.Equal(names, tc.wantDelete) || !slices.Equal(create, tc.wantCreate) {
				t.Errorf("plan: delete %v create %v; want delete %v create %v", names, create, tc.wantDelete, tc.wantCreate)
			}
		})
	}
}

func TestComputeStatus(t *testing.T) {
	ds := rolling(intstr.FromInt(1), intstr.FromInt(0), 60)
	ds.Generation = 4
	ds.Status.ObservedGeneration = 3
	v := testView(ds, []string{"a", "b", "c", "d", "win"},
		"a/avail/new", "a/pending/old", // oldest first: the available new one counts
		"b/ready/old", // ready, not yet available, outdated
		"c/pending/new",
		"win/avail/old") // misscheduled
	v.generation = nil
	slices.SortFunc(v.nodePods["a"], comparePods)
	st := v.computeStatus(true, 2)
	want := apps.DaemonSetStatus{DesiredNumberScheduled: 4, CurrentNumberScheduled: 3, NumberMisscheduled: 1, NumberReady: 2,
		NumberAvailable: 1, NumberUnavailable: 3, UpdatedNumberScheduled: 2, ObservedGeneration: 4}
	if st.DesiredNumberScheduled != want.DesiredNumberScheduled || st.CurrentNumberScheduled != want.CurrentNumberScheduled ||
		st.NumberMisscheduled != want.NumberMisscheduled || st.NumberReady != want.NumberReady ||
		st.NumberAvailable != want.NumberAvailable || st.NumberUnavailable != want.NumberUnavailable ||
		st.UpdatedNumberScheduled != want.UpdatedNumberScheduled || st.ObservedGeneration != want.ObservedGeneration ||
		deref(st.CollisionCount) != 2 {
		t.Errorf("status %+v, want %+v with collision count 2", st, want)
	}
	if unobserved := v.computeStatus(false, 0); unobserved.ObservedGeneration != 3 || unobserved.CollisionCount != nil {
		t.Errorf("without acting: observedGeneration %d collisionCount %v", unobserved.ObservedGeneration, unobserved.CollisionCount)
	}
	if !sameStatus(&st, &st) || sameStatus(&st, &want) {
		t.Error("sameStatus")
	}
}
