package apps

import (
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// ReplicaSet keeps a given number of pods matching its selector running
// (../shared/spec/replicaset.md). Deployments manage ReplicaSets; users rarely create them.
type ReplicaSet struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the desired behaviour of the ReplicaSet.
	Spec ReplicaSetSpec `json:"spec,omitzero"`
	// Status is the most recently observed state, written by the replicaset controller.
	Status ReplicaSetStatus `json:"status,omitzero"`
}

// ReplicaSetList is a list of ReplicaSets.
type ReplicaSetList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the ReplicaSets.
	Items []ReplicaSet `json:"items"`
}

// ReplicaSetSpec is the desired state of a ReplicaSet.
type ReplicaSetSpec struct {
	// Replicas is the number of desired pods. Defaults to 1.
	Replicas *int32 `json:"replicas,omitempty"`
	// MinReadySeconds is how long a new pod must be ready before it counts as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// Selector selects the pods the ReplicaSet counts. It must be non-empty, must match the
	// template's labels and is immutable.
	Selector *meta.LabelSelector `json:"selector"`
	// Template describes the pods created when there are too few. Its restartPolicy must be
	// Always.
	Template core.PodTemplateSpec `json:"template,omitzero"`
}

// ReplicaSetStatus is the observed state of a ReplicaSet.
type ReplicaSetStatus struct {
	// Replicas is the number of active (non-terminal, non-terminating) pods it owns.
	Replicas int32 `json:"replicas"`
	// FullyLabeledReplicas is the number of those pods carrying every template label.
	FullyLabeledReplicas int32 `json:"fullyLabeledReplicas,omitempty"`
	// ReadyReplicas is the number of those pods with a Ready condition.
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`
	// AvailableReplicas is the number of those pods ready for at least minReadySeconds.
	AvailableReplicas int32 `json:"availableReplicas,omitempty"`
	// TerminatingReplicas is the number of owned pods being deleted that are not yet
	// Succeeded or Failed; nil when not tracked.
	TerminatingReplicas *int32 `json:"terminatingReplicas,omitempty"`
	// ObservedGeneration is the generation the controller last acted on.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Conditions are the latest observations of the ReplicaSet's state.
	Conditions []ReplicaSetCondition `json:"conditions,omitempty"`
}

// ReplicaSetConditionType names a condition of a ReplicaSet.
type ReplicaSetConditionType string

// ReplicaSetReplicaFailure is True while pods cannot be created or deleted (quota, admission).
const ReplicaSetReplicaFailure ReplicaSetConditionType = "ReplicaFailure"

// Reasons of the ReplicaFailure condition.
const (
	// FailedCreateReason: creating a pod failed.
	FailedCreateReason = "FailedCreate"
	// FailedDeleteReason: deleting a pod failed.
	FailedDeleteReason = "FailedDelete"
)

// ReplicaSetCondition is one observation of a ReplicaSet's state.
type ReplicaSetCondition struct {
	// Type of the condition.
	Type ReplicaSetConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status meta.ConditionStatus `json:"status"`
	// LastTransitionTime is the last time Status changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitzero"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable explanation.
	Message string `json:"message,omitempty"`
}
