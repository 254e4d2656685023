package scheduler

import (
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
)

// scoreAll scores and normalizes pod on nodes as one attempt would.
func scoreAll(p ScorePlugin, pod *core.Pod, nodes ...*NodeInfo) []int64 {
	pi := NewPodInfo(pod)
	out := make([]int64, len(nodes))
	for i, n := range nodes {
		out[i] = p.Score(pi, n)
	}
	if norm, ok := p.(ScoreNormalizer); ok {
		norm.NormalizeScores(pi, out)
	}
	return out
}

func TestDefaultNormalizeScore(t *testing.T) {
	for _, tc := range []struct {
		name    string
		in      []int64
		reverse bool
		want    []int64
	}{
		{name: "scaled to the highest", in: []int64{0, 1, 2, 4}, want: []int64{0, 25, 50, 100}},
		{name: "reversed", in: []int64{0, 1, 2, 4}, reverse: true, want: []int64{100, 75, 50, 0}},
		{name: "all zero", in: []int64{0, 0}, want: []int64{0, 0}},
		{name: "all zero reversed", in: []int64{0, 0}, reverse: true, want: []int64{100, 100}},
		{name: "integer division", in: []int64{1, 3}, want: []int64{33, 100}},
		{name: "empty", in: []int64{}, want: []int64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := slices.Clone(tc.in)
			DefaultNormalizeScore(got, tc.reverse)
			if !slices.Equal(got, tc.want) {
				t.Errorf("DefaultNormalizeScore(%v, %v) = %v, want %v", tc.in, tc.reverse, got, tc.want)
			}
		})
	}
}

func TestLeastAllocated(t *testing.T) {
	n := node("n", "4", "4Gi", 110)
	for _, tc := range []struct {
		name string
		pod  *core.Pod
		node *NodeInfo
		want int64
	}{
		// (4000-1000)/4000 = 75 for cpu, (4-1)/4 = 75 for memory.
		{name: "empty node", pod: pod("p", requests("cpu", "1", "memory", "1Gi")), node: NewNodeInfo(n), want: 75},
		{name: "running pods count", pod: pod("p", requests("cpu", "1", "memory", "1Gi")),
			node: NewNodeInfo(n, pod("a", requests("cpu", "2", "memory", "2Gi"))), want: 25},
		// No requests count as 100m and 200Mi: cpu 3900/4000 → 97, memory 3896/4096 → 95.
		{name: "defaults for missing requests", pod: pod("p"), node: NewNodeInfo(n), want: 96},
		{name: "over capacity scores 0", pod: pod("p", requests("cpu", "5", "memory", "5Gi")), node: NewNodeInfo(n), want: 0},
		// Only cpu is allocatable: the mean is over cpu alone.
		{name: "resource the node lacks is skipped", pod: pod("p", requests("cpu", "1", "memory", "1Gi")), node: NewNodeInfo(&core.Node{
			Status: core.NodeStatus{Allocatable: resources("cpu", "4")}}), want: 75},
		{name: "node with nothing allocatable", pod: pod("p"), node: NewNodeInfo(&core.Node{}), want: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := (LeastAllocated{}).Score(NewPodInfo(tc.pod), tc.node); got != tc.want {
				t.Errorf("Score = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestOwnerSpread(t *testing.T) {
	n := node("n", "4", "4Gi", 110)
	deleting := func(p *core.Pod) { p.DeletionTimestamp = &p.CreationTimestamp }
	empty := NewNodeInfo(n)
	one := NewNodeInfo(n, pod("a", ownedBy("rs1")))
	two := NewNodeInfo(n, pod("a", ownedBy("rs1")), pod("b", ownedBy("rs1")), pod("c", ownedBy("rs2")))
	otherOwner := NewNodeInfo(n, pod("a", ownedBy("rs2")), pod("b", ownedBy("rs2")))
	beingDeleted := NewNodeInfo(n, pod("a", ownedBy("rs1"), deleting), pod("b", ownedBy("rs1"), deleting))
	for _, tc := range []struct {
		name  string
		pod   *core.Pod
		nodes []*NodeInfo
		want  []int64
	}{
		{name: "fewer of the owner's pods scores higher", pod: pod("p", ownedBy("rs1")), nodes: []*NodeInfo{empty, one, two}, want: []int64{100, 50, 0}},
		{name: "other owners' pods do not count", pod: pod("p", ownedBy("rs1")), nodes: []*NodeInfo{otherOwner, one}, want: []int64{100, 0}},
		{name: "pods being deleted do not count", pod: pod("p", ownedBy("rs1")), nodes: []*NodeInfo{beingDeleted, one}, want: []int64{100, 0}},
		{name: "no owner scores the same everywhere", pod: pod("p"), nodes: []*NodeInfo{empty, two}, want: []int64{100, 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := scoreAll(OwnerSpread{}, tc.pod, tc.nodes...); !slices.Equal(got, tc.want) {
				t.Errorf("scores = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestTaintTolerationScore(t *testing.T) {
	prefer := func(key string) core.Taint {
		return core.Taint{Key: key, Value: "x", Effect: core.TaintEffectPreferNoSchedule}
	}
	clean := NewNodeInfo(node("a", "1", "1Gi", 10))
	oneTaint := NewNodeInfo(node("b", "1", "1Gi", 10, taints(prefer("spot"))))
	twoTaints := NewNodeInfo(node("c", "1", "1Gi", 10, taints(prefer("spot"), prefer("slow"),
		core.Taint{Key: "hard", Effect: core.TaintEffectNoSchedule})))
	for _, tc := range []struct {
		name string
		pod  *core.Pod
		want []int64
	}{
		{name: "fewer untolerated PreferNoSchedule taints score higher", pod: pod("p"), want: []int64{100, 50, 0}},
		{name: "tolerated taints do not count", pod: pod("p", tolerations(core.Toleration{Key: "spot", Operator: core.TolerationOpExists})),
			want: []int64{100, 100, 0}},
		{name: "a toleration for another effect does not count", want: []int64{100, 50, 0},
			pod: pod("p", tolerations(core.Toleration{Key: "spot", Operator: core.TolerationOpExists, Effect: core.TaintEffectNoSchedule}))},
		{name: "tolerating everything", pod: pod("p", tolerations(core.Toleration{Operator: core.TolerationOpExists})), want: []int64{100, 100, 100}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := scoreAll(TaintToleration{}, tc.pod, clean, oneTaint, twoTaints); !slices.Equal(got, tc.want) {
				t.Errorf("scores = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestNodeAffinityScore(t *testing.T) {
	a := NewNodeInfo(node("a", "1", "1Gi", 10, nodeLabels("zone", "a", "disk", "ssd")))
	b := NewNodeInfo(node("b", "1", "1Gi", 10, nodeLabels("zone", "b", "disk", "ssd")))
	c := NewNodeInfo(node("c", "1", "1Gi", 10, nodeLabels("zone", "c")))
	for _, tc := range []struct {
		name string
		pod  *core.Pod
		want []int64
	}{
		{name: "no preferences", pod: pod("p"), want: []int64{0, 0, 0}},
		{name: "weights of matching terms add up", want: []int64{100, 25, 0},
			pod: pod("p", preferredAffinity(30, expr("zone", core.NodeSelectorOpIn, "a")), preferredAffinity(10, expr("disk", core.NodeSelectorOpExists)))},
		{name: "required terms do not score", pod: pod("p", requiredAffinity(expr("zone", core.NodeSelectorOpIn, "a"))), want: []int64{0, 0, 0}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := scoreAll(NodeAffinity{}, tc.pod, a, b, c); !slices.Equal(got, tc.want) {
				t.Errorf("scores = %v, want %v", got, tc.want)
			}
		})
	}
}
