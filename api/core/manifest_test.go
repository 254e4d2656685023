package core

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"sigs.k8s.io/yaml"
)

// decodeStrict decodes JSON into obj, failing on fields obj does not have, as the scheme does.
func decodeStrict(data []byte, obj any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(obj)
}

// manifestKinds maps each kind to a new object and the validation of a defaulted one.
var manifestKinds = map[string]struct {
	new      func() meta.Object
	validate func(meta.Object) validation.ErrorList
}{
	"Pod": {func() meta.Object { return &Pod{} }, func(o meta.Object) validation.ErrorList {
		p := o.(*Pod)
		DefaultPod(p)
		return append(ValidatePod(p), ValidatePodStatusUpdate(p, p)...)
	}},
	"Service": {func() meta.Object { return &Service{} }, func(o meta.Object) validation.ErrorList {
		DefaultService(o.(*Service))
		return ValidateService(o.(*Service))
	}},
	"ConfigMap": {func() meta.Object { return &ConfigMap{} }, func(o meta.Object) validation.ErrorList {
		DefaultConfigMap(o.(*ConfigMap))
		return ValidateConfigMap(o.(*ConfigMap))
	}},
	"Secret": {func() meta.Object { return &Secret{} }, func(o meta.Object) validation.ErrorList {
		DefaultSecret(o.(*Secret))
		return ValidateSecret(o.(*Secret))
	}},
	"PersistentVolumeClaim": {func() meta.Object { return &PersistentVolumeClaim{} }, func(o meta.Object) validation.ErrorList {
		DefaultPVC(o.(*PersistentVolumeClaim))
		return ValidatePVC(o.(*PersistentVolumeClaim))
	}},
	"Node": {func() meta.Object { return &Node{} }, func(o meta.Object) validation.ErrorList {
		DefaultNode(o.(*Node))
		return ValidateNode(o.(*Node))
	}},
	"Namespace": {func() meta.Object { return &Namespace{} }, func(o meta.Object) validation.ErrorList {
		DefaultNamespace(o.(*Namespace))
		return ValidateNamespace(o.(*Namespace))
	}},
	"Event": {func() meta.Object { return &Event{} }, func(o meta.Object) validation.ErrorList {
		return ValidateEvent(o.(*Event))
	}},
}

// TestManifestsRoundTrip decodes every manifest under testdata strictly into its typed object,
// encodes it again and requires the same document back: no field may be lost, renamed or
// changed. It also requires each manifest to be valid once defaulted.
func TestManifestsRoundTrip(t *testing.T) {
	files, err := filepath.Glob("testdata/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			in, err := yaml.YAMLToJSON(raw)
			if err != nil {
				t.Fatal(err)
			}
			var tm meta.TypeMeta
			if err := json.Unmarshal(in, &tm); err != nil {
				t.Fatal(err)
			}
			kind, ok := manifestKinds[tm.Kind]
			if !ok || tm.APIVersion != APIVersion {
				t.Fatalf("unexpected %s/%s", tm.APIVersion, tm.Kind)
			}
			obj := kind.new()
			if err := decodeStrict(in, obj); err != nil {
				t.Fatalf("strict decode: %v", err)
			}
			out, err := json.Marshal(obj)
			if err != nil {
				t.Fatal(err)
			}
			want, err := decodeGeneric(in)
			if err != nil {
				t.Fatal(err)
			}
			got, err := decodeGeneric(out)
			if err != nil {
				t.Fatal(err)
			}
			var diffs []string
			compareJSON(dropNulls(want), dropNulls(got), "", &diffs)
			for _, d := range diffs {
				t.Error(d)
			}
			// Decoding the output again gives an equal object.
			again := kind.new()
			if err := decodeStrict(out, again); err != nil {
				t.Fatalf("strict decode of output: %v", err)
			}
			if d := semanticDiff(obj, again, "", 5); len(d) > 0 {
				t.Errorf("second decode differs at %v", d)
			}
			if errs := kind.validate(obj); len(errs) > 0 {
				t.Errorf("invalid after defaulting:\n  %s", strings.Join(errorStrings(errs), "\n  "))
			}
		})
	}
}

// decodeGeneric decodes JSON keeping numbers as written.
func decodeGeneric(data []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var v any
	err := dec.Decode(&v)
	return v, err
}

// dropNulls removes null values: Kubernetes writes some unset pointers as null and skiff
// omits some zero timestamps, and neither loses information.
func dropNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if e == nil {
				delete(x, k)
				continue
			}
			x[k] = dropNulls(e)
		}
	case []any:
		for i := range x {
			x[i] = dropNulls(x[i])
		}
	}
	return v
}

// compareJSON records where got differs from want. A number on one side equals a string of the
// same text on the other: quantities such as `memory: 128974848` are written back as strings.
func compareJSON(want, got any, path string, diffs *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*diffs = append(*diffs, fmt.Sprintf("%s: want object, got %v", path, got))
			return
		}
		keys := map[string]bool{}
		for k := range w {
			keys[k] = true
		}
		for k := range g {
			keys[k] = true
		}
		sorted := make([]string, 0, len(keys))
		for k := range keys {
			sorted = append(sorted, k)
		}
		sort.Strings(sorted)
		for _, k := range sorted {
			wv, wok := w[k]
			gv, gok := g[k]
			switch {
			case !gok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: lost (was %v)", path, k, wv))
			case !wok:
				*diffs = append(*diffs, fmt.Sprintf("%s.%s: added (%v)", path, k, gv))
			default:
				compareJSON(wv, gv, path+"."+k, diffs)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*diffs = append(*diffs, fmt.Sprintf("%s: want %v, got %v", path, w, got))
			return
		}
		for i := range w {
			compareJSON(w[i], g[i], fmt.Sprintf("%s[%d]", path, i), diffs)
		}
	default:
		if reflect.DeepEqual(want, got) || fmt.Sprint(want) == fmt.Sprint(got) && isNumberAndString(want, got) {
			return
		}
		*diffs = append(*diffs, fmt.Sprintf("%s: want %#v, got %#v", path, want, got))
	}
}

func isNumberAndString(a, b any) bool {
	_, an := a.(json.Number)
	_, bn := b.(json.Number)
	_, as := a.(string)
	_, bs := b.(string)
	return (an && bs) || (as && bn)
}

func TestStrictDecodeRejectsUnknownFields(t *testing.T) {
	tests := []string{
		`{"apiVersion":"v1","kind":"Pod","spec":{"containers":[{"name":"a","image":"a","imagePullPolicy":"Always","bogus":1}]}}`,
		`{"apiVersion":"v1","kind":"Pod","spec":{"volumes":[{"name":"v","emptyDir":{"medium":"","size":"1Gi"}}]}}`,
	}
	for _, in := range tests {
		if err := decodeStrict([]byte(in), &Pod{}); err == nil || !strings.Contains(err.Error(), "unknown field") {
			t.Errorf("decode of %s: %v", in, err)
		}
	}
}

func TestDecodeQuantitiesAndIntOrString(t *testing.T) {
	in, err := yaml.YAMLToJSON([]byte(`
containers:
- name: a
  image: a
  ports: [{containerPort: 80}]
  resources:
    limits: {cpu: 2, memory: 128974848}
    requests: {cpu: 0.5, memory: 1e3}
  readinessProbe:
    httpGet: {port: 80}
  livenessProbe:
    tcpSocket: {port: http}
`))
	if err != nil {
		t.Fatal(err)
	}
	var s PodSpec
	if err := decodeStrict(in, &s); err != nil {
		t.Fatal(err)
	}
	r := s.Containers[0].Resources
	if r.Limits.Cpu().String() != "2" || r.Limits.Memory().String() != "128974848" ||
		r.Requests.Cpu().String() != "500m" || r.Requests.Memory().String() != "1k" {
		t.Errorf("resources = %v", r)
	}
	if p := s.Containers[0].ReadinessProbe.HTTPGet.Port; p.IntValue() != 80 {
		t.Errorf("httpGet port = %v", p)
	}
	if p := s.Containers[0].LivenessProbe.TCPSocket.Port; p.String() != "http" {
		t.Errorf("tcpSocket port = %v", p)
	}
}

// TestEmptyStructsOmitted checks omitzero: an empty pod encodes to the bare minimum.
func TestEmptyStructsOmitted(t *testing.T) {
	out, err := json.Marshal(&Pod{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "Pod"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"apiVersion":"v1","kind":"Pod"}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
	out, _ = json.Marshal(&Container{Name: "a"})
	if want := `{"name":"a"}`; string(out) != want {
		t.Errorf("got %s, want %s", out, want)
	}
}

// TestFullPodCoversPodSpec keeps testdata/pod-full.yaml honest: it must set every field of
// PodSpec and Container except those listed here with the reason.
func TestFullPodCoversPodSpec(t *testing.T) {
	raw, err := os.ReadFile("testdata/pod-full.yaml")
	if err != nil {
		t.Fatal(err)
	}
	in, err := yaml.YAMLToJSON(raw)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Spec map[string]any `json:"spec"`
	}
	if err := json.Unmarshal(in, &doc); err != nil {
		t.Fatal(err)
	}
	skip := map[string]string{
		"ephemeralContainers": "forbidden on create",
		"hostNetwork":         "false is omitted, and hostUsers: false forbids true",
		"hostPID":             "false is omitted, and hostUsers: false forbids true",
		"hostIPC":             "false is omitted, and hostUsers: false forbids true",
	}
	checkCovered(t, "spec", reflect.TypeFor[PodSpec](), doc.Spec, skip)
	containers, _ := doc.Spec["containers"].([]any)
	if len(containers) == 0 {
		t.Fatal("no containers")
	}
	checkCovered(t, "spec.containers[0]", reflect.TypeFor[Container](), containers[0].(map[string]any), nil)
}

func checkCovered(t *testing.T, path string, typ reflect.Type, got map[string]any, skip map[string]string) {
	t.Helper()
	for i := 0; i < typ.NumField(); i++ {
		name := strings.Split(typ.Field(i).Tag.Get("json"), ",")[0]
		if _, ok := skip[name]; ok || name == "" {
			continue
		}
		if _, ok := got[name]; !ok {
			t.Errorf("%s.%s is not covered by testdata/pod-full.yaml", path, name)
		}
	}
}
