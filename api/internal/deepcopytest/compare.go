package deepcopytest

import (
	"fmt"
	"reflect"
	"time"
)

var timeType = reflect.TypeFor[time.Time]()

// sharedMemory walks a and b, values of one type, in parallel and returns a message for every
// pointer, map or slice backing array they share, appended to out. Strings are immutable and
// may share memory; time.Time's location is shared by design.
func sharedMemory(a, b reflect.Value, path string, out []string) []string {
	if !a.IsValid() || !b.IsValid() || a.Type() != b.Type() {
		return out
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			return out
		}
		// Every zero-size allocation has the same address.
		if a.Pointer() == b.Pointer() && a.Type().Elem().Size() > 0 {
			return append(out, fmt.Sprintf("%s: copy shares the pointer %#x", path, a.Pointer()))
		}
		return sharedMemory(a.Elem(), b.Elem(), path, out)
	case reflect.Map:
		if a.IsNil() || b.IsNil() {
			return out
		}
		if a.UnsafePointer() == b.UnsafePointer() {
			return append(out, fmt.Sprintf("%s: copy shares the map", path))
		}
		if !a.CanInterface() {
			return out // keys of an unexported map cannot be looked up through reflection
		}
		for it := a.MapRange(); it.Next(); {
			out = sharedMemory(it.Value(), b.MapIndex(it.Key()), fmt.Sprintf("%s[%v]", path, it.Key()), out)
		}
		return out
	case reflect.Slice:
		size := a.Type().Elem().Size()
		if a.Cap() > 0 && b.Cap() > 0 && size > 0 {
			aStart, bStart := a.Pointer(), b.Pointer()
			aEnd, bEnd := aStart+uintptr(a.Cap())*size, bStart+uintptr(b.Cap())*size
			if aStart < bEnd && bStart < aEnd {
				return append(out, fmt.Sprintf("%s: copy shares the slice's backing array", path))
			}
		}
		for i := 0; i < a.Len() && i < b.Len(); i++ {
			out = sharedMemory(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
		return out
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			out = sharedMemory(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
		return out
	case reflect.Interface:
		if a.IsNil() || b.IsNil() {
			return out
		}
		return sharedMemory(a.Elem(), b.Elem(), path, out)
	case reflect.Struct:
		if a.Type() == timeType {
			return out
		}
		for i := 0; i < a.NumField(); i++ {
			out = sharedMemory(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name, out)
		}
		return out
	}
	return out
}

// diff returns where a and b, values of one type, differ, appended to out.
func diff(a, b reflect.Value, path string, out []string) []string {
	if len(out) >= maxReports {
		return out
	}
	if !a.IsValid() || !b.IsValid() {
		if a.IsValid() != b.IsValid() {
			out = append(out, fmt.Sprintf("%s: %s vs %s", path, show(a), show(b)))
		}
		return out
	}
	if a.Type() != b.Type() {
		return append(out, fmt.Sprintf("%s: type %s vs %s", path, a.Type(), b.Type()))
	}
	switch a.Kind() {
	case reflect.Pointer, reflect.Interface:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				out = append(out, fmt.Sprintf("%s: %s vs %s", path, show(a), show(b)))
			}
			return out
		}
		return diff(a.Elem(), b.Elem(), path, out)
	case reflect.Map:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return append(out, fmt.Sprintf("%s: %s vs %s", path, show(a), show(b)))
		}
		if !a.CanInterface() {
			break
		}
		for it := a.MapRange(); it.Next(); {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() {
				out = append(out, fmt.Sprintf("%s[%v]: missing from the copy", path, it.Key()))
				continue
			}
			out = diff(it.Value(), bv, fmt.Sprintf("%s[%v]", path, it.Key()), out)
		}
		return out
	case reflect.Slice:
		if a.IsNil() != b.IsNil() || a.Len() != b.Len() {
			return append(out, fmt.Sprintf("%s: %s vs %s", path, show(a), show(b)))
		}
		for i := 0; i < a.Len(); i++ {
			out = diff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
		return out
	case reflect.Array:
		for i := 0; i < a.Len(); i++ {
			out = diff(a.Index(i), b.Index(i), fmt.Sprintf("%s[%d]", path, i), out)
		}
		return out
	case reflect.Struct:
		if a.Type() != timeType {
			for i := 0; i < a.NumField(); i++ {
				out = diff(a.Field(i), b.Field(i), path+"."+a.Type().Field(i).Name, out)
			}
			return out
		}
	}
	if a.CanInterface() && !reflect.DeepEqual(a.Interface(), b.Interface()) {
		out = append(out, fmt.Sprintf("%s: %s vs %s", path, show(a), show(b)))
	}
	return out
}

// show formats a value for a message.
func show(v reflect.Value) string {
	switch {
	case !v.IsValid():
		return "absent"
	case (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface || v.Kind() == reflect.Map || v.Kind() == reflect.Slice) && v.IsNil():
		return "nil"
	case v.Kind() == reflect.Map || v.Kind() == reflect.Slice:
		return fmt.Sprintf("len %d", v.Len())
	case v.CanInterface():
		return fmt.Sprintf("%#v", v.Interface())
	}
	return v.String()
}
