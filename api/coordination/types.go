package coordination

import "github.com/skiff-dev/skiff/api/meta"

// GroupName is the API group of the kinds in this package.
const GroupName = "coordination.k8s.io"

// GroupVersion is the apiVersion of the kinds in this package.
const GroupVersion = "coordination.k8s.io/v1"

// Lease is a lock with an expiry: leader election and node heartbeats hold one by renewing it
// before leaseDurationSeconds run out.
type Lease struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the state of the lease.
	Spec LeaseSpec `json:"spec,omitzero"`
}

// LeaseList is a list of Leases.
type LeaseList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the Leases.
	Items []Lease `json:"items"`
}

// CoordinatedLeaseStrategy names how a coordinated leader is picked among candidates.
type CoordinatedLeaseStrategy string

// OldestEmulationVersion picks the candidate with the oldest emulation version, then binary
// version, then creation time.
const OldestEmulationVersion CoordinatedLeaseStrategy = "OldestEmulationVersion"

// LeaseSpec is the state of a Lease.
type LeaseSpec struct {
	// HolderIdentity names the current holder.
	HolderIdentity *string `json:"holderIdentity,omitempty"`
	// LeaseDurationSeconds is how long candidates wait after RenewTime before taking the lease
	// over.
	LeaseDurationSeconds *int32 `json:"leaseDurationSeconds,omitempty"`
	// AcquireTime is when the current holder acquired the lease.
	AcquireTime *meta.MicroTime `json:"acquireTime,omitempty"`
	// RenewTime is when the current holder last renewed the lease.
	RenewTime *meta.MicroTime `json:"renewTime,omitempty"`
	// LeaseTransitions counts how often the lease changed holders.
	LeaseTransitions *int32 `json:"leaseTransitions,omitempty"`
	// Strategy is the coordinated leader election strategy; only with PreferredHolder.
	Strategy *CoordinatedLeaseStrategy `json:"strategy,omitempty"`
	// PreferredHolder asks the current holder to give the lease up to this identity.
	PreferredHolder *string `json:"preferredHolder,omitempty"`
}
