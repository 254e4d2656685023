package core

import (
	"strings"

	"github.com/skiff-dev/skiff/api/validation"
)

// ValidateNamespace checks a namespace: metadata (cluster-scoped, DNS-label name) and the
// spec finalizers, each "kubernetes" or a qualified name with a domain prefix.
func ValidateNamespace(ns *Namespace) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&ns.ObjectMeta, false, validation.NameIsDNSLabel, validation.NewPath("metadata"))
	return append(errs, validateNamespaceFinalizers(ns.Spec.Finalizers, validation.NewPath("spec", "finalizers"))...)
}

// ValidateNamespaceUpdate checks an update of a namespace: the metadata rules and the spec
// finalizers. (The finalizers change only through the finalize subresource, which the
// namespace strategy enforces.)
func ValidateNamespaceUpdate(newNS, oldNS *Namespace) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newNS.ObjectMeta, &oldNS.ObjectMeta, false,
		validation.NameIsDNSLabel, validation.NewPath("metadata"))
	return append(errs, validateNamespaceFinalizers(newNS.Spec.Finalizers, validation.NewPath("spec", "finalizers"))...)
}

func validateNamespaceFinalizers(fs []FinalizerName, p *path) errorList {
	var errs errorList
	for i, f := range fs {
		ip := p.Index(i)
		errs = append(errs, validateQualifiedName(string(f), ip)...)
		if !strings.Contains(string(f), "/") && f != FinalizerKubernetes {
			errs = append(errs, validation.Invalid(ip, string(f), "name is neither a standard finalizer name nor is it fully qualified"))
		}
	}
	return errs
}
