package core

import (
	"fmt"
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/api/validation"
)

// This file holds the small rules the kinds' validations share: ports, IPs, resource names and
// amounts, config keys, relative paths, environment variable names.

// Short names for the validation types used throughout this package's validation.
type (
	errorList = validation.ErrorList
	path      = validation.Path
)

// sortedKeys returns m's keys in order, so that errors about maps come in a stable order.
func sortedKeys[K ~string, V any](m map[K]V) []K {
	return appendSortedKeys(make([]K, 0, len(m)), m)
}

// appendSortedKeys is sortedKeys appending to keys: callers on the hot path pass a small
// array's slice to spare the allocation.
func appendSortedKeys[K ~string, V any](keys []K, m map[K]V) []K {
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// nameSet is a set of strings for the uniqueness checks of validation. The lists of an object
// are short, so it keeps the first names in an array, which costs no allocation while the set
// lives on the stack, and builds a map only for long lists. The zero value is empty.
type nameSet struct {
	few  [8]string
	n    int             // names in few
	many map[string]bool // every name, once few is full
}

// has reports whether name is in the set.
func (s *nameSet) has(name string) bool {
	if s.many != nil {
		return s.many[name]
	}
	return slices.Contains(s.few[:s.n], name)
}

// add puts name in the set.
func (s *nameSet) add(name string) {
	switch {
	case s.has(name):
	case s.many == nil && s.n < len(s.few):
		s.few[s.n] = name
		s.n++
	default:
		if s.many == nil {
			s.many = make(map[string]bool, 2*len(s.few))
			for _, n := range s.few {
				s.many[n] = true
			}
		}
		s.many[name] = true
	}
}

// clone returns a copy of s that shares nothing with it.
func (s *nameSet) clone() nameSet {
	c := *s
	c.many = maps.Clone(s.many)
	return c
}

// invalidAll turns each message of a name rule into an Invalid error.
func invalidAll(p *path, value string, msgs []string) errorList {
	var errs errorList
	for _, m := range msgs {
		errs = append(errs, validation.Invalid(p, value, m))
	}
	return errs
}

// validateDNSLabel, validateDNSSubdomain and validateQualifiedName check a non-empty value.
func validateDNSLabel(v string, p *path) errorList {
	return invalidAll(p, v, validation.IsDNS1123Label(v))
}

func validateDNSSubdomain(v string, p *path) errorList {
	return invalidAll(p, v, validation.IsDNS1123Subdomain(v))
}

func validateQualifiedName(v string, p *path) errorList {
	return invalidAll(p, v, validation.IsQualifiedName(v))
}

// validateLabelMap checks label keys and values in key order.
func validateLabelMap(m map[string]string, p *path) errorList {
	return validation.ValidateLabels(m, p)
}

// notSupported is validation.NotSupported for string enumerations.
func notSupported[T ~string](p *path, v T, allowed ...T) *validation.Error {
	return validation.NotSupported(p, string(v), allowed)
}

// requiredEnum checks a field that must hold one of allowed (empty means Required).
func requiredEnum[T ~string](v T, p *path, allowed ...T) errorList {
	if v == "" {
		return errorList{validation.Required(p, "")}
	}
	if !slices.Contains(allowed, v) {
		return errorList{notSupported(p, v, allowed...)}
	}
	return nil
}

// optionalEnum checks an optional field that, when set, must hold one of allowed.
func optionalEnum[T ~string](v *T, p *path, allowed ...T) errorList {
	if v != nil && !slices.Contains(allowed, *v) {
		return errorList{notSupported(p, *v, allowed...)}
	}
	return nil
}

const portNumMessage = "must be between 1 and 65535, inclusive"

// validatePortNumber checks a port number.
func validatePortNumber(port int32, p *path) errorList {
	if port < 1 || port > 65535 {
		return errorList{validation.Invalid(p, port, portNumMessage)}
	}
	return nil
}

// The character rules below are the regular expressions their messages quote, matched by
// hand so that valid values cost no allocation; validation_rules_test.go holds them to the
// expressions.

// consistsOf reports whether s is non-empty and every byte of it is allowed: the pattern
// ^[class]+$ for an ASCII class. (Bytes of multi-byte UTF-8 characters are never ASCII, and
// such characters are never in the class.)
func consistsOf(s string, allowed func(byte) bool) bool {
	for i := 0; i < len(s); i++ {
		if !allowed(s[i]) {
			return false
		}
	}
	return s != ""
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

func isAlnum(c byte) bool { return isLowerAlnum(c) || 'A' <= c && c <= 'Z' }

// isPortNameChar is the class [-a-z0-9].
func isPortNameChar(c byte) bool { return isLowerAlnum(c) || c == '-' }

// isConfigKeyChar is the class [-._a-zA-Z0-9].
func isConfigKeyChar(c byte) bool { return isAlnum(c) || c == '-' || c == '.' || c == '_' }

// isHTTPHeaderNameChar is the class [-A-Za-z0-9].
func isHTTPHeaderNameChar(c byte) bool { return isAlnum(c) || c == '-' }

// isValidPortName returns the rules an IANA_SVC_NAME port name breaks.
func isValidPortName(name string) []string {
	var msgs []string
	if len(name) > 15 {
		msgs = append(msgs, "must be no more than 15 characters")
	}
	if !consistsOf(name, isPortNameChar) { // ^[-a-z0-9]+$
		msgs = append(msgs, "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)")
	}
	if !strings.ContainsAny(name, "abcdefghijklmnopqrstuvwxyz") { // [a-z]
		msgs = append(msgs, "must contain at least one letter (a-z)")
	}
	if strings.Contains(name, "--") {
		msgs = append(msgs, "must not contain consecutive hyphens (--)")
	}
	if name != "" && (name[0] == '-' || name[len(name)-1] == '-') {
		msgs = append(msgs, "must not begin or end with a hyphen")
	}
	return msgs
}

// validatePortNumOrName checks a port given as a number or a port name.
func validatePortNumOrName(port intstr.IntOrString, p *path) errorList {
	if port.Type == intstr.Int {
		return validatePortNumber(port.IntVal, p)
	}
	return invalidAll(p, port.StrVal, isValidPortName(port.StrVal))
}

var supportedProtocols = []Protocol{ProtocolSCTP, ProtocolTCP, ProtocolUDP}

// validateIP checks an IP address.
func validateIP(ip string, p *path) errorList {
	if _, err := netip.ParseAddr(ip); err != nil || strings.Contains(ip, "%") {
		return errorList{validation.Invalid(p, ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)")}
	}
	return nil
}

// validateCIDR checks a CIDR.
func validateCIDR(cidr string, p *path) errorList {
	if _, err := netip.ParsePrefix(cidr); err != nil {
		return errorList{validation.Invalid(p, cidr, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)")}
	}
	return nil
}

// isConfigMapKey returns the rules a config map or secret key breaks.
func isConfigMapKey(key string) []string {
	var msgs []string
	if len(key) > validation.DNS1123SubdomainMaxLength {
		msgs = append(msgs, fmt.Sprintf("must be no more than %d characters", validation.DNS1123SubdomainMaxLength))
	}
	if !consistsOf(key, isConfigKeyChar) { // ^[-._a-zA-Z0-9]+$
		msgs = append(msgs, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')")
	}
	switch {
	case key == ".":
		msgs = append(msgs, "must not be '.'")
	case key == "..":
		msgs = append(msgs, "must not be '..'")
	case strings.HasPrefix(key, ".."):
		msgs = append(msgs, "must not start with '..'")
	}
	return msgs
}

// validateLocalDescendingPath checks a path that must stay inside a directory: relative and
// without ".." elements.
func validateLocalDescendingPath(target string, p *path) errorList {
	var errs errorList
	if strings.HasPrefix(target, "/") {
		errs = append(errs, validation.Invalid(p, target, "must be a relative path"))
	}
	for _, part := range strings.Split(strings.ReplaceAll(target, `\`, "/"), "/") {
		if part == ".." {
			errs = append(errs, validation.Invalid(p, target, "must not contain '..'"))
			break
		}
	}
	return errs
}

// validateLocalNonReservedPath is validateLocalDescendingPath that also forbids a leading "..",
// which the kubelet reserves for its own files.
func validateLocalNonReservedPath(target string, p *path) errorList {
	errs := validateLocalDescendingPath(target, p)
	if strings.HasPrefix(target, "..") && !strings.HasPrefix(target, "../") {
		errs = append(errs, validation.Invalid(p, target, "must not start with '..'"))
	}
	return errs
}

// validateEnvVarName checks an environment variable name (Kubernetes' relaxed rule: printable
// ASCII except '=').
func validateEnvVarName(name string, p *path) errorList {
	for i := 0; i < len(name); i++ {
		if c := name[i]; c < ' ' || c > '~' || c == '=' {
			return errorList{validation.Invalid(p, name,
				"a valid environment variable name must consist only of printable ASCII characters other than '='")}
		}
	}
	return nil
}

// isNativeResource reports whether a resource name belongs to Kubernetes: no domain, or a
// kubernetes.io domain.
func isNativeResource(name ResourceName) bool {
	n := string(name)
	return !strings.Contains(n, "/") || strings.Contains(n, "kubernetes.io/")
}

// isExtendedResource reports whether name is an extended resource such as example.com/gpu.
func isExtendedResource(name ResourceName) bool {
	return !isNativeResource(name) && !strings.HasPrefix(string(name), "requests.")
}

func isHugePages(name ResourceName) bool {
	return strings.HasPrefix(string(name), ResourceHugePagesPrefix)
}

// validateResourceName checks a resource name: a qualified name, and one of standard if it has
// no domain prefix.
func validateResourceName(name ResourceName, standard []ResourceName, what string, p *path) errorList {
	n := string(name)
	errs := invalidAll(p, n, validation.IsQualifiedName(n))
	if len(errs) > 0 {
		return errs
	}
	if !strings.Contains(n, "/") {
		if !slices.Contains(standard, name) && !isHugePages(name) {
			return errorList{validation.Invalid(p, n, "must be a standard resource "+what)}
		}
	} else if !isNativeResource(name) && !isExtendedResource(name) {
		return errorList{validation.Invalid(p, n, "doesn't follow extended resource name standard")}
	}
	return nil
}

// validateQuantity checks an amount: not negative, and whole for extended resources and pods.
func validateQuantity(name ResourceName, q resource.Quantity, p *path) errorList {
	if q.Sign() < 0 {
		return errorList{validation.Invalid(p, q.String(), "must be greater than or equal to 0")}
	}
	if (isExtendedResource(name) || name == ResourcePods) && q.MilliValue()%1000 != 0 {
		return errorList{validation.Invalid(p, q.String(), "must be an integer")}
	}
	return nil
}

var (
	containerResources = []ResourceName{ResourceCPU, ResourceMemory, ResourceEphemeralStorage}
	nodeResources      = []ResourceName{ResourceCPU, ResourceMemory, ResourceEphemeralStorage, ResourceStorage, ResourcePods}
)

// validateResourceList checks the names and amounts of a list.
func validateResourceList(rl ResourceList, standard []ResourceName, what string, p *path) errorList {
	var errs errorList
	var buf [8]ResourceName
	for _, name := range appendSortedKeys(buf[:0], rl) {
		kp := p.Key(string(name))
		errs = append(errs, validateResourceName(name, standard, what, kp)...)
		errs = append(errs, validateQuantity(name, rl[name], kp)...)
	}
	return errs
}

// validateResourceRequirements checks requests and limits: valid names and amounts, requests
// not above limits, and requests equal to limits for resources that cannot be overcommitted
// (extended resources and huge pages); and that claims name claims of the pod (ctx), unless ctx
// is nil (pod-level resources, which may not have claims at all).
func validateResourceRequirements(r *ResourceRequirements, ctx *podContext, p *path) errorList {
	limPath, reqPath := p.Child("limits"), p.Child("requests")
	errs := validateResourceList(r.Limits, containerResources, "for containers", limPath)
	errs = append(errs, validateResourceList(r.Requests, containerResources, "for containers", reqPath)...)
	var buf [8]ResourceName
	for _, name := range appendSortedKeys(buf[:0], r.Requests) {
		k := string(name)
		req := r.Requests[name]
		lim, hasLimit := r.Limits[name]
		overcommit := isNativeResource(name) && !isHugePages(name)
		switch {
		case !overcommit && !hasLimit:
			errs = append(errs, validation.Required(limPath, "Limit must be set for non overcommitable resources"))
		case !overcommit && req.Cmp(lim) != 0:
			errs = append(errs, validation.Invalid(reqPath.Key(k), req.String(),
				fmt.Sprintf("must be equal to %s limit of %s", name, lim.String())))
		case hasLimit && req.Cmp(lim) > 0:
			errs = append(errs, validation.Invalid(reqPath.Key(k), req.String(),
				fmt.Sprintf("must be less than or equal to %s limit of %s", name, lim.String())))
		}
	}
	var seen nameSet
	for i, c := range r.Claims {
		cp := p.Child("claims").Index(i)
		key := c.Name + "/" + c.Request
		switch {
		case c.Name == "":
			errs = append(errs, validation.Required(cp.Child("name"), ""))
		case seen.has(key):
			errs = append(errs, validation.Duplicate(cp, key))
		case ctx != nil && !ctx.hasClaim(c.Name):
			errs = append(errs, validation.NotFound(cp.Child("name"), c.Name))
		}
		seen.add(key)
	}
	return errs
}
