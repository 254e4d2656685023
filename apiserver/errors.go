package apiserver

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/skiff-dev/skiff/store"
)

// ErrNoToken is returned by New when Options.TokenFile holds no token: an empty token file
// would otherwise leave the server open to everyone while its operator believes it closed.
var ErrNoToken = errors.New("apiserver: the token file holds no token")

// Reasons of the errors that only the HTTP layer produces; the store's own reasons
// (store.ReasonNotFound, ...) cover the rest. The values are Kubernetes' StatusReason
// strings.
const (
	reasonUnauthorized          store.Reason = "Unauthorized"
	reasonMethodNotAllowed      store.Reason = "MethodNotAllowed"
	reasonNotAcceptable         store.Reason = "NotAcceptable"
	reasonUnsupportedMediaType  store.Reason = "UnsupportedMediaType"
	reasonRequestEntityTooLarge store.Reason = "RequestEntityTooLarge"
)

// errPathNotFound is the 404 of a path that names no resource, in kube-apiserver's words.
func errPathNotFound() *store.StatusError {
	return &store.StatusError{Reason: store.ReasonNotFound, Code: http.StatusNotFound,
		Message: "the server could not find the requested resource"}
}

// errMethodNotAllowed is the 405 of a verb the resource does not serve.
func errMethodNotAllowed(method string) *store.StatusError {
	return &store.StatusError{Reason: reasonMethodNotAllowed, Code: http.StatusMethodNotAllowed,
		Message: fmt.Sprintf("the server does not allow this method on the requested resource (%s)", method)}
}

// errNotAcceptable is the 406 of a request that accepts no media type the server writes.
func errNotAcceptable(accept string) *store.StatusError {
	return &store.StatusError{Reason: reasonNotAcceptable, Code: http.StatusNotAcceptable,
		Message: fmt.Sprintf("only the following media types are accepted: %s (the request accepts %q)", mediaJSON, accept)}
}

// errUnsupportedMediaType is the 415 of a request body in a format the server does not read.
func errUnsupportedMediaType(contentType string, accepted []string) *store.StatusError {
	return &store.StatusError{Reason: reasonUnsupportedMediaType, Code: http.StatusUnsupportedMediaType,
		Message: fmt.Sprintf("the body of the request was in an unknown format (%q) - accepted media types include: %s",
			contentType, strings.Join(accepted, ", "))}
}

// errTooLarge is the 413 of a body over the limit.
func errTooLarge(limit int64) *store.StatusError {
	return &store.StatusError{Reason: reasonRequestEntityTooLarge, Code: http.StatusRequestEntityTooLarge,
		Message: fmt.Sprintf("Request entity too large: limit is %d", limit)}
}

// errUnauthorized is the 401 of a request without a valid bearer token.
func errUnauthorized() *store.StatusError {
	return &store.StatusError{Reason: reasonUnauthorized, Code: http.StatusUnauthorized, Message: "Unauthorized"}
}

// toStatusError turns any error of a request into the *store.StatusError whose Status is
// sent: store and client errors are already one; a context that ended is a Timeout; anything
// else is an InternalError.
func toStatusError(err error) *store.StatusError {
	var se *store.StatusError
	if errors.As(err, &se) {
		if se.Code == 0 {
			c := *se
			c.Code = codeOf(se.Reason)
			return &c
		}
		return se
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return &store.StatusError{Reason: store.ReasonTimeout, Code: http.StatusGatewayTimeout,
			Message: "the request did not complete: " + err.Error(), Err: err}
	}
	return store.NewInternalError(err)
}

// codeOf is the HTTP status code of a reason, for errors made without one.
func codeOf(r store.Reason) int32 {
	switch r {
	case store.ReasonNotFound:
		return http.StatusNotFound
	case store.ReasonAlreadyExists, store.ReasonConflict:
		return http.StatusConflict
	case store.ReasonInvalid:
		return http.StatusUnprocessableEntity
	case store.ReasonExpired, store.ReasonGone:
		return http.StatusGone
	case store.ReasonForbidden:
		return http.StatusForbidden
	case store.ReasonBadRequest:
		return http.StatusBadRequest
	case store.ReasonTimeout:
		return http.StatusGatewayTimeout
	case store.ReasonTooManyRequests:
		return http.StatusTooManyRequests
	case store.ReasonServiceUnavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}
