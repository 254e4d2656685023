package labels

import (
	"errors"
	"strings"
	"testing"
)

func TestParseValid(t *testing.T) {
	long63 := strings.Repeat("a", 63)
	prefix253 := strings.Repeat(strings.Repeat("p", 62)+".", 4)[:252] + "q"
	tests := []struct {
		in   string
		want string // canonical String()
	}{
		{"", ""},
		{"   \t\r\n", ""},
		{"x", "x"},
		{" x ", "x"},
		{"!x", "!x"},
		{"! x", "!x"},
		{"x=a", "x=a"},
		{"x = a", "x=a"},
		{"x==a", "x==a"},
		{"x == a", "x==a"},
		{"x!=a", "x!=a"},
		{"x != a", "x!=a"},
		{"x=", "x="},
		{"x==", "x=="},
		{"x!=", "x!="},
		{"x=,y=b", "x=,y=b"},
		{"x= ,y", "x=,y"},
		{"x in (a)", "x in (a)"},
		{"x in(a)", "x in (a)"},
		{"x notin(a)", "x notin (a)"},
		{"x in (b,a,b)", "x in (a,b)"},
		{"x in ( a , b )", "x in (a,b)"},
		{"x notin (z)", "x notin (z)"},
		{"x in ()", "x in ()"},
		{"x in (,a)", "x in (,a)"},
		{"x in (a,)", "x in (,a)"},
		{"x in (,)", "x in ()"},
		{"x in (,,a,,)", "x in (,a)"},
		{"x notin ()", "x notin ()"},
		{"b=1,a=2", "a=2,b=1"},
		{"b, a", "a,b"},
		{"a in (b,c),a notin (b)", "a in (b,c),a notin (b)"},
		{"a notin (b),a in (b,c)", "a notin (b),a in (b,c)"},
		{"x=a,x=b", "x=a,x=b"},
		{"x=b,x=a", "x=b,x=a"},
		{"a=b,c!=d,e in (x,y),f notin (z),g,!h", "a=b,c!=d,e in (x,y),f notin (z),g,!h"},
		{"!h,g,f notin (z),e in (y,x),c!=d,a=b", "a=b,c!=d,e in (x,y),f notin (z),g,!h"},
		{"x>1", "x>1"},
		{"x > 1", "x>1"},
		{"x<10", "x<10"},
		{"x>01", "x>01"},
		{"x>9223372036854775807", "x>9223372036854775807"},
		{"in", "in"},
		{"!in", "!in"},
		{"notin", "notin"},
		{"in in (in,notin)", "in in (in,notin)"},
		{"notin notin (in)", "notin notin (in)"},
		{"notin=in", "notin=in"},
		{"x=in,y!=notin", "x=in,y!=notin"},
		{"example.com/app=web", "example.com/app=web"},
		{"a.b-c_d=E.f-g_h", "a.b-c_d=E.f-g_h"},
		{"\tx\n=\r\na\t", "x=a"},
		{"app=web,tier in (fe,be),!canary", "app=web,!canary,tier in (be,fe)"},
		{long63 + "=" + long63, long63 + "=" + long63},
		{prefix253 + "/" + long63, prefix253 + "/" + long63},
		{"x in (" + strings.Repeat("v,", 20) + "w)", "x in (v,w)"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			sel, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.in, err)
			}
			if got := sel.String(); got != tt.want {
				t.Fatalf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
			}
			if sel.Empty() != (tt.want == "") {
				t.Errorf("Empty() = %v for %q", sel.Empty(), tt.want)
			}
			again, err := Parse(sel.String())
			if err != nil {
				t.Fatalf("Parse(String()) of %q: %v", sel.String(), err)
			}
			if !equalSelectors(sel, again) {
				t.Errorf("round trip of %q gave %q", sel.String(), again.String())
			}
		})
	}
}

func TestParseInvalid(t *testing.T) {
	tests := []struct {
		in   string
		pos  int
		want string // substring of the message
	}{
		{"x=a,", 4, "found end of string, expected a key or '!' after ','"},
		{",x", 0, "found ',', expected a key or '!'"},
		{",", 0, "found ',', expected a key or '!'"},
		{"x,,y", 2, "found ',', expected a key or '!' after ','"},
		{"x in", 4, "found end of string, expected '(' after 'in'"},
		{"x notin", 7, "expected '(' after 'notin'"},
		{"x in a", 5, `found "a", expected '(' after 'in'`},
		{"x in (", 6, "found end of string, expected a value, ',' or ')'"},
		{"x in (a", 7, "found end of string, expected ',' or ')'"},
		{"x in (a,", 8, "found end of string, expected a value, ',' or ')'"},
		{"x in (a b)", 8, `found "b", expected ',' or ')'`},
		{"x in ((a))", 6, "found '(', expected a value, ',' or ')'"},
		{"x in (a,=)", 8, "found '=', expected a value, ',' or ')'"},
		{"x in (a))", 8, "found ')', expected ',' or end of string"},
		{"x in (a),", 9, "expected a key or '!' after ','"},
		{"!x=y", 2, "found '=', expected ',' or end of string ('!key' means the label is absent"},
		{"!x in (a)", 3, "('!key' means the label is absent"},
		{"!x y", 3, `found "y", expected ',' or end of string`},
		{"!", 1, "found end of string, expected a key after '!'"},
		{"!!x", 1, "found '!', expected a key after '!'"},
		{"!=x", 0, "found '!=', expected a key or '!'"},
		{"! =x", 2, "found '=', expected a key after '!'"},
		{"=a", 0, "found '=', expected a key or '!'"},
		{"x===a", 3, "found '=', expected a value"},
		{"x=a=b", 3, "found '=', expected ',' or end of string"},
		{"x=(a)", 2, "found '(', expected a value"},
		{"x=a b", 4, `found "b", expected ',' or end of string`},
		{"x y", 2, `found "y", expected an operator (=, ==, !=, in, notin, >, <), ',' or end of string after key "x"`},
		{"x y=z", 2, `found "y", expected an operator`},
		{"x)", 1, "found ')', expected an operator"},
		{"x(a)", 1, "found '(', expected an operator"},
		{"x=a)", 3, "found ')', expected ',' or end of string"},
		{"(", 0, "found '(', expected a key or '!'"},
		{")", 0, "found ')', expected a key or '!'"},
		{"x>a", 2, `invalid value "a" for key "x": must be an integer`},
		{"x>", 2, `invalid value "" for key "x": must be an integer`},
		{"x<1.5", 2, "must be an integer"},
		{"x>99999999999999999999", 2, "must be an integer"},
		{"x>-1", 2, `invalid value "-1" for key "x"`},
		{"x>=1", 2, "found '=', expected a value"},
		{"x<>1", 2, "found '>', expected a value"},
		{"A B", 2, `found "B", expected an operator`},
		{"-x", 0, `invalid key "-x": name part must consist of alphanumeric characters`},
		{"x_=a", 0, `invalid key "x_"`},
		{"a,b,x_", 4, `invalid key "x_"`},
		{"x=a_", 2, `invalid value "a_" for key "x": a valid label must be an empty string or consist of alphanumeric characters`},
		{"x=-a", 2, `invalid value "-a"`},
		{"x in (a,b_)", 8, `invalid value "b_" for key "x"`},
		{"a/b/c", 0, `invalid key "a/b/c": a qualified name must consist of`},
		{"/x", 0, `invalid key "/x": prefix part must be non-empty`},
		{"x/", 0, `invalid key "x/": name part must be non-empty`},
		{"Example.com/x", 0, `invalid key "Example.com/x": prefix part a lowercase RFC 1123 subdomain`},
		{strings.Repeat("k", 64), 0, "name part must be no more than 63 characters"},
		{"x=" + strings.Repeat("v", 64), 2, "must be no more than 63 characters"},
		{strings.Repeat("p", 254) + "/x", 0, "prefix part must be no more than 253 characters"},
		{"x\x00=a", 0, `invalid key "x\x00"`},
		{"ü=a", 0, `invalid key "ü"`},
		{"x=a\u00a0", 2, `invalid value "a\u00a0"`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			sel, err := Parse(tt.in)
			if err == nil {
				t.Fatalf("Parse(%q) = %q, want an error", tt.in, sel)
			}
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse(%q) error %T is not a *ParseError: %v", tt.in, err, err)
			}
			if pe.Input != tt.in || pe.Pos != tt.pos {
				t.Errorf("Parse(%q): Input %q Pos %d, want Pos %d (%v)", tt.in, pe.Input, pe.Pos, tt.pos, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error\n  %v\nwant it to contain\n  %s", tt.in, err, tt.want)
			}
			if !strings.HasPrefix(err.Error(), "labels: cannot parse selector ") {
				t.Errorf("error lacks the package prefix: %v", err)
			}
		})
	}
}

func TestParseErrorMessage(t *testing.T) {
	_, err := Parse("a=b,")
	want := `labels: cannot parse selector "a=b,": at position 4: found end of string, expected a key or '!' after ','`
	if err == nil || err.Error() != want {
		t.Fatalf("got %v\nwant %s", err, want)
	}
}

func TestParseRequirements(t *testing.T) {
	sel, err := Parse("z, y in (b,a,b), x>5, !w, v notin (c), u!=d, t==e, s=f, r<7")
	if err != nil {
		t.Fatal(err)
	}
	reqs, ok := sel.Requirements()
	if !ok {
		t.Fatal("Requirements() not selectable")
	}
	want := []struct {
		key  string
		op   Operator
		vals []string
	}{
		{"r", LessThan, []string{"7"}},
		{"s", Equals, []string{"f"}},
		{"t", DoubleEquals, []string{"e"}},
		{"u", NotEquals, []string{"d"}},
		{"v", NotIn, []string{"c"}},
		{"w", DoesNotExist, nil},
		{"x", GreaterThan, []string{"5"}},
		{"y", In, []string{"a", "b"}},
		{"z", Exists, nil},
	}
	if len(reqs) != len(want) {
		t.Fatalf("got %d requirements, want %d: %v", len(reqs), len(want), reqs)
	}
	for i, w := range want {
		r := reqs[i]
		if r.Key() != w.key || r.Operator() != w.op || !equalStrings(r.Values(), w.vals) {
			t.Errorf("requirement %d = (%q, %q, %q), want (%q, %q, %q)", i, r.Key(), r.Operator(), r.Values(), w.key, w.op, w.vals)
		}
	}
}

// equalSelectors compares selectors by their requirements.
func equalSelectors(a, b Selector) bool {
	ra, oka := a.Requirements()
	rb, okb := b.Requirements()
	if oka != okb || len(ra) != len(rb) {
		return false
	}
	for i := range ra {
		if !ra[i].Equal(rb[i]) {
			return false
		}
	}
	return true
}

func equalStrings(a, b []string) bool {
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
