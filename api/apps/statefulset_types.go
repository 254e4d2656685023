package apps

import (
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
)

// StatefulSet manages pods with stable identities — names <set>-<ordinal>, hostnames and
// per-pod volume claims — created, updated and removed in order
// (../shared/spec/statefulset.md).
type StatefulSet struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata. The name must be a DNS-1123 label.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the desired behaviour of the StatefulSet.
	Spec StatefulSetSpec `json:"spec,omitzero"`
	// Status is the most recently observed state, written by the statefulset controller.
	Status StatefulSetStatus `json:"status,omitzero"`
}

// StatefulSetList is a list of StatefulSets.
type StatefulSetList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the StatefulSets.
	Items []StatefulSet `json:"items"`
}

// PodManagementPolicyType says whether a StatefulSet creates and deletes pods one at a time.
type PodManagementPolicyType string

// The pod management policies.
const (
	// OrderedReadyPodManagement creates pods in ordinal order, each after the previous one is
	// Running and Ready, and removes them in reverse order.
	OrderedReadyPodManagement PodManagementPolicyType = "OrderedReady"
	// ParallelPodManagement creates and deletes pods without waiting for one another.
	ParallelPodManagement PodManagementPolicyType = "Parallel"
)

// StatefulSetUpdateStrategyType names a StatefulSet's update strategy.
type StatefulSetUpdateStrategyType string

// The StatefulSet update strategies.
const (
	// RollingUpdateStatefulSetStrategyType replaces pods from the highest ordinal down to the
	// partition.
	RollingUpdateStatefulSetStrategyType StatefulSetUpdateStrategyType = "RollingUpdate"
	// OnDeleteStatefulSetStrategyType replaces a pod only when the user deletes it.
	OnDeleteStatefulSetStrategyType StatefulSetUpdateStrategyType = "OnDelete"
)

// StatefulSetUpdateStrategy says how a StatefulSet rolls template changes out.
type StatefulSetUpdateStrategy struct {
	// Type is RollingUpdate or OnDelete. Defaults to RollingUpdate.
	Type StatefulSetUpdateStrategyType `json:"type,omitempty"`
	// RollingUpdate holds the parameters of a rolling update; only allowed with RollingUpdate.
	RollingUpdate *RollingUpdateStatefulSetStrategy `json:"rollingUpdate,omitempty"`
}

// RollingUpdateStatefulSetStrategy holds the parameters of a StatefulSet rolling update.
type RollingUpdateStatefulSetStrategy struct {
	// Partition keeps pods with a lower index (ordinal − start) at the current revision, for
	// staged or canary rollouts. Defaults to 0.
	Partition *int32 `json:"partition,omitempty"`
	// MaxUnavailable is how many pods may be unavailable during the update, as a count (≥1)
	// or a percentage (>0%) of replicas. Honoured only with the MaxUnavailableStatefulSet
	// behaviour; otherwise pods are updated one at a time.
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
}

// PersistentVolumeClaimRetentionPolicyType says what happens to the claims of a StatefulSet's
// volumeClaimTemplates.
type PersistentVolumeClaimRetentionPolicyType string

// The PVC retention policies.
const (
	// RetainPersistentVolumeClaimRetentionPolicyType keeps the claims.
	RetainPersistentVolumeClaimRetentionPolicyType PersistentVolumeClaimRetentionPolicyType = "Retain"
	// DeletePersistentVolumeClaimRetentionPolicyType deletes the claims (through owner
	// references, by the garbage collector).
	DeletePersistentVolumeClaimRetentionPolicyType PersistentVolumeClaimRetentionPolicyType = "Delete"
)

// StatefulSetPersistentVolumeClaimRetentionPolicy says when the claims created from
// volumeClaimTemplates are deleted.
type StatefulSetPersistentVolumeClaimRetentionPolicy struct {
	// WhenDeleted applies when the StatefulSet is deleted. Defaults to Retain.
	WhenDeleted PersistentVolumeClaimRetentionPolicyType `json:"whenDeleted,omitempty"`
	// WhenScaled applies to the claims of pods removed by a scale-down. Defaults to Retain.
	WhenScaled PersistentVolumeClaimRetentionPolicyType `json:"whenScaled,omitempty"`
}

// StatefulSetOrdinals sets the numbering of a StatefulSet's pods.
type StatefulSetOrdinals struct {
	// Start is the ordinal of the first pod; pods are numbered [start, start+replicas).
	Start int32 `json:"start"`
}

// StatefulSetSpec is the desired state of a StatefulSet.
type StatefulSetSpec struct {
	// Replicas is the number of desired pods. Defaults to 1.
	Replicas *int32 `json:"replicas,omitempty"`
	// Selector selects the pods the StatefulSet owns. It must be non-empty, must match the
	// template's labels and is immutable.
	Selector *meta.LabelSelector `json:"selector"`
	// Template describes the pods; each gets its own name, hostname and claims.
	Template core.PodTemplateSpec `json:"template"`
	// VolumeClaimTemplates are the claims each pod gets, named
	// <template name>-<set name>-<ordinal>. Immutable.
	VolumeClaimTemplates []core.PersistentVolumeClaim `json:"volumeClaimTemplates,omitempty"`
	// ServiceName is the headless Service that gives the pods their DNS names (pods get it as
	// their subdomain). Immutable.
	ServiceName string `json:"serviceName"`
	// PodManagementPolicy is OrderedReady (default) or Parallel. Immutable.
	PodManagementPolicy PodManagementPolicyType `json:"podManagementPolicy,omitempty"`
	// UpdateStrategy says how template changes are rolled out.
	UpdateStrategy StatefulSetUpdateStrategy `json:"updateStrategy,omitzero"`
	// RevisionHistoryLimit is the number of old ControllerRevisions kept. Defaults to 10.
	RevisionHistoryLimit *int32 `json:"revisionHistoryLimit,omitempty"`
	// MinReadySeconds is how long a new pod must be ready before it counts as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// PersistentVolumeClaimRetentionPolicy says when claims from VolumeClaimTemplates are
	// deleted. Defaults to Retain for both cases.
	PersistentVolumeClaimRetentionPolicy *StatefulSetPersistentVolumeClaimRetentionPolicy `json:"persistentVolumeClaimRetentionPolicy,omitempty"`
	// Ordinals sets the first ordinal; nil means 0.
	Ordinals *StatefulSetOrdinals `json:"ordinals,omitempty"`
}

// StatefulSetStatus is the observed state of a StatefulSet.
type StatefulSetStatus struct {
	// ObservedGeneration is the generation the controller last acted on.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Replicas is the number of pods the controller created (including out-of-range ones).
	Replicas int32 `json:"replicas"`
	// ReadyReplicas is the number of pods that are Running and Ready.
	ReadyReplicas int32 `json:"readyReplicas,omitempty"`
	// CurrentReplicas is the number of pods at CurrentRevision.
	CurrentReplicas int32 `json:"currentReplicas,omitempty"`
	// UpdatedReplicas is the number of pods at UpdateRevision.
	UpdatedReplicas int32 `json:"updatedReplicas,omitempty"`
	// CurrentRevision names the ControllerRevision of the pods below the partition (and of
	// all pods once a rollout completes).
	CurrentRevision string `json:"currentRevision,omitempty"`
	// UpdateRevision names the ControllerRevision of the current template.
	UpdateRevision string `json:"updateRevision,omitempty"`
	// CollisionCount counts hash collisions when naming ControllerRevisions.
	CollisionCount *int32 `json:"collisionCount,omitempty"`
	// Conditions are the latest observations of the StatefulSet's state.
	Conditions []StatefulSetCondition `json:"conditions,omitempty"`
	// AvailableReplicas is the number of pods ready for at least minReadySeconds.
	AvailableReplicas int32 `json:"availableReplicas"`
}

// StatefulSetConditionType names a condition of a StatefulSet. The controller sets none.
type StatefulSetConditionType string

// StatefulSetCondition is one observation of a StatefulSet's state.
type StatefulSetCondition struct {
	// Type of the condition.
	Type StatefulSetConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status meta.ConditionStatus `json:"status"`
	// LastTransitionTime is the last time Status changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitzero"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable explanation.
	Message string `json:"message,omitempty"`
}
