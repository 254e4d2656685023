package controllerref

import (
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
)

// This file holds what the event handlers of owning controllers share: the informer indexes
// they find owned objects by, comparing controller references, and finding the owners that
// may adopt an orphan.

// AddIndex adds the index name, computed by fn, to inf, unless a controller sharing the
// informer already added an index of that name (which, by convention, is the same index). Any
// other failure is returned, prefixed with prefix (the controller's package name).
func AddIndex[T meta.Object](prefix string, inf *informer.Informer[T], name string, fn informer.IndexFunc[T]) error {
	err := inf.AddIndexers(informer.Indexers[T]{name: fn})
	if err != nil && !errors.Is(err, informer.ErrIndexExists) {
		return fmt.Errorf("%s: %w", prefix, err)
	}
	return nil
}

// AddControllerUIDIndex adds informer.IndexControllerUID to inf (see AddIndex): the objects
// a controller owns, by the owner's UID.
func AddControllerUIDIndex[T meta.Object](prefix string, inf *informer.Informer[T]) error {
	return AddIndex(prefix, inf, informer.IndexControllerUID, informer.ControllerUIDIndexFunc[T])
}

// SameController reports whether two controller references name the same owner in the same
// way (apiVersion, kind, name, UID and the controller flag); two nil references are the same.
// An update whose controller reference changed concerns the old owner too.
func SameController(a, b *meta.OwnerReference) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.APIVersion == b.APIVersion && a.Kind == b.Kind && a.Name == b.Name && a.UID == b.UID &&
		a.IsController() == b.IsController()
}

// MatchingOwners returns the owners in namespace, read from lister, whose selector (given by
// selectorOf) matches set: the candidates to adopt an orphan carrying those labels. An
// invalid or empty selector matches nothing — an owner must never adopt with a selector that
// would take every object.
func MatchingOwners[O meta.Object](lister informer.Lister[O], namespace string, set labels.Set, selectorOf func(O) *meta.LabelSelector) []O {
	var out []O
	for _, owner := range lister.Namespace(namespace).List(nil) {
		sel, err := labels.FromLabelSelector(selectorOf(owner))
		if err != nil || sel.Empty() {
			continue
		}
		if sel.Matches(set) {
			out = append(out, owner)
		}
	}
	return out
}
