// Package planetest starts a whole skiff control plane inside a test, on a temporary
// directory and a fake clock, in milliseconds: skiff's answer to controller-runtime's
// envtest, with no external binaries.
//
//	func TestWebsite(t *testing.T) {
//		p := planetest.Start(t, planetest.WithScheme(schemeWithWebsites))
//		if _, err := SetupWebsiteController(p.Manager()); err != nil {
//			t.Fatal(err)
//		}
//		sites := client.For[*Website](p.Client())
//		// create objects, then wait for the controller:
//		p.Eventually(func() bool { ... }, planetest.Message("the deployment"))
//		// time-driven behaviour (RequeueAfter, back-off, leases) moves with the fake clock:
//		p.Eventually(func() bool { ... }, p.Step(time.Minute))
//	}
//
// The plane is stopped in t.Cleanup and its logs go to t.Log. Eventually is bounded
// polling, in real time, for what controllers do on their own goroutines; it never sleeps
// on the fake clock, which moves only when a test steps it (directly, or with Step).
package planetest
