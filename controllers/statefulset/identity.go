package statefulset

import (
	"maps"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
)

// This file holds the pure functions of a StatefulSet pod's identity
// (../shared/spec/statefulset.md §2): its name and ordinal, its labels, hostname and
// subdomain, and the claims of its volumeClaimTemplates.

// parentAndOrdinal parses a pod name of the form "<parent>-<ordinal>". The ordinal is -1 when
// the name has no such form (no dash, a suffix that is not all digits, or one that overflows
// an int32), as Kubernetes' getParentNameAndOrdinal does.
func parentAndOrdinal(name string) (string, int) {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 {
		return "", -1
	}
	suffix := name[i+1:]
	for j := 0; j < len(suffix); j++ {
		if suffix[j] < '0' || suffix[j] > '9' {
			return "", -1
		}
	}
	n, err := strconv.ParseInt(suffix, 10, 32)
	if err != nil {
		return "", -1
	}
	return name[:i], int(n)
}

// ordinalOf returns the ordinal of a pod's name, -1 if it has none.
func ordinalOf(pod *core.Pod) int {
	_, ord := parentAndOrdinal(pod.Name)
	return ord
}

// isMemberOf reports whether pod's name makes it one of set's pods: "<set>-<ordinal>". It is
// the extra filter of a StatefulSet's claim (objects.md §4).
func isMemberOf(set *apps.StatefulSet, pod *core.Pod) bool {
	parent, ord := parentAndOrdinal(pod.Name)
	return ord >= 0 && parent == set.Name
}

// startOrdinal is the first ordinal of set: spec.ordinals.start, 0 when unset.
func startOrdinal(set *apps.StatefulSet) int {
	if set.Spec.Ordinals != nil {
		return int(set.Spec.Ordinals.Start)
	}
	return 0
}

// replicaCount is spec.replicas (1 when unset, its default).
func replicaCount(set *apps.StatefulSet) int {
	if set.Spec.Replicas != nil {
		return int(*set.Spec.Replicas)
	}
	return 1
}

// endOrdinal is the last ordinal of set's range: start + replicas − 1 (below start when
// replicas is 0).
func endOrdinal(set *apps.StatefulSet) int { return startOrdinal(set) + replicaCount(set) - 1 }

// inOrdinalRange reports whether pod's ordinal is in [start, start+replicas).
func inOrdinalRange(set *apps.StatefulSet, pod *core.Pod) bool {
	ord := ordinalOf(pod)
	return ord >= startOrdinal(set) && ord <= endOrdinal(set)
}

// podName is the name of set's pod with ordinal ord.
func podName(set *apps.StatefulSet, ord int) string { return set.Name + "-" + strconv.Itoa(ord) }

// claimName is the name of the claim of template claim for set's pod with ordinal ord:
// "<claim>-<set>-<ordinal>".
func claimName(set *apps.StatefulSet, claim *core.PersistentVolumeClaim, ord int) string {
	return claim.Name + "-" + set.Name + "-" + strconv.Itoa(ord)
}

// revisionOf returns the revision a pod was made from: its controller-revision-hash label,
// which for StatefulSets holds the ControllerRevision's name.
func revisionOf(pod *core.Pod) string { return pod.Labels[apps.StatefulSetRevisionLabel] }

// podClaims returns the claims set's pod with ordinal ord uses, one per volumeClaimTemplate in
// template order, each named by claimName, in set's namespace, labelled with the template's
// labels and the selector's matchLabels. They share nothing with set.
func podClaims(set *apps.StatefulSet, ord int) []*core.PersistentVolumeClaim {
	out := make([]*core.PersistentVolumeClaim, 0, len(set.Spec.VolumeClaimTemplates))
	for i := range set.Spec.VolumeClaimTemplates {
		tmpl := &set.Spec.VolumeClaimTemplates[i]
		c := &core.PersistentVolumeClaim{
			ObjectMeta: meta.ObjectMeta{
				Name:        claimName(set, tmpl, ord),
				Namespace:   set.Namespace,
				Labels:      maps.Clone(tmpl.Labels),
				Annotations: maps.Clone(tmpl.Annotations),
			},
			Spec: *tmpl.Spec.DeepCopy(),
		}
		if set.Spec.Selector != nil && len(set.Spec.Selector.MatchLabels) > 0 {
			if c.Labels == nil {
				c.Labels = map[string]string{}
			}
			maps.Copy(c.Labels, set.Spec.Selector.MatchLabels)
		}
		out = append(out, c)
	}
	return out
}

// newPod returns set's pod with ordinal ord, made from set's template and labelled with
// revision: name "<set>-<ord>", hostname the name, subdomain serviceName, the pod-name and
// pod-index labels, a controller reference through ref, and a volume per claim template
// pointing at its claim (replacing a template volume of the same name).
func newPod(set *apps.StatefulSet, ref meta.OwnerReference, ord int, revision string) *core.Pod {
	pod := podcontrol.PodFromTemplate(&set.Spec.Template, set.Name, &ref)
	pod.Name = podName(set, ord)
	pod.Namespace = set.Namespace
	pod.Spec.Hostname = pod.Name
	pod.Spec.Subdomain = set.Spec.ServiceName
	setIdentityLabels(set, pod)
	setStorage(set, pod)
	if revision != "" {
		pod.Labels[apps.StatefulSetRevisionLabel] = revision
	}
	return pod
}

// setIdentityLabels sets the labels that name pod within set: pod-name and pod-index.
func setIdentityLabels(set *apps.StatefulSet, pod *core.Pod) {
	if pod.Labels == nil {
		pod.Labels = map[string]string{}
	}
	pod.Labels[apps.StatefulSetPodNameLabel] = pod.Name
	pod.Labels[apps.PodIndexLabel] = strconv.Itoa(ordinalOf(pod))
}

// setStorage makes pod's volumes point at its claims: one volume per claim template, named
// like the template, first in template order, then the pod's other volumes.
func setStorage(set *apps.StatefulSet, pod *core.Pod) {
	ord := ordinalOf(pod)
	templates := set.Spec.VolumeClaimTemplates
	if len(templates) == 0 {
		return
	}
	isClaim := make(map[string]bool, len(templates))
	vols := make([]core.Volume, 0, len(templates)+len(pod.Spec.Volumes))
	for i := range templates {
		isClaim[templates[i].Name] = true
		vols = append(vols, core.Volume{
			Name: templates[i].Name,
			VolumeSource: core.VolumeSource{PersistentVolumeClaim: &core.PersistentVolumeClaimVolumeSource{
				ClaimName: claimName(set, &templates[i], ord),
			}},
		})
	}
	for _, v := range pod.Spec.Volumes {
		if !isClaim[v.Name] {
			vols = append(vols, v)
		}
	}
	pod.Spec.Volumes = vols
}

// identityMatches reports whether pod carries set's identity for its ordinal: its name parses
// as "<set>-<ordinal>", it is in set's namespace, and its pod-name and pod-index labels are
// right.
func identityMatches(set *apps.StatefulSet, pod *core.Pod) bool {
	parent, ord := parentAndOrdinal(pod.Name)
	return ord >= 0 && parent == set.Name && pod.Namespace == set.Namespace &&
		pod.Labels[apps.StatefulSetPodNameLabel] == pod.Name &&
		pod.Labels[apps.PodIndexLabel] == strconv.Itoa(ord)
}

// storageMatches reports whether every claim template of set has a volume of pod pointing at
// the right claim.
func storageMatches(set *apps.StatefulSet, pod *core.Pod) bool {
	ord := ordinalOf(pod)
	if ord < 0 {
		return false
	}
	vols := make(map[string]*core.Volume, len(pod.Spec.Volumes))
	for i := range pod.Spec.Volumes {
		vols[pod.Spec.Volumes[i].Name] = &pod.Spec.Volumes[i]
	}
	for i := range set.Spec.VolumeClaimTemplates {
		t := &set.Spec.VolumeClaimTemplates[i]
		v := vols[t.Name]
		if v == nil || v.PersistentVolumeClaim == nil || v.PersistentVolumeClaim.ClaimName != claimName(set, t, ord) {
			return false
		}
	}
	return true
}

// Pod states, as the StatefulSet controller sees them (stateful_set_utils.go).

// isCreated reports whether pod exists: it has a phase (virtual pods, not yet created, have
// none).
func isCreated(pod *core.Pod) bool { return pod.Status.Phase != "" }

// isTerminating reports whether pod is being deleted.
func isTerminating(pod *core.Pod) bool { return pod.DeletionTimestamp != nil }

// isRunningAndReady reports whether pod is Running with a True Ready condition.
func isRunningAndReady(pod *core.Pod) bool {
	return pod.Status.Phase == core.PodRunning && core.IsPodReady(pod)
}

// isHealthy reports whether pod is Running, Ready and not terminating.
func isHealthy(pod *core.Pod) bool { return isRunningAndReady(pod) && !isTerminating(pod) }

// isFinished reports whether pod reached Failed or Succeeded: a StatefulSet pod that stops
// for good is replaced, whatever its exit codes.
func isFinished(pod *core.Pod) bool {
	return pod.Status.Phase == core.PodFailed || pod.Status.Phase == core.PodSucceeded
}
