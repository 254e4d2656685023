// Package coordination holds the coordination.k8s.io/v1 kind Lease, which leader election
// (package manager) and node heartbeats (package kubelet) are built on, with its validation and
// DeepCopy. JSON field names are those of Kubernetes' k8s.io/api/coordination/v1.
//
// Lease has no defaults; DefaultLease exists so the scheme can treat every kind alike.
//
// Differences from Kubernetes, on purpose: none in the fields; the validation checks what
// Kubernetes checks for v1 Leases (name, leaseDurationSeconds > 0, leaseTransitions ≥ 0,
// strategy and preferredHolder only together).
package coordination

//go:generate go run github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen
//go:generate go run -tags skiff_jsongen github.com/skiff-dev/skiff/internal/cmd/jsonenc-gen
