package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Run is one `go test -bench` invocation of the report: one package, one benchmark pattern,
// repeated Count times (once with -quick).
type Run struct {
	Name      string        // how figures refer to its results; unique
	Module    string        // module directory relative to the repository root: "" or "bench"
	Pkg       string        // package directory relative to the module, e.g. "./store/boltstore"
	Bench     string        // the -bench pattern
	Benchtime string        // the -benchtime value, e.g. "1x" or "500ms"
	Count     int           // repetitions; medians are taken over them
	Timeout   time.Duration // the whole invocation is killed after this long
	Env       []string      // extra environment, KEY=value
}

// Validate reports the first thing wrong with r, naming the field.
func (r Run) Validate() error {
	switch {
	case r.Name == "":
		return fmt.Errorf("run %s %s: Name is empty", r.Pkg, r.Bench)
	case r.Pkg == "":
		return fmt.Errorf("run %q: Pkg is empty", r.Name)
	case filepath.IsAbs(r.Pkg) || filepath.IsAbs(r.Module):
		return fmt.Errorf("run %q: Module and Pkg must be relative, got %q and %q", r.Name, r.Module, r.Pkg)
	case r.Bench == "":
		return fmt.Errorf("run %q: Bench is empty", r.Name)
	case r.Benchtime == "":
		return fmt.Errorf("run %q: Benchtime is empty", r.Name)
	case r.Count < 1:
		return fmt.Errorf("run %q: Count %d is below 1", r.Name, r.Count)
	case r.Timeout <= 0:
		return fmt.Errorf("run %q: Timeout %v is not positive", r.Name, r.Timeout)
	}
	for i, kv := range r.Env {
		if k, _, ok := strings.Cut(kv, "="); !ok || k == "" {
			return fmt.Errorf("run %q: Env[%d] %q is not KEY=value", r.Name, i, kv)
		}
	}
	return nil
}

// Command is the `go test` command line equivalent to the run, to be typed in its module
// directory.
func (r Run) Command(count int) string {
	var b strings.Builder
	for _, kv := range r.Env {
		b.WriteString(kv + " ")
	}
	fmt.Fprintf(&b, "go test -run '^$' -bench '%s' -benchtime %s -count %d %s", r.Bench, r.Benchtime, count, r.Pkg)
	return b.String()
}

// binName is the file name `go test -c -o DIR/` gives the run's test binary: the last
// element of the package's path, plus .test.
func (r Run) binName(root string) string {
	return filepath.Base(filepath.Join(root, r.Module, r.Pkg)) + ".test"
}

// Runner builds test binaries and runs benchmarks in them.
type Runner struct {
	Root   string    // the repository root (module github.com/skiff-dev/skiff)
	BinDir string    // where test binaries are built; one subdirectory per module
	Log    io.Writer // progress; never nil
	Raw    io.Writer // every benchmark's raw output, if not nil
	Go     string    // the go command; "go" if empty
}

func (rn *Runner) goCmd() string {
	if rn.Go == "" {
		return "go"
	}
	return rn.Go
}

// binDir is where the test binaries of module mod go.
func (rn *Runner) binDir(mod string) string {
	if mod == "" {
		mod = "root"
	}
	return filepath.Join(rn.BinDir, strings.ReplaceAll(mod, string(filepath.Separator), "_"))
}

// Build compiles the test binary of every run's package, one `go test -c` per module so
// that the go command builds them in parallel. If a module's build fails, its packages are
// built one at a time so that one broken package costs only its own runs. The result maps
// each run name whose package could not be built to the error.
func (rn *Runner) Build(ctx context.Context, runs []Run) map[string]error {
	failed := make(map[string]error)
	var modules []string
	pkgs := make(map[string][]string)
	for _, r := range runs {
		if _, ok := pkgs[r.Module]; !ok {
			modules = append(modules, r.Module)
		}
		if !slices.Contains(pkgs[r.Module], r.Pkg) {
			pkgs[r.Module] = append(pkgs[r.Module], r.Pkg)
		}
	}
	pkgErr := make(map[[2]string]error)
	for _, mod := range modules {
		dir := rn.binDir(mod)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			for _, p := range pkgs[mod] {
				pkgErr[[2]string{mod, p}] = err
			}
			continue
		}
		if err := rn.goTestC(ctx, mod, dir, pkgs[mod]...); err == nil {
			continue
		}
		for _, p := range pkgs[mod] {
			if err := rn.goTestC(ctx, mod, dir, p); err != nil {
				pkgErr[[2]string{mod, p}] = err
			}
		}
	}
	for _, r := range runs {
		if err := pkgErr[[2]string{r.Module, r.Pkg}]; err != nil {
			failed[r.Name] = err
		} else if _, err := os.Stat(filepath.Join(rn.binDir(r.Module), r.binName(rn.Root))); err != nil {
			failed[r.Name] = fmt.Errorf("test binary of %s not built (no test files?): %w", r.Pkg, err)
		}
	}
	return failed
}

// goTestC runs `go test -c -o dir/ pkgs...` in module mod.
func (rn *Runner) goTestC(ctx context.Context, mod, dir string, pkgs ...string) error {
	args := append([]string{"test", "-c", "-o", dir + string(filepath.Separator)}, pkgs...)
	cmd := exec.CommandContext(ctx, rn.goCmd(), args...)
	cmd.Dir = filepath.Join(rn.Root, mod)
	start := time.Now()
	out, err := cmd.CombinedOutput()
	fmt.Fprintf(rn.Log, "build %s: go %s (%v)\n", displayModule(mod), strings.Join(args, " "), time.Since(start).Round(100*time.Millisecond))
	if err != nil {
		return fmt.Errorf("go test -c %s in %s: %w\n%s", strings.Join(pkgs, " "), cmd.Dir, err, out)
	}
	return nil
}

func displayModule(mod string) string {
	if mod == "" {
		return "skiff"
	}
	return mod
}

// Exec runs r's benchmarks count times in its test binary, from the package's directory as
// `go test` would, and returns the parsed results. On failure (a non-zero exit, the
// timeout) it returns whatever results were printed before, and an error carrying the end
// of the output.
func (rn *Runner) Exec(ctx context.Context, r Run, count int) ([]Result, error) {
	ctx, cancel := context.WithTimeout(ctx, r.Timeout)
	defer cancel()
	bin := filepath.Join(rn.binDir(r.Module), r.binName(rn.Root))
	cmd := exec.CommandContext(ctx, bin,
		"-test.run", "^$", "-test.bench", r.Bench, "-test.benchtime", r.Benchtime,
		"-test.count", strconv.Itoa(count), "-test.timeout", (r.Timeout + time.Minute).String())
	cmd.Dir = filepath.Join(rn.Root, r.Module, r.Pkg)
	cmd.Env = append(os.Environ(), r.Env...)
	cmd.WaitDelay = 5 * time.Second
	var out bytes.Buffer
	w := io.Writer(&out)
	if rn.Raw != nil {
		fmt.Fprintf(rn.Raw, "# %s: %s\n", r.Name, r.Command(count))
		w = io.MultiWriter(&out, rn.Raw)
	}
	cmd.Stdout, cmd.Stderr = w, w
	runErr := cmd.Run()
	res, parseErr := ParseOutput(bytes.NewReader(out.Bytes()))
	if ctx.Err() == context.DeadlineExceeded {
		runErr = fmt.Errorf("killed after the run's timeout of %v", r.Timeout)
	}
	if runErr != nil {
		return res, fmt.Errorf("%s: %w\n%s", r.Name, runErr, tail(out.String(), 20))
	}
	if parseErr != nil {
		return res, fmt.Errorf("%s: %w", r.Name, parseErr)
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("%s: no benchmark matched %q\n%s", r.Name, r.Bench, tail(out.String(), 20))
	}
	return res, nil
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// errNoRoot is returned by findRoot when no directory above the start holds skiff's go.mod.
var errNoRoot = errors.New("no directory with the go.mod of module github.com/skiff-dev/skiff above the current one (use -root)")

// findRoot walks up from dir to the repository root: the directory whose go.mod declares
// module github.com/skiff-dev/skiff.
func findRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && modulePath(data) == "github.com/skiff-dev/skiff" {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errNoRoot
		}
		dir = parent
	}
}

// modulePath returns the module path a go.mod declares, or "".
func modulePath(gomod []byte) string {
	for line := range strings.SplitSeq(string(gomod), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}
