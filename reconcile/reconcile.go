package reconcile

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Request names the object to reconcile. Namespace is empty for cluster-scoped kinds.
type Request struct {
	Namespace string
	Name      string
}

// String renders "namespace/name", or "name" for cluster-scoped objects.
func (r Request) String() string {
	if r.Namespace == "" {
		return r.Name
	}
	return r.Namespace + "/" + r.Name
}

// Result tells the controller whether and when to reconcile the object again.
type Result struct {
	// RequeueAfter, when positive, reconciles the object again after this delay (and clears
	// its back-off). It wins over Requeue.
	RequeueAfter time.Duration
	// Requeue asks for another reconcile through the rate limiter, as an error would, but
	// without logging one. Use it when progress depends on something not yet visible.
	Requeue bool
}

// IsZero reports whether the result asks for nothing.
func (r Result) IsZero() bool { return r == Result{} }

// Reconciler does the work for one object. Implementations must be safe for concurrent use
// when the controller runs several workers; the controller never reconciles the same Request
// twice at once. ctx is cancelled when the controller stops.
type Reconciler interface {
	Reconcile(ctx context.Context, req Request) (Result, error)
}

// Func adapts a function to a Reconciler.
type Func func(ctx context.Context, req Request) (Result, error)

var _ Reconciler = Func(nil)

// Reconcile calls f.
func (f Func) Reconcile(ctx context.Context, req Request) (Result, error) { return f(ctx, req) }

// terminalError marks an error that retrying cannot fix.
type terminalError struct{ err error }

func (e *terminalError) Error() string { return "terminal error: " + e.err.Error() }

func (e *terminalError) Unwrap() error { return e.err }

// Is makes errors.Is(err, TerminalError(nil)) true for any terminal error.
func (e *terminalError) Is(target error) bool {
	_, ok := target.(*terminalError)
	return ok
}

// TerminalError wraps err so that the controller does not retry the request: it is logged and
// counted, and the key is forgotten. TerminalError(nil) returns an error that matches any
// terminal error with errors.Is.
func TerminalError(err error) error {
	if err == nil {
		return &terminalError{err: errors.New("nil")}
	}
	return &terminalError{err: err}
}

// IsTerminal reports whether err is, or wraps, a TerminalError.
func IsTerminal(err error) bool {
	var t *terminalError
	return errors.As(err, &t)
}

// Errorf is a convenience for TerminalError(fmt.Errorf(...)).
func Errorf(format string, args ...any) error { return TerminalError(fmt.Errorf(format, args...)) }
