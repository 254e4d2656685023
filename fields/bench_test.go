package fields

import "testing"

var podFields = Set{
	"metadata.name":      "web-7d9f8c6b5-x2x9z",
	"metadata.namespace": "default",
	"spec.nodeName":      "node-1",
	"spec.restartPolicy": "Always",
	"status.phase":       "Running",
}

func BenchmarkMatches(b *testing.B) {
	for _, c := range []struct {
		name string
		sel  Selector
	}{
		{"one", OneTermEqualSelector("spec.nodeName", "node-1")},
		{"three", SelectorFromSet(Set{"spec.nodeName": "node-1", "metadata.namespace": "default", "status.phase": "Running"})},
	} {
		if !c.sel.Matches(podFields) {
			b.Fatalf("%s does not match", c.name)
		}
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				c.sel.Matches(podFields)
			}
		})
	}
}

func BenchmarkParseSelector(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ParseSelector("metadata.name=web,status.phase!=Running,spec.nodeName=node-1"); err != nil {
			b.Fatal(err)
		}
	}
}
