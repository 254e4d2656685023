// Package rstest holds what the tests of the ReplicaSet and Deployment controllers share:
// a logger that writes to the test's log, typed reads and writes that fail the test instead
// of returning errors, and the questions those tests keep asking the store (which events were
// recorded about an object, which pods are active).
//
// It is imported by tests only. Everything here reads and writes through the public client,
// as a user would; nothing depends on the controllers' internals:
//
//	d := rstest.Create(t, deployments, newDeployment("web", 3))
//	rstest.Update(t, deployments, "default", "web", func(d *apps.Deployment) { d.Spec.Paused = true })
//	msgs := rstest.EventMessages(t, c, "default", "Deployment", "web", "ScalingReplicaSet")
package rstest
