package scheduler

import (
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
)

// filterCase is one filter check: pod on node (running pods), expecting the reasons want
// (nil: the pod fits).
type filterCase struct {
	name  string
	pod   *core.Pod
	node  *core.Node
	pods  []*core.Pod
	wantR []string
}

func runFilterCases(t *testing.T, f FilterPlugin, cases []filterCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got := f.Filter(NewPodInfo(tc.pod), NewNodeInfo(tc.node, tc.pods...))
			if !slices.Equal(got.Reasons(), tc.wantR) {
				t.Errorf("%s.Filter = %q, want %q", f.Name(), got.Reasons(), tc.wantR)
			}
			if got.IsSuccess() != (tc.wantR == nil) {
				t.Errorf("IsSuccess = %v with reasons %q", got.IsSuccess(), got.Reasons())
			}
		})
	}
}

func TestNodeUnschedulable(t *testing.T) {
	n := node("n1", "4", "8Gi", 110)
	c := node("n1", "4", "8Gi", 110, cordoned)
	runFilterCases(t, NodeUnschedulable{}, []filterCase{
		{name: "schedulable node", pod: pod("p"), node: n},
		{name: "cordoned node", pod: pod("p"), node: c, wantR: []string{ReasonNodeUnschedulable}},
		{name: "tolerates the unschedulable taint", node: c, pod: pod("p", tolerations(core.Toleration{
			Key: core.TaintNodeUnschedulable, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoSchedule}))},
		{name: "tolerates every taint", node: c, pod: pod("p", tolerations(core.Toleration{Operator: core.TolerationOpExists}))},
		{name: "toleration with another effect", node: c, wantR: []string{ReasonNodeUnschedulable}, pod: pod("p", tolerations(core.Toleration{
			Key: core.TaintNodeUnschedulable, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoExecute}))},
		{name: "toleration of another key", node: c, wantR: []string{ReasonNodeUnschedulable}, pod: pod("p", tolerations(core.Toleration{
			Key: core.TaintNodeNotReady, Operator: core.TolerationOpExists}))},
	})
}

func TestTaintTolerationFilter(t *testing.T) {
	gpu := core.Taint{Key: "dedicated", Value: "gpu", Effect: core.TaintEffectNoSchedule}
	unreachable := core.Taint{Key: core.TaintNodeUnreachable, Effect: core.TaintEffectNoExecute}
	prefer := core.Taint{Key: "spot", Value: "true", Effect: core.TaintEffectPreferNoSchedule}
	gpuReason := []string{"node(s) had untolerated taint {dedicated: gpu}"}
	withTaints := func(ts ...core.Taint) *core.Node { return node("n1", "4", "8Gi", 110, taints(ts...)) }
	tol := func(key string, op core.TolerationOperator, value string, effect core.TaintEffect) func(*core.Pod) {
		return tolerations(core.Toleration{Key: key, Operator: op, Value: value, Effect: effect})
	}
	runFilterCases(t, TaintToleration{}, []filterCase{
		{name: "no taints", pod: pod("p"), node: withTaints()},
		{name: "untolerated NoSchedule", pod: pod("p"), node: withTaints(gpu), wantR: gpuReason},
		{name: "untolerated NoExecute", pod: pod("p"), node: withTaints(unreachable),
			wantR: []string{"node(s) had untolerated taint {node.kubernetes.io/unreachable: }"}},
		{name: "PreferNoSchedule is not filtered", pod: pod("p"), node: withTaints(prefer)},
		{name: "the first untolerated taint is named", pod: pod("p", tol("dedicated", core.TolerationOpEqual, "gpu", "")),
			node: withTaints(gpu, unreachable, prefer), wantR: []string{"node(s) had untolerated taint {node.kubernetes.io/unreachable: }"}},
		{name: "Equal with the same value", pod: pod("p", tol("dedicated", core.TolerationOpEqual, "gpu", core.TaintEffectNoSchedule)), node: withTaints(gpu)},
		{name: "empty operator means Equal", pod: pod("p", tol("dedicated", "", "gpu", core.TaintEffectNoSchedule)), node: withTaints(gpu)},
		{name: "Equal with another value", pod: pod("p", tol("dedicated", core.TolerationOpEqual, "tpu", core.TaintEffectNoSchedule)), node: withTaints(gpu), wantR: gpuReason},
		{name: "Exists ignores the value", pod: pod("p", tol("dedicated", core.TolerationOpExists, "", core.TaintEffectNoSchedule)), node: withTaints(gpu)},
		{name: "empty effect tolerates NoSchedule", pod: pod("p", tol("dedicated", core.TolerationOpExists, "", "")), node: withTaints(gpu)},
		{name: "empty effect tolerates NoExecute", pod: pod("p", tol(core.TaintNodeUnreachable, core.TolerationOpExists, "", "")), node: withTaints(unreachable)},
		{name: "NoSchedule toleration does not tolerate NoExecute", pod: pod("p", tol(core.TaintNodeUnreachable, core.TolerationOpExists, "", core.TaintEffectNoSchedule)),
			node: withTaints(unreachable), wantR: []string{"node(s) had untolerated taint {node.kubernetes.io/unreachable: }"}},
		{name: "NoExecute toleration with tolerationSeconds still tolerates", node: withTaints(unreachable), pod: pod("p", func(p *core.Pod) {
			s := int64(300)
			p.Spec.Tolerations = []core.Toleration{{Key: core.TaintNodeUnreachable, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoExecute, TolerationSeconds: &s}}
		})},
		{name: "empty key with Exists tolerates everything", pod: pod("p", tol("", core.TolerationOpExists, "", "")), node: withTaints(gpu, unreachable)},
		{name: "another key", pod: pod("p", tol("other", core.TolerationOpExists, "", "")), node: withTaints(gpu), wantR: gpuReason},
	})
}

func TestNodeAffinityFilter(t *testing.T) {
	n := node("n1", "4", "8Gi", 110, nodeLabels("zone", "a", "disk", "ssd", "cores", "8"))
	miss := []string{ReasonNodeAffinity}
	affinity := func(terms ...core.NodeSelectorTerm) *core.Pod { return pod("p", requiredAffinity(terms...)) }
	fields := func(op core.NodeSelectorOperator, values ...string) core.NodeSelectorTerm {
		return core.NodeSelectorTerm{MatchFields: []core.NodeSelectorRequirement{{Key: "metadata.name", Operator: op, Values: values}}}
	}
	and := func(terms ...core.NodeSelectorTerm) core.NodeSelectorTerm {
		var out core.NodeSelectorTerm
		for _, t := range terms {
			out.MatchExpressions = append(out.MatchExpressions, t.MatchExpressions...)
			out.MatchFields = append(out.MatchFields, t.MatchFields...)
		}
		return out
	}
	runFilterCases(t, NodeAffinity{}, []filterCase{
		{name: "no constraints", pod: pod("p"), node: n},
		{name: "nodeSelector matches", pod: pod("p", nodeSelector("zone", "a", "disk", "ssd")), node: n},
		{name: "nodeSelector value differs", pod: pod("p", nodeSelector("zone", "b")), node: n, wantR: miss},
		{name: "nodeSelector label missing", pod: pod("p", nodeSelector("gpu", "true")), node: n, wantR: miss},
		{name: "In", pod: affinity(expr("zone", core.NodeSelectorOpIn, "b", "a")), node: n},
		{name: "In, no value matches", pod: affinity(expr("zone", core.NodeSelectorOpIn, "b", "c")), node: n, wantR: miss},
		{name: "NotIn", pod: affinity(expr("zone", core.NodeSelectorOpNotIn, "b")), node: n},
		{name: "NotIn, value listed", pod: affinity(expr("zone", core.NodeSelectorOpNotIn, "a")), node: n, wantR: miss},
		{name: "NotIn, label absent", pod: affinity(expr("gpu", core.NodeSelectorOpNotIn, "true")), node: n},
		{name: "Exists", pod: affinity(expr("disk", core.NodeSelectorOpExists)), node: n},
		{name: "Exists, label absent", pod: affinity(expr("gpu", core.NodeSelectorOpExists)), node: n, wantR: miss},
		{name: "DoesNotExist", pod: affinity(expr("gpu", core.NodeSelectorOpDoesNotExist)), node: n},
		{name: "DoesNotExist, label present", pod: affinity(expr("disk", core.NodeSelectorOpDoesNotExist)), node: n, wantR: miss},
		{name: "Gt", pod: affinity(expr("cores", core.NodeSelectorOpGt, "4")), node: n},
		{name: "Gt, equal", pod: affinity(expr("cores", core.NodeSelectorOpGt, "8")), node: n, wantR: miss},
		{name: "Lt", pod: affinity(expr("cores", core.NodeSelectorOpLt, "16")), node: n},
		{name: "Lt, greater", pod: affinity(expr("cores", core.NodeSelectorOpLt, "2")), node: n, wantR: miss},
		{name: "Gt on a non-integer label", pod: affinity(expr("zone", core.NodeSelectorOpGt, "1")), node: n, wantR: miss},
		{name: "terms are ORed", pod: affinity(expr("zone", core.NodeSelectorOpIn, "b"), expr("disk", core.NodeSelectorOpIn, "ssd")), node: n},
		{name: "expressions are ANDed", pod: affinity(and(expr("zone", core.NodeSelectorOpIn, "a"), expr("disk", core.NodeSelectorOpIn, "hdd"))), node: n, wantR: miss},
		{name: "matchFields metadata.name In", pod: affinity(fields(core.NodeSelectorOpIn, "n1")), node: n},
		{name: "matchFields metadata.name NotIn", pod: affinity(fields(core.NodeSelectorOpNotIn, "n1")), node: n, wantR: miss},
		{name: "matchFields and matchExpressions", pod: affinity(and(fields(core.NodeSelectorOpIn, "n1"), expr("zone", core.NodeSelectorOpIn, "b"))), node: n, wantR: miss},
		{name: "an empty term matches nothing", pod: affinity(core.NodeSelectorTerm{}), node: n, wantR: miss},
		{name: "nodeSelector and affinity must both match", pod: pod("p", nodeSelector("zone", "b"), requiredAffinity(expr("disk", core.NodeSelectorOpExists))), node: n, wantR: miss},
		{name: "only preferred terms", pod: pod("p", preferredAffinity(10, expr("zone", core.NodeSelectorOpIn, "b"))), node: n},
	})
}

func TestNodeResourcesFit(t *testing.T) {
	n := node("n1", "2", "4Gi", 3)
	tooMany := []string{ReasonTooManyPods}
	cpu := []string{"Insufficient cpu"}
	runFilterCases(t, NodeResourcesFit{}, []filterCase{
		{name: "fits", pod: pod("p", requests("cpu", "1", "memory", "1Gi")), node: n},
		{name: "fits exactly", pod: pod("p", requests("cpu", "2", "memory", "4Gi")), node: n},
		{name: "no requests", pod: pod("p"), node: n},
		{name: "insufficient cpu", pod: pod("p", requests("cpu", "2100m")), node: n, wantR: cpu},
		{name: "insufficient memory", pod: pod("p", requests("memory", "5Gi")), node: n, wantR: []string{"Insufficient memory"}},
		{name: "cpu and memory", pod: pod("p", requests("cpu", "3", "memory", "5Gi")), node: n,
			wantR: []string{"Insufficient cpu", "Insufficient memory"}},
		{name: "ephemeral storage the node lacks", pod: pod("p", requests("ephemeral-storage", "1Gi")), node: n,
			wantR: []string{"Insufficient ephemeral-storage"}},
		{name: "extended resource", pod: pod("p", requests("example.com/gpu", "1")), node: n, wantR: []string{"Insufficient example.com/gpu"}},
		{name: "extended resource offered", pod: pod("p", requests("example.com/gpu", "2")),
			node: node("n1", "2", "4Gi", 3, allocatable("example.com/gpu", "2"))},
		{name: "requests of running pods count", pod: pod("p", requests("cpu", "1")), node: n,
			pods: []*core.Pod{pod("a", requests("cpu", "500m")), pod("b", requests("cpu", "600m"))}, wantR: cpu},
		{name: "sum of containers", pod: pod("p", requests("cpu", "1"), container("side", "cpu", "1500m")), node: n, wantR: cpu},
		{name: "init container above the containers' sum", pod: pod("p", requests("cpu", "500m"), initContainer("init", "cpu", "3")), node: n, wantR: cpu},
		{name: "init container below the node", pod: pod("p", requests("cpu", "1500m"), initContainer("init", "cpu", "2")), node: n},
		{name: "overhead is added", pod: pod("p", requests("cpu", "1800m"), overhead("cpu", "250m")), node: n, wantR: cpu},
		{name: "overhead that fits", pod: pod("p", requests("cpu", "1700m"), overhead("cpu", "250m")), node: n},
		{name: "pod count limit", pod: pod("p"), node: n, pods: []*core.Pod{pod("a"), pod("b"), pod("c")}, wantR: tooMany},
		{name: "pod count limit and cpu", pod: pod("p", requests("cpu", "3")), node: n, pods: []*core.Pod{pod("a"), pod("b"), pod("c")},
			wantR: []string{"Insufficient cpu", ReasonTooManyPods}},
		{name: "no pods allocatable", pod: pod("p"), node: node("n1", "2", "4Gi", 0), wantR: tooMany},
	})
}
