package core

import (
	"reflect"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

// semanticDiff reports the fields where a and b, values of one type, differ in meaning, as
// JSON paths below prefix (at most limit of them). It is Kubernetes' semantic equality:
// quantities compare by value ("1Ki" equals "1024"), times by instant, and nil slices and
// maps equal empty ones.
func semanticDiff(a, b any, prefix string, limit int) []string {
	d := differ{limit: limit}
	d.walk(reflect.ValueOf(a), reflect.ValueOf(b), prefix)
	return d.out
}

type differ struct {
	out   []string
	limit int
}

var (
	quantityType = reflect.TypeFor[resource.Quantity]()
	timeType     = reflect.TypeFor[meta.Time]()
)

func (d *differ) report(path string) { d.out = append(d.out, path) }

func (d *differ) walk(a, b reflect.Value, path string) {
	if len(d.out) >= d.limit {
		return
	}
	switch a.Type() {
	case quantityType:
		if a.Interface().(resource.Quantity).Cmp(b.Interface().(resource.Quantity)) != 0 {
			d.report(path)
		}
		return
	case timeType:
		at, bt := a.Interface().(meta.Time), b.Interface().(meta.Time)
		if !at.Equal(&bt) {
			d.report(path)
		}
		return
	}
	switch a.Kind() {
	case reflect.Pointer:
		if a.IsNil() || b.IsNil() {
			if a.IsNil() != b.IsNil() {
				d.report(path)
			}
			return
		}
		d.walk(a.Elem(), b.Elem(), path)
	case reflect.Slice:
		if a.Len() != b.Len() {
			d.report(path)
			return
		}
		for i := 0; i < a.Len(); i++ {
			d.walk(a.Index(i), b.Index(i), path+"["+strconv.Itoa(i)+"]")
		}
	case reflect.Map:
		if a.Len() != b.Len() {
			d.report(path)
			return
		}
		for it := a.MapRange(); it.Next(); {
			bv := b.MapIndex(it.Key())
			if !bv.IsValid() {
				d.report(path)
				return
			}
			d.walk(it.Value(), bv, path+"["+toString(it.Key())+"]")
		}
	case reflect.Struct:
		t := a.Type()
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if !f.IsExported() {
				continue
			}
			name := strings.Split(f.Tag.Get("json"), ",")[0]
			p := path
			if name != "" {
				p = path + "." + name
			}
			d.walk(a.Field(i), b.Field(i), p)
		}
	case reflect.Interface:
		if !reflect.DeepEqual(a.Interface(), b.Interface()) {
			d.report(path)
		}
	default:
		if !a.Equal(b) {
			d.report(path)
		}
	}
}

func toString(v reflect.Value) string {
	if v.Kind() == reflect.String {
		return v.String()
	}
	return strconv.Quote(v.String())
}
