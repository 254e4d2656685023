package scheme

import "errors"

// ErrUnknownKind is returned (wrapped) when an apiVersion/kind or Go type is not registered.
var ErrUnknownKind = errors.New("scheme: unknown kind")

// ErrAlreadyRegistered is returned when a kind, resource or Go type is registered twice.
var ErrAlreadyRegistered = errors.New("scheme: already registered")

// ErrMissingKind is returned when a document to decode has no apiVersion or kind.
var ErrMissingKind = errors.New("scheme: object has no apiVersion or kind")

// IsUnknownKind reports whether err says a kind is not registered.
func IsUnknownKind(err error) bool { return errors.Is(err, ErrUnknownKind) }
