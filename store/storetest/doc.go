// Package storetest is the conformance suite every store.Store must pass: the behaviour the
// client, informers, the API server and controllers rely on, written once and run against each
// backend.
//
// A backend's test calls Run with a function that opens a store on a scheme, a fake clock and
// a data location chosen by the suite:
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T, cfg storetest.Config) store.Store {
//			s, err := boltstore.Open(cfg.Location, boltstore.Options{Scheme: cfg.Scheme, Clock: cfg.Clock})
//			if err != nil {
//				t.Fatal(err)
//			}
//			return s
//		})
//	}
//
// The suite covers create/get/update/delete with Kubernetes' error wording, optimistic
// concurrency, generation and the status subresource, finalizers, propagation policies and
// graceful pod deletion (../shared/spec/objects.md §2, §5), label and field selectors,
// consistent pagination, watch replay order, selector transitions, bookmarks, Gone after
// compaction, slow-watcher termination, cancellation, restart persistence and a porcupine
// linearizability check. Tests that need store.Compactor are skipped for stores without it.
//
// The fixtures (Pod, ConfigMap, Deployment, Job, Namespace) are exported for other packages'
// tests.
package storetest
