package store

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/scheme"
)

// Reason classifies a *StatusError. The values are Kubernetes' metav1.StatusReason strings, so
// that the API server can put them in a Status unchanged.
type Reason string

// The reasons a store returns. Each has a sentinel error below that errors.Is matches.
const (
	// ReasonNotFound: the object does not exist (HTTP 404).
	ReasonNotFound Reason = "NotFound"
	// ReasonAlreadyExists: Create found an object with the same name (HTTP 409).
	ReasonAlreadyExists Reason = "AlreadyExists"
	// ReasonConflict: a resourceVersion or uid precondition did not hold (HTTP 409).
	ReasonConflict Reason = "Conflict"
	// ReasonInvalid: the object failed validation; Causes lists the fields (HTTP 422).
	ReasonInvalid Reason = "Invalid"
	// ReasonExpired: a watch or continue token refers to a compacted revision (HTTP 410).
	ReasonExpired Reason = "Expired"
	// ReasonGone: the resource is no longer available (HTTP 410).
	ReasonGone Reason = "Gone"
	// ReasonForbidden: a policy (admission) refused the request (HTTP 403).
	ReasonForbidden Reason = "Forbidden"
	// ReasonBadRequest: the request itself is malformed, e.g. an unparseable
	// resourceVersion or an unsupported field selector (HTTP 400).
	ReasonBadRequest Reason = "BadRequest"
	// ReasonTimeout: the request could not complete in time; it may be retried (HTTP 504).
	ReasonTimeout Reason = "Timeout"
	// ReasonServerTimeout: the server could not finish the operation in time; retry (HTTP 500).
	ReasonServerTimeout Reason = "ServerTimeout"
	// ReasonTooManyRequests: the server is overloaded; retry later (HTTP 429).
	ReasonTooManyRequests Reason = "TooManyRequests"
	// ReasonServiceUnavailable: the store is closed or not ready (HTTP 503).
	ReasonServiceUnavailable Reason = "ServiceUnavailable"
	// ReasonInternalError: an unexpected failure, e.g. a disk error (HTTP 500).
	ReasonInternalError Reason = "InternalError"
)

// Sentinel errors, one per reason: errors.Is(err, ErrNotFound) holds for every *StatusError
// with ReasonNotFound, whatever its object. The Is* helpers below are shorthands.
var (
	// ErrNotFound: the object does not exist.
	ErrNotFound = errors.New("store: not found")
	// ErrAlreadyExists: an object with that name exists.
	ErrAlreadyExists = errors.New("store: already exists")
	// ErrConflict: a resourceVersion or uid precondition failed.
	ErrConflict = errors.New("store: conflict")
	// ErrInvalid: the object failed validation.
	ErrInvalid = errors.New("store: invalid")
	// ErrGone: a revision was compacted (reasons Expired and Gone).
	ErrGone = errors.New("store: gone")
	// ErrForbidden: a policy refused the request.
	ErrForbidden = errors.New("store: forbidden")
	// ErrBadRequest: the request is malformed.
	ErrBadRequest = errors.New("store: bad request")
	// ErrTimeout: the request timed out (reasons Timeout and ServerTimeout).
	ErrTimeout = errors.New("store: timeout")
	// ErrTooManyRequests: the store asks the caller to slow down.
	ErrTooManyRequests = errors.New("store: too many requests")
	// ErrUnavailable: the store is closed or unavailable.
	ErrUnavailable = errors.New("store: unavailable")
	// ErrInternal: an unexpected failure.
	ErrInternal = errors.New("store: internal error")
)

// ErrClosed is returned by every method of a store after Close. It is a *StatusError with
// ReasonServiceUnavailable, so IsUnavailable(ErrClosed) holds.
var ErrClosed error = &StatusError{Reason: ReasonServiceUnavailable, Code: http.StatusServiceUnavailable, Message: "store: closed"}

// CauseTooLargeResourceVersion marks a Timeout error returned for a resourceVersion newer
// than the store's revision (see IsTooLargeResourceVersion).
const CauseTooLargeResourceVersion = "ResourceVersionTooLarge"

// StatusError is the error every store operation returns for an expected failure. It carries
// what the API server needs to build a meta.Status, and its message is Kubernetes' wording,
// e.g. `deployments.apps "web" not found`.
type StatusError struct {
	// Reason classifies the error.
	Reason Reason
	// Code is the HTTP status code that goes with Reason.
	Code int32
	// Message is the full human-readable message.
	Message string
	// Resource names the kind's group and plural resource, e.g. deployments.apps; it may be
	// empty for errors that concern no kind.
	Resource scheme.GroupResource
	// Kind is the object's kind, e.g. "Deployment"; set for Invalid errors.
	Kind string
	// Name is the object's name, when the error is about one object.
	Name string
	// Causes lists field-level causes (Invalid) or machine-readable detail.
	Causes []meta.StatusCause
	// RetryAfterSeconds suggests when to retry (TooManyRequests, Timeout); 0 means unset.
	RetryAfterSeconds int32
	// Err is an underlying error, if any (for example the bbolt error of an InternalError).
	Err error
}

// Error returns Message.
func (e *StatusError) Error() string { return e.Message }

// Unwrap returns the underlying error, if any.
func (e *StatusError) Unwrap() error { return e.Err }

// Is makes errors.Is(err, ErrNotFound) and friends match by reason.
func (e *StatusError) Is(target error) bool {
	return target == sentinelOf(e.Reason)
}

// Status returns the error as the meta.Status the API server sends.
func (e *StatusError) Status() meta.Status {
	s := meta.Status{
		TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "Status"},
		Status:   "Failure",
		Message:  e.Message,
		Reason:   string(e.Reason),
		Code:     e.Code,
	}
	if e.Name != "" || e.Resource.Resource != "" || len(e.Causes) > 0 || e.RetryAfterSeconds > 0 {
		kind := e.Kind
		if kind == "" {
			kind = e.Resource.Resource
		}
		s.Details = &meta.StatusDetails{
			Name:              e.Name,
			Group:             e.Resource.Group,
			Kind:              kind,
			Causes:            append([]meta.StatusCause(nil), e.Causes...),
			RetryAfterSeconds: e.RetryAfterSeconds,
		}
	}
	return s
}

func sentinelOf(r Reason) error {
	switch r {
	case ReasonNotFound:
		return ErrNotFound
	case ReasonAlreadyExists:
		return ErrAlreadyExists
	case ReasonConflict:
		return ErrConflict
	case ReasonInvalid:
		return ErrInvalid
	case ReasonExpired, ReasonGone:
		return ErrGone
	case ReasonForbidden:
		return ErrForbidden
	case ReasonBadRequest:
		return ErrBadRequest
	case ReasonTimeout, ReasonServerTimeout:
		return ErrTimeout
	case ReasonTooManyRequests:
		return ErrTooManyRequests
	case ReasonServiceUnavailable:
		return ErrUnavailable
	case ReasonInternalError:
		return ErrInternal
	}
	return nil
}

// ReasonOf returns the reason of the *StatusError in err's chain, or "" if there is none.
func ReasonOf(err error) Reason {
	var se *StatusError
	if errors.As(err, &se) {
		return se.Reason
	}
	return ""
}

// IsNotFound reports whether err says the object does not exist.
func IsNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

// IsAlreadyExists reports whether err says Create found an object with the same name.
func IsAlreadyExists(err error) bool { return errors.Is(err, ErrAlreadyExists) }

// IsConflict reports whether err is an optimistic-concurrency or precondition failure: read
// the object again and retry.
func IsConflict(err error) bool { return errors.Is(err, ErrConflict) }

// IsInvalid reports whether err is a validation failure; FieldErrors returns the causes.
func IsInvalid(err error) bool { return errors.Is(err, ErrInvalid) }

// IsGone reports whether err says a revision is compacted (a watch start or continue token):
// list again from scratch.
func IsGone(err error) bool { return errors.Is(err, ErrGone) }

// IsForbidden reports whether err says a policy refused the request.
func IsForbidden(err error) bool { return errors.Is(err, ErrForbidden) }

// IsBadRequest reports whether err says the request was malformed.
func IsBadRequest(err error) bool { return errors.Is(err, ErrBadRequest) }

// IsTimeout reports whether err is a Timeout or ServerTimeout.
func IsTimeout(err error) bool { return errors.Is(err, ErrTimeout) }

// IsTooManyRequests reports whether err asks the caller to slow down.
func IsTooManyRequests(err error) bool { return errors.Is(err, ErrTooManyRequests) }

// IsUnavailable reports whether err says the store is closed or unavailable.
func IsUnavailable(err error) bool { return errors.Is(err, ErrUnavailable) }

// IsInternalError reports whether err is an unexpected failure.
func IsInternalError(err error) bool { return errors.Is(err, ErrInternal) }

// IsTooLargeResourceVersion reports whether err says a resourceVersion is newer than the
// store's current revision.
func IsTooLargeResourceVersion(err error) bool {
	var se *StatusError
	if !errors.As(err, &se) || se.Reason != ReasonTimeout {
		return false
	}
	for _, c := range se.Causes {
		if c.Type == CauseTooLargeResourceVersion {
			return true
		}
	}
	return false
}

// IsRetryable reports whether a write that failed with err may succeed if simply repeated:
// Conflict (after re-reading), timeouts, TooManyRequests, Unavailable (not ErrClosed) and
// internal errors.
func IsRetryable(err error) bool {
	switch ReasonOf(err) {
	case ReasonConflict, ReasonTimeout, ReasonServerTimeout, ReasonTooManyRequests, ReasonInternalError:
		return true
	case ReasonServiceUnavailable:
		return err != ErrClosed
	}
	return false
}

// FieldErrors returns the field errors of an Invalid error, or nil.
func FieldErrors(err error) validation.ErrorList {
	var fe *fieldErrors
	if errors.As(err, &fe) {
		return fe.list
	}
	return nil
}

// fieldErrors wraps a validation.ErrorList as the Err of an Invalid StatusError.
type fieldErrors struct{ list validation.ErrorList }

func (f *fieldErrors) Error() string { return f.list.ToAggregate().Error() }

// NewNotFound returns `pods "web" not found`.
func NewNotFound(gr scheme.GroupResource, name string) *StatusError {
	return &StatusError{Reason: ReasonNotFound, Code: http.StatusNotFound, Resource: gr, Name: name,
		Message: fmt.Sprintf("%s %q not found", gr, name)}
}

// NewAlreadyExists returns `pods "web" already exists`.
func NewAlreadyExists(gr scheme.GroupResource, name string) *StatusError {
	return &StatusError{Reason: ReasonAlreadyExists, Code: http.StatusConflict, Resource: gr, Name: name,
		Message: fmt.Sprintf("%s %q already exists", gr, name)}
}

// NewConflict returns `Operation cannot be fulfilled on pods "web": <why>`.
func NewConflict(gr scheme.GroupResource, name, why string) *StatusError {
	return &StatusError{Reason: ReasonConflict, Code: http.StatusConflict, Resource: gr, Name: name,
		Message: fmt.Sprintf("Operation cannot be fulfilled on %s %q: %s", gr, name, why)}
}

// ModifiedConflictMessage is the reason text of a Conflict caused by a stale resourceVersion.
const ModifiedConflictMessage = "the object has been modified; please apply your changes to the latest version and try again"

// NewModifiedConflict returns the Conflict of an update with a stale resourceVersion.
func NewModifiedConflict(gr scheme.GroupResource, name string) *StatusError {
	return NewConflict(gr, name, ModifiedConflictMessage)
}

// NewInvalid returns `Deployment.apps "web" is invalid: spec.replicas: Invalid value: -1: ...`
// with one cause per field error.
func NewInvalid(gvk scheme.GroupVersionKind, name string, errs validation.ErrorList) *StatusError {
	qualified := gvk.Kind
	if gvk.Group != "" {
		qualified += "." + gvk.Group
	}
	causes := make([]meta.StatusCause, len(errs))
	for i, e := range errs {
		body := strings.TrimPrefix(e.Error(), e.Field+": ") // Kubernetes' ErrorBody
		causes[i] = meta.StatusCause{Type: string(e.Type), Message: body, Field: e.Field}
	}
	return &StatusError{Reason: ReasonInvalid, Code: http.StatusUnprocessableEntity,
		Resource: scheme.GroupResource{Group: gvk.Group}, Kind: gvk.Kind, Name: name, Causes: causes,
		Message: fmt.Sprintf("%s %q is invalid: %v", qualified, name, errs.ToAggregate()),
		Err:     &fieldErrors{list: errs}}
}

// NewExpired returns a 410 error with reason Expired and the given message.
func NewExpired(message string) *StatusError {
	return &StatusError{Reason: ReasonExpired, Code: http.StatusGone, Message: message}
}

// NewTooOldResourceVersion returns the Expired error of a watch from a compacted revision:
// `too old resource version: 5 (10)`.
func NewTooOldResourceVersion(requested, compacted uint64) *StatusError {
	return NewExpired(fmt.Sprintf("too old resource version: %d (%d)", requested, compacted))
}

// NewTooLargeResourceVersion returns the Timeout error of a request for a revision the store
// has not reached.
func NewTooLargeResourceVersion(requested, current uint64) *StatusError {
	return &StatusError{Reason: ReasonTimeout, Code: http.StatusGatewayTimeout, RetryAfterSeconds: 1,
		Message: fmt.Sprintf("Too large resource version: %d, current: %d", requested, current),
		Causes:  []meta.StatusCause{{Type: CauseTooLargeResourceVersion, Message: "Too large resource version"}}}
}

// NewForbidden returns `pods "web" is forbidden: <why>`.
func NewForbidden(gr scheme.GroupResource, name, why string) *StatusError {
	return &StatusError{Reason: ReasonForbidden, Code: http.StatusForbidden, Resource: gr, Name: name,
		Message: fmt.Sprintf("%s %q is forbidden: %s", gr, name, why)}
}

// NewBadRequest returns a 400 error with the given message.
func NewBadRequest(message string) *StatusError {
	return &StatusError{Reason: ReasonBadRequest, Code: http.StatusBadRequest, Message: message}
}

// NewServerTimeout returns `The operation on pods "web" could not be completed at this time,
// please try again.` — a transient failure worth retrying.
func NewServerTimeout(gr scheme.GroupResource, name, operation string) *StatusError {
	return &StatusError{Reason: ReasonServerTimeout, Code: http.StatusInternalServerError, Resource: gr, Name: name,
		RetryAfterSeconds: 1,
		Message:           fmt.Sprintf("The %s operation against %s could not be completed at this time, please try again.", operation, gr)}
}

// NewTooManyRequests returns a 429 error asking the caller to retry after the given seconds.
func NewTooManyRequests(message string, retryAfterSeconds int32) *StatusError {
	return &StatusError{Reason: ReasonTooManyRequests, Code: http.StatusTooManyRequests, Message: message, RetryAfterSeconds: retryAfterSeconds}
}

// NewInternalError wraps an unexpected failure: `Internal error occurred: <err>`.
func NewInternalError(err error) *StatusError {
	return &StatusError{Reason: ReasonInternalError, Code: http.StatusInternalServerError,
		Message: fmt.Sprintf("Internal error occurred: %v", err), Err: err}
}
