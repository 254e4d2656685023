package scheduler

import "errors"

// Errors of the scheduler and of its Binder. Store errors (store.IsNotFound, IsConflict ...)
// come back unchanged.
var (
	// ErrInvalidOptions is wrapped by the errors of Options.Validate and Plugins.Validate.
	ErrInvalidOptions = errors.New("scheduler: invalid options")
	// ErrAlreadyStarted is returned by a second call of Scheduler.Start.
	ErrAlreadyStarted = errors.New("scheduler: already started")
	// ErrAlreadyBound is returned by ClientBinder.Bind when the pod was bound to another node
	// meanwhile (by another scheduler, or by a client setting spec.nodeName).
	ErrAlreadyBound = errors.New("scheduler: pod is already bound to another node")
	// ErrPodDeleting is returned by ClientBinder.Bind when the pod got a deletionTimestamp
	// before it could be bound.
	ErrPodDeleting = errors.New("scheduler: pod is being deleted")
	// ErrConditionNotSet is wrapped by the error of a Bind that bound the pod but could not
	// write its PodScheduled condition.
	ErrConditionNotSet = errors.New("scheduler: pod bound but its PodScheduled condition not written")
)

// errSkipWrite aborts a GuaranteedUpdate whose write is no longer wanted; it never leaves the
// package.
var errSkipWrite = errors.New("scheduler: write no longer needed")
