package validation

import (
	"fmt"
	"strings"
)

// Name rule limits (../shared/spec/objects.md §1).
const (
	DNS1123LabelMaxLength     = 63
	DNS1123SubdomainMaxLength = 253
	DNS1035LabelMaxLength     = 63
	LabelValueMaxLength       = 63
	qualifiedNameMaxLength    = 63
)

// The patterns of the name rules, as the messages quote them. The matches* functions below
// match them by hand, without allocating: names are checked on every write, and valid names
// cost no allocation.
const (
	dns1123LabelFmt     = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
	dns1123SubdomainFmt = dns1123LabelFmt + "(\\." + dns1123LabelFmt + ")*"
	dns1035LabelFmt     = "[a-z]([-a-z0-9]*[a-z0-9])?"
	qualifiedNameFmt    = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
)

// IsDNS1123Label returns the rules value breaks as a DNS-1123 label (empty when valid).
func IsDNS1123Label(value string) []string {
	var errs []string
	if len(value) > DNS1123LabelMaxLength {
		errs = append(errs, maxLenError(DNS1123LabelMaxLength))
	}
	if !matchesDNS1123Label(value) {
		errs = append(errs, regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character", dns1123LabelFmt, "my-name", "123-abc"))
	}
	return errs
}

// IsDNS1123Subdomain returns the rules value breaks as a DNS-1123 subdomain.
func IsDNS1123Subdomain(value string) []string {
	var errs []string
	if len(value) > DNS1123SubdomainMaxLength {
		errs = append(errs, maxLenError(DNS1123SubdomainMaxLength))
	}
	if !matchesDNS1123Subdomain(value) {
		errs = append(errs, regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character", dns1123SubdomainFmt, "example.com"))
	}
	return errs
}

// IsDNS1035Label returns the rules value breaks as a DNS-1035 label (Service names).
func IsDNS1035Label(value string) []string {
	var errs []string
	if len(value) > DNS1035LabelMaxLength {
		errs = append(errs, maxLenError(DNS1035LabelMaxLength))
	}
	if !matchesDNS1035Label(value) {
		errs = append(errs, regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character", dns1035LabelFmt, "my-name", "abc-123"))
	}
	return errs
}

// IsQualifiedName returns the rules value breaks as a qualified name ([prefix/]name), the form
// of label keys, annotation keys and finalizers.
func IsQualifiedName(value string) []string {
	var errs []string
	name := value
	switch strings.Count(value, "/") {
	case 0: // a name alone
	case 1:
		var prefix string
		prefix, name, _ = strings.Cut(value, "/")
		if len(prefix) == 0 {
			errs = append(errs, "prefix part "+emptyError())
		} else if msgs := IsDNS1123Subdomain(prefix); len(msgs) != 0 {
			for _, m := range msgs {
				errs = append(errs, "prefix part "+m)
			}
		}
	default:
		return append(errs, "a qualified name "+regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, "MyName", "my.name", "123-abc")+
			" with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')")
	}
	if len(name) == 0 {
		errs = append(errs, "name part "+emptyError())
	} else if len(name) > qualifiedNameMaxLength {
		errs = append(errs, "name part "+maxLenError(qualifiedNameMaxLength))
	}
	if !matchesQualifiedName(name) {
		errs = append(errs, "name part "+regexError("must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, "MyName", "my.name", "123-abc"))
	}
	return errs
}

// IsValidLabelValue returns the rules value breaks as a label value (empty is valid).
func IsValidLabelValue(value string) []string {
	var errs []string
	if len(value) > LabelValueMaxLength {
		errs = append(errs, maxLenError(LabelValueMaxLength))
	}
	if value != "" && !matchesQualifiedName(value) {
		errs = append(errs, regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character", qualifiedNameFmt, "MyValue", "my_value", "12345"))
	}
	return errs
}

func maxLenError(n int) string { return fmt.Sprintf("must be no more than %d characters", n) }

func emptyError() string { return "must be non-empty" }

func regexError(msg, re string, examples ...string) string {
	if len(examples) == 0 {
		return msg + " (regex used for validation is '" + re + "')"
	}
	msg += " (e.g. "
	for i, e := range examples {
		if i > 0 {
			msg += " or "
		}
		msg += "'" + e + "'"
	}
	return msg + ", regex used for validation is '" + re + "')"
}

// matchesDNS1123Label reports whether s matches dns1123LabelFmt: lower-case alphanumerics and
// '-', starting and ending with an alphanumeric.
func matchesDNS1123Label(s string) bool {
	n := len(s)
	if n == 0 || !isLowerAlnum(s[0]) || !isLowerAlnum(s[n-1]) {
		return false
	}
	for i := 1; i < n-1; i++ {
		if c := s[i]; !isLowerAlnum(c) && c != '-' {
			return false
		}
	}
	return true
}

// matchesDNS1123Subdomain reports whether s matches dns1123SubdomainFmt: DNS-1123 labels
// joined by dots.
func matchesDNS1123Subdomain(s string) bool {
	for {
		label, rest, more := strings.Cut(s, ".")
		if !matchesDNS1123Label(label) {
			return false
		}
		if !more {
			return true
		}
		s = rest
	}
}

// matchesDNS1035Label reports whether s matches dns1035LabelFmt: a DNS-1123 label that starts
// with a letter.
func matchesDNS1035Label(s string) bool {
	return s != "" && 'a' <= s[0] && s[0] <= 'z' && matchesDNS1123Label(s)
}

// matchesQualifiedName reports whether s matches qualifiedNameFmt: alphanumerics, '-', '_'
// and '.', starting and ending with an alphanumeric.
func matchesQualifiedName(s string) bool {
	n := len(s)
	if n == 0 || !isAlnum(s[0]) || !isAlnum(s[n-1]) {
		return false
	}
	for i := 1; i < n-1; i++ {
		if c := s[i]; !isAlnum(c) && c != '-' && c != '_' && c != '.' {
			return false
		}
	}
	return true
}

func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || '0' <= c && c <= '9' }

func isAlnum(c byte) bool { return isLowerAlnum(c) || 'A' <= c && c <= 'Z' }
