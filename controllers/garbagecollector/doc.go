// Package garbagecollector is skiff's garbage collector: it deletes objects whose owners are
// gone, and carries out the Foreground and Orphan deletion of owners, as
// ../shared/spec/objects.md §5 describes (Kubernetes' pkg/controller/garbagecollector).
//
// # Basics
//
// A control plane adds one collector to its manager:
//
//	if _, err := garbagecollector.Add(mgr, garbagecollector.Options{}); err != nil { ... }
//
// The store records what a DELETE asks for (objects.md §2, §5): Background removes the
// owner at once; Foreground leaves it with a deletionTimestamp and the foregroundDeletion
// finalizer; Orphan with the orphan finalizer. The collector does the rest. It writes only
// through the client: deletes with uid and resourceVersion preconditions, and
// optimistic-concurrency updates that give up when an object's uid changed, so an object
// re-created under the same name is never touched.
//
// # The algorithm
//
//  1. The graph. Every kind of the scheme is watched (core/v1 Event and Options.IgnoredKinds
//     excepted): built-in kinds through the manager's shared informers, other kinds (a
//     user's own Go types, Unstructured kinds) through informers of the collector's own. Each
//     change updates an in-memory graph of nodes keyed by uid: a node holds the object's
//     identity (kind, namespace, name, uid), its owner references and its dependents. An
//     owner known only from a dependent's reference is a virtual node.
//  2. What is queued for "attempt to delete". The collector decides about an object when
//     something may have changed for it: a virtual owner appears (is it real?); an object is
//     removed (its dependents' owner may now be dangling; an owner waiting for its
//     dependents may be done); an owner starts a foreground deletion (its dependents, and
//     itself); a dependent of a foreground-deleting owner appears, or stops blocking it. An
//     owner that starts an orphan deletion is queued for "attempt to orphan". Workers start
//     once every informer has delivered its initial list, so decisions see a complete graph.
//  3. Attempt to delete, for one object. An object being deleted that is not deleting its
//     dependents is left alone: its removal will queue its dependents. Otherwise it is read
//     live: if it is gone (or has another uid), its node leaves the graph as if its removal
//     had been observed, and its dependents are queued. A foreground-deleting owner goes to
//     step 4. Otherwise each owner reference is resolved by a live read and matched by uid:
//     solid (the owner exists and is not deleting its dependents), dangling (not found, or
//     another uid) or waiting (being deleted with foregroundDeletion). Then, as the spec says:
//     with a solid owner, the object stays and its dangling and waiting references are
//     removed; with none, if some owner is waiting and the object has dependents of its own,
//     it is deleted with Foreground, so that the wait cascades (first setting
//     blockOwnerDeletion to false on its references if one of its dependents is itself
//     deleting its dependents: a cycle would never end); otherwise it is deleted with the
//     policy its own finalizers name (orphan, foregroundDeletion) or Background. A delete
//     that conflicts (the object changed since it was read) is retried, and decided anew.
//  4. Foreground deletion of an owner. While a dependent's reference to it has
//     blockOwnerDeletion: true, the owner waits, and its blocking dependents (unless they are
//     themselves deleting their dependents) are queued for step 3, where their waiting owner
//     gets them deleted. When none is left, the owner's foregroundDeletion finalizer is
//     removed; the store removes the owner with its last finalizer. Dependents that do not
//     block are deleted as well, but not waited for. Pods are deleted gracefully, so a
//     foreground deletion waits for their nodes to confirm.
//  5. Orphan deletion of an owner. The owner's reference is removed from every dependent in
//     the graph, then the owner's orphan finalizer.
//  6. Failures (a store error, a conflict) retry the object through the queue's rate
//     limiter; objects that vanished are not failures.
//
// # Where skiff differs from Kubernetes on purpose
//
//   - One process, one store: there is no discovery, no REST mapping and no metadata-only
//     informers. The kinds are the scheme's, fixed when the collector is made. An owner
//     reference whose kind the scheme does not know, or a cluster-scoped dependent naming a
//     namespaced owner, counts as a solid owner (the object is kept) instead of failing the
//     attempt again and again.
//   - The graph is guarded by one mutex and fed directly by the informers' handlers, instead
//     of a single goroutine draining a queue of graph changes. A virtual node keeps the
//     coordinates of the first reference that named it; decisions never depend on them, as
//     every owner reference is resolved by a live read with its own coordinates.
//   - Informers of different kinds deliver their changes in no order relative to each
//     other, so a dependent may reach the graph after its owner's orphan deletion finished;
//     Kubernetes would then collect it as the dependent of a dangling owner. skiff remembers
//     for 10 minutes the owners whose dependents it orphaned, and removes references to them
//     instead.
//   - There is no absent-owner cache: a dangling owner is read again for each dependent.
//   - Events about owner references are not recorded; decisions are logged.
package garbagecollector
