package core

import "github.com/skiff-dev/skiff/api/meta"

// Namespace is a scope for names. Deleting one deletes everything in it: the namespace
// controller empties it, then removes the "kubernetes" finalizer from Spec.Finalizers.
type Namespace struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the namespace's metadata; the name is a DNS label.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec holds the namespace's finalizers.
	Spec NamespaceSpec `json:"spec,omitzero"`
	// Status is the namespace's phase and conditions.
	Status NamespaceStatus `json:"status,omitzero"`
}

// NamespaceList is a list of namespaces.
type NamespaceList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the list's metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the namespaces.
	Items []Namespace `json:"items"`
}

// NamespaceSpec is the desired state of a namespace.
type NamespaceSpec struct {
	// Finalizers must all be removed before a deleted namespace disappears. Unlike
	// metadata.finalizers they are only changed through the finalize subresource.
	Finalizers []FinalizerName `json:"finalizers,omitempty"`
}

// FinalizerName is a namespace finalizer.
type FinalizerName string

// FinalizerKubernetes is the finalizer the namespace controller removes once the namespace is
// empty.
const FinalizerKubernetes FinalizerName = "kubernetes"

// NamespaceStatus is the observed state of a namespace.
type NamespaceStatus struct {
	// Phase is Active or Terminating.
	Phase NamespacePhase `json:"phase,omitempty"`
	// Conditions report the progress of deletion.
	Conditions []NamespaceCondition `json:"conditions,omitempty"`
}

// NamespacePhase is the lifecycle phase of a namespace.
type NamespacePhase string

// The namespace phases.
const (
	// NamespaceActive: objects may be created in the namespace.
	NamespaceActive NamespacePhase = "Active"
	// NamespaceTerminating: the namespace is being deleted; no new objects may be created.
	NamespaceTerminating NamespacePhase = "Terminating"
)

// NamespaceConditionType is the type of a namespace condition.
type NamespaceConditionType string

// The namespace condition types, all about deletion.
const (
	NamespaceDeletionDiscoveryFailure NamespaceConditionType = "NamespaceDeletionDiscoveryFailure"
	NamespaceDeletionContentFailure   NamespaceConditionType = "NamespaceDeletionContentFailure"
	NamespaceDeletionGVParsingFailure NamespaceConditionType = "NamespaceDeletionGroupVersionParsingFailure"
	NamespaceContentRemaining         NamespaceConditionType = "NamespaceContentRemaining"
	NamespaceFinalizersRemaining      NamespaceConditionType = "NamespaceFinalizersRemaining"
)

// NamespaceCondition is one condition of a namespace.
type NamespaceCondition struct {
	// Type of the condition.
	Type NamespaceConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitzero"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable explanation.
	Message string `json:"message,omitempty"`
}

// Well-known namespaces.
const (
	// NamespaceDefault is where objects go when no namespace is given.
	NamespaceDefault = "default"
	// NamespaceAll selects all namespaces in list and watch calls.
	NamespaceAll = ""
	// NamespaceSystem holds system components.
	NamespaceSystem = "kube-system"
	// NamespacePublic is readable by everyone.
	NamespacePublic = "kube-public"
	// NamespaceNodeLease holds the nodes' heartbeat leases.
	NamespaceNodeLease = "kube-node-lease"
)
