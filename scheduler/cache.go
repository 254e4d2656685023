package scheduler

import (
	"sync"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// cache is the scheduler's view of the cluster: one NodeInfo per node, summing the requests of
// the pods bound to it, including the pods this scheduler has bound (or is binding) but the
// pod informer does not show bound yet ("assumed" pods). Without them a burst of pods would
// all be placed on the node that looked emptiest before the informer caught up.
//
// The pod and node informers' handlers keep it current; the scheduling loop reads it, assumes
// the pod it placed, and the binders forget that pod again when binding fails.
type cache struct {
	// mu guards every field below and the contents of every NodeInfo. The scheduling loop
	// holds it for a whole attempt (filter, score, assume), so the nodes do not change under
	// the plugins. It is never held together with schedulingQueue.mu.
	mu sync.Mutex
	// nodes holds every node known from the node informer or from the pods bound to it.
	nodes map[string]*NodeInfo
	// list holds the nodes with a node object: those the scheduler may place pods on.
	list []*NodeInfo
	// pods holds the state of every bound or assumed pod, by UID.
	pods map[meta.UID]*podState
}

// podState is a pod the cache counts on a node.
type podState struct {
	info    *PodInfo
	node    string
	assumed bool // bound by this scheduler, not yet seen bound by the informer
}

func newCache() *cache {
	return &cache{nodes: map[string]*NodeInfo{}, pods: map[meta.UID]*podState{}}
}

// setNode records node, added or updated.
func (c *cache) setNode(node *core.Node) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.nodeLocked(node.Name)
	n.setNode(node)
	if n.index < 0 {
		n.index = len(c.list)
		c.list = append(c.list, n)
	}
}

// removeNode forgets the node object. Pods still bound to the node are counted until they
// are gone, so that a node that comes back is not overcommitted.
func (c *cache) removeNode(name string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.nodes[name]
	if !ok {
		return
	}
	n.setNode(nil)
	if i := n.index; i >= 0 {
		last := len(c.list) - 1
		c.list[i] = c.list[last]
		c.list[i].index = i
		c.list[last] = nil
		c.list = c.list[:last]
		n.index = -1
	}
	c.dropIfEmptyLocked(n, name)
}

// nodeLocked returns the NodeInfo of name, creating an empty one.
func (c *cache) nodeLocked(name string) *NodeInfo {
	n, ok := c.nodes[name]
	if !ok {
		n = &NodeInfo{index: -1}
		c.nodes[name] = n
	}
	return n
}

func (c *cache) dropIfEmptyLocked(n *NodeInfo, name string) {
	if n.empty() {
		delete(c.nodes, name)
	}
}

// setPod records a pod the informer shows bound to pod.Spec.NodeName and not terminal, added
// or updated. An assumed pod is confirmed; one seen on another node than assumed moves there.
func (c *cache) setPod(pod *core.Pod) {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.pods[pod.UID]
	if !ok {
		st = &podState{info: NewPodInfo(pod), node: pod.Spec.NodeName}
		c.pods[pod.UID] = st
		c.nodeLocked(st.node).addPod(st.info)
		return
	}
	old := c.nodeLocked(st.node)
	old.removePod(st.info)
	c.dropIfEmptyLocked(old, st.node)
	st.info = st.info.withPod(pod)
	st.node = pod.Spec.NodeName
	st.assumed = false
	c.nodeLocked(st.node).addPod(st.info)
}

// removePod forgets a pod that was deleted or terminated, and reports whether it was
// counted.
func (c *cache) removePod(uid meta.UID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	st, ok := c.pods[uid]
	if !ok {
		return false
	}
	c.removeLocked(uid, st)
	return true
}

func (c *cache) removeLocked(uid meta.UID, st *podState) {
	delete(c.pods, uid)
	n := c.nodes[st.node]
	n.removePod(st.info)
	c.dropIfEmptyLocked(n, st.node)
}

// assumeLocked counts pi on node before the binding is written.
func (c *cache) assumeLocked(pi *PodInfo, node string) {
	st := &podState{info: pi, node: node, assumed: true}
	c.pods[pi.Pod.UID] = st
	c.nodeLocked(node).addPod(pi)
}

// forget uncounts a pod assumed by assumeLocked whose binding failed. A pod the informer
// has confirmed meanwhile stays.
func (c *cache) forget(uid meta.UID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.pods[uid]; ok && st.assumed {
		c.removeLocked(uid, st)
	}
}

// hasPod reports whether the pod is counted on a node, assumed or confirmed.
func (c *cache) hasPod(uid meta.UID) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	_, ok := c.pods[uid]
	return ok
}
