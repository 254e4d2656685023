package core

import (
	"strconv"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/labels"
)

// ValidateTolerations checks tolerations: a valid key (required unless the operator is
// Exists), operator Equal or Exists (no value with Exists), a known effect, and
// tolerationSeconds only with NoExecute.
func ValidateTolerations(tols []Toleration, p *path) errorList {
	var errs errorList
	for i, t := range tols {
		ip := p.Index(i)
		if t.Key != "" {
			errs = append(errs, validateQualifiedName(t.Key, ip.Child("key"))...)
		}
		if t.Key == "" && t.Operator != TolerationOpExists {
			errs = append(errs, validation.Invalid(ip.Child("operator"), string(t.Operator),
				"operator must be Exists when `key` is empty, which means \"match all values and all keys\""))
		}
		if t.TolerationSeconds != nil && t.Effect != TaintEffectNoExecute {
			errs = append(errs, validation.Invalid(ip.Child("effect"), string(t.Effect),
				"effect must be 'NoExecute' when `tolerationSeconds` is set"))
		}
		switch t.Operator {
		case TolerationOpEqual, "":
			errs = append(errs, invalidAll(ip.Child("value"), t.Value, validation.IsValidLabelValue(t.Value))...)
		case TolerationOpExists:
			if t.Value != "" {
				errs = append(errs, validation.Invalid(ip.Child("operator"), t.Value,
					"value must be empty when `operator` is 'Exists'"))
			}
		default:
			errs = append(errs, notSupported(ip.Child("operator"), t.Operator, TolerationOpEqual, TolerationOpExists))
		}
		if t.Effect != "" {
			errs = append(errs, validateTaintEffect(t.Effect, ip.Child("effect"))...)
		}
	}
	return errs
}

func validateTaintEffect(e TaintEffect, p *path) errorList {
	return requiredEnum(e, p, TaintEffectNoSchedule, TaintEffectPreferNoSchedule, TaintEffectNoExecute)
}

// validateAffinity checks node affinity, pod affinity and pod anti-affinity.
func validateAffinity(a *Affinity, p *path) errorList {
	if a == nil {
		return nil
	}
	var errs errorList
	if na := a.NodeAffinity; na != nil {
		np := p.Child("nodeAffinity")
		if r := na.RequiredDuringSchedulingIgnoredDuringExecution; r != nil {
			errs = append(errs, ValidateNodeSelector(r, np.Child("requiredDuringSchedulingIgnoredDuringExecution"))...)
		}
		for i, t := range na.PreferredDuringSchedulingIgnoredDuringExecution {
			ip := np.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i)
			errs = append(errs, validateWeight(t.Weight, ip.Child("weight"))...)
			errs = append(errs, validateNodeSelectorTerm(&t.Preference, ip.Child("preference"))...)
		}
	}
	if pa := a.PodAffinity; pa != nil {
		errs = append(errs, validatePodAffinityTerms(pa.RequiredDuringSchedulingIgnoredDuringExecution,
			pa.PreferredDuringSchedulingIgnoredDuringExecution, p.Child("podAffinity"))...)
	}
	if pa := a.PodAntiAffinity; pa != nil {
		errs = append(errs, validatePodAffinityTerms(pa.RequiredDuringSchedulingIgnoredDuringExecution,
			pa.PreferredDuringSchedulingIgnoredDuringExecution, p.Child("podAntiAffinity"))...)
	}
	return errs
}

func validateWeight(w int32, p *path) errorList {
	if w < 1 || w > 100 {
		return errorList{validation.Invalid(p, w, "must be in the range 1-100")}
	}
	return nil
}

// ValidateNodeSelector checks a required node selector: at least one term, each valid.
func ValidateNodeSelector(ns *NodeSelector, p *path) errorList {
	tp := p.Child("nodeSelectorTerms")
	if len(ns.NodeSelectorTerms) == 0 {
		return errorList{validation.Required(tp, "must have at least one node selector term")}
	}
	var errs errorList
	for i := range ns.NodeSelectorTerms {
		errs = append(errs, validateNodeSelectorTerm(&ns.NodeSelectorTerms[i], tp.Index(i))...)
	}
	return errs
}

func validateNodeSelectorTerm(t *NodeSelectorTerm, p *path) errorList {
	var errs errorList
	for i, r := range t.MatchExpressions {
		errs = append(errs, validateNodeSelectorRequirement(r, p.Child("matchExpressions").Index(i))...)
	}
	for i, r := range t.MatchFields {
		errs = append(errs, validateNodeFieldSelectorRequirement(r, p.Child("matchFields").Index(i))...)
	}
	return errs
}

func validateNodeSelectorRequirement(r NodeSelectorRequirement, p *path) errorList {
	var errs errorList
	vp := p.Child("values")
	switch r.Operator {
	case NodeSelectorOpIn, NodeSelectorOpNotIn:
		if len(r.Values) == 0 {
			errs = append(errs, validation.Required(vp, "must be specified when `operator` is 'In' or 'NotIn'"))
		}
	case NodeSelectorOpExists, NodeSelectorOpDoesNotExist:
		if len(r.Values) > 0 {
			errs = append(errs, validation.Forbidden(vp, "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"))
		}
	case NodeSelectorOpGt, NodeSelectorOpLt:
		if len(r.Values) != 1 {
			errs = append(errs, validation.Required(vp, "must be specified single value when `operator` is 'Lt' or 'Gt'"))
		} else if _, err := strconv.ParseInt(r.Values[0], 10, 64); err != nil {
			errs = append(errs, validation.Invalid(vp.Index(0), r.Values[0], "must be an integer when `operator` is 'Lt' or 'Gt'"))
		}
	default:
		errs = append(errs, notSupported(p.Child("operator"), r.Operator, NodeSelectorOpIn, NodeSelectorOpNotIn,
			NodeSelectorOpExists, NodeSelectorOpDoesNotExist, NodeSelectorOpGt, NodeSelectorOpLt))
	}
	errs = append(errs, validateQualifiedName(r.Key, p.Child("key"))...)
	for i, v := range r.Values {
		errs = append(errs, invalidAll(vp.Index(i), v, validation.IsValidLabelValue(v))...)
	}
	return errs
}

func validateNodeFieldSelectorRequirement(r NodeSelectorRequirement, p *path) errorList {
	var errs errorList
	switch r.Operator {
	case NodeSelectorOpIn, NodeSelectorOpNotIn:
		if len(r.Values) != 1 {
			errs = append(errs, validation.Required(p.Child("values"),
				"must be only one value when `operator` is 'In' or 'NotIn' for node field selector"))
		}
	default:
		errs = append(errs, notSupported(p.Child("operator"), r.Operator, NodeSelectorOpIn, NodeSelectorOpNotIn))
	}
	if r.Key != NodeFieldSelectorKeyNodeName {
		errs = append(errs, validation.NotSupported(p.Child("key"), r.Key, []string{NodeFieldSelectorKeyNodeName}))
	}
	for i, v := range r.Values {
		errs = append(errs, validateDNSSubdomain(v, p.Child("values").Index(i))...)
	}
	return errs
}

func validatePodAffinityTerms(required []PodAffinityTerm, preferred []WeightedPodAffinityTerm, p *path) errorList {
	var errs errorList
	for i := range required {
		errs = append(errs, validatePodAffinityTerm(&required[i],
			p.Child("requiredDuringSchedulingIgnoredDuringExecution").Index(i))...)
	}
	for i := range preferred {
		ip := p.Child("preferredDuringSchedulingIgnoredDuringExecution").Index(i)
		errs = append(errs, validateWeight(preferred[i].Weight, ip.Child("weight"))...)
		errs = append(errs, validatePodAffinityTerm(&preferred[i].PodAffinityTerm, ip.Child("podAffinityTerm"))...)
	}
	return errs
}

func validatePodAffinityTerm(t *PodAffinityTerm, p *path) errorList {
	errs := labels.ValidateLabelSelector(t.LabelSelector, p.Child("labelSelector"))
	errs = append(errs, labels.ValidateLabelSelector(t.NamespaceSelector, p.Child("namespaceSelector"))...)
	for i, ns := range t.Namespaces {
		errs = append(errs, validateDNSLabel(ns, p.Child("namespaces").Index(i))...)
	}
	if t.TopologyKey == "" {
		errs = append(errs, validation.Required(p.Child("topologyKey"), "can not be empty"))
	} else {
		errs = append(errs, validateQualifiedName(t.TopologyKey, p.Child("topologyKey"))...)
	}
	errs = append(errs, validateMatchLabelKeys(t.MatchLabelKeys, t.LabelSelector, p.Child("matchLabelKeys"))...)
	errs = append(errs, validateMatchLabelKeys(t.MismatchLabelKeys, t.LabelSelector, p.Child("mismatchLabelKeys"))...)
	mismatch := map[string]bool{}
	for _, k := range t.MismatchLabelKeys {
		mismatch[k] = true
	}
	for i, k := range t.MatchLabelKeys {
		if mismatch[k] {
			errs = append(errs, validation.Invalid(p.Child("matchLabelKeys").Index(i), k,
				"exists in both matchLabelKeys and mismatchLabelKeys"))
		}
	}
	return errs
}

// validateMatchLabelKeys checks label keys taken from the pod: valid, unique, and requiring a
// label selector.
func validateMatchLabelKeys(keys []string, sel *meta.LabelSelector, p *path) errorList {
	if len(keys) == 0 {
		return nil
	}
	if sel == nil {
		return errorList{validation.Forbidden(p, "must not be specified when labelSelector is not set")}
	}
	var errs errorList
	seen := map[string]bool{}
	for i, k := range keys {
		errs = append(errs, validateQualifiedName(k, p.Index(i))...)
		if seen[k] {
			errs = append(errs, validation.Duplicate(p.Index(i), k))
		}
		seen[k] = true
	}
	return errs
}

// validateTopologySpreadConstraints checks spread constraints: positive maxSkew, a topology
// key, a known action, minDomains only with DoNotSchedule, known inclusion policies, and no
// two constraints with the same topology key and action.
func validateTopologySpreadConstraints(cs []TopologySpreadConstraint, p *path) errorList {
	var errs errorList
	seen := map[string]bool{}
	for i, c := range cs {
		ip := p.Index(i)
		if c.MaxSkew <= 0 {
			errs = append(errs, validation.Invalid(ip.Child("maxSkew"), c.MaxSkew, "must be greater than zero"))
		}
		if c.TopologyKey == "" {
			errs = append(errs, validation.Required(ip.Child("topologyKey"), "can not be empty"))
		} else {
			errs = append(errs, validateQualifiedName(c.TopologyKey, ip.Child("topologyKey"))...)
		}
		errs = append(errs, requiredEnum(c.WhenUnsatisfiable, ip.Child("whenUnsatisfiable"), DoNotSchedule, ScheduleAnyway)...)
		if m := c.MinDomains; m != nil {
			if *m <= 0 {
				errs = append(errs, validation.Invalid(ip.Child("minDomains"), *m, "must be greater than 0"))
			} else if c.WhenUnsatisfiable != DoNotSchedule {
				errs = append(errs, validation.Invalid(ip.Child("minDomains"), *m,
					"can only use minDomains if whenUnsatisfiable=DoNotSchedule"))
			}
		}
		key := c.TopologyKey + "/" + string(c.WhenUnsatisfiable)
		if seen[key] {
			errs = append(errs, validation.Duplicate(ip, "{"+c.TopologyKey+", "+string(c.WhenUnsatisfiable)+"}"))
		}
		seen[key] = true
		errs = append(errs, optionalEnum(c.NodeAffinityPolicy, ip.Child("nodeAffinityPolicy"),
			NodeInclusionPolicyHonor, NodeInclusionPolicyIgnore)...)
		errs = append(errs, optionalEnum(c.NodeTaintsPolicy, ip.Child("nodeTaintsPolicy"),
			NodeInclusionPolicyHonor, NodeInclusionPolicyIgnore)...)
		errs = append(errs, labels.ValidateLabelSelector(c.LabelSelector, ip.Child("labelSelector"))...)
		errs = append(errs, validateMatchLabelKeys(c.MatchLabelKeys, c.LabelSelector, ip.Child("matchLabelKeys"))...)
	}
	return errs
}
