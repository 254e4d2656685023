package namespace

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync/atomic"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// CauseNamespaceTerminating is the type of the cause a create in a terminating namespace is
// refused with (Kubernetes' v1.NamespaceTerminatingCause).
const CauseNamespaceTerminating = "NamespaceTerminating"

// immortal are the namespaces that may not be deleted, as in Kubernetes' NamespaceLifecycle
// admission.
var immortal = []string{core.NamespaceDefault, core.NamespaceSystem, core.NamespacePublic}

var namespacesResource = scheme.GroupResource{Resource: "namespaces"}

// errNoReader is returned by an Admission used before SetReader.
var errNoReader = errors.New("namespace: admission has no reader: call SetReader with the store")

// Admission is the store's namespace lifecycle admission hook, Kubernetes' NamespaceLifecycle
// plugin: it refuses to create an object of a namespaced kind in a namespace that does not
// exist (NotFound: `namespaces "x" not found`) or is being deleted (Forbidden: `pods "p" is
// forbidden: unable to create new content in namespace x because it is being terminated`,
// with a CauseNamespaceTerminating cause), and to delete the namespaces default,
// kube-system and kube-public (Forbidden: `this namespace may not be deleted`).
//
// The hook reads namespaces from the store it guards, which exists only once opened with
// the hook, so it is wired in two steps:
//
//	var adm namespace.Admission
//	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch, Admit: adm.Admit})
//	...
//	adm.SetReader(st)
//
// The zero value is ready for SetReader; an Admission is safe for concurrent use.
type Admission struct {
	r atomic.Pointer[readerBox]
}

type readerBox struct{ r store.Reader }

// SetReader sets where namespaces are read from: the store the hook guards.
func (a *Admission) SetReader(r store.Reader) { a.r.Store(&readerBox{r}) }

// Admit is the store.AdmitFunc. Updates and deletes of namespaced objects are always
// allowed, so that the content of a namespace can still lose its finalizers and be removed
// while the namespace is going away. Before SetReader it refuses every create of a
// namespaced object with an InternalError.
func (a *Admission) Admit(ctx context.Context, attrs store.Attributes) error {
	if attrs.Kind.GVK == scheme.NamespaceGVK {
		if attrs.Operation == store.OpDelete && attrs.Old != nil && slices.Contains(immortal, attrs.Old.GetName()) {
			return store.NewForbidden(namespacesResource, attrs.Old.GetName(), "this namespace may not be deleted")
		}
		return nil
	}
	if attrs.Operation != store.OpCreate || !attrs.Kind.Namespaced || attrs.Object == nil {
		return nil
	}
	box := a.r.Load()
	if box == nil {
		return store.NewInternalError(errNoReader)
	}
	name := attrs.Object.GetNamespace()
	obj, err := box.r.Get(ctx, scheme.NamespaceGVK, "", name)
	if store.IsNotFound(err) {
		return store.NewNotFound(namespacesResource, name)
	}
	if err != nil {
		return err
	}
	if !terminating(obj) {
		return nil
	}
	e := store.NewForbidden(attrs.Kind.GroupResource(), attrs.Object.GetName(),
		fmt.Sprintf("unable to create new content in namespace %s because it is being terminated", name))
	e.Causes = []meta.StatusCause{{
		Type:    CauseNamespaceTerminating,
		Message: fmt.Sprintf("namespace %s is being terminated", name),
		Field:   "metadata.namespace",
	}}
	return e
}

// terminating reports whether a namespace is being deleted: its deletionTimestamp is set
// (the phase follows a moment later), or its phase says so.
func terminating(obj meta.Object) bool {
	if obj.GetDeletionTimestamp() != nil {
		return true
	}
	ns, ok := obj.(*core.Namespace)
	return ok && ns.Status.Phase == core.NamespaceTerminating
}
