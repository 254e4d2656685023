package scheme

import (
	"encoding/json"
	"fmt"
	"maps"
	"reflect"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

// Unstructured holds an object of a kind that has no Go type: apiVersion, kind and metadata are
// typed (so the store, informers and controllers treat it like any other object) and every
// other top-level field lives in Content as decoded JSON (map[string]any, []any, string,
// float64, bool, nil).
type Unstructured struct {
	meta.TypeMeta
	meta.ObjectMeta
	// Content holds the top-level fields other than apiVersion, kind and metadata, e.g.
	// "spec" and "status".
	Content map[string]any
}

var _ meta.Object = (*Unstructured)(nil)

// DeepCopyObject returns a deep copy of u.
func (u *Unstructured) DeepCopyObject() meta.Object { return u.DeepCopy() }

// DeepCopy returns a deep copy of u.
func (u *Unstructured) DeepCopy() *Unstructured {
	if u == nil {
		return nil
	}
	out := &Unstructured{TypeMeta: u.TypeMeta}
	u.ObjectMeta.DeepCopyInto(&out.ObjectMeta)
	if u.Content != nil {
		out.Content = meta.DeepCopyJSONValue(u.Content).(map[string]any)
	}
	return out
}

// MarshalJSON writes apiVersion, kind, metadata and the content fields as one JSON object.
func (u *Unstructured) MarshalJSON() ([]byte, error) {
	m := make(map[string]any, len(u.Content)+3)
	maps.Copy(m, u.Content)
	if u.APIVersion != "" {
		m["apiVersion"] = u.APIVersion
	}
	if u.Kind != "" {
		m["kind"] = u.Kind
	}
	m["metadata"] = &u.ObjectMeta
	return json.Marshal(m)
}

// UnmarshalJSON reads a JSON object: apiVersion, kind and metadata into the typed fields (an
// unknown metadata field is an error), everything else into Content.
func (u *Unstructured) UnmarshalJSON(b []byte) error {
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	*u = Unstructured{Content: make(map[string]any, len(raw))}
	for k, v := range raw {
		var err error
		switch k {
		case "apiVersion":
			err = json.Unmarshal(v, &u.APIVersion)
		case "kind":
			err = json.Unmarshal(v, &u.Kind)
		case "metadata":
			err = unmarshalStrict(v, &u.ObjectMeta, validation.NewPath("metadata"))
		default:
			var x any
			err = json.Unmarshal(v, &x)
			u.Content[k] = x
		}
		if err != nil {
			return fmt.Errorf("field %q: %w", k, err)
		}
	}
	return nil
}

// Field returns the value at a path of keys inside Content, e.g. Field("spec", "replicas").
func (u *Unstructured) Field(path ...string) (any, bool) {
	var cur any = u.Content
	for _, p := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil, false
		}
		cur, ok = m[p]
		if !ok {
			return nil, false
		}
	}
	return cur, true
}

// Unstructured kinds: registration and strategy.

// UnstructuredKind describes a kind with no Go type.
type UnstructuredKind struct {
	// GVK names the kind. Required.
	GVK GroupVersionKind
	// Plural, Singular and ShortNames name the REST resource. Plural is required.
	Plural     string
	Singular   string
	ShortNames []string
	// Namespaced is true for namespaced kinds.
	Namespaced bool
	// HasStatus enables the status subresource (the top-level "status" field).
	HasStatus bool
	// Validate checks the content of a new or updated object; optional.
	Validate func(*Unstructured) validation.ErrorList
}

// RegisterUnstructured adds a kind without a Go type; its objects decode to *Unstructured.
func (s *Scheme) RegisterUnstructured(k UnstructuredKind) error {
	if k.GVK.Kind == "" || k.GVK.Version == "" || k.Plural == "" {
		return fmt.Errorf("scheme: register %v: GVK.Kind, GVK.Version and Plural are required", k.GVK)
	}
	gvk := k.GVK
	info := &KindInfo{
		GVK:        gvk,
		Plural:     k.Plural,
		Singular:   k.Singular,
		ShortNames: append([]string(nil), k.ShortNames...),
		Namespaced: k.Namespaced,
		HasStatus:  k.HasStatus,
		newFn:      func() meta.Object { return &Unstructured{Content: map[string]any{}} },
	}
	info.Strategy = &unstructuredStrategy{kind: k, info: info}
	return s.add(info)
}

type unstructuredStrategy struct {
	kind UnstructuredKind
	info *KindInfo
}

func (s *unstructuredStrategy) Default(meta.Object) {}

func (s *unstructuredStrategy) PrepareForCreate(obj meta.Object) {
	u := obj.(*Unstructured)
	u.Generation = 1
	if s.info.HasStatus {
		delete(u.Content, "status")
	}
}

func (s *unstructuredStrategy) PrepareForUpdate(obj, old meta.Object) {
	u, o := obj.(*Unstructured), old.(*Unstructured)
	if u.Content == nil {
		u.Content = map[string]any{}
	}
	if s.info.HasStatus {
		if st, ok := o.Content["status"]; ok {
			u.Content["status"] = meta.DeepCopyJSONValue(st)
		} else {
			delete(u.Content, "status")
		}
	}
	u.Generation = o.Generation
	if !reflect.DeepEqual(u.Content["spec"], o.Content["spec"]) {
		u.Generation++
	}
}

func (s *unstructuredStrategy) PrepareForStatusUpdate(obj, old meta.Object) {
	u, o := obj.(*Unstructured), old.(*Unstructured)
	st, hasStatus := u.Content["status"]
	rv := u.ResourceVersion
	c := o.DeepCopy()
	u.ObjectMeta, u.Content = c.ObjectMeta, c.Content
	u.ResourceVersion = rv
	if hasStatus {
		u.Content["status"] = st
	} else {
		delete(u.Content, "status")
	}
}

func (s *unstructuredStrategy) Validate(obj meta.Object) validation.ErrorList {
	u := obj.(*Unstructured)
	errs := validation.ValidateObjectMeta(&u.ObjectMeta, s.info.Namespaced, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	if s.kind.Validate != nil {
		errs = append(errs, s.kind.Validate(u)...)
	}
	return errs
}

func (s *unstructuredStrategy) ValidateStatusUpdate(obj, old meta.Object) validation.ErrorList {
	u, o := obj.(*Unstructured), old.(*Unstructured)
	return validation.ValidateObjectMetaUpdate(&u.ObjectMeta, &o.ObjectMeta, s.info.Namespaced, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
}

func (s *unstructuredStrategy) ValidateUpdate(obj, old meta.Object) validation.ErrorList {
	u, o := obj.(*Unstructured), old.(*Unstructured)
	errs := validation.ValidateObjectMetaUpdate(&u.ObjectMeta, &o.ObjectMeta, s.info.Namespaced, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	if s.kind.Validate != nil {
		errs = append(errs, s.kind.Validate(u)...)
	}
	return errs
}
