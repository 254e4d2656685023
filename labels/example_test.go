package labels_test

import (
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/labels"
)

func ExampleParse() {
	sel, err := labels.Parse("tier in (frontend, backend), app = web, !canary")
	if err != nil {
		panic(err)
	}
	fmt.Println(sel)
	fmt.Println(sel.Matches(labels.Set{"app": "web", "tier": "backend"}))
	fmt.Println(sel.Matches(labels.Set{"app": "web", "tier": "backend", "canary": "true"}))
	// Output:
	// app=web,!canary,tier in (backend,frontend)
	// true
	// false
}

func ExampleParse_error() {
	_, err := labels.Parse("app=web,tier in (frontend")
	var pe *labels.ParseError
	if errors.As(err, &pe) {
		fmt.Println(pe.Pos)
	}
	fmt.Println(err)
	// Output:
	// 25
	// labels: cannot parse selector "app=web,tier in (frontend": at position 25: found end of string, expected ',' or ')'
}

func ExampleFromLabelSelector() {
	sel, err := labels.FromLabelSelector(&meta.LabelSelector{
		MatchLabels: map[string]string{"app": "web"},
		MatchExpressions: []meta.LabelSelectorRequirement{
			{Key: "env", Operator: meta.LabelSelectorOpNotIn, Values: []string{"dev"}},
		},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(sel)
	nothing, _ := labels.FromLabelSelector(nil)
	fmt.Println(nothing.Matches(labels.Set{"app": "web"}))
	// Output:
	// app=web,env notin (dev)
	// false
}

func ExampleValidateLabelSelector() {
	errs := labels.ValidateLabelSelector(&meta.LabelSelector{
		MatchExpressions: []meta.LabelSelectorRequirement{{Key: "app", Operator: meta.LabelSelectorOpIn}},
	}, validation.NewPath("spec", "selector"))
	fmt.Println(errs.ToAggregate())
	// Output:
	// spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'
}

func ExampleSelectorFromSet() {
	sel := labels.SelectorFromSet(labels.Set{"app": "web", "tier": "frontend"})
	fmt.Println(sel)
	value, ok := sel.RequiresExactMatch("app")
	fmt.Println(value, ok)
	// Output:
	// app=web,tier=frontend
	// web true
}

func ExampleNewRequirement() {
	r, err := labels.NewRequirement("version", labels.GreaterThan, []string{"3"})
	if err != nil {
		panic(err)
	}
	sel := labels.Everything().Add(r)
	fmt.Println(sel, sel.Matches(labels.Set{"version": "10"}))

	_, err = labels.NewRequirement("version", labels.In, nil)
	fmt.Println(err)
	// Output:
	// version>3 true
	// labels: invalid requirement: values: Required value: must be specified when operator is 'in' or 'notin'
}
