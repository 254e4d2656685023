// Package store is skiff's storage contract: the Store interface that the client, informers,
// the API server and controllers program against, its events and options, and the typed
// errors every backend returns. It plays the part that etcd plus the API server's generic
// registry play in Kubernetes: one revision counter for all kinds, optimistic concurrency on
// resourceVersion, the scheme's defaulting and validation on every write, finalizers,
// propagation policies and graceful pod deletion, selectors, consistent pagination and watch.
//
// Implementations: store/boltstore (bbolt). store/storetest is the conformance suite every
// implementation must pass; store/faultstore wraps any Store to inject conflicts and
// transient errors.
//
// # Basics
//
// Kinds are named by scheme.GroupVersionKind and resolved through the scheme the store was
// opened with. Every successful write increments the revision by exactly one, and the
// object's resourceVersion is the decimal revision of its last write; a write returns only once
// it is durable. Objects passed to a Store are never retained or modified; objects returned by
// Get, List and the write methods are copies owned by the caller; objects in watch events are
// shared by every watcher and must not be modified.
//
// Errors are *StatusError values with a Reason and Kubernetes' wording, e.g.
// `deployments.apps "web" not found`; test them with IsNotFound, IsConflict, IsAlreadyExists,
// IsInvalid (FieldErrors lists the field errors), IsGone and the other Is helpers, or with
// errors.Is against the sentinels (ErrNotFound, ...).
//
// Capabilities beyond Store are optional interfaces found by type assertion: Compactor,
// StatsReporter and SharedLister (lists without copies, for read-only caches).
//
// # Where skiff differs from Kubernetes and etcd on purpose
//
//   - Revisions are uint64 in the API (WatchOptions.ResourceVersion, ListResult, Event);
//     objects still carry them as decimal strings (ParseResourceVersion, FormatResourceVersion).
//   - List always reads the latest state (there is no resourceVersion/resourceVersionMatch
//     choice); the pages of a paginated list are all read at the first page's revision, and a
//     continue token older than the compacted revision fails with Expired (IsGone).
//   - A watch from ResourceVersion 0 starts with the current objects as Added events, as a
//     Kubernetes watch with an unset or "0" resourceVersion does; with AllowBookmarks a
//     Bookmark follows them. A watch that falls behind the compacted revision ends with an
//     Error event carrying an Expired error, instead of blocking writers.
//   - An Update with an empty resourceVersion is unconditional (Kubernetes allows this for
//     every built-in kind). An update that changes nothing writes nothing and keeps the
//     resourceVersion, as in Kubernetes.
//   - Create with a resourceVersion set is a BadRequest (Kubernetes answers 500).
//   - Field selectors support metadata.name, metadata.namespace, spec.nodeName and
//     status.phase (SelectableFields) for every kind.
//   - Admission is one optional hook (AdmitFunc) rather than a plugin chain; there is no dry
//     run, server-side apply or TTL.
package store
