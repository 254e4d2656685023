package batch

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/labels"
)

// This file holds helpers the Job and CronJob rules share.

// templateLabels is a label map reported as a bad value. It prints in Go syntax
// (map[string]string{"app":"web"}), as Kubernetes prints the template labels a selector fails
// to match.
type templateLabels map[string]string

// Format writes the map in Go syntax whatever the verb.
func (l templateLabels) Format(f fmt.State, _ rune) {
	fmt.Fprintf(f, "%#v", map[string]string(l))
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

// validateImmutable reports newV at p when it differs from oldV.
func validateImmutable(newV, oldV any, p *validation.Path) validation.ErrorList {
	if equalJSON(newV, oldV) {
		return nil
	}
	return validation.ErrorList{validation.Invalid(p, badValue(newV), "field is immutable")}
}

// validateOptionalNonnegative reports *v at p when it is set and negative.
func validateOptionalNonnegative[T ~int32 | ~int64](v *T, p *validation.Path) validation.ErrorList {
	if v == nil {
		return nil
	}
	return validation.ValidateNonnegative(*v, p)
}

// validateHasLabel checks that the template metadata at p has label key set to want.
func validateHasLabel(m *meta.ObjectMeta, key, want string, p *validation.Path) validation.ErrorList {
	lp := p.Child("labels").Key(key)
	got, ok := m.Labels[key]
	switch {
	case !ok:
		return validation.ErrorList{validation.Required(lp, want)}
	case got != want:
		return validation.ErrorList{validation.Invalid(lp, got, fmt.Sprintf("must be '%s'", want))}
	}
	return nil
}

// httpPathRe is the path part of a domain-prefixed path such as managedBy.
var httpPathRe = regexp.MustCompile(`^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$`)

// validateDomainPrefixedPath checks a value of the form "example.com/some/path".
func validateDomainPrefixedPath(v string, p *validation.Path) validation.ErrorList {
	if v == "" {
		return validation.ErrorList{validation.Required(p, "")}
	}
	host, path, ok := strings.Cut(v, "/")
	if !ok || host == "" || path == "" {
		return validation.ErrorList{validation.Invalid(p, v, `must be a domain-prefixed path (such as "acme.io/foo")`)}
	}
	var errs validation.ErrorList
	for _, msg := range validation.IsDNS1123Subdomain(host) {
		errs = append(errs, validation.Invalid(p, host, msg))
	}
	if !httpPathRe.MatchString(path) {
		errs = append(errs, validation.Invalid(p, path, "Invalid path (regex used for validation is '"+httpPathRe.String()[1:len(httpPathRe.String())-1]+"')"))
	}
	return errs
}

// parseIndexes checks an interval list such as "1,3-5,7" against [0, completions): intervals
// are increasing and do not overlap. It returns how many indexes the list names.
func parseIndexes(s string, completions int32) (int32, error) {
	if s == "" {
		return 0, nil
	}
	last := int64(-1)
	var total int32
	for _, interval := range strings.Split(s, ",") {
		bounds := strings.Split(interval, "-")
		if len(bounds) > 2 {
			return 0, fmt.Errorf("the fragment %q violates the requirement that an index interval can have at most two parts separated by '-'", interval)
		}
		var ends [2]int64
		for i, b := range bounds {
			x, err := strconv.ParseInt(b, 10, 32)
			if err != nil {
				return 0, fmt.Errorf("cannot convert string to integer for index: %q", b)
			}
			if x >= int64(completions) {
				return 0, fmt.Errorf("too large index: %q", b)
			}
			if x <= last {
				return 0, fmt.Errorf("non-increasing order, previous: %d, current: %d", last, x)
			}
			last = x
			ends[i] = x
		}
		if len(bounds) == 2 {
			total += int32(ends[1]-ends[0]) + 1
		} else {
			total++
		}
	}
	return total, nil
}

// containerNames returns the names of the template's containers and init containers.
func containerNames(t *core.PodTemplateSpec) map[string]bool {
	names := make(map[string]bool, len(t.Spec.Containers)+len(t.Spec.InitContainers))
	for _, c := range t.Spec.Containers {
		names[c.Name] = true
	}
	for _, c := range t.Spec.InitContainers {
		names[c.Name] = true
	}
	return names
}
