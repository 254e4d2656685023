package scheduler

import (
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// PodInfo is a pod together with what the scheduler derives from it once, so that plugins do
// not recompute it for every node. The Pod is shared with the informer cache: never modify it.
type PodInfo struct {
	// Pod is the pod.
	Pod *core.Pod
	// Requests is the pod's effective request (core.PodRequests): what it reserves on a node.
	Requests Resource
	// NonZeroMilliCPU and NonZeroMemory are the CPU and memory the pod counts as using when
	// nodes are scored: its requests with DefaultMilliCPURequest and DefaultMemoryRequest for
	// containers that request none.
	NonZeroMilliCPU, NonZeroMemory int64
	// Owner is the UID of the pod's controller (the owner reference with controller: true),
	// or "" when it has none.
	Owner meta.UID
}

// NewPodInfo computes the PodInfo of pod.
func NewPodInfo(pod *core.Pod) *PodInfo {
	pi := &PodInfo{Pod: pod, Requests: NewResource(core.PodRequests(pod))}
	pi.NonZeroMilliCPU, pi.NonZeroMemory = nonZeroRequests(pod)
	if ref := meta.GetControllerOf(pod); ref != nil {
		pi.Owner = ref.UID
	}
	return pi
}

// withPod returns a copy of pi about a newer version of the same pod, whose requests cannot
// have changed (a pod's containers and their resources are immutable).
func (pi *PodInfo) withPod(pod *core.Pod) *PodInfo {
	out := *pi
	out.Pod = pod
	return &out
}

// countsForSpread reports whether the pod counts for OwnerSpread: pods being deleted do not,
// as in Kubernetes' SelectorSpread.
func (pi *PodInfo) countsForSpread() bool {
	return pi.Owner != "" && pi.Pod.DeletionTimestamp == nil
}

// NodeInfo is what the scheduler knows about one node: the node object and the sum of what
// the pods on it (bound, or assumed bound by this scheduler) reserve. Plugins read it; only the
// scheduler's cache changes it, and never while a plugin runs.
type NodeInfo struct {
	node        *core.Node
	allocatable Resource

	requested              Resource
	nonZeroCPU, nonZeroMem int64
	pods                   int
	owners                 map[meta.UID]int // pods counting for spread, by controller UID

	index int // position in the cache's list of schedulable nodes; -1 when not listed
}

// NewNodeInfo returns the NodeInfo of node running pods, as the scheduler's cache would hold
// it; for tests of plugins. node may be nil (pods on a node the scheduler has not seen).
func NewNodeInfo(node *core.Node, pods ...*core.Pod) *NodeInfo {
	n := &NodeInfo{index: -1}
	n.setNode(node)
	for _, p := range pods {
		n.addPod(NewPodInfo(p))
	}
	return n
}

// Node returns the node object, shared with the informer cache: never modify it. It is nil
// while the scheduler knows pods bound to the node but not the node itself.
func (n *NodeInfo) Node() *core.Node { return n.node }

// Allocatable returns what the node offers to pods: status.allocatable. Its Scalar map is
// shared: do not modify it.
func (n *NodeInfo) Allocatable() Resource { return n.allocatable }

// Requested returns the sum of the effective requests of the node's pods. Its Scalar map is
// shared: do not modify it.
func (n *NodeInfo) Requested() Resource { return n.requested }

// NonZeroRequested returns the CPU (millicores) and memory (bytes) the node's pods count as
// using for scoring; see PodInfo.NonZeroMilliCPU.
func (n *NodeInfo) NonZeroRequested() (milliCPU, memory int64) { return n.nonZeroCPU, n.nonZeroMem }

// PodCount returns the number of pods on the node.
func (n *NodeInfo) PodCount() int { return n.pods }

// OwnerPodCount returns the number of pods on the node, not being deleted, whose controller
// has UID owner.
func (n *NodeInfo) OwnerPodCount(owner meta.UID) int { return n.owners[owner] }

func (n *NodeInfo) setNode(node *core.Node) {
	n.node = node
	if node == nil {
		n.allocatable = Resource{}
		return
	}
	n.allocatable = NewResource(node.Status.Allocatable)
}

func (n *NodeInfo) addPod(pi *PodInfo) { n.update(pi, 1) }

func (n *NodeInfo) removePod(pi *PodInfo) { n.update(pi, -1) }

func (n *NodeInfo) update(pi *PodInfo, sign int64) {
	n.requested.addScaled(&pi.Requests, sign)
	n.nonZeroCPU += sign * pi.NonZeroMilliCPU
	n.nonZeroMem += sign * pi.NonZeroMemory
	n.pods += int(sign)
	if !pi.countsForSpread() {
		return
	}
	if n.owners == nil {
		n.owners = map[meta.UID]int{}
	}
	if c := n.owners[pi.Owner] + int(sign); c > 0 {
		n.owners[pi.Owner] = c
	} else {
		delete(n.owners, pi.Owner)
	}
}

// empty reports whether the node is unknown and has no pods left: the cache can drop it.
func (n *NodeInfo) empty() bool { return n.node == nil && n.pods == 0 }
