package main

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"sort"
	"strings"
)

// metaPath is the package whose TypeMeta and ObjectMeta make a struct an object kind, and which
// holds DeepCopyJSONValue and the Object interface.
const metaPath = "github.com/skiff-dev/skiff/api/meta"

// The directive that controls generation for one type, on a line of its doc comment.
const directive = "+skiff:deepcopy"

// candidate is a named type declared in a hand-written file of the target package.
type candidate struct {
	obj   *types.TypeName
	named *types.Named
	pos   token.Pos
	// optOut is set by "+skiff:deepcopy=false"; force by "+skiff:deepcopy=true", which also
	// selects an unexported type.
	optOut, force bool
}

// genKind says which methods shape a generated type gets.
type genKind int

const (
	kindStruct genKind = iota // pointer receivers, DeepCopy returns *T
	kindRef                   // named map or slice: value receivers, DeepCopy returns T
)

// plan is a type the generator writes methods for.
type plan struct {
	cand *candidate
	kind genKind
	// Which methods to write; a method already declared by hand is left out.
	into, deepCopy, object bool
}

// collectCandidates finds the named, non-generic, non-alias types of the target's hand-written
// files, with their directives.
func collectCandidates(t *target) (map[*types.TypeName]*candidate, []error) {
	cands := map[*types.TypeName]*candidate{}
	var errs []error
	for _, f := range t.handWritten {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.TYPE {
				continue
			}
			for _, s := range gd.Specs {
				ts := s.(*ast.TypeSpec)
				if ts.Assign.IsValid() || ts.TypeParams != nil || ts.Name.Name == "_" {
					continue
				}
				obj, ok := t.pkg.Scope().Lookup(ts.Name.Name).(*types.TypeName)
				if !ok {
					continue
				}
				named, ok := obj.Type().(*types.Named)
				if !ok {
					continue
				}
				c := &candidate{obj: obj, named: named, pos: ts.Pos()}
				docs := []*ast.CommentGroup{ts.Doc}
				if len(gd.Specs) == 1 {
					docs = append(docs, gd.Doc)
				}
				for _, doc := range docs {
					if doc == nil {
						continue
					}
					for _, cm := range doc.List {
						text := strings.TrimSpace(strings.TrimPrefix(cm.Text, "//"))
						if !strings.HasPrefix(text, directive) {
							continue
						}
						switch text {
						case directive + "=false":
							c.optOut = true
						case directive + "=true":
							c.force = true
						default:
							errs = append(errs, fmt.Errorf("%s: unknown directive %q (want %s=false or %s=true)",
								t.fset.Position(cm.Pos()), text, directive, directive))
						}
					}
				}
				cands[obj] = c
			}
		}
	}
	return cands, errs
}

// declaredMethod returns the method called name declared on n itself (not promoted from an
// embedded field), or nil.
func declaredMethod(n *types.Named, name string) *types.Func {
	for i := 0; i < n.NumMethods(); i++ {
		if m := n.Method(i); m.Name() == name {
			return m
		}
	}
	return nil
}

// generatable reports whether a named type's underlying type is one the generator writes
// methods for, and in which shape.
func generatable(n *types.Named) (genKind, bool) {
	switch n.Underlying().(type) {
	case *types.Struct:
		return kindStruct, true
	case *types.Map, *types.Slice:
		return kindRef, true
	}
	return 0, false
}

// isObjectKind reports whether s embeds meta.TypeMeta and meta.ObjectMeta by value.
func isObjectKind(s *types.Struct) bool {
	var typeMeta, objectMeta bool
	for i := 0; i < s.NumFields(); i++ {
		f := s.Field(i)
		if !f.Embedded() {
			continue
		}
		n, ok := types.Unalias(f.Type()).(*types.Named)
		if !ok || n.Obj().Pkg() == nil || n.Obj().Pkg().Path() != metaPath {
			continue
		}
		switch n.Obj().Name() {
		case "TypeMeta":
			typeMeta = true
		case "ObjectMeta":
			objectMeta = true
		}
	}
	return typeMeta && objectMeta
}

// sortedPlans returns the plans ordered by type name, which keeps the output stable when types
// move between files.
func sortedPlans(plans map[*types.TypeName]*plan) []*plan {
	out := make([]*plan, 0, len(plans))
	for _, p := range plans {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cand.obj.Name() < out[j].cand.obj.Name() })
	return out
}
