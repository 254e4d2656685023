package apps

import (
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
)

// DaemonSet runs one copy of a pod on every node that matches its template's node selector,
// affinity and tolerations (../shared/spec/daemonset.md).
type DaemonSet struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the desired behaviour of the DaemonSet.
	Spec DaemonSetSpec `json:"spec,omitzero"`
	// Status is the most recently observed state, written by the daemonset controller.
	Status DaemonSetStatus `json:"status,omitzero"`
}

// DaemonSetList is a list of DaemonSets.
type DaemonSetList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the DaemonSets.
	Items []DaemonSet `json:"items"`
}

// DaemonSetSpec is the desired state of a DaemonSet.
type DaemonSetSpec struct {
	// Selector selects the pods the DaemonSet owns. It must be non-empty, must match the
	// template's labels and is immutable.
	Selector *meta.LabelSelector `json:"selector"`
	// Template describes the pod run on each node. Its restartPolicy must be Always.
	Template core.PodTemplateSpec `json:"template"`
	// UpdateStrategy says how template changes are rolled out.
	UpdateStrategy DaemonSetUpdateStrategy `json:"updateStrategy,omitzero"`
	// MinReadySeconds is how long a new pod must be ready before it counts as available.
	MinReadySeconds int32 `json:"minReadySeconds,omitempty"`
	// RevisionHistoryLimit is the number of old ControllerRevisions kept. Defaults to 10.
	RevisionHistoryLimit *int32 `json:"revisionHistoryLimit,omitempty"`
}

// DaemonSetUpdateStrategyType names a DaemonSet's update strategy.
type DaemonSetUpdateStrategyType string

// The DaemonSet update strategies.
const (
	// RollingUpdateDaemonSetStrategyType replaces pods node by node, bounded by
	// maxUnavailable or maxSurge.
	RollingUpdateDaemonSetStrategyType DaemonSetUpdateStrategyType = "RollingUpdate"
	// OnDeleteDaemonSetStrategyType replaces a pod only when the user deletes it.
	OnDeleteDaemonSetStrategyType DaemonSetUpdateStrategyType = "OnDelete"
)

// DaemonSetUpdateStrategy says how a DaemonSet rolls template changes out.
type DaemonSetUpdateStrategy struct {
	// Type is RollingUpdate or OnDelete. Defaults to RollingUpdate.
	Type DaemonSetUpdateStrategyType `json:"type,omitempty"`
	// RollingUpdate holds the parameters of a rolling update; only allowed with RollingUpdate.
	RollingUpdate *RollingUpdateDaemonSet `json:"rollingUpdate,omitempty"`
}

// RollingUpdateDaemonSet bounds a DaemonSet rolling update. Both fields take a count or a
// percentage of the nodes that should run the pod; percentages round up.
type RollingUpdateDaemonSet struct {
	// MaxUnavailable is how many nodes may lack an available pod because of the update
	// (delete first, then create). Defaults to 1.
	MaxUnavailable *intstr.IntOrString `json:"maxUnavailable,omitempty"`
	// MaxSurge is how many nodes may run an old and a new pod at once (create first, then
	// delete); it requires MaxUnavailable to be 0. Defaults to 0.
	MaxSurge *intstr.IntOrString `json:"maxSurge,omitempty"`
}

// DaemonSetStatus is the observed state of a DaemonSet, counted over nodes.
type DaemonSetStatus struct {
	// CurrentNumberScheduled is the number of nodes that should run the pod and run at least
	// one.
	CurrentNumberScheduled int32 `json:"currentNumberScheduled"`
	// NumberMisscheduled is the number of nodes that run the pod but should not.
	NumberMisscheduled int32 `json:"numberMisscheduled"`
	// DesiredNumberScheduled is the number of nodes that should run the pod.
	DesiredNumberScheduled int32 `json:"desiredNumberScheduled"`
	// NumberReady is the number of those nodes whose pod is Ready.
	NumberReady int32 `json:"numberReady"`
	// ObservedGeneration is the generation the controller last acted on.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// UpdatedNumberScheduled is the number of nodes running a pod of the current template.
	UpdatedNumberScheduled int32 `json:"updatedNumberScheduled,omitempty"`
	// NumberAvailable is the number of nodes whose pod is available (ready minReadySeconds).
	NumberAvailable int32 `json:"numberAvailable,omitempty"`
	// NumberUnavailable is DesiredNumberScheduled − NumberAvailable.
	NumberUnavailable int32 `json:"numberUnavailable,omitempty"`
	// CollisionCount counts hash collisions when naming ControllerRevisions.
	CollisionCount *int32 `json:"collisionCount,omitempty"`
	// Conditions are the latest observations of the DaemonSet's state.
	Conditions []DaemonSetCondition `json:"conditions,omitempty"`
}

// DaemonSetConditionType names a condition of a DaemonSet. The controller sets none.
type DaemonSetConditionType string

// DaemonSetCondition is one observation of a DaemonSet's state.
type DaemonSetCondition struct {
	// Type of the condition.
	Type DaemonSetConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status meta.ConditionStatus `json:"status"`
	// LastTransitionTime is the last time Status changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitzero"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable explanation.
	Message string `json:"message,omitempty"`
}
