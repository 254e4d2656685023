package main

import (
	"bytes"
	"fmt"
	"go/token"
	"go/types"
	"strings"
)

// The code written here relies on one convention throughout: inside a block that copies a
// pointer, slice, map or array, the names in and out are rebound to pointers to the source and
// the destination (in, out := &in.F, &out.F), so nested copies read the same at every depth.
// Every rebinding opens a block, so the outer in and out are back in scope after it. go/format
// fixes the indentation afterwards.

// emit writes the methods of plan p.
func (g *generator) emit(p *plan) []byte {
	var w bytes.Buffer
	name := p.cand.obj.Name()
	where := g.position(p.cand.pos) + name
	switch p.kind {
	case kindStruct:
		if p.into {
			fmt.Fprintf(&w, "// DeepCopyInto copies the receiver into out, sharing no memory with it. in must be non-nil.\n")
			fmt.Fprintf(&w, "func (in *%s) DeepCopyInto(out *%s) {\n*out = *in\n", name, name)
			s := p.cand.named.Underlying().(*types.Struct)
			for i := 0; i < s.NumFields(); i++ {
				f := s.Field(i)
				if f.Name() == "_" {
					continue
				}
				g.fixup(&w, "in."+f.Name(), "out."+f.Name(), f.Type(), g.position(f.Pos())+name+"."+f.Name())
			}
			w.WriteString("}\n\n")
		}
		if p.deepCopy {
			fmt.Fprintf(&w, "// DeepCopy returns a deep copy of the receiver, or nil if it is nil.\n")
			fmt.Fprintf(&w, "func (in *%s) DeepCopy() *%s {\nif in == nil {\nreturn nil\n}\nout := new(%s)\nin.DeepCopyInto(out)\nreturn out\n}\n\n", name, name, name)
		}
		if p.object {
			obj := g.metaName("Object")
			fmt.Fprintf(&w, "// DeepCopyObject returns a deep copy of the receiver as a %s, or nil if it is nil.\n", obj)
			fmt.Fprintf(&w, "func (in *%s) DeepCopyObject() %s {\nif c := in.DeepCopy(); c != nil {\nreturn c\n}\nreturn nil\n}\n\n", name, obj)
		}
	case kindRef:
		if p.into {
			fmt.Fprintf(&w, "// DeepCopyInto copies the receiver into out, sharing no memory with it.\n")
			fmt.Fprintf(&w, "func (in %s) DeepCopyInto(out *%s) {\nif in == nil {\n*out = nil\nreturn\n}\n", name, name)
			g.refBody(&w, "in", "*out", p.cand.named, where)
			w.WriteString("}\n\n")
		}
		if p.deepCopy {
			fmt.Fprintf(&w, "// DeepCopy returns a deep copy of the receiver, or nil if it is nil.\n")
			fmt.Fprintf(&w, "func (in %s) DeepCopy() %s {\nif in == nil {\nreturn nil\n}\nout := new(%s)\nin.DeepCopyInto(out)\nreturn *out\n}\n\n", name, name, name)
		}
	}
	return w.Bytes()
}

// position formats pos for the start of an error message.
func (g *generator) position(pos token.Pos) string {
	p := g.t.fset.Position(pos)
	return fmt.Sprintf("%s:%d:%d: ", shortPath(p.Filename), p.Line, p.Column)
}

// shortPath keeps the file name and its directory, enough to find a type in an error message.
func shortPath(path string) string {
	i := strings.LastIndex(path, "/")
	if i < 0 {
		return path
	}
	if j := strings.LastIndex(path[:i], "/"); j >= 0 {
		return path[j+1:]
	}
	return path
}

// paren wraps a dereference so that it can be indexed or selected: *in becomes (*in).
func paren(e string) string {
	if strings.HasPrefix(e, "*") {
		return "(" + e + ")"
	}
	return e
}

// addr returns the address of e, simplifying &(*p) to p.
func addr(e string) string {
	if strings.HasPrefix(e, "(*") && strings.HasSuffix(e, ")") && strings.Count(e, "(") == 1 {
		return e[2 : len(e)-1]
	}
	return "&" + e
}

// fixup writes statements that turn outE, which holds a shallow copy of inE, into a deep copy.
// Both are addressable expressions of type t; where names the field for error messages.
func (g *generator) fixup(w *bytes.Buffer, inE, outE string, t types.Type, where string) {
	if !g.needsCopy(t) {
		return
	}
	t0 := t
	t = types.Unalias(t)
	if n, ok := t.(*types.Named); ok {
		errs := len(g.errs)
		m, _ := g.methodsOf(n, where)
		if len(g.errs) > errs {
			return
		}
		if m.into {
			fmt.Fprintf(w, "%s.DeepCopyInto(%s)\n", inE, addr(outE))
			return
		}
		if _, ok := n.Underlying().(*types.Struct); ok {
			g.errorf("%s: type %s needs a deep copy but has no DeepCopyInto method", where, g.typeString(t0))
			return
		}
	}
	switch u := t.Underlying().(type) {
	case *types.Struct:
		for i := 0; i < u.NumFields(); i++ {
			f := u.Field(i)
			if f.Name() == "_" {
				continue
			}
			g.fixup(w, inE+"."+f.Name(), outE+"."+f.Name(), f.Type(), where+"."+f.Name())
		}
	case *types.Array:
		fmt.Fprintf(w, "{\nin, out := &%s, &%s\nfor %s := range *in {\n", inE, outE, g.local.i)
		g.fixup(w, "(*in)["+g.local.i+"]", "(*out)["+g.local.i+"]", u.Elem(), where+"[i]")
		w.WriteString("}\n}\n")
	case *types.Pointer, *types.Slice, *types.Map:
		fmt.Fprintf(w, "if %s != nil {\nin, out := &%s, &%s\n", inE, inE, outE)
		g.refBody(w, "*in", "*out", t0, where)
		w.WriteString("}\n")
	case *types.Interface:
		g.copyInterface(w, inE, outE, t0, u, where)
	case *types.Basic:
		if u.Kind() == types.Invalid {
			g.errorf("%s: invalid type (it could not be resolved)", where)
		} else {
			g.errorf("%s: type %s cannot be deep-copied", where, g.typeString(t0))
		}
	default:
		g.errorf("%s: type %s cannot be deep-copied", where, g.typeString(t0))
	}
}

// copyInterface writes the copy of an interface value: JSON-like values for an empty
// interface, DeepCopyObject for an interface that declares it.
func (g *generator) copyInterface(w *bytes.Buffer, inE, outE string, t types.Type, u *types.Interface, where string) {
	if u.Empty() {
		fmt.Fprintf(w, "%s = %s(%s)\n", outE, g.metaName("DeepCopyJSONValue"), inE)
		return
	}
	for i := 0; i < u.NumMethods(); i++ {
		m := u.Method(i)
		sig := m.Type().(*types.Signature)
		if m.Name() != "DeepCopyObject" || sig.Params().Len() != 0 || sig.Results().Len() != 1 {
			continue
		}
		conv := ""
		if !types.AssignableTo(sig.Results().At(0).Type(), t) {
			conv = ".(" + g.typeString(t) + ")"
		}
		fmt.Fprintf(w, "if %s != nil {\n%s = %s.DeepCopyObject()%s\n}\n", inE, outE, inE, conv)
		return
	}
	g.errorf("%s: interface type %s has no DeepCopyObject method; use any for JSON-like values", where, g.typeString(t))
}

// refBody writes statements that set outV to a deep copy of inV, a non-nil pointer, slice or
// map of type t. outV already holds a shallow copy.
func (g *generator) refBody(w *bytes.Buffer, inV, outV string, t types.Type, where string) {
	// Types are printed only where the output names them: printing one imports its package.
	switch u := types.Unalias(t).Underlying().(type) {
	case *types.Pointer:
		e := u.Elem()
		if !g.needsCopy(e) {
			fmt.Fprintf(w, "%s = new(%s)\n*%s = *%s\n", outV, g.typeString(e), outV, inV)
			return
		}
		// A named pointer type has no methods, so the shortcuts below need an unnamed one.
		_, named := types.Unalias(t).(*types.Named)
		if n, ok := types.Unalias(e).(*types.Named); ok && !named {
			errs := len(g.errs)
			m, _ := g.methodsOf(n, where)
			if len(g.errs) > errs {
				return
			}
			if m.deepCopy && m.copyPtr {
				fmt.Fprintf(w, "%s = %s.DeepCopy()\n", outV, paren(inV))
				return
			}
			if m.into {
				fmt.Fprintf(w, "%s = new(%s)\n%s.DeepCopyInto(%s)\n", outV, g.typeString(e), paren(inV), outV)
				return
			}
		}
		fmt.Fprintf(w, "%s = new(%s)\n*%s = *%s\n", outV, g.typeString(e), outV, inV)
		g.fixup(w, "(*"+inV+")", "(*"+outV+")", e, where)
	case *types.Slice:
		e := u.Elem()
		fmt.Fprintf(w, "%s = make(%s, len(%s))\n", outV, g.typeString(t), inV)
		if !g.needsCopy(e) {
			fmt.Fprintf(w, "copy(%s, %s)\n", outV, inV)
			return
		}
		if n, ok := types.Unalias(e).(*types.Named); ok {
			errs := len(g.errs)
			m, _ := g.methodsOf(n, where)
			if len(g.errs) > errs {
				return
			}
			if m.into {
				fmt.Fprintf(w, "for %[1]s := range %[2]s {\n%[3]s[%[1]s].DeepCopyInto(&%[4]s[%[1]s])\n}\n", g.local.i, inV, paren(inV), paren(outV))
				return
			}
		}
		// make leaves nil pointers, slices, maps and interfaces nil, and the loop replaces the
		// others; elements of other kinds start from a shallow copy.
		switch types.Unalias(e).Underlying().(type) {
		case *types.Pointer, *types.Slice, *types.Map, *types.Interface:
		default:
			fmt.Fprintf(w, "copy(%s, %s)\n", outV, inV)
		}
		fmt.Fprintf(w, "for %s := range %s {\n", g.local.i, inV)
		g.fixup(w, paren(inV)+"["+g.local.i+"]", paren(outV)+"["+g.local.i+"]", e, where+"[i]")
		w.WriteString("}\n")
	case *types.Map:
		v := u.Elem()
		if !g.needsCopy(v) {
			// The runtime clones a map without hashing its keys again.
			fmt.Fprintf(w, "%s = %s.Clone(%s)\n", outV, g.stdPackage("maps"), inV)
			return
		}
		fmt.Fprintf(w, "%s = make(%s, len(%s))\nfor %s, %s := range %s {\n", outV, g.typeString(t), inV, g.local.key, g.local.val, inV)
		dst := paren(outV) + "[" + g.local.key + "]"
		g.mapValue(w, dst, v, where+"[key]")
		w.WriteString("}\n")
	}
}

// mapValue writes the statements that store a deep copy of val, a map value of type v, in dst.
func (g *generator) mapValue(w *bytes.Buffer, dst string, v types.Type, where string) {
	if !g.needsCopy(v) {
		fmt.Fprintf(w, "%s = %s\n", dst, g.local.val)
		return
	}
	vu := types.Unalias(v)
	if n, ok := vu.(*types.Named); ok {
		errs := len(g.errs)
		m, _ := g.methodsOf(n, where)
		if len(g.errs) > errs {
			return
		}
		if m.deepCopy {
			if m.copyPtr {
				fmt.Fprintf(w, "%s = *%s.DeepCopy()\n", dst, g.local.val)
			} else {
				fmt.Fprintf(w, "%s = %s.DeepCopy()\n", dst, g.local.val)
			}
			return
		}
	}
	if i, ok := vu.(*types.Interface); ok && i.Empty() {
		fmt.Fprintf(w, "%s = %s(%s)\n", dst, g.metaName("DeepCopyJSONValue"), g.local.val)
		return
	}
	fmt.Fprintf(w, "%s := %s\n", g.local.outVal, g.local.val)
	g.fixup(w, g.local.val, g.local.outVal, v, where)
	fmt.Fprintf(w, "%s = %s\n", dst, g.local.outVal)
}
