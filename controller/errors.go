package controller

import "errors"

// Errors returned by this package. Most are wrapped with the name of the controller or kind
// concerned: test with errors.Is.
var (
	// ErrAlreadyRunning means Start was called on a controller that is running.
	ErrAlreadyRunning = errors.New("controller: already running")
	// ErrRunning means a source was added with Watch while the controller was running.
	ErrRunning = errors.New("controller: sources cannot be added while the controller runs")
	// ErrCacheSyncTimeout means a controller's sources had not delivered their initial state
	// within Options.CacheSyncTimeout. The message names the kinds that had not synced.
	ErrCacheSyncTimeout = errors.New("controller: timed out waiting for caches to sync")
	// ErrNoReconciler means New or Builder.Build was given a nil reconcile.Reconciler.
	ErrNoReconciler = errors.New("controller: nil reconciler")
	// ErrNoName means New was given an empty controller name.
	ErrNoName = errors.New("controller: a controller needs a name")
	// ErrPanic is wrapped in the error a recovered panic of Reconcile is turned into.
	ErrPanic = errors.New("controller: reconciler panicked")
	// ErrUnsupportedKind means a Builder was asked to watch a type its manager's scheme does
	// not register, or *scheme.Unstructured, which names no kind by itself.
	ErrUnsupportedKind = errors.New("controller: kind cannot be watched")
)
