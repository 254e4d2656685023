package store

import (
	"context"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

// Operation names the kind of write an admission hook is asked about.
type Operation string

// The operations admission sees.
const (
	OpCreate       Operation = "CREATE"
	OpUpdate       Operation = "UPDATE"
	OpUpdateStatus Operation = "UPDATE_STATUS"
	OpDelete       Operation = "DELETE"
)

// Attributes describe a write to an admission hook. The objects are read-only.
type Attributes struct {
	// Operation is the write being made.
	Operation Operation
	// Kind is the object's kind.
	Kind *scheme.KindInfo
	// Object is the state about to be stored: the defaulted, validated new object for
	// create and update, the marked object for a delete that leaves it in place, nil for a
	// delete that removes it.
	Object meta.Object
	// Old is the stored object (nil for create).
	Old meta.Object
}

// AdmitFunc is a policy hook a store runs on every write after defaulting and validation and
// before anything is written (for example: refuse new objects in a namespace that does not
// exist or is terminating). A non-nil error refuses the write and is returned to the caller
// unchanged; it should be a *StatusError such as NewForbidden. The hook runs on the writer's
// goroutine, may read the store, and must not write to it.
type AdmitFunc func(ctx context.Context, a Attributes) error
