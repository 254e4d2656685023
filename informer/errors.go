package informer

import (
	"context"
	"errors"
)

// Errors returned by this package. Each is a sentinel: test with errors.Is, since most are
// wrapped with the name of the index, handler or kind concerned.
var (
	// ErrStopped means the informer's Run has returned: no handler can be added and Run
	// cannot be called again.
	ErrStopped = errors.New("informer: stopped")
	// ErrAlreadyRunning means Run was called on an informer that is running or has run.
	ErrAlreadyRunning = errors.New("informer: Run called twice")
	// ErrStarted means a setting that must be fixed before Run (the transform) was changed
	// after Run was called.
	ErrStarted = errors.New("informer: already started")
	// ErrUnknownIndex means ByIndex named an index that was never added.
	ErrUnknownIndex = errors.New("informer: unknown index")
	// ErrIndexExists means AddIndexers named an index that already exists. Controllers that
	// share a well-known index (such as IndexControllerUID) may ignore it.
	ErrIndexExists = errors.New("informer: index already exists")
	// ErrNotSynced means WaitForCacheSync gave up before every cache had synced; the message
	// names the kinds that had not.
	ErrNotSynced = errors.New("informer: caches not synced")
	// ErrUnexpectedType means a Source returned an object of another Go type than the
	// informer's.
	ErrUnexpectedType = errors.New("informer: object of unexpected type")
)

// StoppedWith reports whether err only says that an informer had already stopped because ctx
// ended first: a component that adds its handlers while its context is being cancelled (a
// plane stopped during start-up) treats that as a clean stop, not as a failure.
func StoppedWith(ctx context.Context, err error) bool {
	return ctx.Err() != nil && errors.Is(err, ErrStopped)
}
