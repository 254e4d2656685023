// Package faultstore wraps a store.Store so that a chosen fraction of writes fail, for testing
// how controllers and clients cope with optimistic-concurrency conflicts and transient server
// errors.
//
// Basics: New(inner, Options{Scheme: s, ConflictRate: 0.2, TransientRate: 0.1}) returns a
// store.Store that behaves like inner except that each Update, UpdateStatus and Delete fails
// with a Conflict with probability ConflictRate, and each write (Create included) fails with a
// transient error (ServerTimeout or TooManyRequests, both store.IsRetryable) with probability
// TransientRate. A refused write never reaches inner: the store is unchanged. Reads and
// watches pass through. Faults are drawn from a seeded generator, so a test can replay them.
//
// Caveats: Create never gets a Conflict (Kubernetes reports AlreadyExists instead, which
// depends on state, not chance). Optional interfaces of the inner store (store.Compactor, ...)
// are reached through Unwrap.
package faultstore
