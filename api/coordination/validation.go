package coordination

import (
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/validation"
)

// validLeaseStrategies are the strategies Kubernetes defines; others must be prefixed names
// (example.com/my-strategy).
var validLeaseStrategies = []CoordinatedLeaseStrategy{OldestEmulationVersion}

// DefaultLease fills in the unset fields of l. Leases have no defaults; it does nothing and
// exists so that the scheme can default every kind alike.
func DefaultLease(l *Lease) {}

// ValidateLease checks a Lease on create: the name is a DNS subdomain, leaseDurationSeconds is
// greater than 0, leaseTransitions is not negative, strategy is a known or a prefixed name,
// and preferredHolder is set only together with strategy.
func ValidateLease(l *Lease) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&l.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateLeaseSpec(&l.Spec, validation.NewPath("spec"))...)
}

// ValidateLeaseUpdate checks an update of old to l: the rules of ValidateLease and the
// metadata update rules. Every spec field may change.
func ValidateLeaseUpdate(l, old *Lease) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&l.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateLeaseSpec(&l.Spec, validation.NewPath("spec"))...)
}

func validateLeaseSpec(s *LeaseSpec, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	if s.LeaseDurationSeconds != nil && *s.LeaseDurationSeconds <= 0 {
		errs = append(errs, validation.Invalid(p.Child("leaseDurationSeconds"), *s.LeaseDurationSeconds, "must be greater than 0"))
	}
	if s.LeaseTransitions != nil && *s.LeaseTransitions < 0 {
		errs = append(errs, validation.Invalid(p.Child("leaseTransitions"), *s.LeaseTransitions, "must be greater than or equal to 0"))
	}
	if s.Strategy != nil {
		errs = append(errs, validateStrategy(*s.Strategy, p.Child("strategy"))...)
	}
	if s.PreferredHolder != nil && *s.PreferredHolder != "" && (s.Strategy == nil || *s.Strategy == "") {
		errs = append(errs, validation.Forbidden(p.Child("preferredHolder"), "may only be specified if `strategy` is defined"))
	}
	return errs
}

func validateStrategy(s CoordinatedLeaseStrategy, p *validation.Path) validation.ErrorList {
	if !strings.Contains(string(s), "/") {
		if !slices.Contains(validLeaseStrategies, s) {
			return validation.ErrorList{validation.NotSupported(p, string(s), validLeaseStrategies)}
		}
		return nil
	}
	var errs validation.ErrorList
	for _, msg := range validation.IsQualifiedName(string(s)) {
		errs = append(errs, validation.Invalid(p, string(s), msg))
	}
	return errs
}
