package apps

import (
	"fmt"

	"github.com/skiff-dev/skiff/api/validation"
)

// ValidateDeployment checks a Deployment on create (../shared/spec/deployment.md §1): the
// name is a DNS subdomain; replicas, minReadySeconds and revisionHistoryLimit are not
// negative; the selector is present, non-empty and matches the template's labels; the
// template is a valid pod template with restartPolicy Always; the strategy is valid (no
// rollingUpdate with Recreate, maxSurge and maxUnavailable counts or percentages, not both 0,
// maxUnavailable at most 100%); progressDeadlineSeconds is greater than minReadySeconds.
func ValidateDeployment(d *Deployment) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&d.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateDeploymentSpec(&d.Spec, validation.NewPath("spec"))...)
}

// ValidateDeploymentUpdate checks an update of old to d: everything ValidateDeployment checks
// on the new object, the metadata update rules, and that the selector did not change.
func ValidateDeploymentUpdate(d, old *Deployment) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&d.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateDeploymentSpec(&d.Spec, validation.NewPath("spec"))...)
	return append(errs, validateImmutable(d.Spec.Selector, old.Spec.Selector, validation.NewPath("spec", "selector"))...)
}

// ValidateDeploymentStatusUpdate checks a write of d's status over old: counts are not
// negative, updated, ready and available replicas do not exceed replicas, available does not
// exceed ready, and collisionCount never goes down.
func ValidateDeploymentStatusUpdate(d, old *Deployment) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&d.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	p := validation.NewPath("status")
	s := &d.Status
	errs = append(errs, validation.ValidateNonnegative(s.ObservedGeneration, p.Child("observedGeneration"))...)
	errs = append(errs, validation.ValidateNonnegative(s.Replicas, p.Child("replicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.UpdatedReplicas, p.Child("updatedReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.ReadyReplicas, p.Child("readyReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.AvailableReplicas, p.Child("availableReplicas"))...)
	errs = append(errs, validation.ValidateNonnegative(s.UnavailableReplicas, p.Child("unavailableReplicas"))...)
	if s.TerminatingReplicas != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.TerminatingReplicas, p.Child("terminatingReplicas"))...)
	}
	if s.CollisionCount != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.CollisionCount, p.Child("collisionCount"))...)
	}
	const msg = "cannot be greater than status.replicas"
	errs = append(errs, validateNotGreater(s.UpdatedReplicas, s.Replicas, msg, p.Child("updatedReplicas"))...)
	errs = append(errs, validateNotGreater(s.ReadyReplicas, s.Replicas, msg, p.Child("readyReplicas"))...)
	errs = append(errs, validateNotGreater(s.AvailableReplicas, s.Replicas, msg, p.Child("availableReplicas"))...)
	errs = append(errs, validateNotGreater(s.AvailableReplicas, s.ReadyReplicas, "cannot be greater than readyReplicas", p.Child("availableReplicas"))...)
	return append(errs, validateCollisionCount(s.CollisionCount, old.Status.CollisionCount, p.Child("collisionCount"))...)
}

func validateDeploymentSpec(s *DeploymentSpec, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	if s.Replicas != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.Replicas, p.Child("replicas"))...)
	}
	sel, selErrs := validateSelector(s.Selector, "deployment", p.Child("selector"))
	errs = append(errs, selErrs...)
	errs = append(errs, validateSelectorMatchesTemplate(sel, &s.Template, p.Child("template"))...)
	errs = append(errs, validateWorkloadTemplate(&s.Template, "ReplicaSet", p.Child("template"))...)
	errs = append(errs, validateDeploymentStrategy(&s.Strategy, p.Child("strategy"))...)
	errs = append(errs, validation.ValidateNonnegative(s.MinReadySeconds, p.Child("minReadySeconds"))...)
	if s.RevisionHistoryLimit != nil {
		errs = append(errs, validation.ValidateNonnegative(*s.RevisionHistoryLimit, p.Child("revisionHistoryLimit"))...)
	}
	if s.ProgressDeadlineSeconds != nil {
		pp := p.Child("progressDeadlineSeconds")
		errs = append(errs, validation.ValidateNonnegative(*s.ProgressDeadlineSeconds, pp)...)
		if *s.ProgressDeadlineSeconds <= s.MinReadySeconds {
			errs = append(errs, validation.Invalid(pp, *s.ProgressDeadlineSeconds, "must be greater than minReadySeconds"))
		}
	}
	return errs
}

func validateDeploymentStrategy(s *DeploymentStrategy, p *validation.Path) validation.ErrorList {
	switch s.Type {
	case RecreateDeploymentStrategyType:
		if s.RollingUpdate != nil {
			return validation.ErrorList{validation.Forbidden(p.Child("rollingUpdate"), fmt.Sprintf("may not be specified when strategy `type` is '%s'", RecreateDeploymentStrategyType))}
		}
		return nil
	case RollingUpdateDeploymentStrategyType:
		if s.RollingUpdate == nil {
			return validation.ErrorList{validation.Required(p.Child("rollingUpdate"), "this should be defaulted and never be nil")}
		}
		return validateRollingUpdateDeployment(s.RollingUpdate, p.Child("rollingUpdate"))
	}
	return validation.ErrorList{validation.NotSupported(p.Child("type"), string(s.Type), []DeploymentStrategyType{RecreateDeploymentStrategyType, RollingUpdateDeploymentStrategyType})}
}

func validateRollingUpdateDeployment(ru *RollingUpdateDeployment, p *validation.Path) validation.ErrorList {
	unavailPath, surgePath := p.Child("maxUnavailable"), p.Child("maxSurge")
	errs := validatePositiveIntOrPercent(ru.MaxUnavailable, unavailPath)
	errs = append(errs, validatePositiveIntOrPercent(ru.MaxSurge, surgePath)...)
	if intOrPercentValue(ru.MaxUnavailable) == 0 && intOrPercentValue(ru.MaxSurge) == 0 {
		errs = append(errs, validation.Invalid(unavailPath, badValue(ru.MaxUnavailable), "may not be 0 when `maxSurge` is 0"))
	}
	return append(errs, validateNotMoreThan100Percent(ru.MaxUnavailable, unavailPath)...)
}
