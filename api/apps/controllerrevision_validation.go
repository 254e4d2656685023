package apps

import "github.com/skiff-dev/skiff/api/validation"

// ValidateControllerRevision checks a ControllerRevision on create: the name is a DNS
// subdomain, data is present and revision is not negative.
func ValidateControllerRevision(r *ControllerRevision) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&r.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateControllerRevisionBody(r)...)
}

// ValidateControllerRevisionUpdate checks an update of old to r: everything
// ValidateControllerRevision checks, the metadata update rules, and that data did not change
// (revision may, when a controller renumbers a revision on rollback).
func ValidateControllerRevisionUpdate(r, old *ControllerRevision) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&r.ObjectMeta, &old.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateControllerRevisionBody(r)...)
	return append(errs, validateImmutable(r.Data, old.Data, validation.NewPath("data"))...)
}

func validateControllerRevisionBody(r *ControllerRevision) validation.ErrorList {
	var errs validation.ErrorList
	if r.Data.IsZero() {
		errs = append(errs, validation.Required(validation.NewPath("data"), "data is mandatory"))
	}
	return append(errs, validation.ValidateNonnegative(r.Revision, validation.NewPath("revision"))...)
}
