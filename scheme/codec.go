package scheme

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync"

	"sigs.k8s.io/yaml"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

// StrictError lists the fields of a decoded document that its kind does not have.
type StrictError struct {
	// Fields are the paths of the unknown fields, e.g. "spec.replcas".
	Fields []string
}

// Error renders the error as Kubernetes does: `strict decoding error: unknown field "spec.x"`.
func (e *StrictError) Error() string {
	parts := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		parts[i] = fmt.Sprintf("unknown field %q", f)
	}
	return "strict decoding error: " + strings.Join(parts, ", ")
}

// IsStrictError reports whether err is (or wraps) a *StrictError.
func IsStrictError(err error) bool {
	var se *StrictError
	return errors.As(err, &se)
}

// Decode reads one JSON or YAML document into a new object of the kind its apiVersion and kind
// name. Decoding is strict: unknown fields are a *StrictError naming their paths, and a value of
// the wrong type is an error naming its field. Defaults are not applied (see Default).
func (s *Scheme) Decode(data []byte) (meta.Object, error) {
	j, err := toJSON(data)
	if err != nil {
		return nil, err
	}
	var tm meta.TypeMeta
	if err := json.Unmarshal(j, &tm); err != nil {
		return nil, fmt.Errorf("scheme: cannot read apiVersion and kind: %w", err)
	}
	if tm.APIVersion == "" || tm.Kind == "" {
		return nil, fmt.Errorf("%w (apiVersion %q, kind %q)", ErrMissingKind, tm.APIVersion, tm.Kind)
	}
	info, err := s.ForGVK(FromAPIVersionAndKind(tm.APIVersion, tm.Kind))
	if err != nil {
		return nil, err
	}
	obj := info.New()
	if err := unmarshalStrict(j, obj, nil); err != nil {
		return nil, err
	}
	return obj, nil
}

// DecodeInto reads one JSON or YAML document strictly into obj, whose kind must be registered.
func (s *Scheme) DecodeInto(data []byte, obj meta.Object) error {
	j, err := toJSON(data)
	if err != nil {
		return err
	}
	if _, err := s.ForObject(obj); err != nil && !isUnstructured(obj) {
		return err
	}
	return unmarshalStrict(j, obj, nil)
}

func isUnstructured(obj meta.Object) bool {
	_, ok := obj.(*Unstructured)
	return ok
}

// DecodeAll reads every document of a multi-document YAML (documents separated by "---"
// lines) or a JSON stream, and expands "kind: List" documents into their items. Empty
// documents are skipped. An error names the document (1-based) it is about.
func (s *Scheme) DecodeAll(data []byte) ([]meta.Object, error) {
	var out []meta.Object
	for i, doc := range SplitDocuments(data) {
		j, err := toJSON(doc)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		var head struct {
			APIVersion string            `json:"apiVersion"`
			Kind       string            `json:"kind"`
			Items      []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(j, &head); err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		if head.Kind == "List" || (strings.HasSuffix(head.Kind, "List") && head.Items != nil) {
			for k, item := range head.Items {
				obj, err := s.Decode(item)
				if err != nil {
					return nil, fmt.Errorf("document %d, item %d: %w", i+1, k, err)
				}
				out = append(out, obj)
			}
			continue
		}
		obj, err := s.Decode(j)
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		out = append(out, obj)
	}
	return out, nil
}

// SplitDocuments splits a YAML stream on lines that are exactly "---" (optionally followed by
// a comment) and drops documents that hold only whitespace and comments. A JSON stream of
// several top-level values is split into them.
func SplitDocuments(data []byte) [][]byte {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[') {
		var docs [][]byte
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		for {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				if len(docs) == 0 {
					return [][]byte{trimmed} // let the decoder report the syntax error
				}
				break
			}
			docs = append(docs, raw)
		}
		return docs
	}
	var docs [][]byte
	var cur bytes.Buffer
	flush := func() {
		if !emptyYAML(cur.Bytes()) {
			docs = append(docs, append([]byte(nil), cur.Bytes()...))
		}
		cur.Reset()
	}
	for _, line := range bytes.SplitAfter(data, []byte("\n")) {
		l := bytes.TrimRight(line, " \t\r\n")
		if bytes.Equal(l, []byte("---")) || bytes.HasPrefix(l, []byte("--- #")) {
			flush()
			continue
		}
		cur.Write(line)
	}
	flush()
	return docs
}

func emptyYAML(b []byte) bool {
	for _, line := range bytes.Split(b, []byte("\n")) {
		l := bytes.TrimSpace(line)
		if len(l) > 0 && l[0] != '#' {
			return false
		}
	}
	return true
}

func toJSON(data []byte) ([]byte, error) {
	t := bytes.TrimSpace(data)
	if len(t) > 0 && t[0] == '{' {
		return t, nil
	}
	j, err := yaml.YAMLToJSON(data)
	if err != nil {
		return nil, fmt.Errorf("scheme: invalid YAML: %w", err)
	}
	if bytes.Equal(j, []byte("null")) {
		return nil, fmt.Errorf("scheme: empty document")
	}
	return j, nil
}

// Encode returns obj as JSON with its apiVersion and kind filled in from the scheme.
func (s *Scheme) Encode(obj meta.Object) ([]byte, error) {
	if !isUnstructured(obj) {
		if _, err := s.SetTypeMeta(obj); err != nil {
			return nil, err
		}
	}
	return json.Marshal(obj)
}

// EncodeYAML returns obj as YAML (via JSON, so field names and omissions are the JSON ones).
func (s *Scheme) EncodeYAML(obj meta.Object) ([]byte, error) {
	j, err := s.Encode(obj)
	if err != nil {
		return nil, err
	}
	return yaml.JSONToYAML(j)
}

// Default applies the kind's defaults to obj.
func (s *Scheme) Default(obj meta.Object) error {
	info, err := s.ForObject(obj)
	if err != nil {
		return err
	}
	info.Strategy.Default(obj)
	return nil
}

// unmarshalStrict decodes j into v and then reports every field of j that v's type does not
// have. A type mismatch is reported with its field path.
func unmarshalStrict(j []byte, v any, base *validation.Path) error {
	if err := json.Unmarshal(j, v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			field := te.Field
			if base != nil {
				field = base.String() + "." + field
			}
			return fmt.Errorf("%s: Invalid value: %s: expected %s", field, te.Value, te.Type)
		}
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("invalid JSON at offset %d: %w", se.Offset, err)
		}
		return err
	}
	var generic any
	dec := json.NewDecoder(bytes.NewReader(j))
	dec.UseNumber()
	if err := dec.Decode(&generic); err != nil {
		return err
	}
	var unknown []string
	walkUnknown(generic, reflect.TypeOf(v), base, &unknown)
	if len(unknown) > 0 {
		return &StrictError{Fields: unknown}
	}
	return nil
}

var unmarshalerType = reflect.TypeFor[json.Unmarshaler]()

// walkUnknown compares a generic JSON value with the Go type it was decoded into and records
// the paths of object keys the type has no field for. Types with their own UnmarshalJSON are
// trusted and not descended into.
func walkUnknown(v any, t reflect.Type, p *validation.Path, unknown *[]string) {
	for t.Kind() == reflect.Pointer {
		if t.Implements(unmarshalerType) {
			return
		}
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(unmarshalerType) {
		return
	}
	switch t.Kind() {
	case reflect.Struct:
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		fields := jsonFields(t)
		for k, fv := range obj {
			child := childPath(p, k)
			ft, ok := fields[k]
			if !ok {
				*unknown = append(*unknown, child.String())
				continue
			}
			walkUnknown(fv, ft, child, unknown)
		}
	case reflect.Map:
		obj, ok := v.(map[string]any)
		if !ok {
			return
		}
		for k, fv := range obj {
			walkUnknown(fv, t.Elem(), p.Key(k), unknown)
		}
	case reflect.Slice, reflect.Array:
		arr, ok := v.([]any)
		if !ok {
			return
		}
		for i, fv := range arr {
			walkUnknown(fv, t.Elem(), p.Index(i), unknown)
		}
	}
}

func childPath(p *validation.Path, name string) *validation.Path {
	if p == nil {
		return validation.NewPath(name)
	}
	return p.Child(name)
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// jsonFields returns the JSON names of t's fields (inline embedded structs flattened), mapped to
// their Go types.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := map[string]reflect.Type{}
	collectFields(t, m)
	fieldCache.Store(t, m)
	return m
}

func collectFields(t reflect.Type, m map[string]reflect.Type) {
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if f.Anonymous && (name == "" || strings.Contains(opts, "inline")) {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectFields(ft, m)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
}
