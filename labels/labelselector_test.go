package labels

import (
	"errors"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

func TestFromLabelSelector(t *testing.T) {
	tests := []struct {
		name      string
		sel       *meta.LabelSelector
		want      string
		matches   []Set
		unmatched []Set
	}{
		{
			name:      "nil matches nothing",
			sel:       nil,
			want:      "<nothing>",
			unmatched: []Set{nil, {}, {"a": "b"}},
		},
		{
			name:    "empty matches everything",
			sel:     &meta.LabelSelector{},
			want:    "",
			matches: []Set{nil, {}, {"a": "b"}},
		},
		{
			name:    "empty map and list match everything",
			sel:     &meta.LabelSelector{MatchLabels: map[string]string{}, MatchExpressions: []meta.LabelSelectorRequirement{}},
			want:    "",
			matches: []Set{nil, {"a": "b"}},
		},
		{
			name:      "matchLabels",
			sel:       &meta.LabelSelector{MatchLabels: map[string]string{"b": "2", "a": "1"}},
			want:      "a=1,b=2",
			matches:   []Set{{"a": "1", "b": "2"}, {"a": "1", "b": "2", "c": "3"}},
			unmatched: []Set{nil, {"a": "1"}, {"a": "1", "b": "3"}},
		},
		{
			name: "every operator",
			sel: &meta.LabelSelector{
				MatchLabels: map[string]string{"app": "web"},
				MatchExpressions: []meta.LabelSelectorRequirement{
					{Key: "tier", Operator: meta.LabelSelectorOpIn, Values: []string{"fe", "be"}},
					{Key: "env", Operator: meta.LabelSelectorOpNotIn, Values: []string{"dev"}},
					{Key: "track", Operator: meta.LabelSelectorOpExists},
					{Key: "canary", Operator: meta.LabelSelectorOpDoesNotExist},
				},
			},
			want: "app=web,!canary,env notin (dev),tier in (be,fe),track",
			matches: []Set{
				{"app": "web", "tier": "fe", "track": ""},
				{"app": "web", "tier": "be", "track": "x", "env": "prod"},
			},
			unmatched: []Set{
				{"app": "web", "tier": "fe"},
				{"app": "web", "tier": "fe", "track": "", "canary": "true"},
				{"app": "web", "tier": "fe", "track": "", "env": "dev"},
				{"app": "web", "tier": "db", "track": ""},
				{"tier": "fe", "track": ""},
			},
		},
		{
			name: "matchLabels and expressions on one key",
			sel: &meta.LabelSelector{
				MatchLabels:      map[string]string{"a": "1"},
				MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: meta.LabelSelectorOpNotIn, Values: []string{"2"}}},
			},
			want:      "a=1,a notin (2)",
			matches:   []Set{{"a": "1"}},
			unmatched: []Set{{"a": "2"}, {}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := FromLabelSelector(tt.sel)
			if err != nil {
				t.Fatal(err)
			}
			if sel.String() != tt.want {
				t.Errorf("String() = %q, want %q", sel.String(), tt.want)
			}
			for _, ls := range tt.matches {
				if !sel.Matches(ls) {
					t.Errorf("does not match %v", ls)
				}
			}
			for _, ls := range tt.unmatched {
				if sel.Matches(ls) {
					t.Errorf("matches %v", ls)
				}
			}
		})
	}
}

func TestFromLabelSelectorDoesNotRetainInput(t *testing.T) {
	in := &meta.LabelSelector{
		MatchLabels:      map[string]string{"a": "1"},
		MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpIn, Values: []string{"y", "x"}}},
	}
	sel, err := FromLabelSelector(in)
	if err != nil {
		t.Fatal(err)
	}
	in.MatchLabels["a"] = "2"
	in.MatchExpressions[0].Values[0] = "z"
	if sel.String() != "a=1,b in (x,y)" {
		t.Errorf("selector changed with its input: %q", sel)
	}
	if in.MatchExpressions[0].Values[1] != "x" {
		t.Errorf("FromLabelSelector sorted the caller's values")
	}
}

func TestFromLabelSelectorErrors(t *testing.T) {
	tests := []struct {
		name string
		sel  *meta.LabelSelector
		want []string
	}{
		{
			name: "unknown operator",
			sel:  &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: "Equals", Values: []string{"b"}}}},
			want: []string{`matchExpressions[0].operator: Unsupported value: "Equals": supported values: "In", "NotIn", "Exists", "DoesNotExist"`},
		},
		{
			name: "In without values",
			sel:  &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: meta.LabelSelectorOpIn}}},
			want: []string{"matchExpressions[0].values: Required value"},
		},
		{
			name: "Exists with values",
			sel: &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{
				{Key: "a", Operator: meta.LabelSelectorOpExists},
				{Key: "b", Operator: meta.LabelSelectorOpExists, Values: []string{"x"}},
			}},
			want: []string{"matchExpressions[1].values: Forbidden"},
		},
		{
			name: "bad key and value in matchLabels",
			sel:  &meta.LabelSelector{MatchLabels: map[string]string{"a b": "ok", "c": "not ok"}},
			want: []string{`matchLabels: Invalid value: "a b"`, `matchLabels[c]: Invalid value: "not ok"`},
		},
		{
			name: "bad key and value in an expression",
			sel:  &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "-a", Operator: meta.LabelSelectorOpNotIn, Values: []string{"x", "y_"}}}},
			want: []string{`matchExpressions[0].key: Invalid value: "-a"`, `matchExpressions[0].values[1]: Invalid value: "y_"`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sel, err := FromLabelSelector(tt.sel)
			if err == nil {
				t.Fatalf("no error; got %q", sel)
			}
			if !strings.HasPrefix(err.Error(), "labels: invalid label selector: ") {
				t.Errorf("error lacks the prefix: %v", err)
			}
			var agg validation.AggregateError
			if !errors.As(err, &agg) {
				t.Fatalf("error %T does not wrap a validation.AggregateError", err)
			}
			if len(agg) != len(tt.want) {
				t.Fatalf("%d errors, want %d: %v", len(agg), len(tt.want), err)
			}
			for i, w := range tt.want {
				if !strings.HasPrefix(agg[i].Error(), w) {
					t.Errorf("error %d:\n  %v\nwant prefix\n  %s", i, agg[i], w)
				}
			}
		})
	}
}

func TestValidateLabelSelector(t *testing.T) {
	p := validation.NewPath("spec", "selector")
	tests := []struct {
		name string
		sel  *meta.LabelSelector
		want []string // full messages, in order
	}{
		{name: "nil", sel: nil},
		{name: "empty", sel: &meta.LabelSelector{}},
		{
			name: "valid",
			sel: &meta.LabelSelector{
				MatchLabels:      map[string]string{"app": "web", "example.com/tier": ""},
				MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: meta.LabelSelectorOpIn, Values: []string{"", "b"}}},
			},
		},
		{
			name: "In and NotIn need values",
			sel: &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{
				{Key: "a", Operator: meta.LabelSelectorOpIn},
				{Key: "b", Operator: meta.LabelSelectorOpNotIn, Values: []string{}},
			}},
			want: []string{
				"spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
				"spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
			},
		},
		{
			name: "Exists and DoesNotExist take no values",
			sel: &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{
				{Key: "a", Operator: meta.LabelSelectorOpExists, Values: []string{"x"}},
				{Key: "b", Operator: meta.LabelSelectorOpDoesNotExist, Values: []string{"y"}},
			}},
			want: []string{
				"spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
				"spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
			},
		},
		{
			name: "unknown operator",
			sel:  &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: "in"}}},
			want: []string{`spec.selector.matchExpressions[0].operator: Unsupported value: "in": supported values: "In", "NotIn", "Exists", "DoesNotExist"`},
		},
		{
			name: "keys and values",
			sel: &meta.LabelSelector{
				MatchLabels: map[string]string{"z": "bad value", "a/b/c": "ok"},
				MatchExpressions: []meta.LabelSelectorRequirement{
					{Key: "", Operator: meta.LabelSelectorOpExists},
					{Key: "k", Operator: meta.LabelSelectorOpIn, Values: []string{"ok", "-bad"}},
				},
			},
			want: []string{
				`spec.selector.matchLabels: Invalid value: "a/b/c": a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName' or 'my.name' or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
				`spec.selector.matchLabels[z]: Invalid value: "bad value": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value' or '12345', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
				`spec.selector.matchExpressions[0].key: Invalid value: "": name part must be non-empty`,
				`spec.selector.matchExpressions[0].key: Invalid value: "": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName' or 'my.name' or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
				`spec.selector.matchExpressions[1].values[1]: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue' or 'my_value' or '12345', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := ValidateLabelSelector(tt.sel, p)
			if len(errs) != len(tt.want) {
				t.Fatalf("%d errors, want %d: %v", len(errs), len(tt.want), errs.ToAggregate())
			}
			for i, w := range tt.want {
				if errs[i].Error() != w {
					t.Errorf("error %d:\n  %s\nwant\n  %s", i, errs[i], w)
				}
			}
			// A selector that validates converts without error, and the reverse.
			_, convErr := FromLabelSelector(tt.sel)
			if (convErr == nil) != (len(errs) == 0) {
				t.Errorf("ValidateLabelSelector found %d errors but FromLabelSelector returned %v", len(errs), convErr)
			}
		})
	}
}

func TestLabelSelectorAsMap(t *testing.T) {
	tests := []struct {
		name    string
		sel     *meta.LabelSelector
		want    map[string]string
		wantErr string
	}{
		{name: "nil", sel: nil, want: nil},
		{name: "empty", sel: &meta.LabelSelector{}, want: map[string]string{}},
		{
			name: "labels and single-value In",
			sel: &meta.LabelSelector{
				MatchLabels:      map[string]string{"a": "1"},
				MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpIn, Values: []string{"2"}}, {Key: "a", Operator: meta.LabelSelectorOpIn, Values: []string{"1"}}},
			},
			want: map[string]string{"a": "1", "b": "2"},
		},
		{
			name:    "In with two values",
			sel:     &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpIn, Values: []string{"2", "3"}}}},
			wantErr: "labels: selector cannot be expressed as a map of labels: matchExpressions[0]: operator In needs exactly one value, has 2",
		},
		{
			name:    "NotIn",
			sel:     &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpNotIn, Values: []string{"2"}}}},
			wantErr: `labels: selector cannot be expressed as a map of labels: matchExpressions[0]: operator "NotIn"`,
		},
		{
			name:    "Exists",
			sel:     &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "b", Operator: meta.LabelSelectorOpExists}}},
			wantErr: `matchExpressions[0]: operator "Exists"`,
		},
		{
			name: "conflicting values",
			sel: &meta.LabelSelector{
				MatchLabels:      map[string]string{"a": "1"},
				MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: meta.LabelSelectorOpIn, Values: []string{"2"}}},
			},
			wantErr: "matchExpressions[0] requires a=2 but a=1 is also required",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := LabelSelectorAsMap(tt.sel)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || !errors.Is(err, ErrNotSelectable) {
					t.Fatalf("error %v, want one containing %q and wrapping ErrNotSelectable", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (got == nil) != (tt.want == nil) || !Set(got).Equal(tt.want) {
				t.Errorf("got %#v, want %#v", got, tt.want)
			}
		})
	}
}

func TestFormatLabelSelector(t *testing.T) {
	tests := []struct {
		sel  *meta.LabelSelector
		want string
	}{
		{nil, "<none>"},
		{&meta.LabelSelector{}, "<none>"},
		{&meta.LabelSelector{MatchLabels: map[string]string{"b": "2", "a": "1"}}, "a=1,b=2"},
		{&meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: meta.LabelSelectorOpIn, Values: []string{"y", "x"}}}}, "a in (x,y)"},
		{&meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "a", Operator: "Bogus"}}}, "<error>"},
	}
	for _, tt := range tests {
		if got := FormatLabelSelector(tt.sel); got != tt.want {
			t.Errorf("FormatLabelSelector(%+v) = %q, want %q", tt.sel, got, tt.want)
		}
	}
}
