package apps

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/labels"
)

// This file holds the rules the apps kinds share: selector and template checks, int-or-percent
// values, immutability and counters that may not go down.

// templateLabels is a label map reported as a bad value. It prints in Go syntax
// (map[string]string{"app":"web"}), as Kubernetes prints the template labels a selector fails
// to match.
type templateLabels map[string]string

// Format writes the map in Go syntax whatever the verb.
func (l templateLabels) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "%#v", map[string]string(l))
}

// selectorMismatch is the detail of the error reported when a selector does not match its
// template's labels.
const selectorMismatch = "`selector` does not match template `labels`"

// validateSelector checks a workload's selector at p: present, well formed and not empty. It
// returns the parsed selector, or nil when it could not be parsed.
func validateSelector(sel *meta.LabelSelector, kind string, p *validation.Path) (labels.Selector, validation.ErrorList) {
	if sel == nil {
		return nil, validation.ErrorList{validation.Required(p, "")}
	}
	errs := labels.ValidateLabelSelector(sel, p)
	if len(sel.MatchLabels)+len(sel.MatchExpressions) == 0 {
		errs = append(errs, validation.Invalid(p, badValue(sel), "empty selector is invalid for "+kind))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	s, err := labels.FromLabelSelector(sel)
	if err != nil {
		return nil, validation.ErrorList{validation.Invalid(p, badValue(sel), "invalid label selector")}
	}
	return s, nil
}

// validateSelectorMatchesTemplate reports, at templatePath.metadata.labels, template labels
// that sel does not select.
func validateSelectorMatchesTemplate(sel labels.Selector, t *core.PodTemplateSpec, templatePath *validation.Path) validation.ErrorList {
	if sel == nil || sel.Empty() || sel.Matches(labels.Set(t.Labels)) {
		return nil
	}
	return validation.ErrorList{validation.Invalid(templatePath.Child("metadata", "labels"), templateLabels(t.Labels), selectorMismatch)}
}

// validateWorkloadTemplate checks the pod template of a workload whose pods run forever
// (Deployment, ReplicaSet, StatefulSet, DaemonSet): the pod template rules, restartPolicy
// Always and no activeDeadlineSeconds.
func validateWorkloadTemplate(t *core.PodTemplateSpec, kind string, p *validation.Path) validation.ErrorList {
	errs := core.ValidatePodTemplateSpec(t, p)
	errs = append(errs, validateRestartAlways(t, kind, p)...)
	return errs
}

// validateRestartAlways checks restartPolicy and activeDeadlineSeconds of a workload
// template at p.
func validateRestartAlways(t *core.PodTemplateSpec, kind string, p *validation.Path) validation.ErrorList {
	var errs validation.ErrorList
	if t.Spec.RestartPolicy != core.RestartPolicyAlways {
		errs = append(errs, validation.NotSupported(p.Child("spec", "restartPolicy"), string(t.Spec.RestartPolicy), []core.RestartPolicy{core.RestartPolicyAlways}))
	}
	if t.Spec.ActiveDeadlineSeconds != nil {
		errs = append(errs, validation.Forbidden(p.Child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in "+kind+" is not Supported"))
	}
	return errs
}

var percentRe = regexp.MustCompile(`^[0-9]+%$`)

// percentValue returns the number of a valid "N%" string.
func percentValue(v intstr.IntOrString) (int, bool) {
	if v.Type != intstr.String || !percentRe.MatchString(v.StrVal) {
		return 0, false
	}
	n, err := strconv.Atoi(v.StrVal[:len(v.StrVal)-1])
	return n, err == nil
}

// intOrPercentValue returns the number in v whether it is a count or a percentage; nil is 0.
func intOrPercentValue(v *intstr.IntOrString) int {
	if v == nil {
		return 0
	}
	if n, ok := percentValue(*v); ok {
		return n
	}
	return v.IntValue()
}

// validatePositiveIntOrPercent checks that v, when set, is a non-negative count or a valid
// percentage.
func validatePositiveIntOrPercent(v *intstr.IntOrString, p *validation.Path) validation.ErrorList {
	if v == nil {
		return nil
	}
	switch v.Type {
	case intstr.String:
		if !percentRe.MatchString(v.StrVal) {
			return validation.ErrorList{validation.Invalid(p, v.StrVal, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%' or '93%', regex used for validation is '[0-9]+%')")}
		}
	case intstr.Int:
		return validation.ValidateNonnegative(v.IntVal, p)
	default:
		return validation.ErrorList{validation.Invalid(p, v.String(), "must be an integer or percentage (e.g '5%')")}
	}
	return nil
}

// validateNotMoreThan100Percent reports a percentage above 100%.
func validateNotMoreThan100Percent(v *intstr.IntOrString, p *validation.Path) validation.ErrorList {
	if v == nil {
		return nil
	}
	if n, ok := percentValue(*v); ok && n > 100 {
		return validation.ErrorList{validation.Invalid(p, v.StrVal, "must not be greater than 100%")}
	}
	return nil
}

// validateImmutable reports newV at p when it differs from oldV (compared as JSON, so nil and
// empty collections are equal, as in Kubernetes' semantic equality).
func validateImmutable(newV, oldV any, p *validation.Path) validation.ErrorList {
	if equalJSON(newV, oldV) {
		return nil
	}
	return validation.ErrorList{validation.Invalid(p, badValue(newV), "field is immutable")}
}

// printed is a bad value that prints verbatim, without the quotes a string would get.
type printed string

// Format writes the value as is, whatever the verb.
func (s printed) Format(f fmt.State, _ rune) { io.WriteString(f, string(s)) }

// badValue makes v printable in an error as JSON (a nil pointer prints as null); selectors
// print in selector syntax.
func badValue(v any) any {
	if sel, ok := v.(*meta.LabelSelector); ok && sel != nil && len(sel.MatchLabels)+len(sel.MatchExpressions) > 0 {
		return printed(labels.FormatLabelSelector(sel))
	}
	b, err := json.Marshal(v)
	if err != nil {
		return printed(fmt.Sprintf("%v", v))
	}
	return printed(b)
}

// equalJSON reports whether a and b encode to the same JSON. Fields marked omitempty or
// omitzero make nil and empty values equal, which is what update checks want.
func equalJSON(a, b any) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(ja, jb)
}

// validateNotGreater reports v at p when it is greater than limit.
func validateNotGreater(v, limit int32, detail string, p *validation.Path) validation.ErrorList {
	if v > limit {
		return validation.ErrorList{validation.Invalid(p, v, detail)}
	}
	return nil
}

// validateCollisionCount reports a collisionCount that went down or disappeared.
func validateCollisionCount(newC, oldC *int32, p *validation.Path) validation.ErrorList {
	if oldC == nil || (newC != nil && *newC >= *oldC) {
		return nil
	}
	v := int32(0)
	if newC != nil {
		v = *newC
	}
	return validation.ErrorList{validation.Invalid(p, v, "cannot be decremented")}
}
