package scheduler

import (
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// requestedCPU returns the CPU requested on the named node and its pod count, or -1, -1 when
// the cache has no such node.
func requestedCPU(c *cache, name string) (milli int64, pods int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.nodes[name]
	if !ok {
		return -1, -1
	}
	return n.requested.MilliCPU, n.pods
}

func listed(c *cache) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for i, n := range c.list {
		if n.index != i {
			panic("index out of sync")
		}
		out = append(out, n.node.Name)
	}
	return out
}

func TestCacheAssumeConfirmForget(t *testing.T) {
	c := newCache()
	c.setNode(node("n1", "4", "8Gi", 110))
	c.setNode(node("n2", "4", "8Gi", 110))
	p := pod("p", requests("cpu", "1"))
	pi := NewPodInfo(p)

	c.mu.Lock()
	c.assumeLocked(pi, "n1")
	c.mu.Unlock()
	if cpu, n := requestedCPU(c, "n1"); cpu != 1000 || n != 1 {
		t.Fatalf("after assume: n1 has %dm cpu, %d pods; want 1000, 1", cpu, n)
	}
	if !c.hasPod(p.UID) {
		t.Fatal("assumed pod not in cache")
	}

	// The informer confirms the binding: still counted once.
	c.setPod(pod("p", requests("cpu", "1"), boundTo("n1")))
	if cpu, n := requestedCPU(c, "n1"); cpu != 1000 || n != 1 {
		t.Fatalf("after confirm: n1 has %dm cpu, %d pods; want 1000, 1", cpu, n)
	}
	c.forget(p.UID) // a confirmed pod is not forgotten
	if cpu, _ := requestedCPU(c, "n1"); cpu != 1000 {
		t.Fatalf("forget removed a confirmed pod")
	}

	// Another pod is assumed on n1 but shows up bound to n2 (someone else bound it).
	q := pod("q", requests("cpu", "2"))
	c.mu.Lock()
	c.assumeLocked(NewPodInfo(q), "n1")
	c.mu.Unlock()
	c.setPod(pod("q", requests("cpu", "2"), boundTo("n2")))
	if cpu, _ := requestedCPU(c, "n1"); cpu != 1000 {
		t.Errorf("n1 has %dm cpu after q moved, want 1000", cpu)
	}
	if cpu, _ := requestedCPU(c, "n2"); cpu != 2000 {
		t.Errorf("n2 has %dm cpu, want 2000", cpu)
	}

	// A failed binding is forgotten.
	r := pod("r", requests("cpu", "1"))
	c.mu.Lock()
	c.assumeLocked(NewPodInfo(r), "n2")
	c.mu.Unlock()
	c.forget(r.UID)
	if cpu, n := requestedCPU(c, "n2"); cpu != 2000 || n != 1 {
		t.Errorf("after forget: n2 has %dm cpu, %d pods; want 2000, 1", cpu, n)
	}
	if !c.removePod(q.UID) || c.removePod(q.UID) {
		t.Error("removePod should report true once, then false")
	}
	if cpu, n := requestedCPU(c, "n2"); cpu != 0 || n != 0 {
		t.Errorf("after remove: n2 has %dm cpu, %d pods; want 0, 0", cpu, n)
	}
}

func TestCacheNodesAndPodsInAnyOrder(t *testing.T) {
	c := newCache()
	// A pod bound to a node the scheduler has not seen yet.
	c.setPod(pod("p", requests("cpu", "1"), boundTo("n1")))
	if got := listed(c); len(got) != 0 {
		t.Fatalf("listed %v before the node exists", got)
	}
	c.setNode(node("n1", "4", "8Gi", 110))
	c.setNode(node("n2", "4", "8Gi", 110))
	c.setNode(node("n3", "4", "8Gi", 110))
	if cpu, n := requestedCPU(c, "n1"); cpu != 1000 || n != 1 {
		t.Fatalf("n1 has %dm cpu, %d pods; want 1000, 1", cpu, n)
	}
	// Updating a node keeps it listed once.
	c.setNode(node("n1", "8", "8Gi", 110))
	if got := listed(c); len(got) != 3 {
		t.Fatalf("listed %v, want 3 nodes", got)
	}
	// A deleted node with pods is no longer listed but keeps counting them.
	c.removeNode("n1")
	if got := listed(c); len(got) != 2 {
		t.Fatalf("listed %v after removing n1", got)
	}
	if cpu, _ := requestedCPU(c, "n1"); cpu != 1000 {
		t.Fatalf("n1's pods forgotten with the node")
	}
	c.removePod(uidOf("p"))
	if cpu, _ := requestedCPU(c, "n1"); cpu != -1 {
		t.Errorf("empty unknown node n1 still cached")
	}
	c.removeNode("n2")
	c.removeNode("n2")
	c.removeNode("nope")
	if got := listed(c); len(got) != 1 || got[0] != "n3" {
		t.Errorf("listed %v, want [n3]", got)
	}
}

func TestCacheSpreadCounts(t *testing.T) {
	c := newCache()
	c.setNode(node("n1", "4", "8Gi", 110))
	c.setPod(pod("a", ownedBy("rs"), boundTo("n1")))
	c.setPod(pod("b", ownedBy("rs"), boundTo("n1")))
	n := c.nodes["n1"]
	if got := n.OwnerPodCount("rs"); got != 2 {
		t.Fatalf("OwnerPodCount = %d, want 2", got)
	}
	// A pod being deleted stops counting for spread but still holds its resources.
	c.setPod(pod("a", ownedBy("rs"), boundTo("n1"), func(p *core.Pod) { p.DeletionTimestamp = &p.CreationTimestamp }))
	if got := n.OwnerPodCount("rs"); got != 1 || n.PodCount() != 2 {
		t.Errorf("OwnerPodCount = %d, PodCount = %d; want 1, 2", got, n.PodCount())
	}
}

// uidOf returns the UID pod(name) has.
func uidOf(name string) meta.UID { return pod(name).UID }
