package labels

import (
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
)

// podLabels is a typical pod's label set.
var podLabels = Set{
	"app":                          "web",
	"tier":                         "frontend",
	"pod-template-hash":            "7d9f8c6b5",
	"app.kubernetes.io/name":       "web",
	"app.kubernetes.io/managed-by": "skiff",
	"version":                      "42",
}

func BenchmarkMatches(b *testing.B) {
	parsed := func(s string) Selector {
		sel, err := Parse(s)
		if err != nil {
			b.Fatal(err)
		}
		return sel
	}
	matchLabels := Set{"app": "web", "tier": "frontend", "pod-template-hash": "7d9f8c6b5"}
	cases := []struct {
		name string
		sel  Selector
		want bool
	}{
		{"Everything", Everything(), true},
		{"SelectorFromSet/3", SelectorFromSet(matchLabels), true},
		{"SelectorFromSet/miss", SelectorFromSet(Set{"app": "db", "tier": "frontend"}), false},
		{"Parse/equals", parsed("app=web"), true},
		{"Parse/mixed", parsed("app=web,tier in (frontend,backend),!canary,version>10,env notin (dev)"), true},
		{"Parse/in-16", parsed("tier in (a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,frontend)"), true},
		{"Parse/miss-first", parsed("app=db,tier in (frontend,backend),!canary"), false},
	}
	for _, c := range cases {
		if got := c.sel.Matches(podLabels); got != c.want {
			b.Fatalf("%s: Matches = %v, want %v", c.name, got, c.want)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.sel.Matches(podLabels)
			}
		})
	}
	b.Run("Parse/mixed/otherLabels", func(b *testing.B) {
		sel := parsed("app=web,tier in (frontend,backend),!canary,version>10,env notin (dev)")
		ls := otherLabels(podLabels)
		b.ReportAllocs()
		for b.Loop() {
			sel.Matches(ls)
		}
	})
}

func BenchmarkParse(b *testing.B) {
	for _, c := range []struct{ name, in string }{
		{"equals", "app=web"},
		{"three", "app=web,tier=frontend,pod-template-hash=7d9f8c6b5"},
		{"mixed", "app=web,tier in (frontend,backend),!canary,version>10,env notin (dev),example.com/team"},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(c.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkString(b *testing.B) {
	sel, err := Parse("app=web,tier in (frontend,backend),!canary,version>10,env notin (dev),example.com/team")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = sel.String()
	}
}

func BenchmarkFromLabelSelector(b *testing.B) {
	ls := &meta.LabelSelector{
		MatchLabels:      map[string]string{"app": "web", "tier": "frontend"},
		MatchExpressions: []meta.LabelSelectorRequirement{{Key: "env", Operator: meta.LabelSelectorOpNotIn, Values: []string{"dev"}}},
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := FromLabelSelector(ls); err != nil {
			b.Fatal(err)
		}
	}
}
