package garbagecollector

import (
	"fmt"
	"slices"
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

// objectRef identifies an object: its kind, namespace, name and uid. The namespace of an
// owner known only from an owner reference is its dependent's; whether the owner's kind is
// namespaced at all is decided when the owner is read (see GarbageCollector.get).
type objectRef struct {
	gvk       scheme.GroupVersionKind
	namespace string
	name      string
	uid       meta.UID
}

func (r objectRef) String() string {
	name := r.name
	if r.namespace != "" {
		name = r.namespace + "/" + r.name
	}
	return fmt.Sprintf("%s %s %s (uid %s)", r.gvk.APIVersion(), r.gvk.Kind, name, r.uid)
}

// ownerRef returns the identity of the owner ref names, for a dependent in namespace ns.
func ownerRef(ref meta.OwnerReference, ns string) objectRef {
	return objectRef{
		gvk:       scheme.FromAPIVersionAndKind(ref.APIVersion, ref.Kind),
		namespace: ns,
		name:      ref.Name,
		uid:       ref.UID,
	}
}

// node is one object of the graph. Every field is guarded by graph.mu.
type node struct {
	identity objectRef
	// virtual: the object is known only from its dependents' owner references; a worker
	// checks whether it exists.
	virtual bool
	// owners are the object's owner references as last observed (shared with the informer
	// cache: never modified).
	owners []meta.OwnerReference
	// dependents are the nodes whose owners name this one.
	dependents map[*node]struct{}
	// beingDeleted: deletionTimestamp is set.
	beingDeleted bool
	// deletingDependents: being deleted with the foregroundDeletion finalizer.
	deletingDependents bool
	// orphaning: being deleted with the orphan finalizer.
	orphaning bool
}

// blocks reports whether n has an owner reference to uid with blockOwnerDeletion: true.
func (n *node) blocks(uid meta.UID) bool {
	for _, ref := range n.owners {
		if ref.UID == uid && ref.BlockOwnerDeletion != nil && *ref.BlockOwnerDeletion {
			return true
		}
	}
	return false
}

// graph is the owner→dependents graph, keyed by uid: Kubernetes' GraphBuilder, made small.
// The informer handlers of every watched kind feed it (observe, forget); the workers read
// snapshots of it (state) and report owners they found missing (absent). Whenever a change
// may let an object be collected, orphaned or finalized, the graph queues its uid.
//
// Handlers of different kinds run concurrently and in no order relative to each other, so
// a dependent may be observed before its owner: the owner is then added as a virtual node
// and queued, and the worker's live read of it decides.
type graph struct {
	// mu guards nodes and every field of every node.
	mu    sync.Mutex
	nodes map[meta.UID]*node

	attemptToDelete func(meta.UID) // non-blocking
	attemptToOrphan func(meta.UID) // non-blocking
}

func newGraph(attemptToDelete, attemptToOrphan func(meta.UID)) *graph {
	return &graph{nodes: map[meta.UID]*node{}, attemptToDelete: attemptToDelete, attemptToOrphan: attemptToOrphan}
}

// observe applies an added or updated object of kind gvk (objects/spec/objects.md §5): new
// owner references link it to their owners (virtual ones are queued to be checked), removed
// ones unlink it, and the transitions into the orphan and foregroundDeletion states queue
// the work they call for.
func (g *graph) observe(gvk scheme.GroupVersionKind, obj meta.Object) {
	m := obj.GetObjectMeta()
	id := objectRef{gvk: gvk, namespace: m.Namespace, name: m.Name, uid: m.UID}
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.nodes[id.uid]
	switch {
	case n == nil:
		n = &node{identity: id, owners: m.OwnerReferences, dependents: map[*node]struct{}{}}
		g.nodes[id.uid] = n
		g.linkLocked(n, n.owners)
	default:
		if n.virtual || n.identity != id {
			renamed := n.identity != id
			n.virtual, n.identity = false, id
			if renamed {
				// Dependents named their owner by other coordinates: let each check its own.
				g.queueDependentsLocked(n)
			}
		}
		added, removed, unblocked := diffOwners(n.owners, m.OwnerReferences)
		n.owners = m.OwnerReferences
		g.linkLocked(n, added)
		g.unlinkLocked(n, removed)
		for _, uid := range unblocked {
			if o := g.nodes[uid]; o != nil && o.deletingDependents {
				g.attemptToDelete(uid)
			}
		}
	}
	wasOrphaning, wasDeletingDependents := n.orphaning, n.deletingDependents
	n.beingDeleted = m.DeletionTimestamp != nil
	n.orphaning = n.beingDeleted && slices.Contains(m.Finalizers, meta.FinalizerOrphanDependents)
	n.deletingDependents = n.beingDeleted && slices.Contains(m.Finalizers, meta.FinalizerDeleteDependents)
	switch {
	case n.orphaning && !wasOrphaning:
		g.attemptToOrphan(id.uid)
	case n.deletingDependents && !wasDeletingDependents:
		g.queueDependentsLocked(n)
		g.attemptToDelete(id.uid)
	}
}

// forget applies the removal of an object: it leaves the graph, its dependents are queued
// (their owner may now be dangling) and so are its owners that wait for their dependents.
func (g *graph) forget(obj meta.Object) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if n := g.nodes[obj.GetObjectMeta().UID]; n != nil {
		g.removeLocked(n)
	}
}

// absent is a worker's report that id does not exist (a live read found nothing, or an
// object of another uid): Kubernetes' virtual delete event. A node known by those
// coordinates leaves the graph as if its deletion had been observed; for one known by
// others, only the dependents are queued, to check their own references.
func (g *graph) absent(id objectRef) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.nodes[id.uid]
	switch {
	case n == nil:
	case n.virtual || n.identity == id:
		g.removeLocked(n)
	default:
		g.queueDependentsLocked(n)
	}
}

// linkLocked adds n to the dependents of the owners refs name, creating and queueing
// virtual owners for uids not in the graph. n is queued if one of those owners is deleting
// its dependents, so that a dependent observed late is deleted too.
func (g *graph) linkLocked(n *node, refs []meta.OwnerReference) {
	for _, ref := range refs {
		if ref.UID == n.identity.uid {
			continue // an object cannot own itself
		}
		o := g.nodes[ref.UID]
		if o == nil {
			o = &node{identity: ownerRef(ref, n.identity.namespace), virtual: true, dependents: map[*node]struct{}{}}
			g.nodes[ref.UID] = o
			g.attemptToDelete(ref.UID)
		}
		o.dependents[n] = struct{}{}
		if o.deletingDependents {
			g.attemptToDelete(n.identity.uid)
		}
	}
}

// unlinkLocked removes n from the dependents of the owners refs name. An owner deleting its
// dependents is queued (it may have no blocking dependent left); a virtual owner without
// dependents leaves the graph.
func (g *graph) unlinkLocked(n *node, refs []meta.OwnerReference) {
	for _, ref := range refs {
		o := g.nodes[ref.UID]
		if o == nil || o == n {
			continue
		}
		delete(o.dependents, n)
		if o.deletingDependents {
			g.attemptToDelete(ref.UID)
		}
		if o.virtual && len(o.dependents) == 0 {
			delete(g.nodes, ref.UID)
		}
	}
}

// removeLocked takes n out of the graph and queues its dependents and waiting owners.
func (g *graph) removeLocked(n *node) {
	delete(g.nodes, n.identity.uid)
	g.unlinkLocked(n, n.owners)
	g.queueDependentsLocked(n)
}

func (g *graph) queueDependentsLocked(n *node) {
	for d := range n.dependents {
		g.attemptToDelete(d.identity.uid)
	}
}

// nodeState is a copy of what a worker needs to know about a node.
type nodeState struct {
	identity           objectRef
	virtual            bool
	beingDeleted       bool
	deletingDependents bool
	dependents         []dependentState
}

// dependentState is a copy of what a worker needs to know about a dependent of a node.
type dependentState struct {
	identity objectRef
	// blocking: its reference to the owner has blockOwnerDeletion: true.
	blocking bool
	// deletingDependents: it is itself being deleted in the foreground.
	deletingDependents bool
}

// state returns a snapshot of the node of uid, if there is one.
func (g *graph) state(uid meta.UID) (nodeState, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	n := g.nodes[uid]
	if n == nil {
		return nodeState{}, false
	}
	st := nodeState{
		identity:           n.identity,
		virtual:            n.virtual,
		beingDeleted:       n.beingDeleted,
		deletingDependents: n.deletingDependents,
		dependents:         make([]dependentState, 0, len(n.dependents)),
	}
	for d := range n.dependents {
		st.dependents = append(st.dependents, dependentState{
			identity:           d.identity,
			blocking:           d.blocks(uid),
			deletingDependents: d.deletingDependents,
		})
	}
	return st, true
}

// len returns the number of nodes, virtual ones included.
func (g *graph) len() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return len(g.nodes)
}

// diffOwners compares two versions of an object's owner references by uid: the references
// added, those removed, and the uids whose reference stopped blocking owner deletion
// (removed while blocking, or changed from blocking to not).
func diffOwners(old, cur []meta.OwnerReference) (added, removed []meta.OwnerReference, unblocked []meta.UID) {
	find := func(refs []meta.OwnerReference, uid meta.UID) *meta.OwnerReference {
		for i := range refs {
			if refs[i].UID == uid {
				return &refs[i]
			}
		}
		return nil
	}
	blocking := func(r *meta.OwnerReference) bool {
		return r != nil && r.BlockOwnerDeletion != nil && *r.BlockOwnerDeletion
	}
	for i := range cur {
		if find(old, cur[i].UID) == nil {
			added = append(added, cur[i])
		}
	}
	for i := range old {
		o := &old[i]
		c := find(cur, o.UID)
		if c == nil {
			removed = append(removed, *o)
		}
		if blocking(o) && !blocking(c) {
			unblocked = append(unblocked, o.UID)
		}
	}
	return added, removed, unblocked
}
