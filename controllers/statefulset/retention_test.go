package statefulset

import (
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

const (
	retain = apps.RetainPersistentVolumeClaimRetentionPolicyType
	del    = apps.DeletePersistentVolumeClaimRetentionPolicyType
)

func policySet(whenDeleted, whenScaled apps.PersistentVolumeClaimRetentionPolicyType) *apps.StatefulSet {
	return testSet(func(s *apps.StatefulSet) {
		s.Spec.Replicas = new(int32(2))
		s.Spec.PersistentVolumeClaimRetentionPolicy = &apps.StatefulSetPersistentVolumeClaimRetentionPolicy{WhenDeleted: whenDeleted, WhenScaled: whenScaled}
	})
}

func podNamed(name string, uid meta.UID) *core.Pod {
	return &core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: name, UID: uid}}
}

func TestWantedClaimRefs(t *testing.T) {
	tests := []struct {
		whenDeleted, whenScaled apps.PersistentVolumeClaimRetentionPolicyType
		pod                     string // web-1 is in range, web-5 condemned
		wantSet, wantPod        bool
	}{
		{retain, retain, "web-1", false, false},
		{retain, retain, "web-5", false, false},
		{del, retain, "web-1", true, false},
		{del, retain, "web-5", true, false},
		{retain, del, "web-1", false, false},
		{retain, del, "web-5", false, true},
		{del, del, "web-1", true, false},
		{del, del, "web-5", false, true},
	}
	for _, tc := range tests {
		t.Run(string(tc.whenDeleted)+"/"+string(tc.whenScaled)+"/"+tc.pod, func(t *testing.T) {
			set := policySet(tc.whenDeleted, tc.whenScaled)
			pod := podNamed(tc.pod, "pod-uid")
			gotSet, gotPod := wantedClaimRefs(set, pod)
			if gotSet != tc.wantSet || gotPod != tc.wantPod {
				t.Errorf("wantedClaimRefs = %v, %v; want %v, %v", gotSet, gotPod, tc.wantSet, tc.wantPod)
			}
			// updateClaimRefs makes any claim match, and is then idempotent.
			claim := &core.PersistentVolumeClaim{ObjectMeta: meta.ObjectMeta{Name: "data-" + tc.pod, OwnerReferences: []meta.OwnerReference{
				{APIVersion: "v1", Kind: "ConfigMap", Name: "keep-me", UID: "cm"},
			}}}
			if !tc.wantSet && !tc.wantPod {
				claim.OwnerReferences = append(claim.OwnerReferences,
					meta.OwnerReference{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "web", UID: set.UID},
					meta.OwnerReference{APIVersion: "v1", Kind: "Pod", Name: tc.pod, UID: pod.UID})
			}
			updateClaimRefs(claim, set, pod)
			if !claimMatchesPolicy(claim, set, pod) {
				t.Errorf("after updateClaimRefs the claim does not match: %v", claim.OwnerReferences)
			}
			if updateClaimRefs(claim, set, pod) {
				t.Error("updateClaimRefs changed a matching claim")
			}
			if claim.OwnerReferences[0].Name != "keep-me" {
				t.Errorf("other references were dropped: %v", claim.OwnerReferences)
			}
			for _, r := range claim.OwnerReferences {
				if r.IsController() {
					t.Errorf("reference %v is a controller reference", r)
				}
			}
		})
	}
}

func TestUnexpectedControllerAndStaleClaims(t *testing.T) {
	set := policySet(del, del)
	pod := podNamed("web-1", "pod-uid")
	ref := func(kind, apiVersion, name string, uid meta.UID, controller bool) meta.OwnerReference {
		r := meta.OwnerReference{APIVersion: apiVersion, Kind: kind, Name: name, UID: uid}
		if controller {
			r.Controller = new(true)
		}
		return r
	}
	tests := []struct {
		name       string
		set        *apps.StatefulSet
		refs       []meta.OwnerReference
		unexpected bool
		stale      bool
	}{
		{"no references", set, nil, false, false},
		{"this set and pod", set, []meta.OwnerReference{ref("StatefulSet", "apps/v1", "web", set.UID, false), ref("Pod", "v1", "web-1", pod.UID, false)}, false, false},
		{"an earlier set", set, []meta.OwnerReference{ref("StatefulSet", "apps/v1", "web", "old-set", false)}, true, false},
		{"an earlier pod", set, []meta.OwnerReference{ref("Pod", "v1", "web-1", "old-pod", false)}, true, true},
		{"another controller", set, []meta.OwnerReference{ref("Thing", "example.com/v1", "x", "x", true)}, true, false},
		{"another plain owner", set, []meta.OwnerReference{ref("Thing", "example.com/v1", "x", "x", false)}, false, false},
		{"retain/retain ignores everything", policySet(retain, retain), []meta.OwnerReference{ref("Thing", "example.com/v1", "x", "x", true), ref("Pod", "v1", "web-1", "old-pod", false)}, false, false},
		{"whenScaled retain is never stale", policySet(del, retain), []meta.OwnerReference{ref("Pod", "v1", "web-1", "old-pod", false)}, true, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := &core.PersistentVolumeClaim{ObjectMeta: meta.ObjectMeta{Name: "data-web-1", OwnerReferences: tc.refs}}
			if got := hasUnexpectedController(c, tc.set, pod); got != tc.unexpected {
				t.Errorf("hasUnexpectedController = %v, want %v", got, tc.unexpected)
			}
			if got := claimIsStale(c, tc.set, pod); got != tc.stale {
				t.Errorf("claimIsStale = %v, want %v", got, tc.stale)
			}
			if tc.unexpected {
				before := len(c.OwnerReferences)
				if updateClaimRefs(c, tc.set, pod) || len(c.OwnerReferences) != before {
					t.Error("updateClaimRefs touched a claim with an unexpected controller")
				}
			}
		})
	}
	// A pod not yet created (no UID) finds any claim referencing its name stale.
	virtual := podNamed("web-1", "")
	c := &core.PersistentVolumeClaim{ObjectMeta: meta.ObjectMeta{OwnerReferences: []meta.OwnerReference{ref("Pod", "v1", "web-1", "pod-uid", false)}}}
	if !claimIsStale(c, set, virtual) {
		t.Error("a claim of an earlier pod is not stale for a pod to create")
	}
	if !isRefTo(&c.OwnerReferences[0], scheme.PodGVK, "web-1") || isRefTo(&c.OwnerReferences[0], scheme.StatefulSetGVK, "web-1") {
		t.Error("isRefTo")
	}
}
