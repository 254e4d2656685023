// Package scheduler binds pending pods to nodes, as kube-scheduler's default profile does
// for the features skiff has (../shared/spec/pod-lifecycle.md §10 "Scheduling basics").
//
// # Basics
//
//	sched := scheduler.New(c, factory, scheduler.Options{})
//	factory.Start(ctx)      // the factory's owner starts it
//	err := sched.Start(ctx) // blocks until ctx is done
//
// The scheduler places the pods whose spec.nodeName is empty and whose spec.schedulerName is
// Options.SchedulerName ("default-scheduler"; an empty schedulerName counts as that), unless
// they are being deleted, have finished, or still have scheduling gates. It reads pods and
// nodes only from the informer factory's caches and writes through the client.
//
// # The scheduling cycle
//
// Informer handlers feed two structures: a cache of NodeInfos (each node's allocatable
// resources, and the sum of the effective requests of the non-terminal pods bound to it), and
// a scheduling queue of pending pod keys, ordered by spec.priority. One loop takes the keys
// one at a time:
//
//  1. Look the pod up in the informer cache; skip it if it is gone, bound, not this
//     scheduler's, or already being bound.
//  2. Compute its PodInfo once: the effective request (core.PodRequests: containers and
//     sidecars summed, the init containers' peak if larger, plus overhead), the non-zero
//     requests used for scoring, the controller's UID.
//  3. Filter every node with the filter plugins, in order, the first rejection giving the
//     node's reasons: NodeUnschedulable, TaintToleration (NoSchedule and NoExecute),
//     NodeAffinity (nodeSelector and required node affinity), NodeResourcesFit (every
//     requested resource, and allocatable "pods").
//  4. If no node passes, the pod is parked and its PodScheduled condition set to False,
//     reason Unschedulable, with kube-scheduler's message, e.g. "0/3 nodes are available:
//     1 node(s) were unschedulable, 2 Insufficient cpu." (written only when it changed).
//     Parked pods are tried again when a node is added or changes (allocatable, labels,
//     taints, unschedulable), when a bound pod is deleted or finishes, after a back-off of
//     1 s doubling to 10 s since their last attempt; and all of them every
//     UnschedulableRetryInterval (one minute).
//  5. Otherwise the feasible nodes are scored by each score plugin, normalized to 0..100 and
//     weighted: TaintToleration ×3 (fewer untolerated PreferNoSchedule taints), NodeAffinity
//     ×2 (preferred terms), OwnerSpread ×2 (fewer pods of the same controller), and
//     LeastAllocated ×1 (more free CPU and memory). The highest sum wins; ties are broken at
//     random.
//  6. The pod is assumed on the node: the cache counts it there at once, so the next pods
//     see the node's new load before the informer shows the binding. A worker then binds
//     it (Binder): spec.nodeName with an update conditional on the cached resourceVersion
//     (on Conflict: re-read, re-check the pod is still unbound and not being deleted, retry),
//     then PodScheduled=True. A failed binding un-assumes the pod and retries it.
//
// Attempts are serial, so each sees every pod placed before it, and cost O(nodes) with no
// store reads; the writes, which wait for the disk, run on Options.Workers goroutines and
// share the store's group commits.
//
// Plugins are small types implementing FilterPlugin and ScorePlugin (and ScoreNormalizer);
// Options.Plugins replaces the default set.
//
// # Caveats
//
// ClientBinder sets spec.nodeName with an ordinary Update, so the store's Pod validation
// must allow spec.nodeName to be set once on an unbound pod (skiff's stand-in for the
// pods/binding subresource).
//
// As in Kubernetes, a node fits only as many pods as its status.allocatable "pods" says: a
// node that reports no "pods" amount gets none ("Too many pods").
//
// # Differences from kube-scheduler, on purpose
//
//   - One profile, no framework extension points besides Filter and Score: no PreFilter,
//     Reserve, Permit, PreBind or PostFilter, hence no preemption. Not implemented: NodePorts,
//     volume filters, inter-pod affinity, topology spread constraints, image locality and
//     balanced allocation, scheduling extenders.
//   - OwnerSpread stands in for the default topology spreading: it counts the pods of the
//     pod's controller per node (not per zone) rather than matching services' and
//     workloads' selectors.
//   - Every feasible node is scored; kube-scheduler stops looking once it has found enough
//     feasible nodes in large clusters (percentageOfNodesToScore).
//   - Binding is two store writes (spec.nodeName, then the PodScheduled condition) through
//     the client, where Kubernetes has the pods/binding subresource write both at once. The
//     Binder interface lets a store with such an operation do it in one.
//   - The queue is one workqueue of keys plus a parked set, not three heaps (active,
//     back-off, unschedulable), and there are no per-plugin queueing hints: any node or
//     freed-capacity event retries every parked pod, after its back-off.
//   - Assumed pods never expire; a binding that fails is forgotten at once.
package scheduler
