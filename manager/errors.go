package manager

import "errors"

// Errors returned by this package; test with errors.Is, as most are wrapped with details.
var (
	// ErrAlreadyStarted means Start was called twice: a manager runs once.
	ErrAlreadyStarted = errors.New("manager: already started")
	// ErrStopped means Add was called on a manager that is stopping or has stopped.
	ErrStopped = errors.New("manager: stopped")
	// ErrDuplicateName means Add was given a runnable (a controller) whose Name is taken.
	ErrDuplicateName = errors.New("manager: duplicate runnable name")
	// ErrUnknownRunnable means Remove was given a runnable the manager does not have.
	ErrUnknownRunnable = errors.New("manager: unknown runnable")
	// ErrShutdownTimeout means runnables were still running when
	// Options.GracefulShutdownTimeout ran out, in Start's shutdown or in Remove. Their
	// goroutines are left behind.
	ErrShutdownTimeout = errors.New("manager: graceful shutdown timed out")
	// ErrCacheSyncTimeout means the informers had not synced within
	// Options.CacheSyncTimeout when Start waited for them; the message names their kinds.
	ErrCacheSyncTimeout = errors.New("manager: timed out waiting for caches to sync")
)
