// Package remote is the client.Client of a skiff API server (package apiserver), over
// HTTP: components, the CLI and programs in another process use it exactly as they would
// use client.Local next to the store, and client/clienttest holds both to the same
// behaviour.
//
// # Basics
//
//	c, err := remote.New(remote.Config{Server: "http://127.0.0.1:7070", Token: token})
//	if err != nil { ... }
//	defer c.Close()
//	deployments := client.For[*apps.Deployment](c)
//	d, err := deployments.Get(ctx, "default", "web")
//
// Every method is one request (Patch included: the server applies it, as client.Local
// does, and retries its conflicts). Lists and watches send their selectors in the string
// syntax, Delete its options as a DeleteOptions body, Patch its type as the Content-Type.
// Informers work over a Client: it has the List and Watch that informer.Source asks for.
//
// Errors are the *store.StatusError values the server's Status objects stand for, with the
// same reason, code, message and details as the store's own, so store.IsNotFound,
// store.IsConflict, store.IsInvalid (and store.FieldErrors), store.IsGone and the others
// hold on them. A server that cannot be reached gives ServiceUnavailable (retryable); a
// request cut short by its context or by Config.Timeout gives Timeout, wrapping the
// context's error.
//
// # Differences from client.Local
//
//   - A watch from a compacted resourceVersion is not refused by Watch: it starts, and
//     its only event is an Error whose error is Gone, as the Kubernetes API sends it. An
//     informer relists either way.
//   - A watch ends, closing its channel, when the server ends the stream (a timeout, a
//     shutdown, a lost connection); the informer then watches again from the last revision
//     it saw, as it does when a store closes a watch.
//   - labels.Nothing() has no string form; it is sent as "skiff.dev/nothing,!skiff.dev/nothing",
//     which no labels satisfy, so that lists and watches still get the server's revision,
//     bookmarks and errors. A selector built with labels.SelectorFromSet from invalid
//     labels cannot be sent and gets the server's BadRequest, where a local store would
//     match it.
//   - Objects in watch events are decoded for each watch and are not shared with other
//     watchers; treat them as read-only all the same.
//   - Answers are decoded leniently (a newer server may send fields this client does not
//     know); requests are checked strictly by the server.
package remote
