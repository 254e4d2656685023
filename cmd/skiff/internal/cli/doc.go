// Package cli implements the skiff command line: `skiff up` runs a whole control plane in the
// foreground, and the other commands talk to one the way kubectl talks to Kubernetes —
// apply, create (from manifests, or a deployment, job, namespace, config map or secret),
// run, expose, get, describe, edit, delete, scale, label, annotate, patch, set image,
// rollout, wait, events, cordon, uncordon, drain, version — with kubectl's arguments,
// tables, output formats (wide, json, yaml, name, jsonpath=..., custom-columns=...),
// messages and exit codes.
//
// # Basics
//
// Run executes one command line and returns the process's exit code. Everything a command
// touches outside itself comes through Options: the standard streams, the function that
// makes the client.Client the commands talk to, the clock that dates ages and bounds waits,
// and the environment. main passes the real ones (an HTTP client of the API server, the
// wall clock); tests pass a client over a store in a temporary directory and a fake clock,
// and read what the commands print.
//
// Errors are printed as kubectl prints them: a *store.StatusError as
// `Error from server (NotFound): deployments.apps "web" not found`, an Invalid one as
// `The Deployment "web" is invalid: ...`, anything else as `error: ...`, and a usage error
// followed by a hint to the command's help. Every failure exits with code 1.
//
// `skiff up` runs controlplane.Start with the flags' data directory, simulated nodes and
// metrics address, and serves the plane's client over HTTP with package apiserver on
// --listen; it logs to standard error through log/slog and stops, API server first, when its
// context ends.
//
// # Differences from kubectl, on purpose
//
//   - There is no kubeconfig: --server (or SKIFF_SERVER) and --token name the API server.
//   - apply is client-side apply with a JSON merge patch (skiff has no strategic merge
//     patch): lists in a manifest replace the object's lists whole.
//   - patch takes --type merge or json; strategic, kubectl's default, is refused. Without
//     --type a patch holding no list is applied as a merge patch (strategic merge would do
//     the same with it); a patch with a list needs an explicit --type, so that a list
//     kubectl would merge by key is never replaced by surprise.
//   - set image writes a JSON patch that tests each container's name at its index before
//     replacing its image (kubectl sends a strategic merge patch keyed by container name):
//     a template reordered meanwhile fails instead of changing the wrong container.
//   - rollout status prints a progress line only when it changes.
//   - drain deletes pods (with their grace period) where kubectl evicts them: skiff has no
//     eviction API and no PodDisruptionBudgets. Its messages are kubectl's.
//   - run creates a pod and returns: there is nothing to attach to (-i, -t, --rm).
//   - create and run take --dry-run=client (print instead of create, with -o to write a
//     manifest); --dry-run=server is refused: the store has no dry-run writes.
//   - edit opens one object at a time (kubectl opens them all in one file) and saves a JSON
//     merge patch with the object's resourceVersion as precondition.
//   - -o jsonpath and custom-columns use package jsonpath, skiff's own implementation of
//     kubectl's dialect; missing fields print nothing, as with kubectl's default
//     --allow-missing-template-keys, which skiff does not offer to turn off. There is no
//     -o go-template.
package cli
