// Package managertest runs managers on a fake clock for the tests of the controllers, and
// waits for them.
//
// New opens a manager over a fresh bbolt store, for the tests of the lifecycle controllers
// (garbage collector, namespaces, node lifecycle). Unlike controlplane/planetest it runs
// nothing the test did not add, and it lets a test install the store's admission hook,
// which the namespace lifecycle needs:
//
//	env := managertest.New(t, managertest.Options{})
//	if _, err := garbagecollector.Add(env.Manager, garbagecollector.Options{}); err != nil {
//		t.Fatal(err)
//	}
//	env.Start(t)
//	// write through env.Client, then wait with planetest.Eventually
//
// The workload controllers' tests run on a planetest plane instead, and use the rest:
// NewFaulty makes a second manager whose writes go through a fault-injecting store over the
// plane's, so that a controller added to it must survive conflicts and transient errors;
// Run starts any manager until the end of the test (or an early Stop, a controller's crash);
// Settle waits, in real time, until the store has gone quiet after a move of the clock.
//
// Everything started is stopped, and every store opened is closed, in t.Cleanup.
package managertest
