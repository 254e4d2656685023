package validation

import (
	"fmt"
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/meta"
)

// NameFunc checks a name (or, with prefix true, a generateName prefix) and returns the rules it
// breaks.
type NameFunc func(name string, prefix bool) []string

// maskTrailingDash lets a generateName prefix end in '-', as Kubernetes does.
func maskTrailingDash(name string) string {
	if len(name) > 1 && strings.HasSuffix(name, "-") {
		return name[:len(name)-1] + "a"
	}
	return name
}

// NameIsDNSSubdomain is the NameFunc of most kinds.
func NameIsDNSSubdomain(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1123Subdomain(name)
}

// NameIsDNSLabel is the NameFunc of Namespaces and StatefulSets.
func NameIsDNSLabel(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1123Label(name)
}

// NameIsDNS1035Label is the NameFunc of Services.
func NameIsDNS1035Label(name string, prefix bool) []string {
	if prefix {
		name = maskTrailingDash(name)
	}
	return IsDNS1035Label(name)
}

// TotalAnnotationSizeLimit is the most bytes all annotation keys and values may take together.
const TotalAnnotationSizeLimit = 256 * 1024

// ValidateObjectMeta checks the metadata of an object on create: name or generateName, the
// namespace rule for the kind's scope, labels, annotations, owner references and finalizers.
func ValidateObjectMeta(m *meta.ObjectMeta, namespaced bool, nameFn NameFunc, p *Path) ErrorList {
	var errs ErrorList
	if m.GenerateName != "" {
		for _, msg := range nameFn(m.GenerateName, true) {
			errs = append(errs, Invalid(p.Child("generateName"), m.GenerateName, msg))
		}
	}
	if m.Name == "" {
		if m.GenerateName == "" {
			errs = append(errs, Required(p.Child("name"), "name or generateName is required"))
		}
	} else {
		for _, msg := range nameFn(m.Name, false) {
			errs = append(errs, Invalid(p.Child("name"), m.Name, msg))
		}
	}
	if namespaced {
		if m.Namespace == "" {
			errs = append(errs, Required(p.Child("namespace"), ""))
		} else {
			for _, msg := range IsDNS1123Label(m.Namespace) {
				errs = append(errs, Invalid(p.Child("namespace"), m.Namespace, msg))
			}
		}
	} else if m.Namespace != "" {
		errs = append(errs, Forbidden(p.Child("namespace"), "not allowed on this type"))
	}
	if m.Generation < 0 {
		errs = append(errs, Invalid(p.Child("generation"), m.Generation, "must be greater than or equal to 0"))
	}
	errs = append(errs, ValidateLabels(m.Labels, p.Child("labels"))...)
	errs = append(errs, ValidateAnnotations(m.Annotations, p.Child("annotations"))...)
	errs = append(errs, ValidateOwnerReferences(m.OwnerReferences, p.Child("ownerReferences"))...)
	errs = append(errs, ValidateFinalizers(m.Finalizers, p.Child("finalizers"))...)
	return errs
}

// ValidateObjectMetaUpdate checks the metadata rules of an update: everything ValidateObjectMeta
// checks, plus the immutable fields (name, namespace, uid, creationTimestamp), generation never
// going down, deletion fields, and no new finalizers once deletion started.
func ValidateObjectMetaUpdate(newM, oldM *meta.ObjectMeta, namespaced bool, nameFn NameFunc, p *Path) ErrorList {
	errs := ValidateObjectMeta(newM, namespaced, nameFn, p)
	immutable := func(field string, changed bool) {
		if changed {
			errs = append(errs, Invalid(p.Child(field), fieldValue(newM, field), "field is immutable"))
		}
	}
	immutable("name", newM.Name != oldM.Name)
	immutable("namespace", newM.Namespace != oldM.Namespace)
	immutable("uid", newM.UID != oldM.UID)
	immutable("creationTimestamp", !newM.CreationTimestamp.Time.Equal(oldM.CreationTimestamp.Time))
	if newM.Generation < oldM.Generation {
		errs = append(errs, Invalid(p.Child("generation"), newM.Generation, "must not be decremented"))
	}
	if oldM.DeletionTimestamp != nil {
		for _, f := range newM.Finalizers {
			if !contains(oldM.Finalizers, f) {
				errs = append(errs, Forbidden(p.Child("finalizers"), fmt.Sprintf("no new finalizers can be added if the object is being deleted, found new finalizer %q", f)))
			}
		}
	}
	return errs
}

func fieldValue(m *meta.ObjectMeta, field string) any {
	switch field {
	case "name":
		return m.Name
	case "namespace":
		return m.Namespace
	case "uid":
		return string(m.UID)
	case "creationTimestamp":
		return m.CreationTimestamp.String()
	}
	return nil
}

// appendSortedKeys appends m's keys to keys in order, so that errors about maps come in a
// stable order. Callers pass a small array's slice to spare the allocation.
func appendSortedKeys(keys []string, m map[string]string) []string {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// ValidateLabels checks label keys (qualified names) and values.
func ValidateLabels(labels map[string]string, p *Path) ErrorList {
	var errs ErrorList
	var buf [16]string
	for _, k := range appendSortedKeys(buf[:0], labels) {
		v := labels[k]
		for _, msg := range IsQualifiedName(k) {
			errs = append(errs, Invalid(p, k, msg))
		}
		for _, msg := range IsValidLabelValue(v) {
			errs = append(errs, Invalid(p.Key(k), v, msg))
		}
	}
	return errs
}

// ValidateAnnotations checks annotation keys (lower-cased qualified names) and the total size.
func ValidateAnnotations(annotations map[string]string, p *Path) ErrorList {
	var errs ErrorList
	total := 0
	var buf [16]string
	for _, k := range appendSortedKeys(buf[:0], annotations) {
		v := annotations[k]
		for _, msg := range IsQualifiedName(strings.ToLower(k)) {
			errs = append(errs, Invalid(p, k, msg))
		}
		total += len(k) + len(v)
	}
	if total > TotalAnnotationSizeLimit {
		errs = append(errs, TooLong(p, "", TotalAnnotationSizeLimit))
	}
	return errs
}

// ValidateOwnerReferences checks that each reference is complete and that at most one is the
// controller.
func ValidateOwnerReferences(refs []meta.OwnerReference, p *Path) ErrorList {
	var errs ErrorList
	controllers := 0
	for i, r := range refs {
		ip := p.Index(i)
		if r.APIVersion == "" {
			errs = append(errs, Invalid(ip.Child("apiVersion"), r.APIVersion, "version must not be empty"))
		}
		if r.Kind == "" {
			errs = append(errs, Invalid(ip.Child("kind"), r.Kind, "kind must not be empty"))
		}
		if r.Name == "" {
			errs = append(errs, Invalid(ip.Child("name"), r.Name, "name must not be empty"))
		}
		if r.UID == "" {
			errs = append(errs, Invalid(ip.Child("uid"), string(r.UID), "uid must not be empty"))
		}
		if r.APIVersion == "v1" && r.Kind == "Event" {
			errs = append(errs, Invalid(ip, r.Kind, "Event objects cannot be owners"))
		}
		if r.IsController() {
			controllers++
		}
	}
	if controllers > 1 {
		errs = append(errs, Invalid(p, len(refs), "Only one reference can have Controller set to true"))
	}
	return errs
}

// ValidateFinalizers checks finalizer names and that orphan and foregroundDeletion are not both
// present.
func ValidateFinalizers(finalizers []string, p *Path) ErrorList {
	var errs ErrorList
	for i, f := range finalizers {
		for _, msg := range IsQualifiedName(f) {
			errs = append(errs, Invalid(p.Index(i), f, msg))
		}
	}
	if contains(finalizers, meta.FinalizerOrphanDependents) && contains(finalizers, meta.FinalizerDeleteDependents) {
		errs = append(errs, Invalid(p, finalizers, fmt.Sprintf("finalizer %s and %s cannot be both set", meta.FinalizerOrphanDependents, meta.FinalizerDeleteDependents)))
	}
	return errs
}

// ValidateNonnegative reports a negative value.
func ValidateNonnegative[T ~int32 | ~int64 | ~int](v T, p *Path) ErrorList {
	if v < 0 {
		return ErrorList{Invalid(p, v, "must be greater than or equal to 0")}
	}
	return nil
}

// ValidatePositive reports a value that is not greater than zero.
func ValidatePositive[T ~int32 | ~int64 | ~int](v T, p *Path) ErrorList {
	if v <= 0 {
		return ErrorList{Invalid(p, v, "must be greater than 0")}
	}
	return nil
}
