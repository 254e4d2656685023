package client

import (
	"errors"

	"github.com/skiff-dev/skiff/store"
)

// The errors of a request are the store's: *store.StatusError values, classified with
// store.IsNotFound, store.IsConflict and the other store.Is* helpers. The client adds these.
var (
	// ErrUnexpectedType is wrapped in the InternalError returned when a client hands back an
	// object whose Go type is not the one its scheme registers for the kind.
	ErrUnexpectedType = errors.New("client: object of unexpected type")
	// ErrIdentityChanged is returned by GuaranteedUpdate, GuaranteedUpdateStatus and
	// CreateOrUpdate when the mutate function changed the object's name, namespace or uid:
	// the write would be about another object.
	ErrIdentityChanged = errors.New("client: the mutate function changed the object's name, namespace or uid")
)

// IgnoreNotFound returns nil if err says an object does not exist, and err otherwise: for
// readers and deleters to whom a missing object is not a failure.
func IgnoreNotFound(err error) error {
	if store.IsNotFound(err) {
		return nil
	}
	return err
}

// IgnoreAlreadyExists returns nil if err says Create found an object with the same name, and
// err otherwise.
func IgnoreAlreadyExists(err error) error {
	if store.IsAlreadyExists(err) {
		return nil
	}
	return err
}
