package apps

import (
	"fmt"
	"slices"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/validation"
)

// ValidateStatefulSet checks a StatefulSet on create (../shared/spec/statefulset.md §1): the
// name is a DNS label (pod names and hostnames derive from it); replicas, minReadySeconds,
// revisionHistoryLimit and ordinals.start are not negative; podManagementPolicy and the update
// strategy are known values (partition ≥ 0, maxUnavailable a positive count or a percentage
// in (0%, 100%]); the PVC retention policy is Retain or Delete; the selector is present,
// non-empty and matches the template's labels; the template, with a volume for each claim
// template, is a valid pod template with restartPolicy Always and no activeDeadlineSeconds.
func ValidateStatefulSet(ss *StatefulSet) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&ss.ObjectMeta, true, validation.NameIsDNSLabel, validation.NewPath("metadata"))
	return append(errs, validateStatefulSetSpec(&ss.Spec, validation.NewPath("spec"))...)
}

// statefulSetMutableFields names the spec fields an update may change, in the wording of the
// error that rejects changes to the others.
const statefulSetMutableFields = "'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds'"

// ValidateStatefulSetUpdate checks an update of old to ss: the spec must be valid and only
// replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and
// minReadySeconds may change; a change to any other spec field (selector, serviceName,
// podManagementPolicy, volumeClaimTemplates, revisionHistoryLimit) is forbidden.
func ValidateStatefulSetUpdate(ss, old *StatefulSet) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&ss.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSLabel, validation.NewPath("metadata"))
	errs = append(errs, validateStatefulSetSpec(&ss.Spec, validation.NewPath("spec"))...)

	// Compare what is left once the mutable fields are made equal. The copy is shallow, which
	// is enough: only the top-level fields are replaced and nothing is modified in place.
	rest := ss.Spec
	rest.Replicas = old.Spec.Replicas
	rest.Ordinals = old.Spec.Ordinals
	rest.Template = old.Spec.Template
	rest.UpdateStrategy = old.Spec.UpdateStrategy
	rest.PersistentVolumeClaimRetentionPolicy = old.Spec.PersistentVolumeClaimRetentionPolicy
	rest.MinReadySeconds = old.Spec.MinReadySeconds
	if !equalJSON(rest, old.Spec) {
		errs = append(errs, validation.Forbidden(validation.NewPath("spec"), "updates to statefulset spec for fields other than "+statefulSetMutableFields+" are forbidden"))
	}
	return errs
}

// ValidateStatefulSetStatusUpdate checks a write of ss's status over old: counts are not
// negative, ready, current, updated and available replicas do not exceed replicas, available
// does not exceed ready, and collisionCount never goes down.
func ValidateStatefulSetStatusUpdate(ss, old *StatefulSet) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&ss.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSLabel, validation.NewPath("metadata"))
	p := validation.NewPath("status")
	s := &ss.Status
	errs = append(errs, validation.ValidateNonnegative(s.ObservedGeneration, p.Child("observedGeneration"))...)
	errs = append(errs, validation.ValidateNonnegative(s.Replicas, p.Child("replicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.ReadyReplicas, p.Child("readyReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.CurrentReplicas, p.Child("currentReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.UpdatedReplicas, p.Child("updatedReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.AvailableReplicas, p.Child("availableReplicas"))...)
	if s.CollisionCount != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.CollisionCount, p.Child("collisionCount"))...)
	}
	const msg = "cannot be greater than status.replicas"
	errs = append(errs, validateNotGreater(s.ReadyReplicas, s.Replicas, msg, p.Child("readyReplicas"))...)
	errs = append(errs, validateNotGreater(s.CurrentReplicas, s.Replicas, msg, p.Child("currentReplicas"))...)
	errs = append(errs, validateNotGreater(s.UpdatedReplicas, s.Replicas, msg, p.Child("updatedReplicas"))...)
	errs = append(errs, validateNotGreater(s.AvailableReplicas, s.Replicas, msg, p.Child("availableReplicas"))...)
	errs = append(errs, validateNotGreater(s.AvailableReplicas, s.ReadyReplicas, "cannot be greater than status.readyReplicas", p.Child("availableReplicas"))...)
	return append(errs, validateCollisionCount(s.CollisionCount, old.Status.CollisionCount, p.Child("collisionCount"))...)
}

func validateStatefulSetSpec(s *StatefulSetSpec, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	switch s.PodManagementPolicy {
	case "":
		errs = append(errs, validation.Required(p.Child("podManagementPolicy"), ""))
	case OrderedReadyPodManagement, ParallelPodManagement:
	default:
		errs = append(errs, validation.Invalid(p.Child("podManagementPolicy"), string(s.PodManagementPolicy), fmt.Sprintf("must be '%s' or '%s'", OrderedReadyPodManagement, ParallelPodManagement)))
	}
	errs = append(errs, validateStatefulSetUpdateStrategy(&s.UpdateStrategy, p.Child("updateStrategy"))...)
	if r := s.PersistentVolumeClaimRetentionPolicy; r != nil {
		rp := p.Child("persistentVolumeClaimRetentionPolicy")
		errs = append(errs, validateRetentionPolicyType(r.WhenDeleted, rp.Child("whenDeleted"))...)
		errs = append(errs, validateRetentionPolicyType(r.WhenScaled, rp.Child("whenScaled"))...)
	}
	if s.Replicas != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.Replicas, p.Child("replicas"))...)
	}
	if s.Ordinals != nil {
		errs = append(errs, validation.ValidateNonnegative(s.Ordinals.Start, p.Child("ordinals", "start"))...)
	}
	errs = append(errs, validation.ValidateNonnegative(s.MinReadySeconds, p.Child("minReadySeconds"))...)
	if s.RevisionHistoryLimit != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.RevisionHistoryLimit, p.Child("revisionHistoryLimit"))...)
	}
	sel, selErrs := validateSelector(s.Selector, "statefulset", p.Child("selector"))
	errs = append(errs, selErrs...)
	errs = append(errs, validateSelectorMatchesTemplate(sel, &s.Template, p.Child("template"))...)
	errs = append(errs, validateClaimTemplates(s.VolumeClaimTemplates, p.Child("volumeClaimTemplates"))...)
	errs = append(errs, core.ValidatePodTemplateSpec(templateWithClaims(s), p.Child("template"))...)
	return append(errs, validateRestartAlways(&s.Template, "StatefulSet", p.Child("template"))...)
}

// templateWithClaims returns the set's pod template with a persistentVolumeClaim volume for
// every claim template the pod spec does not already declare, as the controller builds its
// pods, so that mounts of claim volumes validate. The result shares memory with s and must
// not be modified.
func templateWithClaims(s *StatefulSetSpec) *core.PodTemplateSpec {
	t := s.Template
	for _, c := range s.VolumeClaimTemplates {
		if len(validation.IsDNS1123Label(c.Name)) > 0 {
			continue // reported on the claim template
		}
		if slices.ContainsFunc(t.Spec.Volumes, func(v core.Volume) bool { return v.Name == c.Name }) {
			continue
		}
		// Clip so that appending never writes into the caller's backing array.
		t.Spec.Volumes = append(slices.Clip(t.Spec.Volumes), core.Volume{
			Name:         c.Name,
			VolumeSource: core.VolumeSource{PersistentVolumeClaim: &core.PersistentVolumeClaimVolumeSource{ClaimName: c.Name}},
		})
	}
	return &t
}

// validateClaimTemplates checks the volume claim templates: each needs a name that is a DNS
// label (it names a pod volume) and unique, and a valid claim spec.
func validateClaimTemplates(claims []core.PersistentVolumeClaim, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	seen := make(map[string]bool, len(claims))
	for i := range claims {
		c := &claims[i]
		ip := p.Index(i)
		np := ip.Child("metadata", "name")
		switch {
		case c.Name == "":
			errs = append(errs, validation.Required(np, ""))
		case seen[c.Name]:
			errs = append(errs, validation.Duplicate(np, c.Name))
		default:
			for _, msg := range validation.IsDNS1123Label(c.Name) {
				errs = append(errs, validation.Invalid(np, c.Name, msg))
			}
		}
		seen[c.Name] = true
		errs = append(errs, validation.ValidateLabels(c.Labels, ip.Child("metadata", "labels"))...)
		errs = append(errs, validation.ValidateAnnotations(c.Annotations, ip.Child("metadata", "annotations"))...)
		errs = append(errs, core.ValidatePVCSpec(&c.Spec, ip.Child("spec"))...)
	}
	return errs
}

func validateStatefulSetUpdateStrategy(s *StatefulSetUpdateStrategy, p *validation.Path) validation.ErrorList {
	switch s.Type {
	case "":
		return validation.ErrorList{validation.Required(p, "")}
	case OnDeleteStatefulSetStrategyType:
		if s.RollingUpdate != nil {
			return validation.ErrorList{validation.Invalid(p.Child("rollingUpdate"), badValue(s.RollingUpdate), fmt.Sprintf("only allowed for updateStrategy '%s'", RollingUpdateStatefulSetStrategyType))}
		}
		return nil
	case RollingUpdateStatefulSetStrategyType:
		if s.RollingUpdate == nil {
			return nil
		}
		rp := p.Child("rollingUpdate")
		var errs validation.ErrorList
		if s.RollingUpdate.Partition != nil {
			errs = append(errs, validation.ValidateNonnegative(*s.RollingUpdate.Partition, rp.Child("partition"))...)
		}
		if mu := s.RollingUpdate.MaxUnavailable; mu != nil {
			mp := rp.Child("maxUnavailable")
			errs = append(errs, validatePositiveIntOrPercent(mu, mp)...)
			if intOrPercentValue(mu) == 0 {
				errs = append(errs, validation.Invalid(mp, badValue(mu), "cannot be 0"))
			}
			errs = append(errs, validateNotMoreThan100Percent(mu, mp)...)
		}
		return errs
	}
	return validation.ErrorList{validation.Invalid(p, badValue(s), fmt.Sprintf("must be '%s' or '%s'", RollingUpdateStatefulSetStrategyType, OnDeleteStatefulSetStrategyType))}
}

func validateRetentionPolicyType(t PersistentVolumeClaimRetentionPolicyType, p *validation.Path) validation.ErrorList {
	switch t {
	case RetainPersistentVolumeClaimRetentionPolicyType, DeletePersistentVolumeClaimRetentionPolicyType:
		return nil
	}
	return validation.ErrorList{validation.NotSupported(p, string(t), []PersistentVolumeClaimRetentionPolicyType{RetainPersistentVolumeClaimRetentionPolicyType, DeletePersistentVolumeClaimRetentionPolicyType})}
}
