// Package scheme is skiff's registry of kinds. It maps apiVersion+kind to a Go type and to a
// REST resource (plural, singular, short names, namespaced or cluster-scoped), decodes JSON and
// multi-document YAML into typed objects, encodes them back, and holds each kind's strategy:
// defaulting, validation, which changes bump metadata.generation, and whether the kind has a
// status subresource.
//
// Basics: NewBuiltin returns a Scheme with every built-in kind (core/v1, apps/v1, batch/v1,
// coordination.k8s.io/v1). Add your own Go type with Register, or a kind with no Go type with
// RegisterUnstructured; objects of such kinds are Unstructured values.
//
// Decoding is strict by default: a field the kind does not have is an error naming its path
// (`unknown field "spec.replcas"`), so typos in manifests are caught at the edge. Hot paths
// (the store reading its own records) decode with encoding/json into KindInfo.New() and skip
// the unknown-field walk.
//
// Differences from Kubernetes' runtime.Scheme, on purpose: one version per kind (no internal
// versions and no conversion), defaulting and validation live with the kind registration
// rather than in separate registries, and the strategy's spec/status split is found by the
// Go field names Spec and Status (or the map keys "spec" and "status" for Unstructured).
package scheme
