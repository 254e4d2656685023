package core

import (
	"slices"

	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/labels"
)

var accessModes = []PersistentVolumeAccessMode{ReadOnlyMany, ReadWriteMany, ReadWriteOnce, ReadWriteOncePod}

// ValidatePVC checks a PersistentVolumeClaim on create: metadata (namespaced, DNS-subdomain
// name) and spec.
func ValidatePVC(pvc *PersistentVolumeClaim) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&pvc.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, ValidatePVCSpec(&pvc.Spec, validation.NewPath("spec"))...)
}

// ValidatePVCSpec checks a claim spec at path p, wherever it appears (claims, ephemeral
// volumes, StatefulSet volumeClaimTemplates): at least one known access mode (ReadWriteOncePod
// alone), a positive storage request, a valid selector, volume mode and storage class, and
// well-formed data sources.
func ValidatePVCSpec(spec *PersistentVolumeClaimSpec, p *validation.Path) validation.ErrorList {
	var errs errorList
	amPath := p.Child("accessModes")
	if len(spec.AccessModes) == 0 {
		errs = append(errs, validation.Required(amPath, "at least 1 access mode is required"))
	}
	for _, m := range spec.AccessModes {
		if !slices.Contains(accessModes, m) {
			errs = append(errs, notSupported(amPath, m, accessModes...))
		}
	}
	if slices.Contains(spec.AccessModes, ReadWriteOncePod) && len(spec.AccessModes) > 1 {
		errs = append(errs, validation.Forbidden(amPath, "may not use ReadWriteOncePod with other access modes"))
	}
	errs = append(errs, labels.ValidateLabelSelector(spec.Selector, p.Child("selector"))...)
	rp := p.Child("resources")
	storage, ok := spec.Resources.Requests[ResourceStorage]
	switch {
	case !ok:
		errs = append(errs, validation.Required(rp.Child("requests").Key(string(ResourceStorage)), ""))
	case storage.Sign() <= 0:
		errs = append(errs, validation.Invalid(rp.Child("requests").Key(string(ResourceStorage)), storage.String(), "must be greater than zero"))
	}
	errs = append(errs, validateResourceList(spec.Resources.Requests, nodeResources, "", rp.Child("requests"))...)
	errs = append(errs, validateResourceList(spec.Resources.Limits, nodeResources, "", rp.Child("limits"))...)
	if spec.StorageClassName != nil && *spec.StorageClassName != "" {
		errs = append(errs, validateDNSSubdomain(*spec.StorageClassName, p.Child("storageClassName"))...)
	}
	if spec.VolumeAttributesClassName != nil && *spec.VolumeAttributesClassName != "" {
		errs = append(errs, validateDNSSubdomain(*spec.VolumeAttributesClassName, p.Child("volumeAttributesClassName"))...)
	}
	errs = append(errs, optionalEnum(spec.VolumeMode, p.Child("volumeMode"), PersistentVolumeBlock, PersistentVolumeFilesystem)...)
	if ds := spec.DataSource; ds != nil {
		errs = append(errs, validateDataSource(ds.APIGroup, ds.Kind, ds.Name, p.Child("dataSource"))...)
	}
	if dr := spec.DataSourceRef; dr != nil {
		errs = append(errs, validateDataSource(dr.APIGroup, dr.Kind, dr.Name, p.Child("dataSourceRef"))...)
		if dr.Namespace != nil && *dr.Namespace != "" {
			errs = append(errs, validateDNSLabel(*dr.Namespace, p.Child("dataSourceRef", "namespace"))...)
		}
		ds := spec.DataSource
		if ds != nil && (dr.Namespace == nil || *dr.Namespace == "") &&
			(ds.Kind != dr.Kind || ds.Name != dr.Name || deref(ds.APIGroup) != deref(dr.APIGroup)) {
			errs = append(errs, validation.Invalid(p, "", "must match dataSourceRef"))
		}
	}
	return errs
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// validateDataSource checks a claim's data source: kind and name required, and a core-group
// source must be a PersistentVolumeClaim.
func validateDataSource(group *string, kind, name string, p *path) errorList {
	var errs errorList
	if name == "" {
		errs = append(errs, validation.Required(p.Child("name"), ""))
	}
	if kind == "" {
		errs = append(errs, validation.Required(p.Child("kind"), ""))
	}
	if deref(group) == "" && kind != "" && kind != "PersistentVolumeClaim" {
		errs = append(errs, validation.Invalid(p.Child("kind"), kind, "must be 'PersistentVolumeClaim' when referencing the default apiGroup"))
	}
	if g := deref(group); g != "" {
		errs = append(errs, validateDNSSubdomain(g, p.Child("apiGroup"))...)
	}
	return errs
}

// ValidatePVCUpdate checks an update of a claim: the metadata rules, and a spec that is
// immutable except that the storage request may grow (never shrink), volumeName may be set
// once (binding), and the volume attributes class may change.
func ValidatePVCUpdate(newPVC, oldPVC *PersistentVolumeClaim) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newPVC.ObjectMeta, &oldPVC.ObjectMeta, true,
		validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	specPath := validation.NewPath("spec")
	errs = append(errs, ValidatePVCSpec(&newPVC.Spec, specPath)...)
	merged := oldPVC.Spec.DeepCopy()
	newStorage, hasNew := newPVC.Spec.Resources.Requests[ResourceStorage]
	oldStorage, hasOld := oldPVC.Spec.Resources.Requests[ResourceStorage]
	if hasNew && hasOld {
		if newStorage.Cmp(oldStorage) < 0 {
			errs = append(errs, validation.Forbidden(specPath.Child("resources", "requests", "storage"),
				"field can not be less than previous value"))
		} else {
			merged.Resources.Requests = newPVC.Spec.Resources.Requests
		}
	}
	if oldPVC.Spec.VolumeName == "" {
		merged.VolumeName = newPVC.Spec.VolumeName
	}
	merged.VolumeAttributesClassName = newPVC.Spec.VolumeAttributesClassName
	if diff := semanticDiff(*merged, newPVC.Spec, "spec", 10); len(diff) > 0 {
		errs = append(errs, validation.Forbidden(specPath,
			"spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"))
	}
	return errs
}
