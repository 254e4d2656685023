package fields

import (
	"errors"
	"strings"
	"testing"
)

func TestParseSelectorValid(t *testing.T) {
	tests := []struct {
		in   string
		want string // canonical String()
	}{
		{"", ""},
		{" ", ""},
		{",", ""},
		{" , ,", ""},
		{"metadata.name=web", "metadata.name=web"},
		{"metadata.name==web", "metadata.name=web"},
		{"status.phase!=Running", "status.phase!=Running"},
		{"metadata.name=web,status.phase!=Running", "metadata.name=web,status.phase!=Running"},
		{"status.phase!=Running,metadata.name=web", "metadata.name=web,status.phase!=Running"},
		{"a=b, c = d", "a=b,c=d"},
		{"\ta\n=\rb\t", "a=b"},
		{"a=b,,c=d,", "a=b,c=d"},
		{"a=", "a="},
		{"a!=", "a!="},
		{"a= ", "a="},
		{"a=b c", "a=b c"},
		{"a=b,a!=c,a=a", "a!=c,a=a,a=b"},
		{"a=b,a=b", "a=b,a=b"},
		{`a=x\,y`, `a=x\,y`},
		{`a=x\=y`, `a=x\=y`},
		{`a=x\\y`, `a=x\\y`},
		{`a=\\`, `a=\\`},
		{`a=\,\=\\`, `a=\,\=\\`},
		{`a=!b`, `a=!b`},
		{`a!=!b`, `a!=!b`},
		{`a=b!c`, `a=b!c`},
		{`spec.containers[0].name=x`, `spec.containers[0].name=x`},
		{`a=ünïcode`, `a=ünïcode`},
		{`ü=x`, `ü=x`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			sel, err := ParseSelector(tt.in)
			if err != nil {
				t.Fatalf("ParseSelector(%q): %v", tt.in, err)
			}
			if got := sel.String(); got != tt.want {
				t.Fatalf("String() = %q, want %q", got, tt.want)
			}
			if sel.Empty() != (tt.want == "") {
				t.Errorf("Empty() = %v", sel.Empty())
			}
			again, err := ParseSelector(sel.String())
			if err != nil || again.String() != sel.String() || !equalRequirements(again.Requirements(), sel.Requirements()) {
				t.Errorf("round trip of %q: %q, %v", sel.String(), again, err)
			}
		})
	}
}

func TestParseSelectorValues(t *testing.T) {
	sel, err := ParseSelector(`b==x\,y\=z\\, a!= spaced out `)
	if err != nil {
		t.Fatal(err)
	}
	want := []Requirement{
		{Field: "a", Operator: NotEquals, Value: "spaced out"},
		{Field: "b", Operator: Equals, Value: `x,y=z\`},
	}
	if got := sel.Requirements(); !equalRequirements(got, want) {
		t.Errorf("Requirements() = %+v, want %+v", got, want)
	}
}

func TestParseSelectorInvalid(t *testing.T) {
	tests := []struct {
		in   string
		pos  int
		want string
	}{
		{"a", 0, `term "a" has no operator; expected field=value, field==value or field!=value`},
		{"a=b,c", 4, `term "c" has no operator`},
		{"a=b, c d ", 5, `term "c d" has no operator`},
		{"=b", 0, "missing field name before '='"},
		{" ==b", 1, "missing field name before '=='"},
		{"a=b,!=c", 4, "missing field name before '!='"},
		{"a b=c", 1, `invalid field name "a b": must not contain white space, ',', '=', '!' or '\'`},
		{"a!b=c", 1, `invalid field name "a!b"`},
		{`a\b=c`, 1, `invalid field name "a\\b"`},
		{`a\,b=c`, 1, `invalid field name "a\\,b"`},
		{"a=b=c", 3, "unescaped '=' in value (write '\\=')"},
		{"a===b", 3, "unescaped '='"},
		{"a!==b", 3, "unescaped '='"},
		{`a=b\`, 3, `value ends in a lone '\' (write '\\' for a backslash)`},
		{`a=b\ `, 3, `value ends in a lone '\'`},
		{`a=b\x`, 3, `invalid escape sequence '\x' in value (only '\\', '\,' and '\=' are allowed)`},
		{`a=b\ü`, 3, `invalid escape sequence '\ü'`},
		{`x=1,a=b\n`, 7, `invalid escape sequence '\n'`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			sel, err := ParseSelector(tt.in)
			if err == nil {
				t.Fatalf("ParseSelector(%q) = %q, want an error", tt.in, sel)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error %T is not a *ParseError", err)
			}
			if pe.Input != tt.in || pe.Pos != tt.pos {
				t.Errorf("Input %q Pos %d, want Pos %d (%v)", pe.Input, pe.Pos, tt.pos, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error\n  %v\nwant it to contain\n  %s", err, tt.want)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := ParseSelector("metadata.name=web,status.phase")
	want := `fields: cannot parse selector "metadata.name=web,status.phase": at position 18: term "status.phase" has no operator; expected field=value, field==value or field!=value`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestEscapeValue(t *testing.T) {
	tests := []struct{ raw, escaped string }{
		{"", ""},
		{"plain", "plain"},
		{",", `\,`},
		{"=", `\=`},
		{`\`, `\\`},
		{`a,b=c\d`, `a\,b\=c\\d`},
		{`\,`, `\\\,`},
		{"!=", `!\=`},
	}
	for _, tt := range tests {
		if got := EscapeValue(tt.raw); got != tt.escaped {
			t.Errorf("EscapeValue(%q) = %q, want %q", tt.raw, got, tt.escaped)
		}
		got, err := UnescapeValue(tt.escaped)
		if err != nil || got != tt.raw {
			t.Errorf("UnescapeValue(%q) = %q, %v; want %q", tt.escaped, got, err, tt.raw)
		}
	}
	for _, bad := range []string{`\`, `a\b`, "a,b", "a=b"} {
		if _, err := UnescapeValue(bad); err == nil || !strings.HasPrefix(err.Error(), "fields: cannot unescape ") {
			t.Errorf("UnescapeValue(%q) error = %v", bad, err)
		}
	}
}

func equalRequirements(a, b []Requirement) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
