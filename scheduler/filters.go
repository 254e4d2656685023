package scheduler

import (
	"fmt"
	"slices"

	"github.com/skiff-dev/skiff/api/core"
)

// The reasons the default filters give, word for word those of kube-scheduler's plugins.
// NodeResourcesFit also gives "Insufficient <resource>" for every resource that does not fit,
// and TaintToleration "node(s) had untolerated taint {<key>: <value>}".
const (
	// ReasonNodeUnschedulable: the node is cordoned (spec.unschedulable) and the pod does not
	// tolerate the node.kubernetes.io/unschedulable:NoSchedule taint.
	ReasonNodeUnschedulable = "node(s) were unschedulable"
	// ReasonNodeAffinity: the node's labels (or name) do not satisfy the pod's nodeSelector or
	// required node affinity.
	ReasonNodeAffinity = "node(s) didn't match Pod's node affinity/selector"
	// ReasonTooManyPods: the node runs as many pods as its allocatable "pods" allows.
	ReasonTooManyPods = "Too many pods"
)

var (
	statusNodeUnschedulable  = Unschedulable(ReasonNodeUnschedulable)
	statusNodeAffinity       = Unschedulable(ReasonNodeAffinity)
	statusTooManyPods        = Unschedulable(ReasonTooManyPods)
	statusInsufficientCPU    = Unschedulable(reasonInsufficientCPU)
	statusInsufficientMemory = Unschedulable(reasonInsufficientMemory)
)

const (
	reasonInsufficientCPU    = "Insufficient cpu"
	reasonInsufficientMemory = "Insufficient memory"
)

func insufficient(name core.ResourceName) string { return "Insufficient " + string(name) }

// NodeUnschedulable rejects cordoned nodes (spec.unschedulable: true) unless the pod
// tolerates the node.kubernetes.io/unschedulable:NoSchedule taint, which is how Kubernetes
// lets DaemonSet pods onto cordoned nodes.
type NodeUnschedulable struct{}

var _ FilterPlugin = NodeUnschedulable{}

var unschedulableTaint = core.Taint{Key: core.TaintNodeUnschedulable, Effect: core.TaintEffectNoSchedule}

// Name returns "NodeUnschedulable".
func (NodeUnschedulable) Name() string { return "NodeUnschedulable" }

// Filter rejects a cordoned node with ReasonNodeUnschedulable.
func (NodeUnschedulable) Filter(pod *PodInfo, node *NodeInfo) *Status {
	if !node.Node().Spec.Unschedulable ||
		core.TolerationsTolerateTaint(pod.Pod.Spec.Tolerations, &unschedulableTaint) {
		return nil
	}
	return statusNodeUnschedulable
}

// TaintToleration filters out nodes with a NoSchedule or NoExecute taint the pod does not
// tolerate, and scores lower the nodes with more untolerated PreferNoSchedule taints.
type TaintToleration struct{}

var (
	_ FilterPlugin    = TaintToleration{}
	_ ScorePlugin     = TaintToleration{}
	_ ScoreNormalizer = TaintToleration{}
)

// Name returns "TaintToleration".
func (TaintToleration) Name() string { return "TaintToleration" }

// Filter rejects node if one of its NoSchedule or NoExecute taints is not tolerated, with the
// reason "node(s) had untolerated taint {key: value}" naming the first such taint.
func (TaintToleration) Filter(pod *PodInfo, node *NodeInfo) *Status {
	taints := node.Node().Spec.Taints
	if len(taints) == 0 {
		return nil
	}
	taint, found := core.FindUntoleratedTaint(taints, pod.Pod.Spec.Tolerations, doNotScheduleTaint)
	if !found {
		return nil
	}
	return Unschedulable(fmt.Sprintf("node(s) had untolerated taint {%s: %s}", taint.Key, taint.Value))
}

func doNotScheduleTaint(t *core.Taint) bool {
	return t.Effect == core.TaintEffectNoSchedule || t.Effect == core.TaintEffectNoExecute
}

// Score counts the node's PreferNoSchedule taints that the pod does not tolerate.
func (TaintToleration) Score(pod *PodInfo, node *NodeInfo) int64 {
	var n int64
	for i := range node.Node().Spec.Taints {
		t := &node.Node().Spec.Taints[i]
		if t.Effect == core.TaintEffectPreferNoSchedule && !core.TolerationsTolerateTaint(pod.Pod.Spec.Tolerations, t) {
			n++
		}
	}
	return n
}

// NormalizeScores reverses the counts: the fewest untolerated taints score MaxNodeScore.
func (TaintToleration) NormalizeScores(_ *PodInfo, scores []int64) {
	DefaultNormalizeScore(scores, true)
}

// NodeAffinity filters out nodes that do not satisfy the pod's spec.nodeSelector (every pair
// must be a label of the node) and required node affinity (terms ORed, expressions ANDed;
// matchFields only on metadata.name), and scores nodes by the summed weights of the
// preferred node affinity terms they match.
type NodeAffinity struct{}

var (
	_ FilterPlugin    = NodeAffinity{}
	_ ScorePlugin     = NodeAffinity{}
	_ ScoreNormalizer = NodeAffinity{}
)

// Name returns "NodeAffinity".
func (NodeAffinity) Name() string { return "NodeAffinity" }

// Filter rejects node with ReasonNodeAffinity when it does not match.
func (NodeAffinity) Filter(pod *PodInfo, node *NodeInfo) *Status {
	spec := &pod.Pod.Spec
	if len(spec.NodeSelector) == 0 && spec.Affinity == nil {
		return nil
	}
	if core.PodMatchesNodeSelectorAndAffinityTerms(pod.Pod, node.Node()) {
		return nil
	}
	return statusNodeAffinity
}

// Score sums the weights of the preferred node affinity terms node matches.
func (NodeAffinity) Score(pod *PodInfo, node *NodeInfo) int64 {
	a := pod.Pod.Spec.Affinity
	if a == nil || a.NodeAffinity == nil {
		return 0
	}
	var sum int64
	for i := range a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution {
		t := &a.NodeAffinity.PreferredDuringSchedulingIgnoredDuringExecution[i]
		if t.Weight != 0 && core.MatchNodeSelectorTerm(node.Node(), &t.Preference) {
			sum += int64(t.Weight)
		}
	}
	return sum
}

// NormalizeScores scales the sums so that the best match scores MaxNodeScore.
func (NodeAffinity) NormalizeScores(_ *PodInfo, scores []int64) {
	DefaultNormalizeScore(scores, false)
}

// NodeResourcesFit rejects a node when the pod's effective request (core.PodRequests: the
// larger of the containers' sum and the init containers' peak, plus overhead) does not fit in
// the node's allocatable resources minus what the pods already on it request, for any
// resource the pod requests, or when the node already runs allocatable "pods" pods. Each
// resource short gives its own reason ("Insufficient cpu", "Insufficient memory", ...), as
// does a full node (ReasonTooManyPods).
type NodeResourcesFit struct{}

var _ FilterPlugin = NodeResourcesFit{}

// Name returns "NodeResourcesFit".
func (NodeResourcesFit) Name() string { return "NodeResourcesFit" }

// Filter checks every requested resource and the pod count.
func (NodeResourcesFit) Filter(pod *PodInfo, node *NodeInfo) *Status {
	var buf [4]string
	reasons := buf[:0]
	alloc, used, req := &node.allocatable, &node.requested, &pod.Requests
	if int64(node.pods)+1 > alloc.AllowedPodNumber {
		reasons = append(reasons, ReasonTooManyPods)
	}
	if req.MilliCPU > 0 && req.MilliCPU > alloc.MilliCPU-used.MilliCPU {
		reasons = append(reasons, reasonInsufficientCPU)
	}
	if req.Memory > 0 && req.Memory > alloc.Memory-used.Memory {
		reasons = append(reasons, reasonInsufficientMemory)
	}
	if req.EphemeralStorage > 0 && req.EphemeralStorage > alloc.EphemeralStorage-used.EphemeralStorage {
		reasons = append(reasons, insufficient(core.ResourceEphemeralStorage))
	}
	for name, v := range req.Scalar { // usually nil
		if v > 0 && v > alloc.Scalar[name]-used.Scalar[name] {
			reasons = append(reasons, insufficient(name))
		}
	}
	switch {
	case len(reasons) == 0:
		return nil
	case len(reasons) > 1:
		slices.Sort(reasons)
		return Unschedulable(slices.Clone(reasons)...)
	}
	switch reasons[0] {
	case ReasonTooManyPods:
		return statusTooManyPods
	case reasonInsufficientCPU:
		return statusInsufficientCPU
	case reasonInsufficientMemory:
		return statusInsufficientMemory
	}
	return Unschedulable(reasons[0])
}
