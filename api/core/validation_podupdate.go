package core

import (
	"fmt"
	"maps"
	"strings"

	"github.com/skiff-dev/skiff/api/validation"
)

// podUpdateForbidden is Kubernetes' message for a pod update that changes an immutable field.
const podUpdateForbidden = "pod updates may not change fields other than `spec.containers[*].image`," +
	"`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to " +
	"existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)"

// ValidatePodUpdate checks an update of a pod's metadata and spec (status changes go through
// ValidatePodStatusUpdate). The new spec must pass the pod spec rules, and it is immutable
// except for:
//   - container and init container images;
//   - activeDeadlineSeconds, which may be set, or lowered, but not removed or raised;
//   - tolerations, which may only be added (existing ones may change only tolerationSeconds);
//   - scheduling gates, which may only be removed, and while the pod is still gated,
//     nodeSelector entries may be added;
//   - terminationGracePeriodSeconds, from a negative value to 1;
//   - nodeName, from empty to a node name (skiff's stand-in for the pods/binding
//     subresource).
//
// Any other change gives `spec: Forbidden: pod updates may not change fields other than ...`
// followed by the fields that changed.
func ValidatePodUpdate(newPod, oldPod *Pod) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newPod.ObjectMeta, &oldPod.ObjectMeta, true,
		validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	specPath := validation.NewPath("spec")
	ns, os := &newPod.Spec, &oldPod.Spec
	// The new spec must be valid as a whole (this covers new images and tolerations) ...
	errs = append(errs, validatePodSpec(ns, true, specPath)...)
	// ... and may differ from the old one only where updates are allowed.
	adPath := specPath.Child("activeDeadlineSeconds")
	switch nd, od := ns.ActiveDeadlineSeconds, os.ActiveDeadlineSeconds; {
	case od != nil && nd == nil:
		errs = append(errs, validation.Invalid(adPath, nd, "must not update from a positive integer to nil value"))
	case od != nil && *nd > *od:
		errs = append(errs, validation.Invalid(adPath, *nd, "must be less than or equal to previous value"))
	}
	errs = append(errs, validateOnlyAddedTolerations(ns.Tolerations, os.Tolerations, specPath.Child("tolerations"))...)
	errs = append(errs, validateOnlyRemovedSchedulingGates(ns.SchedulingGates, os.SchedulingGates, specPath.Child("schedulingGates"))...)

	// Copy the allowed changes onto the old spec; what still differs was not allowed.
	merged := os.DeepCopy()
	for i := range merged.Containers {
		if i < len(ns.Containers) {
			merged.Containers[i].Image = ns.Containers[i].Image
		}
	}
	for i := range merged.InitContainers {
		if i < len(ns.InitContainers) {
			merged.InitContainers[i].Image = ns.InitContainers[i].Image
		}
	}
	// Binding: skiff has no pods/binding subresource, so an update may set spec.nodeName once,
	// from empty to a node (the scheduler binds this way). Changing it afterwards is forbidden.
	if os.NodeName == "" {
		merged.NodeName = ns.NodeName
	}
	merged.ActiveDeadlineSeconds = ns.ActiveDeadlineSeconds
	merged.Tolerations = ns.Tolerations
	merged.SchedulingGates = ns.SchedulingGates
	if g := os.TerminationGracePeriodSeconds; g != nil && *g < 0 && ns.TerminationGracePeriodSeconds != nil &&
		*ns.TerminationGracePeriodSeconds == 1 {
		merged.TerminationGracePeriodSeconds = ns.TerminationGracePeriodSeconds
	}
	if len(os.SchedulingGates) > 0 && !maps.Equal(ns.NodeSelector, os.NodeSelector) {
		added := true
		for k, v := range os.NodeSelector {
			if nv, ok := ns.NodeSelector[k]; !ok || nv != v {
				added = false
			}
		}
		if added {
			merged.NodeSelector = ns.NodeSelector
		} else {
			errs = append(errs, validation.Invalid(specPath.Child("nodeSelector"), "",
				"only additions to spec.nodeSelector are allowed (no mutations or deletions)"))
		}
	}
	if diff := semanticDiff(*merged, *ns, "spec", 10); len(diff) > 0 {
		errs = append(errs, validation.Forbidden(specPath, podUpdateForbidden+"\nchanged: "+strings.Join(diff, ", ")))
	}
	return errs
}

// validateOnlyAddedTolerations requires every old toleration to still be present, ignoring
// tolerationSeconds.
func validateOnlyAddedTolerations(newTols, oldTols []Toleration, p *path) errorList {
	for i := range oldTols {
		found := false
		for j := range newTols {
			if oldTols[i].MatchToleration(&newTols[j]) {
				found = true
				break
			}
		}
		if !found {
			return errorList{validation.Forbidden(p, "existing toleration can not be modified except its tolerationSeconds")}
		}
	}
	return nil
}

func validateOnlyRemovedSchedulingGates(newGates, oldGates []PodSchedulingGate, p *path) errorList {
	old := map[string]bool{}
	for _, g := range oldGates {
		old[g.Name] = true
	}
	var errs errorList
	for _, g := range newGates {
		if !old[g.Name] {
			errs = append(errs, validation.Forbidden(p, fmt.Sprintf("only deletion is allowed, but found new scheduling gate '%s'", g.Name)))
		}
	}
	return errs
}

var podPhases = []PodPhase{PodPending, PodRunning, PodSucceeded, PodFailed, PodUnknown}

// ValidatePodStatusUpdate checks an update through the status subresource: the metadata
// rules, a known phase that never leaves Succeeded or Failed, well-formed conditions, container
// statuses naming containers of the spec, and valid IP addresses.
func ValidatePodStatusUpdate(newPod, oldPod *Pod) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newPod.ObjectMeta, &oldPod.ObjectMeta, true,
		validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	sp := validation.NewPath("status")
	st := &newPod.Status
	if st.Phase != "" {
		errs = append(errs, requiredEnum(st.Phase, sp.Child("phase"), podPhases...)...)
	}
	if IsPodTerminal(oldPod) && st.Phase != oldPod.Status.Phase {
		errs = append(errs, validation.Forbidden(sp.Child("phase"),
			fmt.Sprintf("may not change from %s to %s: the pod is terminated", oldPod.Status.Phase, st.Phase)))
	}
	for i, c := range st.Conditions {
		cp := sp.Child("conditions").Index(i)
		if c.Type == "" {
			errs = append(errs, validation.Required(cp.Child("type"), ""))
		} else {
			errs = append(errs, validateQualifiedName(string(c.Type), cp.Child("type"))...)
		}
		errs = append(errs, requiredEnum(c.Status, cp.Child("status"), ConditionTrue, ConditionFalse, ConditionUnknown)...)
	}
	errs = append(errs, validateContainerStatuses(st.InitContainerStatuses, containerNames(newPod.Spec.InitContainers), sp.Child("initContainerStatuses"))...)
	errs = append(errs, validateContainerStatuses(st.ContainerStatuses, containerNames(newPod.Spec.Containers), sp.Child("containerStatuses"))...)
	ephemeral := map[string]bool{}
	for _, c := range newPod.Spec.EphemeralContainers {
		ephemeral[c.Name] = true
	}
	errs = append(errs, validateContainerStatuses(st.EphemeralContainerStatuses, ephemeral, sp.Child("ephemeralContainerStatuses"))...)
	if st.PodIP != "" {
		errs = append(errs, validateIP(st.PodIP, sp.Child("podIP"))...)
	}
	for i, ip := range st.PodIPs {
		errs = append(errs, validateIP(ip.IP, sp.Child("podIPs").Index(i).Child("ip"))...)
	}
	if st.HostIP != "" {
		errs = append(errs, validateIP(st.HostIP, sp.Child("hostIP"))...)
	}
	for i, ip := range st.HostIPs {
		errs = append(errs, validateIP(ip.IP, sp.Child("hostIPs").Index(i).Child("ip"))...)
	}
	if st.NominatedNodeName != "" {
		errs = append(errs, validateDNSSubdomain(st.NominatedNodeName, sp.Child("nominatedNodeName"))...)
	}
	return errs
}

func containerNames(cs []Container) map[string]bool {
	names := make(map[string]bool, len(cs))
	for _, c := range cs {
		names[c.Name] = true
	}
	return names
}

func validateContainerStatuses(statuses []ContainerStatus, names map[string]bool, p *path) errorList {
	var errs errorList
	for i, s := range statuses {
		ip := p.Index(i)
		if !names[s.Name] {
			errs = append(errs, validation.NotFound(ip.Child("name"), s.Name))
		}
		errs = append(errs, validation.ValidateNonnegative(s.RestartCount, ip.Child("restartCount"))...)
		for field, st := range map[string]ContainerState{"state": s.State, "lastState": s.LastTerminationState} {
			n := 0
			for _, set := range []bool{st.Waiting != nil, st.Running != nil, st.Terminated != nil} {
				if set {
					n++
				}
			}
			if n > 1 {
				errs = append(errs, validation.Invalid(ip.Child(field), "", "may not have more than one of waiting, running and terminated"))
			}
		}
	}
	return sortErrors(errs)
}
