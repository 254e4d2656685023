package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"regexp"
	"slices"
	"strings"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command-line flags.
type options struct {
	quick bool
	out   string
	raw   string
	only  string
	root  string
	list  bool
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("report", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.BoolVar(&o.quick, "quick", false, "run every benchmark once instead of several times")
	fs.StringVar(&o.out, "o", "", "also write the report to this file")
	fs.StringVar(&o.raw, "raw", "", "write the raw benchmark output to this file")
	fs.StringVar(&o.only, "only", "", "run only the runs whose name matches this regular expression (see -list)")
	fs.StringVar(&o.root, "root", "", "the skiff repository (default: found above the current directory)")
	fs.BoolVar(&o.list, "list", false, "list the runs and the figures, and exit")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: go run ./cmd/report [flags]   (in skiff's bench module)\n\n"+
			"Runs every side-by-side benchmark and scale scenario and prints one markdown table.\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return o, nil
}

// run is the command; it returns the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if err == flag.ErrHelp {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 2
	}
	if err := validateSuite(runs, figures); err != nil {
		fmt.Fprintln(stderr, "report: the suite in suite.go is inconsistent:", err)
		return 2
	}
	if o.list {
		for _, r := range runs {
			fmt.Fprintf(stdout, "run %-20s %s (in %s)\n", r.Name, r.Command(r.Count), displayModule(r.Module))
		}
		for _, f := range figures {
			fmt.Fprintf(stdout, "figure %s ← %v\n", f.Name, f.Skiff)
		}
		return 0
	}
	selected, err := selectRuns(runs, o.only)
	if err != nil {
		fmt.Fprintln(stderr, "report: -only:", err)
		return 2
	}
	root := o.root
	if root == "" {
		if root, err = findRoot("."); err != nil {
			fmt.Fprintln(stderr, "report:", err)
			return 2
		}
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()

	var raw io.Writer
	if o.raw != "" {
		f, err := os.Create(o.raw)
		if err != nil {
			fmt.Fprintln(stderr, "report: -raw:", err)
			return 2
		}
		defer f.Close()
		raw = f
	}
	bin, err := os.MkdirTemp("", "skiff-report-")
	if err != nil {
		fmt.Fprintln(stderr, "report:", err)
		return 1
	}
	defer os.RemoveAll(bin)

	rep := Report{Machine: describeMachine(ctx, root, "go"), Quick: o.quick, Args: args}
	start := time.Now()
	rn := &Runner{Root: root, BinDir: bin, Log: stderr, Raw: raw}
	buildErrs := rn.Build(ctx, selected)
	rep.BuildTime = time.Since(start)
	results := make(Results)
	for i, r := range selected {
		count := r.Count
		if o.quick {
			count = 1
		}
		rr := RunRecord{Run: r, Count: count}
		if err := buildErrs[r.Name]; err != nil {
			rr.Err = err
			rep.Runs = append(rep.Runs, rr)
			fmt.Fprintf(stderr, "[%d/%d] %s: not built: %v\n", i+1, len(selected), r.Name, err)
			continue
		}
		fmt.Fprintf(stderr, "[%d/%d] %s: %s\n", i+1, len(selected), r.Name, r.Command(count))
		t0 := time.Now()
		res, err := rn.Exec(ctx, r, count)
		rr.Elapsed, rr.Err = time.Since(t0), err
		results.Add(r.Name, res...)
		rep.Runs = append(rep.Runs, rr)
		fmt.Fprintf(stderr, "        %d results in %v\n", len(res), rr.Elapsed.Round(100*time.Millisecond))
		if err != nil {
			fmt.Fprintf(stderr, "        error: %v\n", err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	for _, f := range figures {
		if selectedRun(selected, f.Skiff.Run) {
			rep.Rows = append(rep.Rows, Evaluate(f, results))
		}
	}
	rep.Total = time.Since(start)
	rep.Machine.LoadEnd = orUnknown(loadAverage("/proc/loadavg"))

	text := rep.Markdown()
	fmt.Fprint(stdout, text)
	status := 0
	if o.out != "" {
		if err := os.WriteFile(o.out, []byte(text), 0o644); err != nil {
			fmt.Fprintln(stderr, "report: -o:", err)
			status = 1
		}
	}
	if rep.Failed() {
		status = 1
	}
	return status
}

// selectRuns returns the runs whose name matches the expression (every run for "").
func selectRuns(all []Run, expr string) ([]Run, error) {
	if expr == "" {
		return all, nil
	}
	re, err := regexp.Compile(expr)
	if err != nil {
		return nil, err
	}
	var out []Run
	for _, r := range all {
		if re.MatchString(r.Name) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		var names []string
		for _, r := range all {
			names = append(names, r.Name)
		}
		return nil, fmt.Errorf("%q matches no run; runs are %s", expr, strings.Join(names, ", "))
	}
	return out, nil
}

func selectedRun(rs []Run, name string) bool {
	return slices.ContainsFunc(rs, func(r Run) bool { return r.Name == name })
}
