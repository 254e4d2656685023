package main

import (
	"bytes"
	"fmt"
	"go/format"
	"reflect"
	"sort"
	"strconv"
	"strings"
)

// file is the generated file of one package.
type file struct {
	pkgPath string
	imports map[string]bool
	body    bytes.Buffer
	depth   int // nesting of generated loops, for unique variable names
	err     error
}

// emit writes every planned type's methods and returns the formatted files by package path.
func (g *gen) emit() (map[string][]byte, error) {
	files := map[string]*file{}
	fileOf := func(t reflect.Type) *file {
		f := files[t.PkgPath()]
		if f == nil {
			f = &file{pkgPath: t.PkgPath(), imports: map[string]bool{}}
			files[t.PkgPath()] = f
		}
		return f
	}
	types := make([]reflect.Type, 0, len(g.plan))
	for t := range g.plan {
		types = append(types, t)
	}
	sort.Slice(types, func(i, j int) bool { return types[i].String() < types[j].String() })
	for _, t := range types {
		g.appendMethod(fileOf(t), t)
	}
	// IsZeroJSON methods may be asked for while writing them, so loop until none is new.
	done := map[reflect.Type]bool{}
	for {
		var todo []reflect.Type
		for t := range g.zero {
			if !done[t] {
				todo = append(todo, t)
			}
		}
		if len(todo) == 0 {
			break
		}
		sort.Slice(todo, func(i, j int) bool { return todo[i].String() < todo[j].String() })
		for _, t := range todo {
			done[t] = true
			g.zeroMethod(fileOf(t), t)
		}
	}
	out := map[string][]byte{}
	for path, f := range files {
		if f.err != nil {
			return nil, f.err
		}
		var src bytes.Buffer
		src.WriteString(header)
		src.WriteString("\n//go:build !skiff_jsongen\n\n")
		fmt.Fprintf(&src, "package %s\n\n", pkgName(path))
		if len(f.imports) > 0 {
			var imps []string
			for p := range f.imports {
				imps = append(imps, p)
			}
			sort.Strings(imps)
			src.WriteString("import (\n")
			for _, p := range imps {
				fmt.Fprintf(&src, "\t%q\n", p)
			}
			src.WriteString(")\n\n")
		}
		src.Write(f.body.Bytes())
		formatted, err := format.Source(src.Bytes())
		if err != nil {
			return nil, fmt.Errorf("%s: %v\n%s", path, err, src.Bytes())
		}
		out[path] = formatted
	}
	return out, nil
}

// pkgName is the name of the package at path: its last element, as for every API package.
func pkgName(path string) string { return path[strings.LastIndex(path, "/")+1:] }

func (f *file) p(format string, args ...any) { fmt.Fprintf(&f.body, format+"\n", args...) }

func (f *file) fail(format string, args ...any) {
	if f.err == nil {
		f.err = fmt.Errorf(format, args...)
	}
}

// typeExpr spells t in Go source inside f's package, importing what it names.
func (f *file) typeExpr(t reflect.Type) string {
	if t.Name() != "" {
		if t.PkgPath() == "" || t.PkgPath() == f.pkgPath {
			return t.Name()
		}
		f.imports[t.PkgPath()] = true
		return pkgName(t.PkgPath()) + "." + t.Name()
	}
	switch t.Kind() {
	case reflect.Pointer:
		return "*" + f.typeExpr(t.Elem())
	case reflect.Slice:
		return "[]" + f.typeExpr(t.Elem())
	case reflect.Map:
		return "map[" + f.typeExpr(t.Key()) + "]" + f.typeExpr(t.Elem())
	}
	f.fail("cannot spell type %s", t)
	return "any"
}

func (f *file) jsonw(fn string) string {
	f.imports[jsonwPkg] = true
	return "jsonw." + fn
}

// appendMethod writes t's AppendJSON.
func (g *gen) appendMethod(f *file, t reflect.Type) {
	fields, _ := jsonFields(t) // checked by visit
	f.p("// AppendJSON appends the JSON encoding of in to b: the bytes encoding/json writes with HTML")
	f.p("// escaping off.")
	f.p("func (in *%s) AppendJSON(b []byte) ([]byte, error) {", t.Name())
	if len(fields) == 0 {
		f.p("return append(b, \"{}\"...), nil")
		f.p("}\n")
		return
	}
	f.p("var err error")
	f.p("b = append(b, '{')")
	f.p("n := len(b)")
	for _, fd := range fields {
		expr := "in." + strings.Join(fd.path, ".")
		var conds []string
		if fd.omitEmpty {
			if c := notEmpty(fd.typ, expr); c != "true" {
				conds = append(conds, c)
			}
		}
		if fd.omitZero {
			conds = append(conds, "!("+g.isZero(f, fd.typ, expr, true)+")")
		}
		if len(conds) > 0 {
			f.p("if %s {", strings.Join(conds, " && "))
		}
		f.p("if len(b) > n { b = append(b, ',') }")
		quoted := quoteKey(fd.name)
		if quoted == nil {
			f.fail("%s.%s: JSON name %q needs escaping, which the generator does not do", t, strings.Join(fd.path, "."), fd.name)
		}
		key := strconv.Quote(string(quoted) + ":")
		f.p("b = append(b, %s...)", key)
		g.value(f, fd.typ, expr, true)
		if len(conds) > 0 {
			f.p("}")
		}
	}
	f.p("b = append(b, '}')")
	f.p("return b, err")
	f.p("}\n")
}

// quoteKey returns name as a JSON string.
func quoteKey(name string) []byte {
	var b bytes.Buffer
	b.WriteByte('"')
	for _, c := range []byte(name) {
		if c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			return nil // the caller refuses such a name
		}
		b.WriteByte(c)
	}
	b.WriteByte('"')
	return b.Bytes()
}

// notEmpty is the Go condition under which omitempty keeps a value of type t.
func notEmpty(t reflect.Type, expr string) string {
	switch t.Kind() {
	case reflect.String:
		return expr + ` != ""`
	case reflect.Bool:
		return expr
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return expr + " != 0"
	case reflect.Map, reflect.Slice, reflect.Array:
		return "len(" + expr + ") != 0"
	case reflect.Pointer, reflect.Interface:
		return expr + " != nil"
	}
	return "true" // structs are never empty
}

// isZero is the Go condition under which omitzero drops a value of type t: its IsZero method
// when it has one, otherwise reflect.Value.IsZero.
func (g *gen) isZero(f *file, t reflect.Type, expr string, addressable bool) string {
	switch {
	case t.Kind() == reflect.Interface && t.Implements(zeroerType):
		f.fail("omitzero on interface type %s is not supported", t)
		return "false"
	case t.Kind() == reflect.Pointer && t.Implements(zeroerType):
		return expr + " == nil || " + expr + ".IsZero()"
	case t.Implements(zeroerType):
		return expr + ".IsZero()"
	case reflect.PointerTo(t).Implements(zeroerType):
		if !addressable {
			f.fail("omitzero on unaddressable %s is not supported", t)
		}
		return expr + ".IsZero()"
	}
	return g.structural(f, t, expr)
}

// structural is reflect.Value.IsZero for a value of type t: every field zero, whatever methods
// the types have.
func (g *gen) structural(f *file, t reflect.Type, expr string) string {
	switch t.Kind() {
	case reflect.Bool:
		return "!" + expr
	case reflect.String:
		return expr + ` == ""`
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return expr + " == 0"
	case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface, reflect.Func, reflect.Chan:
		return expr + " == nil"
	case reflect.Struct:
		if t.Comparable() && !hasFloat(t) {
			return expr + " == (" + f.typeExpr(t) + "{})"
		}
		if ours(t) {
			g.zero[t] = true
			return expr + ".IsZeroJSON()"
		}
	}
	f.fail("cannot test %s for zero", t)
	return "false"
}

// hasFloat reports whether a struct holds a float, where == and IsZero disagree on -0.
func hasFloat(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Float32, reflect.Float64, reflect.Complex64, reflect.Complex128:
		return true
	case reflect.Array:
		return hasFloat(t.Elem())
	case reflect.Struct:
		for i := range t.NumField() {
			if hasFloat(t.Field(i).Type) {
				return true
			}
		}
	}
	return false
}

// zeroMethod writes t's IsZeroJSON.
func (g *gen) zeroMethod(f *file, t reflect.Type) {
	f.p("// IsZeroJSON reports whether in is its type's zero value, as reflect.Value.IsZero decides for")
	f.p("// encoding/json's omitzero.")
	f.p("func (in *%s) IsZeroJSON() bool {", t.Name())
	var conds []string
	for i := range t.NumField() {
		conds = append(conds, g.structural(f, t.Field(i).Type, "in."+t.Field(i).Name))
	}
	if len(conds) == 0 {
		conds = []string{"true"}
	}
	f.p("return %s", strings.Join(conds, " &&\n"))
	f.p("}\n")
}

// value writes code that appends the encoding of expr, of type t, to b. addressable says
// whether encoding/json would see the value as addressable (it then honours pointer-receiver
// marshalers); generated code only ever passes Go-addressable expressions.
func (g *gen) value(f *file, t reflect.Type, expr string, addressable bool) {
	check := func(call string) {
		f.p("if b, err = %s; err != nil { return b, err }", call)
	}
	ptr := reflect.PointerTo(t)
	hasAppend := func(t reflect.Type) bool { return t.Implements(appenderType) }
	switch {
	case t.Kind() != reflect.Pointer && addressable && ptr.Implements(marshalerType) && !t.Implements(marshalerType):
		if hasAppend(ptr) {
			check(expr + ".AppendJSON(b)")
		} else {
			check(f.jsonw("AppendMarshaler") + "(b, &" + expr + ")")
		}
		return
	case t.Implements(marshalerType):
		if t.Kind() == reflect.Pointer {
			f.p("if %s == nil { b = append(b, \"null\"...) } else {", expr)
			defer f.p("}")
		}
		if hasAppend(t) {
			check(expr + ".AppendJSON(b)")
		} else {
			check(f.jsonw("AppendMarshaler") + "(b, " + expr + ")")
		}
		return
	case t.Implements(textType) || (addressable && t.Kind() != reflect.Pointer && ptr.Implements(textType)):
		g.std(f, expr, addressable)
		return
	}
	switch t.Kind() {
	case reflect.Bool:
		f.p("b = %s(b, bool(%s))", f.jsonw("AppendBool"), expr)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		f.p("b = %s(b, int64(%s))", f.jsonw("AppendInt"), expr)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		f.p("b = %s(b, uint64(%s))", f.jsonw("AppendUint"), expr)
	case reflect.String:
		f.p("b = %s(b, string(%s))", f.jsonw("AppendString"), expr)
	case reflect.Struct:
		if g.plan[t] {
			check(expr + ".AppendJSON(b)")
		} else {
			g.std(f, expr, addressable)
		}
	case reflect.Pointer:
		f.p("if %s == nil { b = append(b, \"null\"...) } else {", expr)
		g.value(f, t.Elem(), "(*"+expr+")", true)
		f.p("}")
	case reflect.Slice:
		if e := t.Elem(); e.Kind() == reflect.Uint8 {
			pe := reflect.PointerTo(e)
			if !pe.Implements(marshalerType) && !pe.Implements(textType) {
				if e.Name() == "uint8" && e.PkgPath() == "" {
					f.p("b = %s(b, %s)", f.jsonw("AppendBytes"), expr)
				} else {
					g.std(f, expr, addressable)
				}
				return
			}
		}
		f.depth++
		i := fmt.Sprintf("i%d", f.depth)
		f.p("if %s == nil { b = append(b, \"null\"...) } else {", expr)
		f.p("b = append(b, '[')")
		f.p("for %s := range %s {", i, expr)
		f.p("if %s > 0 { b = append(b, ',') }", i)
		g.value(f, t.Elem(), expr+"["+i+"]", true)
		f.p("}")
		f.p("b = append(b, ']')")
		f.p("}")
		f.depth--
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			g.std(f, expr, addressable)
			return
		}
		e := t.Elem()
		if e.Kind() == reflect.String && !e.Implements(marshalerType) && !e.Implements(textType) {
			f.p("b = %s(b, %s)", f.jsonw("AppendStringMap"), expr)
			return
		}
		f.depth++
		d := f.depth
		f.p("if %s == nil { b = append(b, \"null\"...) } else {", expr)
		f.p("b = append(b, '{')")
		f.p("var kb%d [16]%s", d, f.typeExpr(t.Key()))
		f.p("for i%d, k%d := range %s(kb%d[:0], %s) {", d, d, f.jsonw("SortedKeys"), d, expr)
		f.p("if i%d > 0 { b = append(b, ',') }", d)
		f.p("b = %s(b, string(k%d))", f.jsonw("AppendString"), d)
		f.p("b = append(b, ':')")
		f.p("v%d := %s[k%d]", d, expr, d)
		g.value(f, e, fmt.Sprintf("v%d", d), false)
		f.p("}")
		f.p("b = append(b, '}')")
		f.p("}")
		f.depth--
	default:
		g.std(f, expr, addressable)
	}
}

// std writes a call to encoding/json for a value the generated code has no fast path for.
func (g *gen) std(f *file, expr string, addressable bool) {
	if addressable {
		expr = "&" + expr
	}
	f.p("if b, err = %s(b, %s); err != nil { return b, err }", f.jsonw("AppendStd"), expr)
}
