// Package compat checks that a client skiff did not write — k8s.io/client-go's typed
// clientset and its SharedInformerFactory — works against skiff's API server: it creates a
// Deployment, watches its pods arrive through a client-go informer, scales it and deletes it
// with foreground propagation.
//
// What had to be true on the server for client-go to accept it (found while writing this
// test and the API server):
//   - client-go v0.37 sends protobuf request bodies by default; skiff speaks JSON only, so the
//     rest.Config sets ContentType "application/json" (responses are negotiated to JSON even
//     when protobuf is asked for first).
//   - discovery documents (APIVersions, APIGroupList, APIResourceList with verbs, short names
//     and subresources) must be complete for the clientset and informers to start;
//   - informers use the WatchList protocol (sendInitialEvents=true with a bookmark that
//     carries the k8s.io/initial-events-end annotation), which the server implements;
//   - list responses carry kind "<Kind>List", apiVersion and metadata.resourceVersion.
package compat
