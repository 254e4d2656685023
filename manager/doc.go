// Package manager runs a set of controllers and other Runnables over one client: it owns a
// shared informer factory, a Prometheus registry with the controller metrics, an event
// writer, optional health, readiness and metrics endpoints, and optional leader election.
//
// # Basics
//
//	mgr, err := manager.New(manager.Options{Client: c, MetricsAddr: ":8080", HealthAddr: ":8081"})
//	_, err = controller.NewBuilder[*apps.Deployment](mgr).Watch(controller.Owns[*apps.ReplicaSet]()).Build(r)
//	err = mgr.Start(ctx) // blocks until ctx is done
//
// Start binds the endpoints, starts the informers every controller asked for and waits for
// their caches (CacheSyncTimeout on the clock: an informer that cannot sync, such as one for
// a kind the store does not know, fails Start with an error naming the kind — never a silent
// hang), then starts the runnables; /readyz turns ready. When ctx is done it cancels every
// runnable, waits for them (GracefulShutdownTimeout), releases the leader Lease, flushes
// the buffered events, stops the informers and returns.
//
// Runnables can be added and removed while the manager runs: Add starts one at once (and
// any informer a Builder created for it), Remove stops it and waits for it. A controller
// removed this way removes its informer handlers and stops all its goroutines; the shared
// informers keep running for the others. A runnable that fails (Start returns an error)
// stops the manager with that error.
//
// With LeaderElection enabled, runnables that need a leader — controllers, unless
// controller.Options.WithoutLeaderElection — run only while this manager holds the Lease
// (package leaderelection); the informers and the other runnables run on every manager, so a
// standby takes over with warm caches. Losing the Lease stops the leader's runnables; the
// manager then campaigns again and restarts them if it wins.
//
// Endpoints: /metrics serves the manager's registry (controller_runtime_* and workqueue_*
// series, leader_election_master_status, skiff_events_dropped_total, Go and process
// collectors); /healthz and /readyz answer 200 "ok" when every check passes and 503 with one
// line per check otherwise, as the Kubernetes API server does.
//
// # Differences from controller-runtime, on purpose
//
//   - Runnables can be removed, and controllers restarted, while the manager runs.
//   - Losing leadership stops the leader's runnables and starts a new campaign instead of
//     ending the process.
//   - Every wait (cache sync, shutdown, leader election) runs on Options.Clock, so tests
//     drive them with a fake clock.
//   - No cache-backed client, webhook server or pprof endpoint: reconcilers read informer
//     listers and write through Options.Client.
//   - The metrics registry is per manager, never the global one.
package manager
