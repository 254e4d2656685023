package deepcopytest

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// maxReports caps the problems one check reports, so a badly broken type stays readable.
const maxReports = 10

// Option adjusts how values are filled.
type Option func(*config)

type config struct {
	skip    map[string]bool
	fillers map[reflect.Type]func(v reflect.Value, n int)
}

func newConfig(opts []Option) *config {
	c := &config{skip: map[string]bool{}, fillers: builtinFillers()}
	for _, o := range opts {
		o(c)
	}
	return c
}

// SkipFields leaves the named fields zero. A path lists Go field names from the checked type
// down, joined by dots, without slice indexes or map keys; an embedded field is named by its
// type: "Spec.Template.ObjectMeta.ManagedFields", "Items.Status.Conditions".
func SkipFields(paths ...string) Option {
	return func(c *config) {
		for _, p := range paths {
			c.skip[p] = true
		}
	}
}

// FillWith fills every value of type T with fill(n), where n is a small positive number that
// differs between calls. Use it for interface types, for types whose fields are unexported, and
// for types whose JSON form accepts only some values. It replaces a built-in filler for T.
func FillWith[T any](fill func(n int) T) Option {
	return func(c *config) {
		c.fillers[reflect.TypeFor[T]()] = func(v reflect.Value, n int) {
			x := fill(n)
			v.Set(reflect.ValueOf(&x).Elem())
		}
	}
}

// Fill sets every exported field reachable from obj, a non-nil pointer, to a non-zero value,
// as Check does. It fails the test when a field cannot be filled.
func Fill(t testing.TB, obj any, opts ...Option) {
	t.Helper()
	v := target(t, obj)
	f := &filler{cfg: newConfig(opts), stack: map[reflect.Type]int{}}
	f.fill(v, "")
	report(t, "fill", f.errs)
}

// Check fills *obj (obj must be a non-nil pointer), then calls every one of DeepCopyObject and
// DeepCopy the type has, and fails the test unless each copy has the type of obj, equals the
// original, and shares no pointer, map or slice backing array with it. It also checks that
// copying the zero value gives the zero value (nil slices and maps stay nil) and that a pointer
// receiver's methods accept nil. obj is left filled.
func Check(t testing.TB, obj any, opts ...Option) {
	t.Helper()
	v := target(t, obj)
	f := &filler{cfg: newConfig(opts), stack: map[reflect.Type]int{}}
	f.fill(v, "")
	if !report(t, "fill", f.errs) {
		return
	}
	typ := v.Type()
	found := false
	for _, name := range []string{"DeepCopyObject", "DeepCopy"} {
		m, ok := reflect.PointerTo(typ).MethodByName(name)
		if !ok {
			continue
		}
		found = true
		if m.Type.NumIn() != 1 || m.Type.NumOut() != 1 {
			t.Errorf("%s.%s has signature %s, want no arguments and one result", typ, name, m.Type)
			continue
		}
		var errs []string
		c, err := callCopy(reflect.ValueOf(obj), name, typ)
		if err != nil {
			t.Errorf("%s.%s: %v", typ, name, err)
			continue
		}
		if c.Kind() == reflect.Pointer && c.Pointer() == reflect.ValueOf(obj).Pointer() {
			t.Errorf("%s.%s returned the receiver itself", typ, name)
			continue
		}
		orig := v.Interface()
		cp := reflect.Indirect(c)
		if !reflect.DeepEqual(orig, cp.Interface()) {
			ds := diff(v, cp, typ.String(), nil)
			if len(ds) == 0 {
				ds = []string{typ.String()}
			}
			for _, d := range ds {
				errs = append(errs, "copy differs from the original: "+d)
			}
		}
		errs = append(errs, sharedMemory(v, cp, typ.String(), nil)...)
		report(t, name, errs)

		zero := reflect.New(typ)
		zc, err := callCopy(zero, name, typ)
		if err != nil {
			t.Errorf("%s.%s of the zero value: %v", typ, name, err)
		} else if !reflect.DeepEqual(zero.Elem().Interface(), reflect.Indirect(zc).Interface()) {
			t.Errorf("%s.%s of the zero value is not zero: %s", typ, name, strings.Join(diff(zero.Elem(), reflect.Indirect(zc), typ.String(), nil), "; "))
		}
		if _, valueRecv := typ.MethodByName(name); !valueRecv {
			checkNilReceiver(t, typ, name)
		}
	}
	if !found {
		t.Fatalf("%s has neither a DeepCopyObject nor a DeepCopy method", reflect.PointerTo(typ))
	}
}

// CheckJSONRoundTrip fills a fresh value of obj's type (obj must be a non-nil pointer),
// marshals it to JSON, unmarshals the result into another fresh value and fails the test
// unless the two are equal. It also fails for an exported, non-embedded field without an
// explicit JSON name. Fields tagged json:"-" must be left out with SkipFields.
func CheckJSONRoundTrip(t testing.TB, obj any, opts ...Option) {
	t.Helper()
	typ := target(t, obj).Type()
	in := reflect.New(typ)
	f := &filler{cfg: newConfig(opts), stack: map[reflect.Type]int{}, json: true}
	f.fill(in.Elem(), "")
	if !report(t, "fill", f.errs) {
		return
	}
	data, err := json.Marshal(in.Interface())
	if err != nil {
		t.Fatalf("marshal %s: %v", typ, err)
	}
	out := reflect.New(typ)
	if err := json.Unmarshal(data, out.Interface()); err != nil {
		t.Fatalf("unmarshal %s: %v\n%s", typ, err, data)
	}
	if !reflect.DeepEqual(in.Elem().Interface(), out.Elem().Interface()) {
		var errs []string
		for _, d := range diff(in.Elem(), out.Elem(), typ.String(), nil) {
			errs = append(errs, "JSON round trip changed "+d)
		}
		if len(errs) == 0 {
			errs = append(errs, "JSON round trip changed the value")
		}
		errs = append(errs, "JSON: "+string(data))
		report(t, "round trip", errs)
	}
}

// target returns the value obj points to, failing the test unless obj is a non-nil pointer.
func target(t testing.TB, obj any) reflect.Value {
	t.Helper()
	v := reflect.ValueOf(obj)
	if v.Kind() != reflect.Pointer || v.IsNil() {
		t.Fatalf("deepcopytest: want a non-nil pointer, got %T", obj)
	}
	return v.Elem()
}

// callCopy calls method name on recv and returns the copy, a *typ or a typ, unwrapped from an
// interface result. A panic becomes an error.
func callCopy(recv reflect.Value, name string, typ reflect.Type) (c reflect.Value, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic: %v", r)
		}
	}()
	c = recv.MethodByName(name).Call(nil)[0]
	if c.Kind() == reflect.Interface {
		if c.IsNil() {
			return c, fmt.Errorf("returned nil")
		}
		c = c.Elem()
	}
	switch c.Type() {
	case reflect.PointerTo(typ):
		if c.IsNil() {
			return c, fmt.Errorf("returned nil")
		}
		return c, nil
	case typ:
		return c, nil
	}
	return c, fmt.Errorf("returned a %s, want *%s or %s (is the method promoted from an embedded field?)", c.Type(), typ, typ)
}

// checkNilReceiver checks that a pointer-receiver copy method returns nil for a nil receiver.
func checkNilReceiver(t testing.TB, typ reflect.Type, name string) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Errorf("(*%s)(nil).%s panics: %v", typ, name, r)
		}
	}()
	res := reflect.Zero(reflect.PointerTo(typ)).MethodByName(name).Call(nil)[0]
	if !res.IsNil() {
		t.Errorf("(*%s)(nil).%s = %v, want nil", typ, name, res)
	}
}

// report fails the test with up to maxReports problems and reports whether there were none.
func report(t testing.TB, what string, errs []string) bool {
	t.Helper()
	for i, e := range errs {
		if i == maxReports {
			t.Errorf("%s: ... and %d more", what, len(errs)-i)
			break
		}
		t.Errorf("%s: %s", what, e)
	}
	return len(errs) == 0
}
