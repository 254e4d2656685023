package core

import (
	"math"

	"github.com/skiff-dev/skiff/api/validation"
)

// validateID checks a user or group ID.
func validateID(id *int64, p *path) errorList {
	if id != nil && (*id < 0 || *id > math.MaxInt32) {
		return errorList{validation.Invalid(p, *id, "must be between 0 and 2147483647, inclusive")}
	}
	return nil
}

// validateSecurityContext checks a container's security context.
func validateSecurityContext(sc *SecurityContext, p *path) errorList {
	var errs errorList
	errs = append(errs, validateID(sc.RunAsUser, p.Child("runAsUser"))...)
	errs = append(errs, validateID(sc.RunAsGroup, p.Child("runAsGroup"))...)
	errs = append(errs, optionalEnum(sc.ProcMount, p.Child("procMount"), DefaultProcMount, UnmaskedProcMount)...)
	if sc.Privileged != nil && *sc.Privileged && sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation {
		errs = append(errs, validation.Invalid(p, "", "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"))
	}
	errs = append(errs, validateSeccompProfile(sc.SeccompProfile, p.Child("seccompProfile"))...)
	errs = append(errs, validateAppArmorProfile(sc.AppArmorProfile, p.Child("appArmorProfile"))...)
	return errs
}

// validatePodSecurityContext checks a pod's security context; specPath is the pod spec's path.
func validatePodSecurityContext(sc *PodSecurityContext, spec *PodSpec, specPath *path) errorList {
	p := specPath.Child("securityContext")
	var errs errorList
	errs = append(errs, validateID(sc.RunAsUser, p.Child("runAsUser"))...)
	errs = append(errs, validateID(sc.RunAsGroup, p.Child("runAsGroup"))...)
	errs = append(errs, validateID(sc.FSGroup, p.Child("fsGroup"))...)
	for i := range sc.SupplementalGroups {
		errs = append(errs, validateID(&sc.SupplementalGroups[i], p.Child("supplementalGroups").Index(i))...)
	}
	errs = append(errs, optionalEnum(sc.SupplementalGroupsPolicy, p.Child("supplementalGroupsPolicy"),
		SupplementalGroupsPolicyMerge, SupplementalGroupsPolicyStrict)...)
	errs = append(errs, optionalEnum(sc.FSGroupChangePolicy, p.Child("fsGroupChangePolicy"),
		FSGroupChangeOnRootMismatch, FSGroupChangeAlways)...)
	errs = append(errs, optionalEnum(sc.SELinuxChangePolicy, p.Child("seLinuxChangePolicy"),
		SELinuxChangePolicyRecursive, SELinuxChangePolicyMountOption)...)
	var names nameSet
	for i, s := range sc.Sysctls {
		ip := p.Child("sysctls").Index(i)
		switch {
		case s.Name == "":
			errs = append(errs, validation.Required(ip.Child("name"), ""))
		case names.has(s.Name):
			errs = append(errs, validation.Duplicate(ip.Child("name"), s.Name))
		}
		names.add(s.Name)
	}
	errs = append(errs, validateSeccompProfile(sc.SeccompProfile, p.Child("seccompProfile"))...)
	errs = append(errs, validateAppArmorProfile(sc.AppArmorProfile, p.Child("appArmorProfile"))...)
	if spec.HostUsers != nil && !*spec.HostUsers {
		for _, f := range [...]struct {
			field string
			set   bool
		}{{"hostNetwork", spec.HostNetwork}, {"hostPID", spec.HostPID}, {"hostIPC", spec.HostIPC}} {
			if f.set {
				errs = append(errs, validation.Forbidden(specPath.Child(f.field), "when `hostUsers` is false"))
			}
		}
	}
	return sortErrors(errs)
}

// validateSeccompProfile requires localhostProfile exactly for type Localhost.
func validateSeccompProfile(sp *SeccompProfile, p *path) errorList {
	if sp == nil {
		return nil
	}
	errs := requiredEnum(sp.Type, p.Child("type"), SeccompProfileTypeLocalhost, SeccompProfileTypeRuntimeDefault,
		SeccompProfileTypeUnconfined)
	return append(errs, validateLocalhostProfile(sp.Type == SeccompProfileTypeLocalhost, sp.LocalhostProfile, p)...)
}

// validateAppArmorProfile requires localhostProfile exactly for type Localhost.
func validateAppArmorProfile(ap *AppArmorProfile, p *path) errorList {
	if ap == nil {
		return nil
	}
	errs := requiredEnum(ap.Type, p.Child("type"), AppArmorProfileTypeLocalhost, AppArmorProfileTypeRuntimeDefault,
		AppArmorProfileTypeUnconfined)
	return append(errs, validateLocalhostProfile(ap.Type == AppArmorProfileTypeLocalhost, ap.LocalhostProfile, p)...)
}

func validateLocalhostProfile(localhost bool, profile *string, p *path) errorList {
	lp := p.Child("localhostProfile")
	switch {
	case localhost && (profile == nil || *profile == ""):
		return errorList{validation.Required(lp, "must be set when seccomp type is Localhost")}
	case !localhost && profile != nil:
		return errorList{validation.Invalid(lp, *profile, "can only be set when `type` is \"Localhost\"")}
	}
	return nil
}
