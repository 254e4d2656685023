package apps

import (
	"strconv"

	"github.com/skiff-dev/skiff/api/validation"
)

// ValidateDaemonSet checks a DaemonSet on create (../shared/spec/daemonset.md §1): the name is
// a DNS subdomain; the selector is present, non-empty and matches the template's labels; the
// template is a valid pod template with restartPolicy Always and no activeDeadlineSeconds;
// minReadySeconds and revisionHistoryLimit are not negative; the update strategy is
// RollingUpdate (maxUnavailable and maxSurge counts or percentages up to 100%, exactly one of
// them non-zero) or OnDelete.
func ValidateDaemonSet(ds *DaemonSet) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&ds.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateDaemonSetSpec(&ds.Spec, validation.NewPath("spec"))...)
}

// ValidateDaemonSetUpdate checks an update of old to ds: everything ValidateDaemonSet checks,
// the metadata update rules, and that the selector did not change.
func ValidateDaemonSetUpdate(ds, old *DaemonSet) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&ds.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateDaemonSetSpec(&ds.Spec, validation.NewPath("spec"))...)
	return append(errs, validateImmutable(ds.Spec.Selector, old.Spec.Selector, validation.NewPath("spec", "selector"))...)
}

// ValidateDaemonSetStatusUpdate checks a write of ds's status over old: counts are not
// negative and collisionCount never goes down.
func ValidateDaemonSetStatusUpdate(ds, old *DaemonSet) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&ds.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	p := validation.NewPath("status")
	s := &ds.Status
	errs = append(errs, validation.ValidateNonnegative(s.CurrentNumberScheduled, p.Child("currentNumberScheduled"))...)
	errs = append(errs, validation.ValidateNonnegative(s.NumberMisscheduled, p.Child("numberMisscheduled"))...)
	errs = append(errs, validation.ValidateNonnegative(s.DesiredNumberScheduled, p.Child("desiredNumberScheduled"))...)
	errs = append(errs, validation.ValidateNonnegative(s.NumberReady, p.Child("numberReady"))...)
	errs = append(errs, validation.ValidateNonnegative(s.ObservedGeneration, p.Child("observedGeneration"))...)
	errs = append(errs, validation.ValidateNonnegative(s.UpdatedNumberScheduled, p.Child("updatedNumberScheduled"))...)
	errs = append(errs, validation.ValidateNonnegative(s.NumberAvailable, p.Child("numberAvailable"))...)
	errs = append(errs, validation.ValidateNonnegative(s.NumberUnavailable, p.Child("numberUnavailable"))...)
	if s.CollisionCount != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.CollisionCount, p.Child("collisionCount"))...)
	}
	return append(errs, validateCollisionCount(s.CollisionCount, old.Status.CollisionCount, p.Child("collisionCount"))...)
}

func validateDaemonSetSpec(s *DaemonSetSpec, p *validation.Path) validation.ErrorList {
	sel, errs := validateSelector(s.Selector, "daemonset", p.Child("selector"))
	errs = append(errs, validateSelectorMatchesTemplate(sel, &s.Template, p.Child("template"))...)
	errs = append(errs, validateWorkloadTemplate(&s.Template, "DaemonSet", p.Child("template"))...)
	errs = append(errs, validation.ValidateNonnegative(s.MinReadySeconds, p.Child("minReadySeconds"))...)
	errs = append(errs, validateDaemonSetUpdateStrategy(&s.UpdateStrategy, p.Child("updateStrategy"))...)
	if s.RevisionHistoryLimit != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.RevisionHistoryLimit, p.Child("revisionHistoryLimit"))...)
	}
	return errs
}

func validateDaemonSetUpdateStrategy(s *DaemonSetUpdateStrategy, p *validation.Path) validation.ErrorList {
	switch s.Type {
	case OnDeleteDaemonSetStrategyType:
		return nil
	case RollingUpdateDaemonSetStrategyType:
		if s.RollingUpdate == nil {
			return validation.ErrorList{validation.Required(p.Child("rollingUpdate"), "")}
		}
		return validateRollingUpdateDaemonSet(s.RollingUpdate, p.Child("rollingUpdate"))
	}
	return validation.ErrorList{validation.NotSupported(p.Child("type"), string(s.Type), []DaemonSetUpdateStrategyType{RollingUpdateDaemonSetStrategyType, OnDeleteDaemonSetStrategyType})}
}

func validateRollingUpdateDaemonSet(ru *RollingUpdateDaemonSet, p *validation.Path) validation.ErrorList {
	unavailPath, surgePath := p.Child("maxUnavailable"), p.Child("maxSurge")
	errs := validatePositiveIntOrPercent(ru.MaxUnavailable, unavailPath)
	errs = append(errs, validatePositiveIntOrPercent(ru.MaxSurge, surgePath)...)
	errs = append(errs, validateNotMoreThan100Percent(ru.MaxUnavailable, unavailPath)...)
	errs = append(errs, validateNotMoreThan100Percent(ru.MaxSurge, surgePath)...)
	hasUnavailable := intOrPercentValue(ru.MaxUnavailable) != 0
	hasSurge := intOrPercentValue(ru.MaxSurge) != 0
	switch {
	case hasUnavailable && hasSurge:
		errs = append(errs, validation.Invalid(surgePath, badValue(ru.MaxSurge), "may not be set when maxUnavailable is non-zero"))
	case !hasUnavailable && !hasSurge:
		errs = append(errs, validation.Required(unavailPath, "cannot be 0 when maxSurge is 0"))
	}
	return errs
}

// SetDaemonSetTemplateGeneration maintains the DeprecatedTemplateGeneration annotation, which
// the server owns: on create (old nil) it is set to 1; on update it is set to old's value,
// plus one when the pod template changed. Any value the user wrote is overwritten. The scheme
// calls it before validation.
func SetDaemonSetTemplateGeneration(ds, old *DaemonSet) {
	gen := int64(1)
	if old != nil {
		gen, _ = strconv.ParseInt(old.Annotations[DeprecatedTemplateGeneration], 10, 64)
		if gen < 1 {
			gen = 1
		}
		if !equalJSON(ds.Spec.Template, old.Spec.Template) {
			gen++
		}
	}
	if ds.Annotations == nil {
		ds.Annotations = map[string]string{}
	}
	ds.Annotations[DeprecatedTemplateGeneration] = strconv.FormatInt(gen, 10)
}
