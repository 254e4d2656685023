package meta

import (
	"encoding/json"
	"reflect"
)

// DeepCopyJSONValue returns a deep copy of v, a JSON-like value as encoding/json decodes into
// an any: nil, bool, float64, json.Number, string, []any and map[string]any, nested to any
// depth. Generated DeepCopy methods use it for fields of type any, map[string]any and []any.
//
// A nil map or slice stays nil (and keeps its type). Other values set by Go code rather than
// decoded — int64, []string, map[string]string, pointers, structs — are copied too, through
// reflection: maps, slices, arrays and pointers are copied recursively and structs by value
// with their exported fields deep-copied. Channels and functions are shared.
func DeepCopyJSONValue(v any) any {
	switch v := v.(type) {
	case nil, bool, float64, string, json.Number, int64, int, int32:
		return v
	case map[string]any:
		if v == nil {
			return v
		}
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = DeepCopyJSONValue(e)
		}
		return out
	case []any:
		if v == nil {
			return v
		}
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = DeepCopyJSONValue(e)
		}
		return out
	}
	return deepCopyValue(reflect.ValueOf(v)).Interface()
}

// deepCopyValue copies any value through reflection; see DeepCopyJSONValue.
func deepCopyValue(v reflect.Value) reflect.Value {
	switch v.Kind() {
	case reflect.Interface:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type()).Elem()
		out.Set(deepCopyValue(v.Elem()))
		return out
	case reflect.Map:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeMapWithSize(v.Type(), v.Len())
		for it := v.MapRange(); it.Next(); {
			out.SetMapIndex(it.Key(), deepCopyValue(it.Value()))
		}
		return out
	case reflect.Slice:
		if v.IsNil() {
			return v
		}
		out := reflect.MakeSlice(v.Type(), v.Len(), v.Len())
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(deepCopyValue(v.Index(i)))
		}
		return out
	case reflect.Pointer:
		if v.IsNil() {
			return v
		}
		out := reflect.New(v.Type().Elem())
		out.Elem().Set(deepCopyValue(v.Elem()))
		return out
	case reflect.Array:
		out := reflect.New(v.Type()).Elem()
		for i := 0; i < v.Len(); i++ {
			out.Index(i).Set(deepCopyValue(v.Index(i)))
		}
		return out
	case reflect.Struct:
		out := reflect.New(v.Type()).Elem()
		out.Set(v)
		for i := 0; i < v.NumField(); i++ {
			if out.Field(i).CanSet() {
				out.Field(i).Set(deepCopyValue(v.Field(i)))
			}
		}
		return out
	}
	return v
}
