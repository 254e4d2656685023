// Package namespace is skiff's namespace lifecycle: the system namespaces that exist from the
// start, the admission hook that keeps new objects out of namespaces that do not exist or
// are going away, and the controller that empties a deleted namespace and then lets it go
// (Kubernetes' NamespaceLifecycle admission plugin and pkg/controller/namespace).
//
// # Basics
//
// A control plane wires three things:
//
//	var adm namespace.Admission
//	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch, Admit: adm.Admit})
//	adm.SetReader(st)
//	err = namespace.EnsureSystemNamespaces(ctx, c) // default, kube-system, kube-public, kube-node-lease
//	_, err = namespace.Add(mgr, namespace.Options{})
//
// Admission refuses to create an object of a namespaced kind in a namespace that does not
// exist (NotFound, `namespaces "x" not found`) or is terminating (Forbidden, `unable to
// create new content in namespace x because it is being terminated`), and refuses to delete
// default, kube-system and kube-public. Updates and deletes of namespaced objects always
// pass: the content of a terminating namespace must still be able to drop its finalizers.
//
// # The controller, step by step
//
// A namespace is created with spec.finalizers ["kubernetes"] and status.phase Active (the
// scheme's defaults). The controller reconciles one namespace name at a time, reading the
// namespace from the shared informer's lister:
//
//  1. A live namespace whose spec.finalizers holds "kubernetes" gets the metadata finalizer
//     Finalizer (skiff.dev/namespace), so that deleting it leaves it in place with a
//     deletionTimestamp (see the differences below).
//  2. A namespace with a deletionTimestamp gets status.phase Terminating.
//  3. While "kubernetes" is in its spec.finalizers, every object of every namespaced kind
//     of the scheme in it is deleted, with Background propagation and a uid precondition;
//     objects already being deleted are left to finish, so their finalizers and, for pods,
//     their grace periods are respected. The content is listed live through the client,
//     as Kubernetes lists it through the API: no informer covers every kind, and a stale
//     cache could let the namespace go while content remains.
//  4. The deletion conditions are written to status with Kubernetes' reasons and messages:
//     NamespaceDeletionContentFailure (delete errors), NamespaceContentRemaining ("Some
//     resources are remaining: pods has 2 resource instances"),
//     NamespaceFinalizersRemaining ("Some content in the namespace has finalizers remaining:
//     x/y in 1 resource instances"), and the always-False discovery and group-version
//     parsing conditions. While content remains, the namespace is looked at again after half
//     the estimated time for it to go, plus one second (the estimate: the longest remaining
//     grace period of a terminating pod; 15 s when finalizers hold objects), or through the
//     rate limiter (5 ms doubling up to one minute) when there is no estimate.
//  5. Once nothing is left, "kubernetes" is removed from spec.finalizers and, when no spec
//     finalizer remains, Finalizer from the metadata: the store removes the namespace with
//     its last finalizer.
//
// A namespace that is gone when reconciled (deleted before step 1 could run) has its
// remaining content deleted as in step 3, until none is left — provided a live read
// confirms it is gone, before each kind, so that a namespace re-created under the same name
// keeps its new content.
//
// # Where skiff differs from Kubernetes on purpose
//
//   - skiff's store does not treat a namespace's spec.finalizers as finalizers: a namespace
//     without metadata finalizers is removed at once when deleted. The controller therefore
//     mirrors "kubernetes" with the metadata finalizer skiff.dev/namespace, which users see
//     on every namespace; and it sweeps the content of a namespace that vanished anyway
//     (deleted in the moment between its creation and step 1), which Kubernetes would leave
//     orphaned. spec.finalizers is changed with an ordinary update: there is no finalize
//     subresource.
//   - The store sets no phase on delete: the controller sets Terminating (step 2), and
//     admission treats a namespace with a deletionTimestamp as terminating already.
//   - Admission reads the namespace from the store itself, not from an informer cache, so
//     there is no window in which a just-deleted namespace still accepts content. The
//     race left — a create admitted just before the namespace's deletion and committed
//     after it — is covered by step 3 listing again until the namespace is empty, and by
//     the sweep once it is gone.
//   - Creates in a missing namespace are refused, updates are not (Kubernetes refuses
//     both): content left in a vanished namespace must stay updatable to lose its
//     finalizers.
//   - There is no discovery: the kinds are the scheme's, and the discovery and
//     group-version conditions never fail. There is no DeleteCollection: objects are
//     deleted one by one.
package namespace
