package core

import (
	"net/netip"

	"github.com/skiff-dev/skiff/api/validation"
)

// ValidateNode checks a node: metadata (cluster-scoped, DNS-subdomain name), taints (valid key
// and value, known effect, unique by key and effect), pod CIDRs, and the resource amounts of
// its status.
func ValidateNode(node *Node) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&node.ObjectMeta, false, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateNodeSpecAndStatus(node)...)
}

func validateNodeSpecAndStatus(node *Node) errorList {
	specPath := validation.NewPath("spec")
	errs := ValidateTaints(node.Spec.Taints, specPath.Child("taints"))
	if node.Spec.PodCIDR != "" {
		errs = append(errs, validateCIDR(node.Spec.PodCIDR, specPath.Child("podCIDR"))...)
	}
	cidrsPath := specPath.Child("podCIDRs")
	families := map[bool]bool{}
	for i, c := range node.Spec.PodCIDRs {
		ce := validateCIDR(c, cidrsPath.Index(i))
		errs = append(errs, ce...)
		if len(ce) == 0 {
			v4 := netip.MustParsePrefix(c).Addr().Is4()
			if families[v4] {
				errs = append(errs, validation.Invalid(cidrsPath, node.Spec.PodCIDRs, "may specify no more than one CIDR for each IP family"))
			}
			families[v4] = true
		}
	}
	if len(node.Spec.PodCIDRs) > 0 && node.Spec.PodCIDR != "" && node.Spec.PodCIDRs[0] != node.Spec.PodCIDR {
		errs = append(errs, validation.Invalid(cidrsPath.Index(0), node.Spec.PodCIDRs[0], "must match spec.podCIDR"))
	}
	statusPath := validation.NewPath("status")
	errs = append(errs, validateResourceList(node.Status.Capacity, nodeResources, "", statusPath.Child("capacity"))...)
	errs = append(errs, validateResourceList(node.Status.Allocatable, nodeResources, "", statusPath.Child("allocatable"))...)
	return errs
}

// ValidateNodeUpdate checks an update of a node: everything ValidateNode checks, and podCIDR,
// podCIDRs and providerID may only be set when empty, never changed.
func ValidateNodeUpdate(newNode, oldNode *Node) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newNode.ObjectMeta, &oldNode.ObjectMeta, false,
		validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	errs = append(errs, validateNodeSpecAndStatus(newNode)...)
	specPath := validation.NewPath("spec")
	if oldNode.Spec.PodCIDR != "" && newNode.Spec.PodCIDR != oldNode.Spec.PodCIDR {
		errs = append(errs, validation.Forbidden(specPath.Child("podCIDR"), "node updates may not change podCIDR except from \"\" to valid"))
	}
	if len(oldNode.Spec.PodCIDRs) > 0 && len(semanticDiff(newNode.Spec.PodCIDRs, oldNode.Spec.PodCIDRs, "", 1)) > 0 {
		errs = append(errs, validation.Forbidden(specPath.Child("podCIDRs"), "node updates may not change podCIDR except from \"\" to valid"))
	}
	if oldNode.Spec.ProviderID != "" && newNode.Spec.ProviderID != oldNode.Spec.ProviderID {
		errs = append(errs, validation.Forbidden(specPath.Child("providerID"), "node updates may not change providerID except from \"\" to valid"))
	}
	return errs
}

// ValidateTaints checks node taints: a valid key, a valid value, a known effect, and no two
// taints with the same key and effect.
func ValidateTaints(taints []Taint, p *validation.Path) validation.ErrorList {
	var errs errorList
	seen := map[string]bool{}
	for i, t := range taints {
		ip := p.Index(i)
		if t.Key == "" {
			errs = append(errs, validation.Required(ip.Child("key"), ""))
		} else {
			errs = append(errs, validateQualifiedName(t.Key, ip.Child("key"))...)
		}
		errs = append(errs, invalidAll(ip.Child("value"), t.Value, validation.IsValidLabelValue(t.Value))...)
		errs = append(errs, validateTaintEffect(t.Effect, ip.Child("effect"))...)
		key := t.Key + ":" + string(t.Effect)
		if seen[key] {
			errs = append(errs, validation.Duplicate(ip, key+": taints must be unique by key and effect pair"))
		}
		seen[key] = true
	}
	return errs
}
