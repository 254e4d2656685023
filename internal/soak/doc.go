// Package soak runs the whole skiff plane under a mixed workload and injected faults, and
// checks that it holds together: the `skiff soak` command.
//
// # Basics
//
//	sum, err := soak.Run(ctx, soak.Config{Duration: 2 * time.Minute, Seed: 1, Nodes: 50})
//	if err != nil { ... }           // the run could not be carried out
//	sum.Print(os.Stdout)
//	if !sum.OK() { os.Exit(1) }     // a violated invariant, or no convergence
//
// # What a run does
//
//  1. It starts a plane (controlplane.Start) on a data directory with the simulated nodes,
//     the scheduler and no built-in controllers; the controllers run instead in two
//     controller managers of the soak's own that campaign for the leader Lease, and they
//     write through a faultstore.Store wrapped around the plane's store.
//  2. It creates the workload in namespace "soak": four rolling-update Deployments with
//     different surge and unavailability bounds, two OrderedReady StatefulSets, two
//     DaemonSets (one tolerating the soak's taint) and two CronJobs on short @every
//     schedules.
//  3. It plays a Schedule (NewSchedule: the seed decides it entirely) in real time.
//     Operations: Deployments scaled and rolled, StatefulSets scaled, DaemonSets rolled,
//     nodes added, tainted, untainted and removed, Jobs created. Faults: windows in which a
//     fraction of the controllers' writes fail, nodes that stop their heartbeats, pods
//     killed, the leading manager restarted (the standby takes over), and the whole plane
//     killed and reopened on the same data. Meanwhile a ledger writer creates, updates and
//     deletes ConfigMaps through the fault store.
//  4. Watches on pods, ReplicaSets, Deployments, StatefulSets, DaemonSets and Jobs feed a
//     Sequencer, which hands their events to the Checker in store revision order.
//  5. After every reopen, and at the end, every acknowledged write the Ledger holds is
//     checked against the store.
//  6. At the end the faults stop, and every workload must converge to its spec within
//     Config.ConvergeTimeout.
//
// # Caveats
//
// A "killed" plane is simulated in-process: the store is closed first, under the running
// components, so that none of them gets to write its shutdown state (the managers cannot
// release the Lease, the kubelets cannot record their pods stopping); then the rest is
// stopped and a new plane is started on the same data file. Durability under a real
// SIGKILL of the process is boltstore's crash test's business.
//
// Removing a node also deletes its pods at once, as the pod garbage collector that skiff
// does not have would (see package nodelifecycle).
//
// The schedule is the same for a seed, but its targets (which pod, which node) are chosen
// among the objects that exist when an entry runs, which timing decides.
package soak
