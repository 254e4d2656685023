package statefulset

import (
	"slices"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

// This file holds the pure functions of persistentVolumeClaimRetentionPolicy
// (../shared/spec/statefulset.md §5): the policy is carried out by owner references on the
// claims, which the garbage collector follows; the controller never deletes a claim itself.
//
//	whenDeleted=Delete: the claim has a reference to the set (deleted with the set);
//	whenScaled=Delete:  the claim of a condemned pod (ordinal out of range) has a reference
//	                    to that pod (deleted with the pod); a pod back in range drops it;
//	Retain:             the controller removes such references.
//
// The references are plain ones (controller unset): the claim is not controlled by the set.

// retentionPolicy is set's policy with Retain for anything unset.
func retentionPolicy(set *apps.StatefulSet) apps.StatefulSetPersistentVolumeClaimRetentionPolicy {
	p := apps.StatefulSetPersistentVolumeClaimRetentionPolicy{
		WhenDeleted: apps.RetainPersistentVolumeClaimRetentionPolicyType,
		WhenScaled:  apps.RetainPersistentVolumeClaimRetentionPolicyType,
	}
	if sp := set.Spec.PersistentVolumeClaimRetentionPolicy; sp != nil {
		if sp.WhenDeleted == apps.DeletePersistentVolumeClaimRetentionPolicyType {
			p.WhenDeleted = sp.WhenDeleted
		}
		if sp.WhenScaled == apps.DeletePersistentVolumeClaimRetentionPolicyType {
			p.WhenScaled = sp.WhenScaled
		}
	}
	return p
}

// retainsAll reports whether the policy is Retain/Retain.
func retainsAll(p apps.StatefulSetPersistentVolumeClaimRetentionPolicy) bool {
	return p.WhenDeleted == apps.RetainPersistentVolumeClaimRetentionPolicyType &&
		p.WhenScaled == apps.RetainPersistentVolumeClaimRetentionPolicyType
}

// wantedClaimRefs says which of the set and the pod a claim should reference under set's
// policy, for a pod in or out of the ordinal range.
func wantedClaimRefs(set *apps.StatefulSet, pod *core.Pod) (wantSet, wantPod bool) {
	p := retentionPolicy(set)
	scaledDown := !inOrdinalRange(set, pod)
	deleteWhenScaled := p.WhenScaled == apps.DeletePersistentVolumeClaimRetentionPolicyType
	deleteWhenDeleted := p.WhenDeleted == apps.DeletePersistentVolumeClaimRetentionPolicyType
	switch {
	case deleteWhenScaled && deleteWhenDeleted:
		// A condemned pod's claim goes with the pod, the others with the set.
		return !scaledDown, scaledDown
	case deleteWhenScaled:
		return false, scaledDown
	case deleteWhenDeleted:
		return true, false
	}
	return false, false
}

// isRefTo reports whether ref names obj of kind gvk by kind, group and name (any UID).
func isRefTo(ref *meta.OwnerReference, gvk scheme.GroupVersionKind, name string) bool {
	if ref.Kind != gvk.Kind || ref.Name != name {
		return false
	}
	group, _ := scheme.SplitAPIVersion(ref.APIVersion)
	return group == gvk.Group
}

// hasRef reports whether claim references obj (kind, group, name and UID).
func hasRef(claim *core.PersistentVolumeClaim, gvk scheme.GroupVersionKind, obj meta.Object) bool {
	m := obj.GetObjectMeta()
	return slices.ContainsFunc(claim.OwnerReferences, func(r meta.OwnerReference) bool {
		return isRefTo(&r, gvk, m.Name) && r.UID == m.UID
	})
}

// hasUnexpectedController reports whether claim is managed by someone the controller must
// leave alone: under a policy other than Retain/Retain, a reference to a set or pod of the
// same name but another UID (an earlier incarnation, left to the garbage collector), or a
// controller reference to anything else. Under Retain/Retain nothing is unexpected.
func hasUnexpectedController(claim *core.PersistentVolumeClaim, set *apps.StatefulSet, pod *core.Pod) bool {
	if retainsAll(retentionPolicy(set)) {
		return false
	}
	for i := range claim.OwnerReferences {
		r := &claim.OwnerReferences[i]
		switch {
		case isRefTo(r, scheme.StatefulSetGVK, set.Name):
			if r.UID != set.UID {
				return true
			}
		case isRefTo(r, scheme.PodGVK, pod.Name):
			if r.UID != pod.UID {
				return true
			}
		case r.IsController():
			return true
		}
	}
	return false
}

// claimMatchesPolicy reports whether claim's references to set and pod are those the policy
// wants (a claim with an unexpected controller never does).
func claimMatchesPolicy(claim *core.PersistentVolumeClaim, set *apps.StatefulSet, pod *core.Pod) bool {
	if hasUnexpectedController(claim, set, pod) {
		return false
	}
	wantSet, wantPod := wantedClaimRefs(set, pod)
	return hasRef(claim, scheme.StatefulSetGVK, set) == wantSet && hasRef(claim, scheme.PodGVK, pod) == wantPod
}

// updateClaimRefs changes claim's references to set and pod to those the policy wants and
// reports whether it changed anything. A claim with an unexpected controller is left alone.
// pod must exist (have a UID) for a pod reference to be added.
func updateClaimRefs(claim *core.PersistentVolumeClaim, set *apps.StatefulSet, pod *core.Pod) bool {
	if hasUnexpectedController(claim, set, pod) {
		return false
	}
	wantSet, wantPod := wantedClaimRefs(set, pod)
	changed := setRef(claim, scheme.StatefulSetGVK, set, wantSet)
	if pod.UID != "" || !wantPod {
		changed = setRef(claim, scheme.PodGVK, pod, wantPod) || changed
	}
	return changed
}

// setRef adds (want) or removes (!want) claim's plain reference to obj and reports whether
// it changed anything. Removal drops every reference with obj's UID.
func setRef(claim *core.PersistentVolumeClaim, gvk scheme.GroupVersionKind, obj meta.Object, want bool) bool {
	m := obj.GetObjectMeta()
	has := slices.ContainsFunc(claim.OwnerReferences, func(r meta.OwnerReference) bool { return r.UID == m.UID })
	switch {
	case want && !has:
		claim.OwnerReferences = append(claim.OwnerReferences, meta.OwnerReference{
			APIVersion: gvk.APIVersion(), Kind: gvk.Kind, Name: m.Name, UID: m.UID,
		})
		return true
	case !want && has:
		claim.OwnerReferences = slices.DeleteFunc(claim.OwnerReferences, func(r meta.OwnerReference) bool { return r.UID == m.UID })
		if len(claim.OwnerReferences) == 0 {
			claim.OwnerReferences = nil
		}
		return true
	}
	return false
}

// claimIsStale reports whether claim belongs to an earlier pod of the same name: under
// whenScaled=Delete, a claim referencing a pod of pod's name but another UID (or any, when pod
// is not created yet) is waiting for the garbage collector, and the pod must not be created
// on it.
func claimIsStale(claim *core.PersistentVolumeClaim, set *apps.StatefulSet, pod *core.Pod) bool {
	if retentionPolicy(set).WhenScaled != apps.DeletePersistentVolumeClaimRetentionPolicyType {
		return false
	}
	for i := range claim.OwnerReferences {
		r := &claim.OwnerReferences[i]
		if isRefTo(r, scheme.PodGVK, pod.Name) {
			return r.UID != pod.UID
		}
	}
	return false
}
