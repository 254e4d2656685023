package core

import (
	"time"

	"github.com/skiff-dev/skiff/api/meta"
)

// GetPodCondition returns the condition of type t in status, or nil. The result points into
// status.
func GetPodCondition(status *PodStatus, t PodConditionType) *PodCondition {
	if status == nil {
		return nil
	}
	for i := range status.Conditions {
		if status.Conditions[i].Type == t {
			return &status.Conditions[i]
		}
	}
	return nil
}

// GetPodReadyCondition returns the pod's Ready condition, or nil.
func GetPodReadyCondition(status *PodStatus) *PodCondition { return GetPodCondition(status, PodReady) }

// IsPodReady reports whether the pod's Ready condition is True.
func IsPodReady(pod *Pod) bool { return IsPodReadyConditionTrue(&pod.Status) }

// IsPodReadyConditionTrue reports whether status has a Ready condition that is True.
func IsPodReadyConditionTrue(status *PodStatus) bool {
	c := GetPodReadyCondition(status)
	return c != nil && c.Status == ConditionTrue
}

// UpdatePodCondition sets cond in status, adding it or replacing the condition of the same
// type, and reports whether anything changed. The caller fills cond.LastTransitionTime (and
// LastProbeTime) from its clock; when the status does not change, the existing
// LastTransitionTime is kept, so it always records the last change of status.
func UpdatePodCondition(status *PodStatus, cond *PodCondition) bool {
	old := GetPodCondition(status, cond.Type)
	if old == nil {
		status.Conditions = append(status.Conditions, *cond)
		return true
	}
	c := *cond
	if c.Status == old.Status {
		c.LastTransitionTime = old.LastTransitionTime
	}
	changed := c.Status != old.Status || c.Reason != old.Reason || c.Message != old.Message ||
		c.ObservedGeneration != old.ObservedGeneration ||
		!c.LastProbeTime.Equal(&old.LastProbeTime) || !c.LastTransitionTime.Equal(&old.LastTransitionTime)
	*old = c
	return changed
}

// IsPodAvailable reports whether the pod has been Ready for at least minReadySeconds at now
// (../shared/spec/pod-lifecycle.md §3): Ready is True and, unless minReadySeconds is 0, the
// Ready condition's lastTransitionTime plus minReadySeconds is before now.
func IsPodAvailable(pod *Pod, minReadySeconds int32, now time.Time) bool {
	c := GetPodReadyCondition(&pod.Status)
	if c == nil || c.Status != ConditionTrue {
		return false
	}
	if minReadySeconds == 0 {
		return true
	}
	min := time.Duration(minReadySeconds) * time.Second
	return !c.LastTransitionTime.IsZero() && c.LastTransitionTime.Add(min).Before(now)
}

// IsPodTerminal reports whether the pod reached a final phase, Succeeded or Failed.
func IsPodTerminal(pod *Pod) bool {
	return pod.Status.Phase == PodSucceeded || pod.Status.Phase == PodFailed
}

// IsPodActive reports whether controllers count the pod: not terminal and not being deleted.
func IsPodActive(pod *Pod) bool {
	return !IsPodTerminal(pod) && pod.DeletionTimestamp == nil
}

// IsPodScheduled reports whether the pod is bound to a node.
func IsPodScheduled(pod *Pod) bool { return pod.Spec.NodeName != "" }

// IsRestartableInitContainer reports whether an init container is a sidecar: its
// restartPolicy is Always.
func IsRestartableInitContainer(c *Container) bool {
	return c.RestartPolicy != nil && *c.RestartPolicy == ContainerRestartPolicyAlways
}

// GetContainerStatus returns the status of the named container in statuses, or nil. The
// result points into statuses.
func GetContainerStatus(statuses []ContainerStatus, name string) *ContainerStatus {
	for i := range statuses {
		if statuses[i].Name == name {
			return &statuses[i]
		}
	}
	return nil
}

// NewObjectReference returns a reference to obj. obj's TypeMeta must be filled in (objects
// read from the store and informers have it).
func NewObjectReference(obj meta.Object) ObjectReference {
	tm, m := obj.GetTypeMeta(), obj.GetObjectMeta()
	return ObjectReference{
		Kind:            tm.Kind,
		APIVersion:      tm.APIVersion,
		Namespace:       m.Namespace,
		Name:            m.Name,
		UID:             m.UID,
		ResourceVersion: m.ResourceVersion,
	}
}

// String renders the reference as "Kind namespace/name", or "Kind name" when cluster-scoped.
func (r ObjectReference) String() string {
	if r.Namespace == "" {
		return r.Kind + " " + r.Name
	}
	return r.Kind + " " + r.Namespace + "/" + r.Name
}
