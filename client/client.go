package client

import (
	"context"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Client reads, writes and watches objects of every kind its scheme registers. It is what
// every component (controllers, the scheduler, the kubelet, the CLI) talks to, and the
// interface that both Local (in-process, over a store.Store) and the HTTP client of the API
// server implement; clienttest.Run checks that they behave alike.
//
// Get, List, Create, Update, UpdateStatus and Delete are store.ReadWriter's methods with its
// contract: objects passed in are never retained or modified, objects returned are copies
// owned by the caller, and failures are *store.StatusError values classified by
// store.IsNotFound, store.IsConflict and the other store.Is* helpers. Because a Client is a
// store.ReadWriter, store.GuaranteedUpdate accepts one.
//
// Implementations are safe for concurrent use.
type Client interface {
	store.ReadWriter

	// Patch changes the named object by applying a patch of type pt to its current JSON
	// form, as the API server does for a PATCH request: read the object, apply the patch,
	// decode the result strictly, and Update (or UpdateStatus, for the status subresource)
	// with the resourceVersion that was read. A write that fails with Conflict because the
	// object changed in between is retried from a fresh read a bounded number of times,
	// unless the patch itself sets metadata.resourceVersion (or metadata.uid): then the
	// patch is a precondition and its Conflict is returned. A patch that leaves the object
	// unchanged writes nothing and returns the current object.
	//
	// Errors: NotFound; BadRequest for an unsupported patch type or subresource, a
	// malformed patch, unknown fields, or a patch that changes apiVersion, kind, name or
	// namespace; Invalid when a JSON patch cannot be applied (a failed "test", a missing
	// path), when the result does not decode (a value of the wrong type), or when it fails
	// the kind's validation; Conflict as above.
	Patch(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string, pt PatchType, data []byte, opts PatchOptions) (meta.Object, error)

	// Watch streams the changes to objects of kind gvk that match opts, with
	// store.Store.Watch's contract: events after opts.ResourceVersion in revision order,
	// exactly once; Gone for a compacted revision. Event objects are shared and read-only.
	Watch(ctx context.Context, gvk scheme.GroupVersionKind, opts store.WatchOptions) (store.Watcher, error)

	// Scheme returns the registry of kinds the client serves. Callers must not register
	// kinds on it after the client is in use.
	Scheme() *scheme.Scheme
}

// PatchType names the format of a patch, as the Content-Type of a Kubernetes PATCH request
// does.
type PatchType string

// The supported patch types. Strategic merge patch and server-side apply are not supported.
const (
	// MergePatchType is a JSON merge patch (RFC 7386): a partial object whose fields replace
	// the object's, null deleting a field. Lists are replaced whole.
	MergePatchType PatchType = "application/merge-patch+json"
	// JSONPatchType is a JSON patch (RFC 6902): a list of add, remove, replace, move, copy
	// and test operations on JSON pointers.
	JSONPatchType PatchType = "application/json-patch+json"
)

// SubresourceStatus is the subresource that PatchOptions.Subresource may name.
const SubresourceStatus = "status"

// PatchOptions modify a Patch.
type PatchOptions struct {
	// Subresource is "" to patch the object (status changes are then ignored for kinds
	// with a status subresource) or SubresourceStatus to patch only its status.
	Subresource string
}

// Local is the in-process Client over a store.Store. It adds to the store's methods only
// Patch, applied as the API server applies it, so that a component behaves the same whether
// it runs next to the store or across HTTP. An API server can serve its requests through a
// Local to get exactly these semantics.
type Local struct {
	s   store.Store
	sch *scheme.Scheme
}

var _ Client = (*Local)(nil)

// NewLocal returns a Client over s. sch must be the scheme s was opened with. The client does
// not own s: closing s is the caller's business, and every call fails with store.ErrClosed
// once s is closed.
func NewLocal(s store.Store, sch *scheme.Scheme) *Local {
	return &Local{s: s, sch: sch}
}

// Scheme returns the scheme the client was made with.
func (l *Local) Scheme() *scheme.Scheme { return l.sch }

// Get returns the named object; see store.Reader.
func (l *Local) Get(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string) (meta.Object, error) {
	return l.s.Get(ctx, gvk, namespace, name)
}

// List returns the objects of kind gvk that match opts; see store.Reader.
func (l *Local) List(ctx context.Context, gvk scheme.GroupVersionKind, opts store.ListOptions) (*store.ListResult, error) {
	return l.s.List(ctx, gvk, opts)
}

// Create stores a new object; see store.Writer.
func (l *Local) Create(ctx context.Context, obj meta.Object, opts store.CreateOptions) (meta.Object, error) {
	return l.s.Create(ctx, obj, opts)
}

// Update replaces an object; see store.Writer.
func (l *Local) Update(ctx context.Context, obj meta.Object, opts store.UpdateOptions) (meta.Object, error) {
	return l.s.Update(ctx, obj, opts)
}

// UpdateStatus replaces an object's status; see store.Writer.
func (l *Local) UpdateStatus(ctx context.Context, obj meta.Object, opts store.UpdateOptions) (meta.Object, error) {
	return l.s.UpdateStatus(ctx, obj, opts)
}

// Delete deletes an object or marks it for deletion; see store.Writer.
func (l *Local) Delete(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string, opts store.DeleteOptions) (meta.Object, error) {
	return l.s.Delete(ctx, gvk, namespace, name, opts)
}

// Watch streams changes; see store.Store.
func (l *Local) Watch(ctx context.Context, gvk scheme.GroupVersionKind, opts store.WatchOptions) (store.Watcher, error) {
	return l.s.Watch(ctx, gvk, opts)
}

// maxPatchAttempts bounds the reads and writes of one Patch that keeps losing the race to
// other writers. Every lost race means another write succeeded, so the bound is only hit
// under heavy contention on one object.
const maxPatchAttempts = 32

// Patch applies a patch to the named object; see Client.
func (l *Local) Patch(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string, pt PatchType, data []byte, opts PatchOptions) (meta.Object, error) {
	if err := checkPatchRequest(pt, opts); err != nil {
		return nil, err
	}
	update := l.s.Update
	if opts.Subresource == SubresourceStatus {
		update = l.s.UpdateStatus
	}
	var err error
	for range maxPatchAttempts {
		var cur, patched, out meta.Object
		if cur, err = l.s.Get(ctx, gvk, namespace, name); err != nil {
			return nil, err
		}
		if patched, err = ApplyPatch(l.sch, cur, pt, data); err != nil {
			return nil, err
		}
		out, err = update(ctx, patched, store.UpdateOptions{})
		if err == nil || !store.IsConflict(err) || ctx.Err() != nil {
			return out, err
		}
		cm, pm := cur.GetObjectMeta(), patched.GetObjectMeta()
		if pm.ResourceVersion != cm.ResourceVersion || pm.UID != cm.UID {
			return nil, err // the patch carries its own precondition
		}
	}
	return nil, err
}
