// Package client is how every skiff component reads and writes objects: controllers, the
// scheduler, the kubelet, the CLI and programs that embed skiff.
//
// # Basics
//
// Client is one interface for every kind: Get, List, Create, Update, UpdateStatus, Patch,
// Delete and Watch, named by GroupVersionKind and carrying meta.Object values. Local
// implements it in-process over a store.Store; the API server's HTTP client implements it
// across the network, and the conformance suite in client/clienttest holds both to the same
// behaviour.
//
// Most code uses Typed, the generic view of one kind made by For:
//
//	deployments := client.For[*apps.Deployment](c)
//	d, err := deployments.Get(ctx, "default", "web")
//
// Typed takes and returns the kind's Go type, so there is no type assertion and no
// per-kind generated clientset. Helpers built on it cover the usual loops:
// GuaranteedUpdate (read, mutate, write, retry on Conflict), CreateOrUpdate (make an object
// exist in a given state), RetryOnConflict, IgnoreNotFound, ObjectKey.
//
// Options and results are the store's types (store.ListOptions, store.WatchOptions,
// store.Event, store.DeleteOptions), and errors are *store.StatusError values: test them
// with store.IsNotFound, store.IsConflict, store.IsInvalid and the other store.Is* helpers.
//
// # Patches
//
// Patch supports JSON merge patch (RFC 7386) and JSON patch (RFC 6902), applied as the
// Kubernetes API server applies them: to the JSON of the current object, then decoded
// strictly and written with the read resourceVersion, retried on Conflict unless the patch
// sets its own resourceVersion. ApplyPatch is the pure step, for servers that must patch
// exactly as Local does.
//
// # Caveats
//
// Objects returned by Get, List, Create, Update, Patch and Delete are the caller's. Objects
// in watch events are shared with every other watcher and with the store: never modify them
// without DeepCopyObject.
//
// Writes do not modify the object passed in, unlike client-go and controller-runtime, which
// fill the server's answer into it: use the returned object.
//
// # Differences from client-go and controller-runtime, on purpose
//
//   - Generics instead of typed clientsets: For[T] serves every kind, built-in or not,
//     without generated code.
//   - One interface for the local and the remote client, so components are tested
//     in-process against a real store and run unchanged against the API server.
//   - Methods return the resulting object rather than filling in their argument; Delete
//     returns the deleted object (or its state while deletion is pending).
//   - Strategic merge patch and server-side apply are not supported.
//   - GuaranteedUpdate and CreateOrUpdate retry on Conflict instead of returning it, and
//     CreateOrUpdate turns an AlreadyExists race into an update.
//   - There is no client-side cache here: informers (package informer) are the cache, and
//     Client always reads the store.
package client
