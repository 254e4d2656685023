// Package controlplane assembles a running skiff control plane from its parts — the bbolt
// store, the client, the manager with its informers, and (as they land) the built-in
// controllers, the scheduler, simulated nodes and the API server — for `skiff up`, for
// tests (through package planetest) and for Go programs that embed skiff.
//
// # Basics
//
//	plane, err := controlplane.Start(ctx, controlplane.Config{DataDir: "/var/lib/skiff"})
//	defer plane.Stop()
//	deployments := client.For[*apps.Deployment](plane.Client())
//	_, err = controller.NewBuilder[*Website](plane.Manager()).Build(r) // your own controllers
//
// Start opens the store (creating DataDir), bootstraps the default and kube-system
// namespaces, starts the manager and returns once its caches have synced. The plane runs
// until its context is done or Stop is called; Stop shuts down the controllers, then the
// informers, then closes the store. State persists in DataDir across restarts.
//
// This is the one package that wires concrete implementations together; it is imported
// only by cmd/, examples/ and tests.
package controlplane
