package nodelifecycle

import (
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

var t0 = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func nodeWith(unschedulable bool, conds ...core.NodeCondition) *core.Node {
	return &core.Node{Spec: core.NodeSpec{Unschedulable: unschedulable}, Status: core.NodeStatus{Conditions: conds}}
}

func cond(t core.NodeConditionType, s core.ConditionStatus) core.NodeCondition {
	return core.NodeCondition{Type: t, Status: s}
}

func taintStrings(ts []core.Taint) []string {
	var out []string
	for _, t := range ts {
		out = append(out, t.String())
	}
	return out
}

func TestDesiredTaints(t *testing.T) {
	tests := []struct {
		name string
		node *core.Node
		want []string
	}{
		{"ready", nodeWith(false, cond(core.NodeReady, core.ConditionTrue)), nil},
		{"no conditions yet", nodeWith(false), nil},
		{"not ready", nodeWith(false, cond(core.NodeReady, core.ConditionFalse)),
			[]string{"node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"}},
		{"unreachable", nodeWith(false, cond(core.NodeReady, core.ConditionUnknown)),
			[]string{"node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"}},
		{"pressure and cordoned", nodeWith(true, cond(core.NodeReady, core.ConditionTrue), cond(core.NodeMemoryPressure, core.ConditionTrue),
			cond(core.NodeDiskPressure, core.ConditionFalse), cond(core.NodePIDPressure, core.ConditionTrue), cond(core.NodeNetworkUnavailable, core.ConditionTrue)),
			[]string{"node.kubernetes.io/memory-pressure:NoSchedule", "node.kubernetes.io/pid-pressure:NoSchedule",
				"node.kubernetes.io/network-unavailable:NoSchedule", "node.kubernetes.io/unschedulable:NoSchedule"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := taintStrings(desiredTaints(tc.node)); !slices.Equal(got, tc.want) {
				t.Errorf("got %v, want %v", got, tc.want)
			}
		})
	}
}

func TestReconcileTaints(t *testing.T) {
	earlier := meta.NewTimePtr(t0.Add(-time.Hour))
	user := core.Taint{Key: "example.com/dedicated", Value: "gpu", Effect: core.TaintEffectNoExecute}
	unreachableNE := core.Taint{Key: core.TaintNodeUnreachable, Effect: core.TaintEffectNoExecute, TimeAdded: earlier}
	unreachableNS := core.Taint{Key: core.TaintNodeUnreachable, Effect: core.TaintEffectNoSchedule}
	notReadyNE := core.Taint{Key: core.TaintNodeNotReady, Effect: core.TaintEffectNoExecute, TimeAdded: earlier}
	desiredUnreachable := desiredTaints(nodeWith(false, cond(core.NodeReady, core.ConditionUnknown)))
	tests := []struct {
		name     string
		taints   []core.Taint
		desired  []core.Taint
		want     []core.Taint
		changed  bool
		newAdded bool // the NoExecute taint gets timeAdded t0
	}{
		{"nothing to do", []core.Taint{user}, nil, []core.Taint{user}, false, false},
		{"added, user taint kept first", []core.Taint{user}, desiredUnreachable,
			[]core.Taint{user, unreachableNS, {Key: core.TaintNodeUnreachable, Effect: core.TaintEffectNoExecute}}, true, true},
		{"kept with its timeAdded", []core.Taint{unreachableNE, unreachableNS}, desiredUnreachable, []core.Taint{unreachableNE, unreachableNS}, false, false},
		{"removed when ready again", []core.Taint{unreachableNE, user, unreachableNS}, nil, []core.Taint{user}, true, false},
		{"swapped from not-ready", []core.Taint{notReadyNE}, desiredUnreachable,
			[]core.Taint{unreachableNS, {Key: core.TaintNodeUnreachable, Effect: core.TaintEffectNoExecute}}, true, true},
		{"all gone", []core.Taint{unreachableNS}, nil, nil, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := slices.Clone(tc.taints)
			got, changed := reconcileTaints(tc.taints, tc.desired, t0)
			if changed != tc.changed || !slices.Equal(taintStrings(got), taintStrings(tc.want)) {
				t.Fatalf("got %v (changed %v), want %v (changed %v)", taintStrings(got), changed, taintStrings(tc.want), tc.changed)
			}
			if !slices.EqualFunc(before, tc.taints, func(a, b core.Taint) bool { return a.String() == b.String() }) {
				t.Fatal("the input was modified")
			}
			for _, g := range got {
				switch {
				case g.Effect != core.TaintEffectNoExecute:
					if g.TimeAdded != nil && g.Key != user.Key {
						t.Errorf("%s has a timeAdded", g)
					}
				case g.Key == user.Key:
				case tc.newAdded && !g.TimeAdded.Time.Equal(t0), !tc.newAdded && !g.TimeAdded.Equal(earlier):
					t.Errorf("%s added at %v", g, g.TimeAdded)
				}
			}
		})
	}
}

func TestEvictionTime(t *testing.T) {
	secs := func(s int64) *int64 { return &s }
	unreachable := core.Taint{Key: core.TaintNodeUnreachable, Effect: core.TaintEffectNoExecute}
	dedicated := core.Taint{Key: "example.com/dedicated", Value: "gpu", Effect: core.TaintEffectNoExecute}
	added := map[string]time.Time{unreachable.Key: t0, dedicated.Key: t0.Add(time.Minute)}
	addedAt := func(t *core.Taint) time.Time { return added[t.Key] }
	tolerate := func(key string, s *int64) core.Toleration {
		return core.Toleration{Key: key, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoExecute, TolerationSeconds: s}
	}
	tests := []struct {
		name   string
		tols   []core.Toleration
		taints []core.Taint
		at     time.Time
		evict  bool
	}{
		{"no taints", nil, nil, time.Time{}, false},
		{"untolerated: at once", nil, []core.Taint{unreachable}, time.Time{}, true},
		{"default toleration: 300 s after the taint", []core.Toleration{tolerate(unreachable.Key, secs(300))}, []core.Taint{unreachable}, t0.Add(300 * time.Second), true},
		{"tolerated for ever", []core.Toleration{tolerate(unreachable.Key, nil)}, []core.Taint{unreachable}, time.Time{}, false},
		{"tolerate everything", []core.Toleration{{Operator: core.TolerationOpExists}}, []core.Taint{unreachable, dedicated}, time.Time{}, false},
		{"negative seconds: at once", []core.Toleration{tolerate(unreachable.Key, secs(-5))}, []core.Taint{unreachable}, t0, true},
		{"one of two untolerated", []core.Toleration{tolerate(unreachable.Key, nil)}, []core.Taint{unreachable, dedicated}, time.Time{}, true},
		{"earliest wins, each from its own taint", []core.Toleration{tolerate(unreachable.Key, secs(300)), tolerate(dedicated.Key, secs(60))},
			[]core.Taint{unreachable, dedicated}, t0.Add(2 * time.Minute), true},
		{"the first matching toleration counts", []core.Toleration{tolerate(unreachable.Key, secs(10)), tolerate("", nil)},
			[]core.Taint{unreachable}, t0.Add(10 * time.Second), true},
		{"value must match for Equal", []core.Toleration{{Key: dedicated.Key, Value: "cpu", Effect: core.TaintEffectNoExecute}},
			[]core.Taint{dedicated}, time.Time{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			at, evict := evictionTime(tc.tols, tc.taints, addedAt)
			if evict != tc.evict || !at.Equal(tc.at) {
				t.Errorf("got %v, %v; want %v, %v", at, evict, tc.at, tc.evict)
			}
		})
	}
}

func TestSetUnknown(t *testing.T) {
	created := meta.NewTime(t0.Add(-time.Hour))
	st := core.NodeStatus{Conditions: []core.NodeCondition{
		{Type: core.NodeReady, Status: core.ConditionTrue, Reason: "KubeletReady", LastHeartbeatTime: meta.NewTime(t0.Add(-time.Minute))},
		{Type: core.NodeMemoryPressure, Status: core.ConditionUnknown, Reason: "Earlier", LastTransitionTime: created},
	}}
	setUnknown(&st, created, t0)
	want := map[core.NodeConditionType]string{
		core.NodeReady: reasonStatusUnknown, core.NodeMemoryPressure: "Earlier",
		core.NodeDiskPressure: reasonStatusNeverUpdated, core.NodePIDPressure: reasonStatusNeverUpdated,
	}
	if len(st.Conditions) != 4 {
		t.Fatalf("conditions %+v", st.Conditions)
	}
	for _, c := range st.Conditions {
		if c.Status != core.ConditionUnknown || c.Reason != want[c.Type] {
			t.Errorf("%s: %s %s, want Unknown %s", c.Type, c.Status, c.Reason, want[c.Type])
		}
	}
	ready := core.GetNodeCondition(&st, core.NodeReady)
	if ready.Message != messageStatusUnknown || !ready.LastTransitionTime.Time.Equal(t0) || !ready.LastHeartbeatTime.Time.Equal(t0.Add(-time.Minute)) {
		t.Errorf("ready: %+v", ready)
	}
	if mp := core.GetNodeCondition(&st, core.NodeMemoryPressure); !mp.LastTransitionTime.Equal(&created) {
		t.Errorf("an Unknown condition changed: %+v", mp)
	}
}
