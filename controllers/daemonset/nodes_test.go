package daemonset

import (
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func node(name string, lbls map[string]string, taints ...core.Taint) *core.Node {
	return &core.Node{ObjectMeta: meta.ObjectMeta{Name: name, Labels: lbls}, Spec: core.NodeSpec{Taints: taints}}
}

func testDS(mutate ...func(*apps.DaemonSet)) *apps.DaemonSet {
	ds := &apps.DaemonSet{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "agent", UID: "ds-uid", Generation: 1,
			Annotations: map[string]string{apps.DeprecatedTemplateGeneration: "3"}},
		Spec: apps.DaemonSetSpec{
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "agent"}},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "agent"}},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "c", Image: "img"}}},
			},
			UpdateStrategy: apps.DaemonSetUpdateStrategy{Type: apps.RollingUpdateDaemonSetStrategyType},
		},
	}
	for _, m := range mutate {
		m(ds)
	}
	return ds
}

func TestShouldRun(t *testing.T) {
	linux := map[string]string{core.LabelOSStable: "linux", "zone": "a"}
	noSchedule := core.Taint{Key: "dedicated", Value: "db", Effect: core.TaintEffectNoSchedule}
	noExecute := core.Taint{Key: "dedicated", Value: "db", Effect: core.TaintEffectNoExecute}
	prefer := core.Taint{Key: "dedicated", Value: "db", Effect: core.TaintEffectPreferNoSchedule}
	tolerateDB := func(ds *apps.DaemonSet) {
		ds.Spec.Template.Spec.Tolerations = []core.Toleration{{Key: "dedicated", Operator: core.TolerationOpEqual, Value: "db"}}
	}
	selectLinux := func(ds *apps.DaemonSet) {
		ds.Spec.Template.Spec.NodeSelector = map[string]string{core.LabelOSStable: "linux"}
	}
	affinityZone := func(zones ...string) func(*apps.DaemonSet) {
		return func(ds *apps.DaemonSet) {
			ds.Spec.Template.Spec.Affinity = &core.Affinity{NodeAffinity: &core.NodeAffinity{
				RequiredDuringSchedulingIgnoredDuringExecution: &core.NodeSelector{NodeSelectorTerms: []core.NodeSelectorTerm{{
					MatchExpressions: []core.NodeSelectorRequirement{{Key: "zone", Operator: core.NodeSelectorOpIn, Values: zones}},
				}}},
			}}
		}
	}
	tests := []struct {
		name        string
		ds          *apps.DaemonSet
		node        *core.Node
		run, remain bool
	}{
		{"plain node", testDS(), node("n", linux), true, true},
		{"node selector matches", testDS(selectLinux), node("n", linux), true, true},
		{"node selector does not match", testDS(selectLinux), node("n", map[string]string{core.LabelOSStable: "windows"}), false, false},
		{"required affinity matches", testDS(affinityZone("a", "b")), node("n", linux), true, true},
		{"required affinity does not match", testDS(affinityZone("b")), node("n", linux), false, false},
		{"template bound to another node", testDS(func(ds *apps.DaemonSet) { ds.Spec.Template.Spec.NodeName = "m" }), node("n", linux), false, false},
		{"template bound to this node", testDS(func(ds *apps.DaemonSet) { ds.Spec.Template.Spec.NodeName = "n" }), node("n", linux), true, true},
		{"NoSchedule taint: no new pod, the old stays", testDS(), node("n", linux, noSchedule), false, true},
		{"NoExecute taint: neither", testDS(), node("n", linux, noExecute), false, false},
		{"PreferNoSchedule is ignored", testDS(), node("n", linux, prefer), true, true},
		{"tolerated taints", testDS(tolerateDB), node("n", linux, noSchedule, noExecute), true, true},
		{"cordoned node: tolerated automatically", testDS(), node("n", linux, core.Taint{Key: core.TaintNodeUnschedulable, Effect: core.TaintEffectNoSchedule}), true, true},
		{"not-ready node: tolerated automatically", testDS(), node("n", linux, core.Taint{Key: core.TaintNodeNotReady, Effect: core.TaintEffectNoExecute}), true, true},
		{"network unavailable: not tolerated", testDS(), node("n", linux, core.Taint{Key: core.TaintNodeNetworkUnavailable, Effect: core.TaintEffectNoSchedule}), false, true},
		{"network unavailable: tolerated with hostNetwork", testDS(func(ds *apps.DaemonSet) { ds.Spec.Template.Spec.HostNetwork = true }),
			node("n", linux, core.Taint{Key: core.TaintNodeNetworkUnavailable, Effect: core.TaintEffectNoSchedule}), true, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run, remain := newPlacement(tc.ds).shouldRun(tc.node)
			if run != tc.run || remain != tc.remain {
				t.Errorf("shouldRun = %v, %v; want %v, %v", run, remain, tc.run, tc.remain)
			}
		})
	}
}

func TestWithDaemonTolerations(t *testing.T) {
	own := []core.Toleration{
		{Key: "dedicated", Operator: core.TolerationOpExists},
		// The same toleration as an automatic one, with a time limit: replaced by it.
		{Key: core.TaintNodeNotReady, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoExecute, TolerationSeconds: new(int64(300))},
	}
	got := withDaemonTolerations(own, false)
	if len(got) != 1+len(daemonTolerations) {
		t.Fatalf("%d tolerations: %v", len(got), got)
	}
	if got[0].Key != "dedicated" || got[1].Key != core.TaintNodeNotReady || got[1].TolerationSeconds != nil {
		t.Errorf("tolerations %v", got)
	}
	if own[1].TolerationSeconds == nil {
		t.Error("withDaemonTolerations modified its argument")
	}
	if h := withDaemonTolerations(nil, true); !slices.ContainsFunc(h, func(t core.Toleration) bool { return t.Key == core.TaintNodeNetworkUnavailable }) {
		t.Error("hostNetwork pods do not tolerate network-unavailable")
	}
}

func TestPodTemplate(t *testing.T) {
	ds := testDS()
	p := newPlacement(ds)
	tmpl := podTemplateFor(podTemplate(ds, p.tols, "h4sh", templateGeneration(ds)), "node-7")
	if tmpl.Spec.NodeName != "node-7" || tmpl.Labels[apps.DefaultDaemonSetUniqueLabelKey] != "h4sh" ||
		tmpl.Labels[apps.DaemonSetTemplateGenerationKey] != "3" || tmpl.Labels["app"] != "agent" {
		t.Errorf("template node %q labels %v", tmpl.Spec.NodeName, tmpl.Labels)
	}
	if len(tmpl.Spec.Tolerations) != len(daemonTolerations) {
		t.Errorf("tolerations %v", tmpl.Spec.Tolerations)
	}
	if len(ds.Spec.Template.Labels) != 1 || ds.Spec.Template.Spec.NodeName != "" || ds.Spec.Template.Spec.Tolerations != nil {
		t.Error("podTemplate modified the DaemonSet")
	}
}

func TestTemplateGenerationAndIsUpdated(t *testing.T) {
	for _, tc := range []struct {
		ann  map[string]string
		want *int64
	}{
		{map[string]string{apps.DeprecatedTemplateGeneration: "4"}, new(int64(4))},
		{map[string]string{apps.DeprecatedTemplateGeneration: "x"}, nil},
		{nil, nil},
	} {
		got := templateGeneration(testDS(func(ds *apps.DaemonSet) { ds.Annotations = tc.ann }))
		if (got == nil) != (tc.want == nil) || (got != nil && *got != *tc.want) {
			t.Errorf("templateGeneration(%v) = %v", tc.ann, got)
		}
	}
	gen := new(int64(2))
	pod := func(lbls map[string]string) *core.Pod { return &core.Pod{ObjectMeta: meta.ObjectMeta{Labels: lbls}} }
	for _, tc := range []struct {
		name string
		pod  *core.Pod
		hash string
		gen  *int64
		want bool
	}{
		{"hash matches", pod(map[string]string{apps.DefaultDaemonSetUniqueLabelKey: "h"}), "h", nil, true},
		{"generation matches", pod(map[string]string{apps.DaemonSetTemplateGenerationKey: "2"}), "other", gen, true},
		{"neither", pod(map[string]string{apps.DefaultDaemonSetUniqueLabelKey: "x", apps.DaemonSetTemplateGenerationKey: "1"}), "h", gen, false},
		{"empty hash never matches", pod(nil), "", nil, false},
	} {
		if got := isUpdated(tc.pod, tc.hash, tc.gen); got != tc.want {
			t.Errorf("%s: isUpdated = %v", tc.name, got)
		}
	}
}

func TestTargetNode(t *testing.T) {
	affinity := func(key string, op core.NodeSelectorOperator, vals ...string) *core.Affinity {
		return &core.Affinity{NodeAffinity: &core.NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &core.NodeSelector{
			NodeSelectorTerms: []core.NodeSelectorTerm{{MatchFields: []core.NodeSelectorRequirement{{Key: key, Operator: op, Values: vals}}}},
		}}}
	}
	for _, tc := range []struct {
		name string
		spec core.PodSpec
		want string
	}{
		{"bound", core.PodSpec{NodeName: "a", Affinity: affinity(core.NodeFieldSelectorKeyNodeName, core.NodeSelectorOpIn, "b")}, "a"},
		{"matchFields", core.PodSpec{Affinity: affinity(core.NodeFieldSelectorKeyNodeName, core.NodeSelectorOpIn, "b")}, "b"},
		{"several values", core.PodSpec{Affinity: affinity(core.NodeFieldSelectorKeyNodeName, core.NodeSelectorOpIn, "b", "c")}, ""},
		{"NotIn", core.PodSpec{Affinity: affinity(core.NodeFieldSelectorKeyNodeName, core.NodeSelectorOpNotIn, "b")}, ""},
		{"nothing", core.PodSpec{}, ""},
	} {
		if got := targetNode(&core.Pod{Spec: tc.spec}); got != tc.want {
			t.Errorf("%s: targetNode = %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestComparePods(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	mk := func(name, node string, age time.Duration) *core.Pod {
		return &core.Pod{ObjectMeta: meta.ObjectMeta{Name: name, CreationTimestamp: meta.NewTime(t0.Add(-age))}, Spec: core.PodSpec{NodeName: node}}
	}
	pods := []*core.Pod{mk("young", "n", time.Second), mk("unbound", "", time.Hour), mk("b-old", "n", time.Minute), mk("a-old", "n", time.Minute)}
	slices.SortFunc(pods, comparePods)
	var got []string
	for _, p := range pods {
		got = append(got, p.Name)
	}
	if want := []string{"a-old", "b-old", "young", "unbound"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestBackoff(t *testing.T) {
	t0 := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	b := newBackoff(time.Second, 8*time.Second)
	if wait, _ := b.InBackoff("k", t0); wait {
		t.Fatal("a new key waits")
	}
	now := t0
	for _, want := range []time.Duration{1, 2, 4, 8, 8} {
		b.Next("k", now)
		wait, d := b.InBackoff("k", now)
		if !wait || d != want*time.Second {
			t.Fatalf("after Next at %v: wait %v delay %v, want %v", now.Sub(t0), wait, d, want*time.Second)
		}
		if wait, _ := b.InBackoff("k", now.Add(d)); wait {
			t.Fatalf("still waiting after the delay %v", d)
		}
		now = now.Add(d)
	}
	// Forgotten after 2×max without a Next.
	b.Next("k", now.Add(17*time.Second))
	if _, d := b.InBackoff("k", now.Add(17*time.Second)); d != time.Second {
		t.Errorf("delay after expiry %v, want 1s", d)
	}
}
