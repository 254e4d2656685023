package deepcopytest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
)

// base is the first time values are filled with; each filled time is a different one.
var base = time.Date(2024, time.March, 1, 12, 0, 0, 0, time.UTC)

// builtinFillers fill the types whose fields are unexported or whose JSON form allows only
// some values.
func builtinFillers() map[reflect.Type]func(v reflect.Value, n int) {
	return map[reflect.Type]func(v reflect.Value, n int){
		reflect.TypeFor[time.Time](): func(v reflect.Value, n int) {
			v.Set(reflect.ValueOf(base.Add(time.Duration(n) * time.Second)))
		},
		reflect.TypeFor[meta.Time](): func(v reflect.Value, n int) {
			v.Set(reflect.ValueOf(meta.NewTime(base.Add(time.Duration(n) * time.Second))))
		},
		reflect.TypeFor[meta.MicroTime](): func(v reflect.Value, n int) {
			v.Set(reflect.ValueOf(meta.NewMicroTime(base.Add(time.Duration(n)*time.Second + time.Duration(n)*time.Microsecond))))
		},
		reflect.TypeFor[intstr.IntOrString](): func(v reflect.Value, n int) {
			x := intstr.FromInt(n)
			if n%2 == 0 {
				x = intstr.FromString(fmt.Sprintf("%d%%", n))
			}
			v.Set(reflect.ValueOf(x))
		},
	}
}

// maxRepeat is how many times one struct type may appear on a path from the root, which
// bounds recursive types.
const maxRepeat = 2

// filler sets values to non-zero contents.
type filler struct {
	cfg   *config
	json  bool // also require JSON names on fields
	n     int  // counter that makes values differ
	stack map[reflect.Type]int
	errs  []string
}

func (f *filler) next() int {
	f.n++
	return f.n%100 + 1
}

// jsonMarshaler is implemented by types that choose their own JSON form.
var jsonMarshaler = reflect.TypeFor[json.Marshaler]()

// fill sets v, a settable value at path, to a non-zero value.
func (f *filler) fill(v reflect.Value, path string) {
	if path != "" && f.cfg.skip[skipPath(path)] {
		return
	}
	if fill, ok := f.cfg.fillers[v.Type()]; ok {
		fill(v, f.next())
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(int64(f.next()))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		v.SetUint(uint64(f.next()))
	case reflect.Float32, reflect.Float64:
		v.SetFloat(float64(f.next()) + 0.5)
	case reflect.Complex64, reflect.Complex128:
		v.SetComplex(complex(float64(f.next()), 1))
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d", f.next()))
	case reflect.Pointer:
		if f.tooDeep(v.Type().Elem()) {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		f.fill(v.Elem(), path)
	case reflect.Slice:
		if f.tooDeep(v.Type().Elem()) {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 2, 2))
		for i := 0; i < 2; i++ {
			f.fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Array:
		for i := 0; i < v.Len(); i++ {
			f.fill(v.Index(i), fmt.Sprintf("%s[%d]", path, i))
		}
	case reflect.Map:
		if f.tooDeep(v.Type().Elem()) {
			return
		}
		v.Set(reflect.MakeMap(v.Type()))
		for i := 0; i < 2; i++ {
			k := reflect.New(v.Type().Key()).Elem()
			f.fill(k, path+"[key]")
			e := reflect.New(v.Type().Elem()).Elem()
			f.fill(e, fmt.Sprintf("%s[%v]", path, k))
			v.SetMapIndex(k, e)
		}
	case reflect.Interface:
		if v.NumMethod() > 0 {
			f.errs = append(f.errs, fmt.Sprintf("%s: cannot fill a %s; use FillWith or SkipFields", pathOrRoot(path), v.Type()))
			return
		}
		n := f.next()
		v.Set(reflect.ValueOf(map[string]any{
			"name":  fmt.Sprintf("s%d", n),
			"count": float64(n),
			"list":  []any{"a", true, nil, float64(n) + 0.5},
			"inner": map[string]any{"ok": false},
		}))
	case reflect.Struct:
		f.fillStruct(v, path)
	default:
		f.errs = append(f.errs, fmt.Sprintf("%s: cannot fill a %s; use FillWith or SkipFields", pathOrRoot(path), v.Type()))
	}
}

// fillStruct fills the exported fields of a struct and, in JSON mode, checks their names.
func (f *filler) fillStruct(v reflect.Value, path string) {
	typ := v.Type()
	if f.stack[typ] >= maxRepeat {
		return
	}
	f.stack[typ]++
	defer func() { f.stack[typ]-- }()
	custom := reflect.PointerTo(typ).Implements(jsonMarshaler)
	for i := 0; i < typ.NumField(); i++ {
		sf := typ.Field(i)
		if !sf.IsExported() {
			continue
		}
		p := sf.Name
		if path != "" {
			p = path + "." + sf.Name
		}
		if f.json && !custom && !sf.Anonymous && !f.cfg.skip[skipPath(p)] {
			if name, _, _ := strings.Cut(sf.Tag.Get("json"), ","); name == "" {
				f.errs = append(f.errs, fmt.Sprintf("%s: field has no JSON name (tag %q)", p, sf.Tag))
			}
		}
		f.fill(v.Field(i), p)
	}
}

// tooDeep reports whether filling one more value of type t (or what it points to) would
// repeat a struct type more than maxRepeat times on the current path.
func (f *filler) tooDeep(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	return t.Kind() == reflect.Struct && f.stack[t] >= maxRepeat
}

var indexes = regexp.MustCompile(`\[[^\]]*\]`)

// skipPath turns a value path into the form SkipFields uses, dropping indexes and keys.
func skipPath(path string) string { return indexes.ReplaceAllString(path, "") }

func pathOrRoot(path string) string {
	if path == "" {
		return "(root)"
	}
	return path
}
