// Package leaderelection elects one leader among candidates sharing a coordination.Lease,
// the way client-go's leaderelection package does, entirely on a clock.Clock.
//
// # Algorithm
//
// Every RetryPeriod a candidate reads the Lease. It takes the Lease — by an Update with the
// resourceVersion it read, so that of two candidates racing one gets a Conflict — when the
// Lease does not exist (Create), has no holder (released), or has a holder whose record this
// candidate has seen unchanged for LeaseDuration, measured on its own clock from when it
// first saw that record (never from the renewTime written by another clock). Taking it sets
// holderIdentity, leaseDurationSeconds, acquireTime, renewTime (MicroTime) and increments
// leaseTransitions when the holder changes.
//
// The leader renews renewTime every RetryPeriod. If it cannot renew for RenewDeadline — the
// store is unreachable — or finds another holder, it stops leading: OnStartedLeading's
// context is cancelled. Because RenewDeadline < LeaseDuration, a leader cut off from the
// store stops before any other candidate may take over, provided OnStartedLeading returns
// within the difference (5 s by default). The Elector waits for OnStartedLeading to return
// before it campaigns again or, when its context is done, releases the Lease (no holder, a
// one-second duration) so that the next candidate takes over at its next try instead of
// after LeaseDuration.
//
// # Differences from client-go, on purpose
//
//   - Options replace LeaderElectionConfig plus resource lock: the lock is always a Lease,
//     read and written through a client.Client.
//   - The Lease is always released when Run's context is done (client-go's
//     ReleaseOnCancel), and only after OnStartedLeading has returned.
//   - After losing the Lease, Run campaigns again instead of returning.
//   - No jitter on RetryPeriod, so tests on a fake clock are deterministic; the renew
//     deadline is a clock.AfterFunc, so on a fake clock leadership ends exactly at it.
package leaderelection
