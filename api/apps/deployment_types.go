package apps

import (
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
)

// Deployment declares a desired state for a set of identical pods and rolls changes of the pod
// template out through ReplicaSets, one per template (../shared/spec/deployment.md).
type Deployment struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the desired behaviour of the Deployment.
	Spec DeploymentSpec `json:"spec,omitzero"`
	// Status is the most recently observed state, written by the deployment controller.
	Status DeploymentStatus `json:"status,omitzero"`
}

// DeploymentList is a list of Deployments.
type DeploymentList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the Deployments.
	Items []Deployment `json:"items"`
}

// DeploymentSpec is the desired state of a Deployment.
type DeploymentSpec struct {
	// Replicas is the number of desired pods. Defaults to 1.
	Replicas *int32 `json:"replicas,omitempty"`
	// Selector selects the pods (and ReplicaSets) the Deployment manages. It must be non-empty,
	// must match the template's labels and is immutable.
	Selector *meta.LabelSelector `json:"selector"`
	// Template describes the pods to create. Its restartPolicy must be Always.
	Template core.PodTemplateSpec `json:"template"`
	// Strategy says how old pods are replaced by new ones.
	Strategy DeploymentStrategy `json:"strategy,omitzero"`
	// MinReadySeconds is how long a new pod must be ready, without any container crashing,
	// before it counts as available. Defaults to 0.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// RevisionHistoryLimit is the number of old, scaled-down ReplicaSets kept for rollback.
	// Defaults to 10.
	RevisionHistoryLimit *int32 `json:"revisionHistoryLimit,omitempty"`
	// Paused stops rollouts: while set, template changes are not rolled out (scaling still
	// happens).
	Paused bool `json:"paused,omitempty"`
	// ProgressDeadlineSeconds is how long a rollout may make no progress before the
	// Progressing condition turns False with reason ProgressDeadlineExceeded. It must be
	// greater than MinReadySeconds. Defaults to 600.
	ProgressDeadlineSeconds *int32 `json:"progressDeadlineSeconds,omitempty"`
}

// DeploymentStrategyType names a Deployment's update strategy.
type DeploymentStrategyType string

// The Deployment update strategies.
const (
	// RecreateDeploymentStrategyType kills every old pod before creating new ones.
	RecreateDeploymentStrategyType DeploymentStrategyType = "Recreate"
	// RollingUpdateDeploymentStrategyType replaces pods gradually, bounded by maxSurge and
	// maxUnavailable.
	RollingUpdateDeploymentStrategyType DeploymentStrategyType = "RollingUpdate"
)

// DeploymentStrategy says how a Deployment replaces old pods by new ones.
type DeploymentStrategy struct {
	// Type is Recreate or RollingUpdate. Defaults to RollingUpdate.
	Type DeploymentStrategyType `json:"type,omitempty"`
	// RollingUpdate holds the parameters of a rolling update; it must be absent for Recreate.
	RollingUpdate *RollingUpdateDeployment `json:"rollingUpdate,omitempty"`
}

// RollingUpdateDeployment bounds a rolling update. Both fields take a count or a percentage of
// the desired replicas.
type RollingUpdateDeployment struct {
	// MaxUnavailable is how many pods may be unavailable during the update; a percentage rounds
	// down. It may not be 0 when MaxSurge is 0. Defaults to 25%.
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	// MaxSurge is how many pods may exist above the desired count during the update; a
	// percentage rounds up. Defaults to 25%.
	MaxSurge *intstr.IntOrString `json:"maxSurge,omitempty"`
}

// DeploymentStatus is the observed state of a Deployment.
type DeploymentStatus struct {
	// ObservedGeneration is the generation the controller last acted on.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Replicas is the number of non-terminating pods of all the Deployment's ReplicaSets.
	Replicas int32 `json:"replicas,omitempty"`
	// UpdatedReplicas is the number of non-terminating pods with the current template.
	UpdatedReplicas int32 `json:"updatedReplicas,omitempty"`
	// ReadyReplicas is the number of pods with a Ready condition.
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`
	// AvailableReplicas is the number of pods ready for at least minReadySeconds.
	AvailableReplicas int32 `json:"availableReplicas,omitempty"`
	// UnavailableReplicas is the number of desired pods that are not available yet.
	UnavailableReplicas int32 `json:"unavailableReplicas,omitempty"`
	// TerminatingReplicas is the number of pods that are being deleted and are not yet
	// Succeeded or Failed; nil when not tracked.
	TerminatingReplicas *int32 `json:"terminatingReplicas,omitempty"`
	// Conditions are the latest observations of the Deployment's state.
	Conditions []DeploymentCondition `json:"conditions,omitempty"`
	// CollisionCount counts hash collisions of the pod template; it feeds the
	// pod-template-hash so that a collision yields a new name.
	CollisionCount *int32 `json:"collisionCount,omitempty"`
}

// DeploymentConditionType names a condition of a Deployment.
type DeploymentConditionType string

// The Deployment condition types.
const (
	// DeploymentAvailable is True when at least replicas − maxUnavailable pods are available.
	DeploymentAvailable DeploymentConditionType = "Available"
	// DeploymentProgressing tells whether the current rollout makes progress, is complete, or
	// has exceeded its progress deadline.
	DeploymentProgressing DeploymentConditionType = "Progressing"
	// DeploymentReplicaFailure reports that a ReplicaSet could not create or delete pods.
	DeploymentReplicaFailure DeploymentConditionType = "ReplicaFailure"
)

// DeploymentCondition is one observation of a Deployment's state.
type DeploymentCondition struct {
	// Type of the condition.
	Type DeploymentConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status meta.ConditionStatus `json:"status"`
	// LastUpdateTime is the last time the condition was refreshed.
	LastUpdateTime meta.Time `json:"lastUpdateTime,omitzero"`
	// LastTransitionTime is the last time Status changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitzero"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable explanation.
	Message string `json:"message,omitempty"`
}

// Reasons of the Deployment conditions (../shared/spec/deployment.md §11).
const (
	// NewReplicaSetCreatedReason: the new ReplicaSet of a rollout was created (Progressing=True).
	NewReplicaSetCreatedReason = "NewReplicaSetCreated"
	// FoundNewReplicaSetReason: the new ReplicaSet already existed (Progressing=True).
	FoundNewReplicaSetReason = "FoundNewReplicaSet"
	// ReplicaSetUpdatedReason: the rollout moved forward (Progressing=True).
	ReplicaSetUpdatedReason = "ReplicaSetUpdated"
	// NewRSAvailableReason: the rollout is complete (Progressing=True).
	NewRSAvailableReason = "NewReplicaSetAvailable"
	// TimedOutReason: no progress within progressDeadlineSeconds (Progressing=False).
	TimedOutReason = "ProgressDeadlineExceeded"
	// FailedRSCreateReason: creating the new ReplicaSet failed (Progressing=False).
	FailedRSCreateReason = "ReplicaSetCreateError"
	// PausedDeployReason: the Deployment was paused (Progressing=Unknown).
	PausedDeployReason = "DeploymentPaused"
	// ResumedDeployReason: the Deployment was resumed (Progressing=Unknown).
	ResumedDeployReason = "DeploymentResumed"
	// MinimumReplicasAvailable: enough pods are available (Available=True).
	MinimumReplicasAvailable = "MinimumReplicasAvailable"
	// MinimumReplicasUnavailable: too few pods are available (Available=False).
	MinimumReplicasUnavailable = "MinimumReplicasUnavailable"
)
