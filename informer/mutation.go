package informer

import (
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
)

// MutationCheckEnv is the environment variable that switches mutation detection on ("true"
// or "1") or off ("false" or "0") for caches whose MutationCheck is MutationCheckAuto.
const MutationCheckEnv = "SKIFF_CACHE_MUTATION_DETECTOR"

// MutationCheck says whether a cache detects modifications of the objects it holds.
//
// A cache with detection on keeps a deep copy of every object it stores and compares the
// object with its copy when the object is replaced or removed, and its informer compares
// every object at each resync and when Run returns; a difference panics with the object's
// key. Detection doubles the cache's memory and costs a deep copy per event: it is a
// debugging aid, on by default in tests. It arms no timer of its own, so that it leaves
// fake clocks alone.
type MutationCheck int

const (
	// MutationCheckAuto (the zero value) turns detection on when MutationCheckEnv says so,
	// and otherwise in test binaries (testing.Testing) unless MutationCheckEnv is "false" or
	// "0".
	MutationCheckAuto MutationCheck = iota
	// MutationCheckOn always detects modifications.
	MutationCheckOn
	// MutationCheckOff never does; benchmarks use it.
	MutationCheckOff
)

// enabled resolves m against the environment.
func (m MutationCheck) enabled() bool {
	switch m {
	case MutationCheckOn:
		return true
	case MutationCheckOff:
		return false
	}
	switch os.Getenv(MutationCheckEnv) {
	case "true", "1":
		return true
	case "false", "0":
		return false
	}
	return testing.Testing()
}

// mutationDetector keeps a private deep copy of every cached object. Its map is guarded by
// the owning Cache's mu.
type mutationDetector[T meta.Object] struct {
	copies map[*entry[T]]T
}

func newMutationDetector[T meta.Object]() *mutationDetector[T] {
	return &mutationDetector[T]{copies: map[*entry[T]]T{}}
}

// record remembers a copy of e's current object.
func (d *mutationDetector[T]) record(e *entry[T]) {
	d.copies[e] = e.obj.DeepCopyObject().(T)
}

// forget drops e's copy.
func (d *mutationDetector[T]) forget(e *entry[T]) { delete(d.copies, e) }

// verify panics if e's object differs from the copy taken when it was stored.
func (d *mutationDetector[T]) verify(e *entry[T]) {
	c, ok := d.copies[e]
	if !ok || reflect.DeepEqual(c, e.obj) {
		return
	}
	panic(fmt.Sprintf("informer: cached %T %q was modified: objects from an informer's cache "+
		"(and its handlers' arguments) are shared and read-only; DeepCopyObject before modifying", e.obj, e.key))
}
