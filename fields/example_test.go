package fields_test

import (
	"fmt"

	"github.com/skiff-dev/skiff/fields"
)

func ExampleParseSelector() {
	sel, err := fields.ParseSelector("status.phase!=Succeeded, spec.nodeName=node-1")
	if err != nil {
		panic(err)
	}
	fmt.Println(sel)
	pod := fields.Set{"metadata.name": "web-1", "spec.nodeName": "node-1", "status.phase": "Running"}
	fmt.Println(sel.Matches(pod))
	node, ok := sel.RequiresExactMatch("spec.nodeName")
	fmt.Println(node, ok)
	// Output:
	// spec.nodeName=node-1,status.phase!=Succeeded
	// true
	// node-1 true
}

func ExampleEscapeValue() {
	sel := fields.OneTermEqualSelector("metadata.annotation", "a=b,c")
	fmt.Println(sel)
	back, _ := fields.ParseSelector(sel.String())
	v, _ := back.RequiresExactMatch("metadata.annotation")
	fmt.Println(v)
	// Output:
	// metadata.annotation=a\=b\,c
	// a=b,c
}
