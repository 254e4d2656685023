// Package kubelet is skiff's node agent: it runs the pods bound to its nodes through a
// Runtime and reports them as the Kubernetes kubelet does, and it registers its nodes and
// keeps their heartbeats. kubelet/sim is the simulated Runtime; the behaviour kept is that
// of ../shared/spec/pod-lifecycle.md.
//
// # Basics
//
// One Host runs the kubelets of any number of nodes in one process:
//
//	rt := sim.New(sim.Options{Clock: clk})
//	host, err := kubelet.NewHost(c, factory, kubelet.Options{Runtime: rt, Clock: clk})
//	_ = host.AddNode(kubelet.NodeConfig{Name: "node-1"})
//	go host.Start(ctx) // until ctx ends
//
// Pods whose spec.nodeName names one of the Host's nodes are started, restarted, probed,
// stopped and reported; everything else is left alone. StopHeartbeats cuts a node off from
// the API (its Lease goes stale, as for a node lifecycle controller test) and
// ResumeHeartbeats reconnects it; RemoveNode switches it off.
//
// # How it scales
//
// All nodes share one pod informer (indexed by spec.nodeName, IndexPodsByNodeName) and one
// node informer, one work queue of pod keys and node names, and a fixed pool of workers.
// Nothing runs per pod or per node: every timed transition (a container starts running or
// exits, an application becomes ready, a probe is due, a back-off or a grace period ends, a
// Lease is due for renewal) is a wake-up at an absolute time on the Clock, after which the
// key is queued again. A pod at rest costs a few hundred bytes and no work.
//
// # The pod sync
//
// A sync is level-based: it computes what the pod's containers should be now from the
// spec, the runtime's container statuses, the kubelet's memory of the pod (back-off
// entries, probe results, the kill in progress) and the clock, acts, and writes the status
// only if it changed. Step by step:
//
//  1. Read the pod from the informer cache (or the newer copy this kubelet just wrote). A
//     pod that is gone, or not bound to a node of the Host, has its containers and sandbox
//     removed and is forgotten; a pod on a node cut off by StopHeartbeats is skipped.
//  2. A terminal pod (Succeeded or Failed) runs nothing; if it is being deleted, the
//     deletion is confirmed (step 7).
//  3. Kill decision (§8): a deletionTimestamp starts a kill with the pod's
//     deletionGracePeriodSeconds (a later, shorter one brings the SIGKILL forward); a
//     passed activeDeadlineSeconds, counted from status.startTime, makes the pod Failed
//     with reason DeadlineExceeded and starts a kill with terminationGracePeriodSeconds.
//  4. Killing (§8): regular containers first, then, once none runs, the sidecars. Each
//     running container gets its preStop hook; when the hook is done (its time comes out
//     of the grace period) the runtime sends the stop signal and SIGKILL after what is
//     left of the grace period, but never less than 2 s. Exited containers are not
//     restarted.
//  5. Running (§4–§7), when not killing: create the sandbox (a pod IP from the node's
//     /24); run the init containers in order, each to successful completion before the
//     next, a sidecar (restartPolicy Always) only until it has started; then every
//     container. A container that never ran is started (a failed image pull is
//     ErrImagePull, retried with back-off and shown as ImagePullBackOff meanwhile); a
//     running one has its due probes run (a startup probe gates the others; liveness or
//     startup failureThreshold consecutive failures stop the container); an exited one is
//     restarted if the restart policy says so (sidecars always; init containers only on
//     failure, never under Never) once its crash-loop back-off allows: at once the first
//     time, then 10 s doubling to 300 s measured from the exit, forgotten after 10
//     minutes without a restart (§5). When every container has exited for good (or an
//     init container failed under Never), the sidecars are stopped as in step 4.
//  6. Status: container statuses (§4: waiting reasons ContainerCreating, PodInitializing,
//     CrashLoopBackOff with its "back-off <d> restarting failed container" message,
//     ErrImagePull, ImagePullBackOff; running with started and ready; terminated with
//     exit code and reason; lastState and restartCount), the phase by the kubelet's
//     getPhase (§2; a terminal phase only once no container runs, except
//     DeadlineExceeded), the conditions PodReadyToStartContainers, Initialized,
//     ContainersReady, Ready (with readiness gates) and PodScheduled (§3), hostIP, podIP,
//     startTime, qosClass. The status is written with UpdateStatus and the pod's
//     resourceVersion when it differs from the pod's; conditions keep their
//     lastTransitionTime while their status stays.
//  7. A pod whose containers have all stopped after a deletion is deleted with grace
//     period 0 and its uid as precondition; a finished pod's runtime state is removed.
//  8. The next sync is scheduled at the earliest instant something will change by itself.
//
// # The node agent
//
// AddNode registers the Node with capacity and allocatable (default 32 CPUs, 256 GiB, 110
// pods), addresses, nodeInfo, a pod CIDR and the Ready, MemoryPressure, DiskPressure and
// PIDPressure conditions; node status is written again when it differs from what the node
// reports (someone marked it NotReady) or every NodeStatusReportInterval (5 minutes),
// refreshing lastHeartbeatTime. The heartbeat is a Lease in kube-node-lease named after the
// node (holderIdentity the node, leaseDurationSeconds 40, owned by the Node), renewed every
// LeaseRenewInterval (10 s). The namespace is created if missing.
//
// # Differences from the Kubernetes kubelet, on purpose
//
//   - One Host, many nodes; no goroutine per pod (pod workers, probe workers, PLEG). The
//     runtime says when a container's state will change (ContainerStatus.NextChange)
//     instead of being relisted every second, and there is no periodic resync: at rest
//     nothing happens.
//   - Probes run inside the pod sync at their due times (startedAt + initialDelaySeconds +
//     k × periodSeconds). A sync that runs late — a fake clock stepped past several
//     periods at once — runs a due probe once and skips the missed periods, as a ticker
//     drops ticks; tests that count probe failures advance the clock one due time at a
//     time (Stats tells when the Host has caught up).
//   - A container that exits is restarted by the same sync that sees the exit, and a
//     container stopped by its liveness probe likewise.
//   - A failed image pull shows ErrImagePull for the first half of its back-off and
//     ImagePullBackOff for the second (the real kubelet's alternation depends on its sync
//     timing).
//   - A container without a readiness probe is ready once started and, if the runtime
//     says so, once ContainerStatus.ReadyAt has passed (the simulated runtime's readiness
//     delay); a real runtime leaves ReadyAt zero.
//   - Status is written whole with UpdateStatus and a resourceVersion precondition, not
//     patched; a Conflict is retried from the informer's newer copy.
//   - Sidecars are stopped together, after the regular containers, not one by one in
//     reverse order.
//   - Pod IPs follow a fixed plan (the Host's i-th node gets 10.128.0.0/9's i-th /24)
//     instead of an IPAM plugin; hostNetwork pods get the node's address.
//   - A node whose Node object is deleted stops its heartbeats and is not registered
//     again.
//   - Not implemented: admission (OutOfcpu, OutOfpods), eviction, static and mirror pods,
//     ephemeral containers, postStart hooks, restarts on a changed image, container
//     restart rules, in-place resize, volumes, events.
package kubelet
