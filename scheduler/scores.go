package scheduler

// LeastAllocated prefers the nodes with the most free CPU and memory, as kube-scheduler's
// NodeResourcesFit with its default LeastAllocated strategy does: for each of CPU and memory
// (weight 1 each) the score is (allocatable - requested) × MaxNodeScore / allocatable, where
// requested counts the pods on the node and the pod being scheduled with their non-zero
// requests (PodInfo.NonZeroMilliCPU); the node's score is the mean over the resources the node
// has.
type LeastAllocated struct{}

var _ ScorePlugin = LeastAllocated{}

// Name returns "LeastAllocated".
func (LeastAllocated) Name() string { return "LeastAllocated" }

// Score returns a value in 0..MaxNodeScore.
func (LeastAllocated) Score(pod *PodInfo, node *NodeInfo) int64 {
	var sum, n int64
	if c := node.allocatable.MilliCPU; c > 0 {
		sum += leastRequestedScore(node.nonZeroCPU+pod.NonZeroMilliCPU, c)
		n++
	}
	if c := node.allocatable.Memory; c > 0 {
		sum += leastRequestedScore(node.nonZeroMem+pod.NonZeroMemory, c)
		n++
	}
	if n == 0 {
		return 0
	}
	return sum / n
}

func leastRequestedScore(requested, capacity int64) int64 {
	if requested > capacity {
		return 0
	}
	return (capacity - requested) * MaxNodeScore / capacity
}

// OwnerSpread spreads the pods of one controller (a ReplicaSet, StatefulSet, Job...) over the
// nodes: a node scores lower the more pods of the pod's controller it already runs, counting
// neither pods being deleted nor other controllers' pods. It stands in for Kubernetes'
// default topology spreading by hostname (formerly SelectorSpread), matching pods by their
// controller reference instead of by the selectors of services and workloads. Pods without a
// controller score the same everywhere.
type OwnerSpread struct{}

var (
	_ ScorePlugin     = OwnerSpread{}
	_ ScoreNormalizer = OwnerSpread{}
)

// Name returns "OwnerSpread".
func (OwnerSpread) Name() string { return "OwnerSpread" }

// Score counts the pods of the pod's controller on node.
func (OwnerSpread) Score(pod *PodInfo, node *NodeInfo) int64 {
	if pod.Owner == "" {
		return 0
	}
	return int64(node.OwnerPodCount(pod.Owner))
}

// NormalizeScores reverses the counts: nodes with the fewest of the controller's pods score
// MaxNodeScore, those with the most 0.
func (OwnerSpread) NormalizeScores(_ *PodInfo, scores []int64) {
	DefaultNormalizeScore(scores, true)
}
