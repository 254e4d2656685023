package main

import (
	"bufio"
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// target is the type-checked package that code is generated for.
type target struct {
	dir   string
	fset  *token.FileSet
	pkg   *types.Package
	files []*ast.File // every file that was type-checked, generated ones included
	// handWritten holds the files whose types are candidates for generation: not generated
	// and not the output file.
	handWritten []*ast.File
	// typeErrs are the type checker's complaints about the target package. Most are harmless
	// (a compile-time assertion that needs the methods this tool is about to write); they are
	// reported only when a field's type cannot be resolved.
	typeErrs []error
}

// loader type-checks a package and, from source, the packages of its module it imports. Standard
// library packages come from the compiler's export data. Errors in imported packages are
// ignored: only declarations matter here, and a half-edited neighbour should not stop
// generation for a package whose own types are fine.
type loader struct {
	fset    *token.FileSet
	modPath string // module path from go.mod
	modRoot string // directory holding go.mod
	std     types.Importer
	pkgs    map[string]*types.Package
	loading map[string]bool // import cycle guard
}

func newLoader(dir string) (*loader, error) {
	root, path, err := findModule(dir)
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	return &loader{
		fset:    fset,
		modPath: path,
		modRoot: root,
		std:     importer.ForCompiler(fset, "gc", nil),
		pkgs:    map[string]*types.Package{},
		loading: map[string]bool{},
	}, nil
}

// findModule walks up from dir to the nearest go.mod and returns its directory and module path.
func findModule(dir string) (root, modPath string, err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	for d := abs; ; {
		f, err := os.Open(filepath.Join(d, "go.mod"))
		if err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				line := strings.TrimSpace(sc.Text())
				if rest, ok := strings.CutPrefix(line, "module"); ok && (rest == "" || rest[0] == ' ' || rest[0] == '\t') {
					rest, _, _ = strings.Cut(rest, "//")
					rest = strings.TrimSpace(rest)
					if p, err := strconv.Unquote(rest); err == nil {
						rest = p
					}
					if rest != "" {
						return d, rest, nil
					}
				}
			}
			return "", "", fmt.Errorf("%s: no module line", filepath.Join(d, "go.mod"))
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", "", fmt.Errorf("no go.mod found above %s", abs)
		}
		d = parent
	}
}

// importPath returns the import path of the package in dir.
func (l *loader) importPath(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	rel, err := filepath.Rel(l.modRoot, abs)
	if err != nil {
		return "", err
	}
	if rel == "." {
		return l.modPath, nil
	}
	return l.modPath + "/" + filepath.ToSlash(rel), nil
}

// Import implements types.Importer.
func (l *loader) Import(path string) (*types.Package, error) {
	if p, ok := l.pkgs[path]; ok {
		return p, nil
	}
	if path == "unsafe" {
		return types.Unsafe, nil
	}
	if l.loading[path] {
		return nil, fmt.Errorf("import cycle through %s", path)
	}
	var (
		p   *types.Package
		err error
	)
	switch {
	case path == l.modPath || strings.HasPrefix(path, l.modPath+"/"):
		p, err = l.checkDir(path, filepath.Join(l.modRoot, filepath.FromSlash(strings.TrimPrefix(path, l.modPath))))
	case isStd(path):
		p, err = l.std.Import(path)
	default:
		// A dependency module: find its directory through the go command, then read it from
		// source like a package of this module.
		var bp *build.Package
		bp, err = build.Default.Import(path, l.modRoot, build.FindOnly)
		if err == nil {
			p, err = l.checkDir(path, bp.Dir)
		}
	}
	if err != nil {
		return nil, err
	}
	l.pkgs[path] = p
	return p, nil
}

// isStd reports whether path names a standard library package: its first element has no dot.
func isStd(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// checkDir type-checks an imported package from source, ignoring function bodies and errors.
func (l *loader) checkDir(path, dir string) (*types.Package, error) {
	l.loading[path] = true
	defer delete(l.loading, path)
	files, err := l.parseDir(dir, "")
	if err != nil {
		return nil, err
	}
	conf := types.Config{Importer: l, IgnoreFuncBodies: true, Error: func(error) {}}
	p, _ := conf.Check(path, l.fset, files, nil)
	return p, nil
}

// parseDir parses the non-test Go files of dir that match the build context, leaving out the
// file named skip.
func (l *loader) parseDir(dir, skip string) ([]*ast.File, error) {
	bp, err := build.Default.ImportDir(dir, 0)
	if err != nil {
		var noGo *build.NoGoError
		if !errors.As(err, &noGo) {
			return nil, err
		}
	}
	var files []*ast.File
	for _, name := range bp.GoFiles {
		if name == skip {
			continue
		}
		f, err := parser.ParseFile(l.fset, filepath.Join(dir, name), nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	return files, nil
}

// loadTarget parses and type-checks the package in dir, leaving out the output file.
func (l *loader) loadTarget(dir, output string) (*target, error) {
	path, err := l.importPath(dir)
	if err != nil {
		return nil, err
	}
	files, err := l.parseDir(dir, output)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, fmt.Errorf("%s: no Go files besides %s", dir, output)
	}
	t := &target{dir: dir, fset: l.fset, files: files}
	for _, f := range files {
		if !ast.IsGenerated(f) {
			t.handWritten = append(t.handWritten, f)
		}
	}
	conf := types.Config{
		Importer:         l,
		IgnoreFuncBodies: true,
		Error:            func(err error) { t.typeErrs = append(t.typeErrs, err) },
	}
	l.loading[path] = true
	t.pkg, _ = conf.Check(path, l.fset, files, nil)
	delete(l.loading, path)
	l.pkgs[path] = t.pkg
	return t, nil
}
