package meta_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
)

func TestDeepCopyJSONValue(t *testing.T) {
	n := 3
	type point struct {
		X    int
		Tags []string
	}
	tests := []struct {
		name string
		in   any
	}{
		{"nil", nil},
		{"bool", true},
		{"float", 1.5},
		{"string", "s"},
		{"number", json.Number("12")},
		{"int64", int64(7)},
		{"nil map keeps its type", map[string]any(nil)},
		{"nil slice keeps its type", []any(nil)},
		{"empty map", map[string]any{}},
		{"nested", map[string]any{"a": []any{1.0, "x", map[string]any{"b": nil}}, "c": map[string]any{"d": []any{}}}},
		{"string slice", []string{"a", "b"}},
		{"string map", map[string]string{"a": "b"}},
		{"pointer", &n},
		{"struct", point{X: 1, Tags: []string{"t"}}},
		{"map of structs", map[string]point{"p": {Tags: []string{"t"}}}},
		{"array", [2][]int{{1}, {2}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := meta.DeepCopyJSONValue(tt.in)
			if !reflect.DeepEqual(got, tt.in) {
				t.Fatalf("DeepCopyJSONValue = %#v, want %#v", got, tt.in)
			}
			if reflect.TypeOf(got) != reflect.TypeOf(tt.in) {
				t.Errorf("type = %T, want %T", got, tt.in)
			}
			assertNoSharing(t, reflect.ValueOf(tt.in), reflect.ValueOf(got), "value")
		})
	}
}

// assertNoSharing fails if a and b share a map, a slice's backing array or a pointer.
func assertNoSharing(t *testing.T, a, b reflect.Value, path string) {
	t.Helper()
	if !a.IsValid() {
		return
	}
	switch a.Kind() {
	case reflect.Map:
		if !a.IsNil() && a.UnsafePointer() == b.UnsafePointer() {
			t.Errorf("%s: map shared", path)
		}
		for it := a.MapRange(); it.Next(); {
			assertNoSharing(t, it.Value(), b.MapIndex(it.Key()), path+"[key]")
		}
	case reflect.Slice:
		if a.Len() > 0 && a.Pointer() == b.Pointer() {
			t.Errorf("%s: slice shared", path)
		}
		for i := 0; i < a.Len(); i++ {
			assertNoSharing(t, a.Index(i), b.Index(i), path+"[i]")
		}
	case reflect.Pointer:
		if !a.IsNil() && a.Pointer() == b.Pointer() {
			t.Errorf("%s: pointer shared", path)
		}
		if !a.IsNil() {
			assertNoSharing(t, a.Elem(), b.Elem(), path)
		}
	case reflect.Interface:
		if !a.IsNil() {
			assertNoSharing(t, a.Elem(), b.Elem(), path)
		}
	case reflect.Struct:
		for i := 0; i < a.NumField(); i++ {
			assertNoSharing(t, a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name)
		}
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			assertNoSharing(t, a.Index(i), b.Index(i), path+"[i]")
		}
	}
}

func TestDeepCopyJSONValueDecoded(t *testing.T) {
	var v any
	if err := json.Unmarshal([]byte(`{"a":[1,{"b":"c"}],"d":{"e":null,"f":true}}`), &v); err != nil {
		t.Fatal(err)
	}
	c := meta.DeepCopyJSONValue(v)
	c.(map[string]any)["a"].([]any)[1].(map[string]any)["b"] = "changed"
	c.(map[string]any)["d"].(map[string]any)["g"] = 1.0
	want := map[string]any{"a": []any{1.0, map[string]any{"b": "c"}}, "d": map[string]any{"e": nil, "f": true}}
	if !reflect.DeepEqual(v, want) {
		t.Errorf("changing the copy changed the original: %#v", v)
	}
}
