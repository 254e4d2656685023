package labels

import (
	"strings"

	"github.com/skiff-dev/skiff/api/validation"
)

// The checks in this file answer "is this valid?" without allocating, so that Parse and
// NewRequirement pay nothing for well-formed input. They must agree exactly with
// api/validation (IsQualifiedName, IsValidLabelValue), which is asked for the explanation
// whenever they say no; TestRulesAgreeWithValidation and FuzzRules hold them to that.

// labelNameMaxLength is the longest name part of a key, and the longest value.
const labelNameMaxLength = 63

// isKey reports whether s is a valid label key: an optional DNS-1123 subdomain prefix and '/',
// then a name.
func isKey(s string) bool {
	name := s
	if i := strings.IndexByte(s, '/'); i >= 0 {
		if !isDNS1123Subdomain(s[:i]) {
			return false
		}
		name = s[i+1:]
	}
	return isLabelName(name)
}

// isValue reports whether s is a valid label value: empty, or a name.
func isValue(s string) bool { return s == "" || isLabelName(s) }

// isLabelName reports whether s is 1 to 63 characters of [-A-Za-z0-9_.] that start and end
// with an alphanumeric character.
func isLabelName(s string) bool {
	n := len(s)
	if n == 0 || n > labelNameMaxLength || !isAlnum(s[0]) || !isAlnum(s[n-1]) {
		return false
	}
	for i := 1; i < n-1; i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

// isDNS1123Subdomain reports whether s is at most 253 characters of dot-separated lower-case
// DNS labels.
func isDNS1123Subdomain(s string) bool {
	if len(s) == 0 || len(s) > validation.DNS1123SubdomainMaxLength {
		return false
	}
	for part := range strings.SplitSeq(s, ".") {
		n := len(part)
		if n == 0 || !isLowerAlnum(part[0]) || !isLowerAlnum(part[n-1]) {
			return false
		}
		for i := 1; i < n-1; i++ {
			if c := part[i]; !isLowerAlnum(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

// keyProblems returns why key is not a valid label key, or nil.
func keyProblems(key string) []string {
	if isKey(key) {
		return nil
	}
	return validation.IsQualifiedName(key)
}

// valueProblems returns why value is not a valid label value, or nil.
func valueProblems(value string) []string {
	if isValue(value) {
		return nil
	}
	return validation.IsValidLabelValue(value)
}

// parseInt64 parses a base-10 integer with an optional sign, as strconv.ParseInt(s, 10, 64)
// does, but reports failure with a bool so that matching a label value that is not a number
// allocates nothing.
func parseInt64(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	switch s[0] {
	case '+', '-':
		neg = s[0] == '-'
		s = s[1:]
		if s == "" {
			return 0, false
		}
	}
	// Accumulate as a negative number so that the minimum int64 fits.
	const minInt64 = -1 << 63
	var n int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		d := int64(c - '0')
		if n < (minInt64+d)/10 {
			return 0, false
		}
		n = n*10 - d
	}
	if !neg {
		if n == minInt64 {
			return 0, false
		}
		n = -n
	}
	return n, true
}
