package main

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen/testdata/fixture"
)

var update = flag.Bool("update", false, "rewrite the golden file testdata/fixture/zz_generated.deepcopy.go")

const fixtureDir = "testdata/fixture"

// TestGolden compares a fresh run over the fixture with its checked-in output. That output is
// compiled into this test binary (the fixture is imported below), and
// api/internal/deepcopytest's tests check the copies it makes.
func TestGolden(t *testing.T) {
	got, err := generate(fixtureDir, "zz_generated.deepcopy.go")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join(fixtureDir, "zz_generated.deepcopy.go")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("generated code differs from %s; if the change is intended, run go test -update\n%s", golden, lineDiff(string(want), string(got)))
	}
	again, err := generate(fixtureDir, "zz_generated.deepcopy.go")
	if err != nil || !bytes.Equal(got, again) {
		t.Errorf("a second run gave different output (err %v)", err)
	}
}

// lineDiff shows the first line where two texts differ.
func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return "line " + strconv.Itoa(i+1) + ":\n  want: " + wl + "\n  got:  " + gl
		}
	}
	return ""
}

// TestFixtureMethods checks which methods the golden output gives each fixture type.
func TestFixtureMethods(t *testing.T) {
	var _ meta.Object = (*fixture.Widget)(nil)
	tests := []struct {
		typ  reflect.Type
		want []string // methods of *T among DeepCopyInto, DeepCopy, DeepCopyObject
	}{
		{reflect.TypeFor[fixture.Widget](), []string{"DeepCopyInto", "DeepCopy", "DeepCopyObject"}},
		{reflect.TypeFor[fixture.WidgetList](), []string{"DeepCopyInto", "DeepCopy"}},
		{reflect.TypeFor[fixture.ResourceList](), []string{"DeepCopyInto", "DeepCopy"}},
		{reflect.TypeFor[fixture.Custom](), []string{"DeepCopyInto", "DeepCopy"}}, // Into by hand
		{reflect.TypeFor[fixture.Opaque](), []string{"DeepCopyInto"}},             // by hand, opted out
		{reflect.TypeFor[fixture.Skipped](), nil},                                 // opted out
		{reflect.TypeFor[fixture.Pair[int]](), nil},                               // generic
		{reflect.TypeFor[fixture.Mode](), nil},                                    // basic
		{reflect.TypeFor[fixture.PartRef](), nil},                                 // named pointer
	}
	for _, tt := range tests {
		t.Run(tt.typ.String(), func(t *testing.T) {
			var got []string
			for _, name := range []string{"DeepCopyInto", "DeepCopy", "DeepCopyObject"} {
				if _, ok := reflect.PointerTo(tt.typ).MethodByName(name); ok {
					got = append(got, name)
				}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("methods = %v, want %v", got, tt.want)
			}
		})
	}
	if (*fixture.Widget)(nil).DeepCopyObject() != nil {
		t.Errorf("(*Widget)(nil).DeepCopyObject() is not a nil interface")
	}
	if fixture.ResourceList(nil).DeepCopy() != nil {
		t.Errorf("ResourceList(nil).DeepCopy() is not nil")
	}
}

// writeModule creates a module with skiff's module path in a temporary directory, holding a
// copy of api/meta and the given files (paths relative to the module root).
func writeModule(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	all := map[string]string{"go.mod": "module github.com/skiff-dev/skiff\n\ngo 1.26\n"}
	metaFiles, err := filepath.Glob("../../../api/meta/*.go")
	if err != nil || len(metaFiles) == 0 {
		t.Fatalf("api/meta not found: %v", err)
	}
	for _, f := range metaFiles {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all["api/meta/"+filepath.Base(f)] = string(b)
	}
	for k, v := range files {
		all[k] = v
	}
	for name, content := range all {
		path := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// typeCheck type-checks the package in dir, generated file included, and fails on any error.
func typeCheck(t *testing.T, dir string) {
	t.Helper()
	l, err := newLoader(dir)
	if err != nil {
		t.Fatal(err)
	}
	tg, err := l.loadTarget(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range tg.typeErrs {
		t.Errorf("type error: %v", e)
	}
}

// generateTo runs the tool on dir and fails the test on error.
func generateTo(t *testing.T, dir string) string {
	t.Helper()
	if err := run([]string{"-dir", dir}, io.Discard); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "zz_generated.deepcopy.go"))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestAnyOrder generates a package that uses another package's types before that package has
// been generated, then the other package, and checks that both compile.
func TestAnyOrder(t *testing.T) {
	root := writeModule(t, map[string]string{
		"b/b.go": `package b

type B struct{ S []string }

type List []string

type Plain struct{ N int }
`,
		"a/a.go": `package a

import (
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/b"
)

// A holds b's types in every way.
type A struct {
	meta.TypeMeta
	meta.ObjectMeta
	B     b.B
	P     *b.B
	M     map[string]b.B
	MP    map[string]*b.B
	L     b.List
	LL    []b.List
	ML    map[string]b.List
	Plain []b.Plain
	PP    *b.Plain
}

var _ meta.Object = (*A)(nil)
`,
	})
	a := generateTo(t, filepath.Join(root, "a"))
	for _, want := range []string{
		"in.B.DeepCopyInto(&out.B)",
		"*out = (*in).DeepCopy()",
		"(*out)[key] = *val.DeepCopy()",
		"in.L.DeepCopyInto(&out.L)",
		"(*out)[key] = val.DeepCopy()",
		"func (in *A) DeepCopyObject() meta.Object {",
	} {
		if !strings.Contains(a, want) {
			t.Errorf("a's output lacks %q:\n%s", want, a)
		}
	}
	generateTo(t, filepath.Join(root, "b"))
	typeCheck(t, filepath.Join(root, "a"))
	typeCheck(t, filepath.Join(root, "b"))
}

// TestImportNames checks that an import name never collides with the package's own names.
func TestImportNames(t *testing.T) {
	root := writeModule(t, map[string]string{
		"q/q.go":           "package q\n\nimport \"github.com/skiff-dev/skiff/one/util\"\n\n// T names util only through a pointer.\ntype T struct{ P *util.T }\n",
		"one/util/util.go": "package util\n\n// T holds a slice.\ntype T struct{ S []int }\n",
		"two/util/util.go": "package util\n\n// T holds a slice.\ntype T struct{ S []int }\n",
		"p/p.go": `package p

import (
	m "github.com/skiff-dev/skiff/api/meta"
	u1 "github.com/skiff-dev/skiff/one/util"
	u2 "github.com/skiff-dev/skiff/two/util"
)

const meta = 1

// Thing is an object kind with JSON-like values.
type Thing struct {
	m.TypeMeta
	m.ObjectMeta
	Data map[string]any
	When *m.Time
	B    []u2.T
	A    []u1.T
}
`,
	})
	dir := filepath.Join(root, "p")
	out := generateTo(t, dir)
	for _, want := range []string{
		`meta2 "github.com/skiff-dev/skiff/api/meta"`,
		`util2 "github.com/skiff-dev/skiff/one/util"`,
		`"github.com/skiff-dev/skiff/two/util"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want import %s:\n%s", want, out)
		}
	}
	typeCheck(t, dir)

	q := filepath.Join(root, "q")
	if out := generateTo(t, q); strings.Contains(out, "import") {
		t.Errorf("a package the output does not name was imported:\n%s", out)
	}
	typeCheck(t, q)
}

// TestLocalNames checks that the generated loop variables never hide the package's own types.
func TestLocalNames(t *testing.T) {
	root := writeModule(t, map[string]string{
		"p/p.go": `package p

type key string

type i int

type val struct{ P *i }

// T uses the types inside nested loops.
type T struct {
	M map[string]map[key]i
	S [][]i
	V map[key][]val
	A [2][]key
}
`,
	})
	dir := filepath.Join(root, "p")
	out := generateTo(t, dir)
	if !strings.Contains(out, "for key_, val_ := range") || !strings.Contains(out, "for i_ := range") {
		t.Errorf("want renamed loop variables:\n%s", out)
	}
	typeCheck(t, dir)
}

func TestRunFiles(t *testing.T) {
	root := writeModule(t, map[string]string{
		"p/p.go": "package p\n\n// T is copied.\ntype T struct{ S []string }\n",
	})
	dir := filepath.Join(root, "p")
	out := filepath.Join(dir, "zz_generated.deepcopy.go")
	generateTo(t, dir)
	if err := run([]string{"-dir", dir, "-check"}, io.Discard); err != nil {
		t.Errorf("-check on fresh output: %v", err)
	}
	if err := os.WriteFile(out, []byte(header+"\npackage p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-dir", dir, "-check"}, io.Discard); !errors.Is(err, errStale) {
		t.Errorf("-check on stale output: %v, want errStale", err)
	}

	// Without types to generate for, the tool removes its old output but nothing else.
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte("package p\n\ntype t int\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-dir", dir, "-check"}, io.Discard); !errors.Is(err, errStale) {
		t.Errorf("-check with output that should be gone: %v, want errStale", err)
	}
	if err := run([]string{"-dir", dir}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(out); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("old output not removed: %v", err)
	}
	other := filepath.Join(dir, "other.go")
	if err := os.WriteFile(other, []byte("package p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run([]string{"-dir", dir, "-o", "other.go"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(other); err != nil {
		t.Errorf("a file the tool did not write was removed: %v", err)
	}
}

func TestRunArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-o", "x/y.go"}, "want a file name"},
		{[]string{"extra"}, "unexpected arguments"},
		{[]string{"-nope"}, "flag provided but not defined"},
		{[]string{"-dir", "/"}, "no go.mod"},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			err := run(tt.args, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("run(%q) = %v, want an error containing %q", tt.args, err, tt.want)
			}
		})
	}
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "channel",
			src:  "type T struct{ C chan int }",
			want: []string{"p.go:5:16: T.C: type chan int cannot be deep-copied"},
		},
		{
			name: "function in a slice",
			src:  "type T struct{ F []func() }",
			want: []string{"T.F[i]: type func() cannot be deep-copied"},
		},
		{
			name: "interface without DeepCopyObject",
			src:  "type I interface{ M() }\n\ntype T struct{ X I }",
			want: []string{"T.X: interface type I has no DeepCopyObject method"},
		},
		{
			name: "opted-out type in use",
			src:  "// +skiff:deepcopy=false\ntype U struct{ P *int }\n\ntype T struct{ U U }",
			want: []string{"T.U: type U opts out with +skiff:deepcopy=false but needs a deep copy"},
		},
		{
			name: "unknown directive",
			src:  "// +skiff:deepcopy=no\ntype T struct{}",
			want: []string{`unknown directive "+skiff:deepcopy=no"`},
		},
		{
			name: "foreign struct without DeepCopyInto",
			src:  "type T struct{ N *big.Int }",
			want: []string{"T.N: type big.Int needs a deep copy but has no DeepCopyInto method"},
		},
		{
			name: "hand-written DeepCopyInto with the wrong signature",
			src:  "type U struct{ P *int }\n\nfunc (in *U) DeepCopyInto(out U) {}\n\ntype T struct{ U U }",
			want: []string{"T.U: U.DeepCopyInto has signature func(out U), want func(out *U)"},
		},
		{
			name: "unresolved type",
			src:  "type T struct{ X Missing }",
			want: []string{"T.X: invalid type", "undefined: Missing"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := writeModule(t, map[string]string{
				"p/p.go": "package p\n\nimport \"math/big\"\n\n" + tt.src + "\n\nvar _ big.Int\n",
			})
			_, err := generate(filepath.Join(root, "p"), "zz_generated.deepcopy.go")
			if err == nil {
				t.Fatal("generate succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error:\n%v\nwant it to contain %q", err, w)
				}
			}
			if _, statErr := os.Stat(filepath.Join(root, "p", "zz_generated.deepcopy.go")); statErr == nil {
				t.Errorf("output written despite errors")
			}
		})
	}
}

// TestQuantityByValue checks that resource.Quantity, whose big mantissa is never mutated, is
// copied by assignment, so that a map of quantities is cloned.
func TestQuantityByValue(t *testing.T) {
	root := writeModule(t, map[string]string{
		"api/resource/q.go": `package resource

import "math/big"

type Quantity struct{ b *big.Int }

func (q Quantity) DeepCopy() Quantity { return q }

func (q *Quantity) DeepCopyInto(out *Quantity) { *out = *q }
`,
		"a/a.go": `package a

import "github.com/skiff-dev/skiff/api/resource"

type ResourceList map[string]resource.Quantity

type Sel struct{ Divisor resource.Quantity }

type T struct {
	L ResourceList
	S *Sel
	Q *resource.Quantity
}
`,
	})
	a := generateTo(t, filepath.Join(root, "a"))
	for _, want := range []string{
		"*out = maps.Clone(in)",
		"*out = new(Sel)\n\t\t**out = **in",
		"*out = new(resource.Quantity)\n\t\t**out = **in",
	} {
		if !strings.Contains(a, want) {
			t.Errorf("output lacks %q:\n%s", want, a)
		}
	}
	if strings.Contains(a, "Divisor") {
		t.Errorf("output copies Divisor explicitly:\n%s", a)
	}
	typeCheck(t, filepath.Join(root, "a"))
}
