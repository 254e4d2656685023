package apps

import "github.com/skiff-dev/skiff/api/validation"

// ValidateReplicaSet checks a ReplicaSet on create (../shared/spec/replicaset.md §1): the name
// is a DNS subdomain; replicas and minReadySeconds are not negative; the selector is present,
// non-empty and matches the template's labels; the template is a valid pod template with
// restartPolicy Always and no activeDeadlineSeconds.
func ValidateReplicaSet(rs *ReplicaSet) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&rs.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateReplicaSetSpec(&rs.Spec, validation.NewPath("spec"))...)
}

// ValidateReplicaSetUpdate checks an update of old to rs: everything ValidateReplicaSet
// checks, the metadata update rules, and that the selector did not change.
func ValidateReplicaSetUpdate(rs, old *ReplicaSet) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&rs.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateReplicaSetSpec(&rs.Spec, validation.NewPath("spec"))...)
	return append(errs, validateImmutable(rs.Spec.Selector, old.Spec.Selector, validation.NewPath("spec", "selector"))...)
}

// ValidateReplicaSetStatusUpdate checks a write of rs's status over old: counts are not
// negative, fullyLabeled, ready and available replicas do not exceed replicas, and available
// does not exceed ready.
func ValidateReplicaSetStatusUpdate(rs, old *ReplicaSet) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&rs.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	p := validation.NewPath("status")
	s := &rs.Status
	errs = append(errs, validation.ValidateNonnegative(s.Replicas, p.Child("replicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.FullyLabeledReplicas, p.Child("fullyLabeledReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.ReadyReplicas, p.Child("readyReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.AvailableReplicas, p.Child("availableReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.ObservedGeneration, p.Child("observedGeneration"))...)
	if s.TerminatingReplicas != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.TerminatingReplicas, p.Child("terminatingReplicas"))...)
	}
	const msg = "cannot be greater than status.replicas"
	errs = append(errs, validateNotGreater(s.FullyLabeledReplicas, s.Replicas, msg, p.Child("fullyLabeledReplicas"))...)
	errs = append(errs, validateNotGreater(s.ReadyReplicas, s.Replicas, msg, p.Child("readyReplicas"))...)
	errs = append(errs, validateNotGreater(s.AvailableReplicas, s.Replicas, msg, p.Child("availableReplicas"))...)
	return append(errs, validateNotGreater(s.AvailableReplicas, s.ReadyReplicas, "cannot be greater than readyReplicas", p.Child("availableReplicas"))...)
}

func validateReplicaSetSpec(s *ReplicaSetSpec, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	if s.Replicas != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.Replicas, p.Child("replicas"))...)
	}
	errs = append(errs, validation.ValidateNonnegative(s.MinReadySeconds, p.Child("minReadySeconds"))...)
	sel, selErrs := validateSelector(s.Selector, "replicaset", p.Child("selector"))
	errs = append(errs, selErrs...)
	errs = append(errs, validateSelectorMatchesTemplate(sel, &s.Template, p.Child("template"))...)
	return append(errs, validateWorkloadTemplate(&s.Template, "ReplicaSet", p.Child("template"))...)
}
