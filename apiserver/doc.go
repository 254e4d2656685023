// Package apiserver serves skiff's objects over HTTP with the Kubernetes API's paths, verbs
// and JSON shapes, so that kubectl-style tools, client-go and skiff's own remote client
// (client/remote) can drive a control plane from another process.
//
// # Basics
//
// New builds a Server over a client.Client — normally a *client.Local over the plane's
// store, which gives the API exactly the store's semantics (defaulting, validation,
// optimistic concurrency, finalizers, graceful deletion, selectors, pagination, watch). A
// Server is an http.Handler; Serve and ListenAndServe run it until a context ends and then
// shut down gracefully (watches end at once, other requests get Options.ShutdownTimeout).
//
//	srv, err := apiserver.New(apiserver.Options{Client: client.NewLocal(st, sch), Token: token})
//	...
//	err = srv.ListenAndServe(ctx, "127.0.0.1:7070", nil) // nil: plain HTTP
//
// # Routes
//
// Every kind of the client's scheme is served, core kinds below /api/v1 and the others
// below /apis/<group>/<version>:
//
//	GET    .../<resource>                                  list, or watch with ?watch=true (every namespace for a namespaced kind)
//	GET    .../namespaces/<ns>/<resource>                  list or watch one namespace
//	POST   .../[namespaces/<ns>/]<resource>                create (201)
//	GET    .../[namespaces/<ns>/]<resource>/<name>         get
//	PUT    .../[namespaces/<ns>/]<resource>/<name>         update
//	PATCH  .../[namespaces/<ns>/]<resource>/<name>         patch: application/merge-patch+json or application/json-patch+json
//	DELETE .../[namespaces/<ns>/]<resource>/<name>         delete, with an optional DeleteOptions body
//	GET, PUT, PATCH .../<name>/status                      the status subresource of kinds that have one
//	GET, PUT, PATCH .../<name>/scale                       autoscaling/v1 Scale of deployments, replicasets, statefulsets
//
// and the discovery documents /api, /api/v1, /apis, /apis/<group> and
// /apis/<group>/<version>; /version; and the probes /healthz, /readyz (Options.Ready) and
// /livez.
//
// Lists take labelSelector, fieldSelector, limit, continue and resourceVersion (with
// resourceVersionMatch); watches take resourceVersion, allowWatchBookmarks, timeoutSeconds
// and client-go's WatchList parameters (sendInitialEvents with
// resourceVersionMatch=NotOlderThan: the current objects, then a bookmark annotated
// k8s.io/initial-events-end). A watch streams one JSON event per line,
// {"type":"ADDED","object":{...}}, chunked and flushed as events come; a resourceVersion
// the store has compacted gets a single ERROR event holding a 410 Expired Status.
//
// Writes take fieldValidation (Strict, the default, Warn or Ignore) for unknown fields in
// POST and PUT bodies, which may be JSON or YAML. Bodies are capped at Options.MaxBodyBytes
// (3 MiB, as in Kubernetes).
//
// Every failure is a Status object (kind Status, apiVersion v1) with the HTTP code of its
// reason: 400 BadRequest, 401 Unauthorized, 403 Forbidden, 404 NotFound, 405
// MethodNotAllowed, 406 NotAcceptable, 409 Conflict or AlreadyExists, 410 Expired, 413
// RequestEntityTooLarge, 415 UnsupportedMediaType, 422 Invalid (with one cause per field),
// 429 TooManyRequests, 500 InternalError, 503 ServiceUnavailable, 504 Timeout. The messages
// are the store's, which are Kubernetes' words.
//
// # Security
//
// ListenAndServe listens on 127.0.0.1:7070 by default. With Options.Token or
// Options.TokenFile every request but /healthz, /livez, /readyz and /version must carry a
// matching "Authorization: Bearer" token (compared in constant time), or gets 401. A token
// grants everything: there is no authorization layer. Serve TLS by handing ListenAndServe a
// tls.Config (TLSConfigFromFiles reads a certificate and key). Under Serve and
// ListenAndServe request headers must arrive within 10 s; bodies must arrive within a
// minute, and a watch whose client stops reading is cut after a minute.
//
// # Where skiff differs from kube-apiserver, on purpose
//
//   - JSON only. Protobuf (and CBOR) requests are refused with 415, and answers are always
//     JSON: a client that accepts protobuf first and JSON second, as client-go does, reads
//     the JSON. client-go's typed clientsets send protobuf bodies unless rest.Config sets
//     ContentType "application/json", which they must.
//   - No Table or PartialObjectMetadata answers (Accept: ...;as=Table without a JSON
//     fallback gets 406), no aggregated discovery (the legacy documents are served to
//     clients that ask for both), no OpenAPI.
//   - No server-side apply and no strategic merge patch (415); patches are applied by
//     client.ApplyPatch, always decoded strictly whatever fieldValidation says.
//   - No admission webhooks, no authorization, no dry run (dryRun is a 400), no
//     deletecollection, no legacy /watch/ paths, no pods/log, exec, binding or eviction,
//     no namespaces/<name>/finalize.
//   - fieldValidation defaults to Strict (kube-apiserver: Warn; kubectl sends Strict).
//   - Lists always read the current state: resourceVersion "0" and NotOlderThan are
//     satisfied by it, a future resourceVersion is a 504 Timeout, and Exact is served only
//     for the current revision (older: 410 Expired, after which client-go's pager lists
//     afresh).
//   - DELETE answers with the object — its final state when it is gone, its pending state
//     while finalizers or a grace period hold it — for every kind, as kube-apiserver does
//     only for some; a client that needs the final state (the remote client's Delete) gets
//     it.
//   - A watch without timeoutSeconds lasts until the client leaves or the server shuts down
//     (kube-apiserver ends it after a random 30 to 60 minutes).
package apiserver
