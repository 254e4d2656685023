package scheme

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

// widget is a user-defined kind registered in tests, the way a user registers their own type.
type widget struct {
	meta.TypeMeta   `json:",inline"`
	meta.ObjectMeta `json:"metadata,omitzero"`
	Spec            widgetSpec   `json:"spec"`
	Status          widgetStatus `json:"status,omitzero"`
}

type widgetSpec struct {
	Size  int32                 `json:"size"`
	Tags  []string              `json:"tags,omitempty"`
	Parts map[string]widgetPart `json:"parts,omitempty"`
}

type widgetPart struct {
	Color string `json:"color"`
}

type widgetStatus struct {
	Ready int32 `json:"ready,omitempty"`
}

func (w *widget) DeepCopyObject() meta.Object {
	out := *w
	w.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	out.Spec.Tags = append([]string(nil), w.Spec.Tags...)
	if w.Spec.Parts != nil {
		out.Spec.Parts = map[string]widgetPart{}
		for k, v := range w.Spec.Parts {
			out.Spec.Parts[k] = v
		}
	}
	return &out
}

var widgetGVK = GroupVersionKind{Group: "example.dev", Version: "v1", Kind: "Widget"}

func newTestScheme(t *testing.T) *Scheme {
	t.Helper()
	s := New()
	err := Register(s, Kind[*widget]{
		GVK: widgetGVK, Plural: "widgets", ShortNames: []string{"wd"}, Namespaced: true, HasStatus: true,
		Default: func(w *widget) {
			if w.Spec.Size == 0 {
				w.Spec.Size = 1
			}
		},
		Validate: func(w *widget) validation.ErrorList {
			errs := validation.ValidateObjectMeta(&w.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
			if w.Spec.Size < 0 {
				errs = append(errs, validation.Invalid(validation.NewPath("spec", "size"), w.Spec.Size, "must be greater than or equal to 0"))
			}
			return errs
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.RegisterUnstructured(UnstructuredKind{GVK: GroupVersionKind{Group: "example.dev", Version: "v1", Kind: "Gadget"}, Plural: "gadgets", Namespaced: true, HasStatus: true}); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestRegisterRejectsDuplicates(t *testing.T) {
	s := newTestScheme(t)
	err := Register(s, Kind[*widget]{GVK: widgetGVK, Plural: "widgets"})
	if !errors.Is(err, ErrAlreadyRegistered) {
		t.Fatalf("want ErrAlreadyRegistered, got %v", err)
	}
	err = Register(s, Kind[*widget]{GVK: GroupVersionKind{Group: "other", Version: "v1", Kind: "Widget"}, Plural: "widgets"})
	if !errors.Is(err, ErrAlreadyRegistered) {
		t.Fatalf("same Go type twice: want ErrAlreadyRegistered, got %v", err)
	}
	if err := Register(s, Kind[*widget]{Plural: "x"}); err == nil {
		t.Fatal("missing GVK accepted")
	}
}

func TestForResource(t *testing.T) {
	s := newTestScheme(t)
	for _, name := range []string{"widgets", "widget", "Widget", "wd", "widgets.example.dev", "WIDGETS"} {
		info, err := s.ForResource(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if info.GVK != widgetGVK {
			t.Fatalf("%s: got %v", name, info.GVK)
		}
	}
	if _, err := s.ForResource("wdgets"); !IsUnknownKind(err) {
		t.Fatalf("want unknown kind, got %v", err)
	}
	if got := (GroupResource{Group: "apps", Resource: "deployments"}).String(); got != "deployments.apps" {
		t.Fatal(got)
	}
}

func TestDecodeStrict(t *testing.T) {
	s := newTestScheme(t)
	tests := []struct {
		name    string
		doc     string
		wantErr string
	}{
		{"ok yaml", "apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  size: 3\n", ""},
		{"ok json", `{"apiVersion":"example.dev/v1","kind":"Widget","metadata":{"name":"a"},"spec":{"size":3}}`, ""},
		{"typo", "apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  sise: 3\n", `unknown field "spec.sise"`},
		{"nested map typo", "apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  parts:\n    p1:\n      colour: red\n", `unknown field "spec.parts[p1].colour"`},
		{"metadata typo", "apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  nmae: a\n", `unknown field "metadata.nmae"`},
		{"case matters", "apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  Size: 3\n", `unknown field "spec.Size"`},
		{"wrong type", "apiVersion: example.dev/v1\nkind: Widget\nmetadata:\n  name: a\nspec:\n  size: three\n", `spec.size: Invalid value: string`},
		{"no kind", "apiVersion: example.dev/v1\nmetadata:\n  name: a\n", "no apiVersion or kind"},
		{"unknown kind", "apiVersion: example.dev/v1\nkind: Sprocket\n", `no kind "Sprocket" is registered`},
		{"bad yaml", "apiVersion: [", "invalid YAML"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := s.Decode([]byte(tt.doc))
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				w := obj.(*widget)
				if w.Name != "a" || w.Spec.Size != 3 || w.Kind != "Widget" {
					t.Fatalf("decoded %+v", w)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("want error containing %q, got %v", tt.wantErr, err)
			}
		})
	}
}

func TestDecodeAllSplitsAndExpandsLists(t *testing.T) {
	s := newTestScheme(t)
	doc := `# leading comment
---
apiVersion: example.dev/v1
kind: Widget
metadata: {name: a}
---
# only a comment
---
apiVersion: v1
kind: List
items:
- apiVersion: example.dev/v1
  kind: Widget
  metadata: {name: b}
- apiVersion: example.dev/v1
  kind: Gadget
  metadata: {name: c}
  spec: {anything: [1, 2]}
`
	objs, err := s.DecodeAll([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, o := range objs {
		names = append(names, o.GetName())
	}
	if strings.Join(names, ",") != "a,b,c" {
		t.Fatalf("got %v", names)
	}
	g := objs[2].(*Unstructured)
	if v, ok := g.Field("spec", "anything"); !ok || len(v.([]any)) != 2 {
		t.Fatalf("unstructured content lost: %v", g.Content)
	}
	_, err = s.DecodeAll([]byte("apiVersion: example.dev/v1\nkind: Widget\nmetadata: {name: a}\n---\napiVersion: example.dev/v1\nkind: Widget\nspec: {bogus: 1}\n"))
	if err == nil || !strings.Contains(err.Error(), "document 2") || !strings.Contains(err.Error(), `"spec.bogus"`) {
		t.Fatalf("want error naming document 2 and the field, got %v", err)
	}
}

func TestEncodeRoundTrip(t *testing.T) {
	s := newTestScheme(t)
	w := &widget{ObjectMeta: meta.ObjectMeta{Name: "a", Namespace: "ns"}, Spec: widgetSpec{Size: 2, Tags: []string{"x"}}}
	j, err := s.Encode(w)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(j), `"apiVersion":"example.dev/v1"`) || !strings.Contains(string(j), `"kind":"Widget"`) {
		t.Fatalf("TypeMeta not filled: %s", j)
	}
	y, err := s.EncodeYAML(w)
	if err != nil {
		t.Fatal(err)
	}
	back, err := s.Decode(y)
	if err != nil {
		t.Fatal(err)
	}
	if bw := back.(*widget); bw.Spec.Size != 2 || bw.Spec.Tags[0] != "x" || bw.Namespace != "ns" {
		t.Fatalf("round trip lost data: %+v", bw)
	}
}

func TestStrategyGenerationAndStatus(t *testing.T) {
	s := newTestScheme(t)
	info, _ := s.ForGVK(widgetGVK)
	st := info.Strategy

	w := &widget{ObjectMeta: meta.ObjectMeta{Name: "a", Namespace: "ns"}, Status: widgetStatus{Ready: 9}}
	st.Default(w)
	st.PrepareForCreate(w)
	if w.Generation != 1 || w.Status.Ready != 0 || w.Spec.Size != 1 {
		t.Fatalf("create: gen %d status %+v size %d", w.Generation, w.Status, w.Spec.Size)
	}
	old := w.DeepCopyObject().(*widget)
	old.Status.Ready = 4

	upd := old.DeepCopyObject().(*widget)
	upd.Labels = map[string]string{"a": "b"}
	upd.Status.Ready = 7
	st.PrepareForUpdate(upd, old)
	if upd.Generation != 1 || upd.Status.Ready != 4 {
		t.Fatalf("metadata-only update: gen %d ready %d", upd.Generation, upd.Status.Ready)
	}

	upd = old.DeepCopyObject().(*widget)
	upd.Spec.Size = 5
	st.PrepareForUpdate(upd, old)
	if upd.Generation != 2 {
		t.Fatalf("spec update: gen %d", upd.Generation)
	}

	upd = old.DeepCopyObject().(*widget)
	upd.Spec.Size = 5
	upd.Labels = map[string]string{"x": "y"}
	upd.Status.Ready = 8
	upd.ResourceVersion = "77"
	st.PrepareForStatusUpdate(upd, old)
	if upd.Spec.Size != 1 || upd.Labels != nil || upd.Status.Ready != 8 || upd.ResourceVersion != "77" {
		t.Fatalf("status update changed more than status: %+v", upd)
	}
}

func TestValidation(t *testing.T) {
	s := newTestScheme(t)
	info, _ := s.ForGVK(widgetGVK)
	w := &widget{ObjectMeta: meta.ObjectMeta{Name: "My_App", Namespace: "ns"}, Spec: widgetSpec{Size: -1}}
	errs := info.Strategy.Validate(w)
	msg := errs.ToAggregate().Error()
	for _, want := range []string{`metadata.name: Invalid value: "My_App": a lowercase RFC 1123 subdomain`, "spec.size: Invalid value: -1"} {
		if !strings.Contains(msg, want) {
			t.Errorf("missing %q in %s", want, msg)
		}
	}
	old := &widget{ObjectMeta: meta.ObjectMeta{Name: "a", Namespace: "ns", UID: "u1"}}
	upd := &widget{ObjectMeta: meta.ObjectMeta{Name: "a", Namespace: "other", UID: "u1"}}
	msg = info.Strategy.ValidateUpdate(upd, old).ToAggregate().Error()
	if !strings.Contains(msg, "metadata.namespace") || !strings.Contains(msg, "field is immutable") {
		t.Fatalf("immutable namespace not caught: %s", msg)
	}
}

func TestUnstructuredJSONAndStrategy(t *testing.T) {
	s := newTestScheme(t)
	obj, err := s.Decode([]byte(`{"apiVersion":"example.dev/v1","kind":"Gadget","metadata":{"name":"g","namespace":"ns","labels":{"a":"b"}},"spec":{"n":1},"status":{"phase":"x"}}`))
	if err != nil {
		t.Fatal(err)
	}
	u := obj.(*Unstructured)
	info, err := s.ForObject(u)
	if err != nil {
		t.Fatal(err)
	}
	info.Strategy.PrepareForCreate(u)
	if _, ok := u.Content["status"]; ok || u.Generation != 1 {
		t.Fatalf("create must drop status and set generation: %+v", u)
	}
	cp := u.DeepCopy()
	cp.Content["spec"].(map[string]any)["n"] = 2.0
	if u.Content["spec"].(map[string]any)["n"] != 1.0 {
		t.Fatal("deep copy shares content")
	}
	info.Strategy.PrepareForUpdate(cp, u)
	if cp.Generation != 2 {
		t.Fatalf("spec change must bump generation, got %d", cp.Generation)
	}
	j, err := json.Marshal(cp)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(j), `"n":2`) || !strings.Contains(string(j), `"labels":{"a":"b"}`) {
		t.Fatalf("marshal: %s", j)
	}
	if _, err := s.Decode([]byte(`{"apiVersion":"example.dev/v1","kind":"Gadget","metadata":{"nam":"g"}}`)); err == nil || !strings.Contains(err.Error(), "nam") {
		t.Fatalf("unknown metadata field in unstructured must fail, got %v", err)
	}
}
