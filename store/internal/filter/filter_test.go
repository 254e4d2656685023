package filter

import (
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestFields(t *testing.T) {
	grace := int64(12)
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "p"},
		Spec:       core.PodSpec{NodeName: "node-1", TerminationGracePeriodSeconds: &grace},
		Status:     core.PodStatus{Phase: core.PodRunning},
	}
	want := fields.Set{"metadata.name": "p", "metadata.namespace": "ns", "spec.nodeName": "node-1", "status.phase": "Running"}
	if got := Set(p); got.String() != want.String() {
		t.Fatalf("Set(pod) = %v", got)
	}
	if g, ok := Int64PtrField(p, "spec", "terminationGracePeriodSeconds"); !ok || *g != 12 {
		t.Fatalf("terminationGracePeriodSeconds = %v %v", g, ok)
	}
	ns := &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "x"}, Status: core.NamespaceStatus{Phase: core.NamespaceActive}}
	if got := Set(ns); got["status.phase"] != "Active" || got.Has("spec.nodeName") {
		t.Fatalf("Set(namespace) = %v", got)
	}
	cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "c"}}
	if _, ok := Field(cm, "status.phase"); ok {
		t.Fatal("a ConfigMap has no status.phase")
	}
	u := &scheme.Unstructured{ObjectMeta: meta.ObjectMeta{Name: "u"}, Content: map[string]any{
		"spec":   map[string]any{"nodeName": "n2", "terminationGracePeriodSeconds": 5.0},
		"status": map[string]any{"phase": "Done"},
	}}
	if got := Set(u); got["spec.nodeName"] != "n2" || got["status.phase"] != "Done" {
		t.Fatalf("Set(unstructured) = %v", got)
	}
	if g, ok := Int64PtrField(u, "spec", "terminationGracePeriodSeconds"); !ok || *g != 5 {
		t.Fatalf("unstructured grace = %v", g)
	}
}

func TestPredicate(t *testing.T) {
	p := &core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "p", Labels: map[string]string{"app": "web"}}, Spec: core.PodSpec{NodeName: "n1"}}
	ls, _ := labels.Parse("app=web")
	fs, _ := fields.ParseSelector("spec.nodeName=n1")
	tests := []struct {
		ns    string
		label labels.Selector
		field fields.Selector
		want  bool
	}{
		{"", nil, nil, true},
		{"ns", ls, fs, true},
		{"other", nil, nil, false},
		{"", labels.Nothing(), nil, false},
		{"", nil, fields.OneTermEqualSelector("spec.nodeName", "n2"), false},
		{"", labels.SelectorFromSet(labels.Set{"app": "db"}), nil, false},
	}
	for i, tc := range tests {
		pred, err := New(tc.ns, tc.label, tc.field)
		if err != nil {
			t.Fatal(err)
		}
		if got := pred.Matches(p); got != tc.want {
			t.Errorf("case %d: Matches = %v", i, got)
		}
	}
	if _, err := New("", nil, fields.OneTermEqualSelector("spec.hostname", "x")); !store.IsBadRequest(err) {
		t.Fatalf("unsupported field: %v", err)
	}
	if pred, _ := New("ns", nil, nil); pred.HasSelectors() {
		t.Fatal("namespace only has no selectors")
	}
	pred, _ := New("ns", ls, fs)
	if allocs := testing.AllocsPerRun(100, func() { pred.Matches(p) }); allocs > 0 {
		t.Fatalf("Matches allocates %v times per call", allocs)
	}
}
