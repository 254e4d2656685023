package apps

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/skiff-dev/skiff/api/internal/deepcopytest"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

// Every kind must be a meta.Object and every list a meta.ObjectList.
var (
	_ meta.Object = (*Deployment)(nil)
	_ meta.Object = (*ReplicaSet)(nil)
	_ meta.Object = (*StatefulSet)(nil)
	_ meta.Object = (*DaemonSet)(nil)
	_ meta.Object = (*ControllerRevision)(nil)

	_ meta.ObjectList = (*DeploymentList)(nil)
	_ meta.ObjectList = (*ReplicaSetList)(nil)
	_ meta.ObjectList = (*StatefulSetList)(nil)
	_ meta.ObjectList = (*DaemonSetList)(nil)
	_ meta.ObjectList = (*ControllerRevisionList)(nil)
)

func allTypes() []any {
	return []any{
		&Deployment{}, &DeploymentList{}, &ReplicaSet{}, &ReplicaSetList{},
		&StatefulSet{}, &StatefulSetList{}, &DaemonSet{}, &DaemonSetList{},
		&ControllerRevision{}, &ControllerRevisionList{},
	}
}

// fillers give Quantity (unexported fields) and RawExtension (must hold JSON) valid values.
var fillers = []deepcopytest.Option{
	deepcopytest.FillWith(func(n int) resource.Quantity { return resource.MustParse(fmt.Sprintf("%dMi", n)) }),
	deepcopytest.FillWith(func(n int) RawExtension { return RawExtension{Raw: fmt.Appendf(nil, `{"n":%d}`, n)} }),
}

func TestDeepCopy(t *testing.T) {
	for _, obj := range allTypes() {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) { deepcopytest.Check(t, obj, fillers...) })
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, obj := range allTypes() {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) { deepcopytest.CheckJSONRoundTrip(t, obj, fillers...) })
	}
}

func TestRawExtensionJSON(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want string
	}{
		{"object", `{"data":{"spec":{"template":{"a":[1,2]}}},"revision":3}`, `{"data":{"spec":{"template":{"a":[1,2]}}},"revision":3}`},
		{"string", `{"data":"x","revision":1}`, `{"data":"x","revision":1}`},
		{"null", `{"data":null,"revision":1}`, `{"revision":1}`},
		{"absent", `{"revision":1}`, `{"revision":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var r ControllerRevision
			if err := json.Unmarshal([]byte(tt.in), &r); err != nil {
				t.Fatal(err)
			}
			out, err := json.Marshal(&r)
			if err != nil {
				t.Fatal(err)
			}
			if string(out) != tt.want {
				t.Errorf("round trip of %s = %s, want %s", tt.in, out, tt.want)
			}
		})
	}
	if _, err := json.Marshal(RawExtension{Raw: []byte("{")}); err == nil {
		t.Error("marshalling invalid JSON succeeded")
	}
	if got, _ := json.Marshal(RawExtension{}); string(got) != "null" {
		t.Errorf("empty RawExtension marshals as %s, want null", got)
	}
}
