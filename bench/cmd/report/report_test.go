package main

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestSuite checks suite.go: every run valid and named once, every figure reading a run
// that exists, with skiff and peer from one run, and a benchmark its -bench pattern selects;
// and every run read by some figure.
func TestSuite(t *testing.T) {
	if err := validateSuite(runs, figures); err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if !slices.ContainsFunc(figures, func(f Figure) bool { return f.Skiff.Run == r.Name }) {
			t.Errorf("run %q feeds no figure", r.Name)
		}
	}
}

func TestValidateSuiteCatches(t *testing.T) {
	baseRuns := []Run{
		{Name: "a", Pkg: "./x", Bench: "^BenchmarkScale$/startup=0s", Benchtime: "1x", Count: 1, Timeout: time.Minute},
		{Name: "b", Module: "bench", Pkg: ".", Bench: "^(BenchmarkQueue|BenchmarkRate)$", Benchtime: "1x", Count: 3, Timeout: time.Minute},
	}
	baseFigs := []Figure{
		{Name: "scale", Skiff: m("a", "BenchmarkScale/nodes=10,startup=0s", "s"), Show: "s"},
		{Name: "queue", Skiff: m("b", "BenchmarkQueue/impl=skiff", "ns/op"), Peer: m("b", "BenchmarkQueue/impl=client-go", "ns/op"), Show: "ns"},
	}
	if err := validateSuite(baseRuns, baseFigs); err != nil {
		t.Fatalf("valid suite refused: %v", err)
	}
	for _, tc := range []struct {
		name    string
		edit    func(rs []Run, fs []Figure) ([]Run, []Figure)
		wantErr string
	}{
		{"duplicate run", func(rs []Run, fs []Figure) ([]Run, []Figure) { rs[1].Name = "a"; return rs, fs }, `run name "a" used twice`},
		{"invalid run", func(rs []Run, fs []Figure) ([]Run, []Figure) { rs[0].Count = 0; return rs, fs }, `run "a": Count 0 is below 1`},
		{"unknown run", func(rs []Run, fs []Figure) ([]Run, []Figure) { fs[0].Skiff.Run = "zz"; return rs, fs }, `no run named "zz"`},
		{"not selected", func(rs []Run, fs []Figure) ([]Run, []Figure) {
			fs[0].Skiff.Bench = "BenchmarkScale/nodes=10,startup=1s"
			return rs, fs
		}, `does not select BenchmarkScale/nodes=10,startup=1s`},
		{"renamed top level", func(rs []Run, fs []Figure) ([]Run, []Figure) {
			fs[1].Peer.Bench = "BenchmarkQueues/impl=client-go"
			return rs, fs
		}, "does not select BenchmarkQueues/impl=client-go"},
		{"peer from another run", func(rs []Run, fs []Figure) ([]Run, []Figure) {
			fs[0].Peer = m("b", "BenchmarkRate", "ns/op")
			return rs, fs
		}, `Peer comes from run "b" and Skiff from "a"`},
		{"bad pattern", func(rs []Run, fs []Figure) ([]Run, []Figure) { rs[0].Bench = "("; return rs, fs }, `run "a": Bench "("`},
		{"invalid figure", func(rs []Run, fs []Figure) ([]Run, []Figure) { fs[1].Show = ""; return rs, fs }, "Show (the unit to display) is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs, fs := tc.edit(slices.Clone(baseRuns), slices.Clone(baseFigs))
			if err := validateSuite(rs, fs); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestRunValidate(t *testing.T) {
	ok := Run{Name: "a", Pkg: "./x", Bench: ".", Benchtime: "1x", Count: 1, Timeout: time.Minute, Env: []string{"K=v"}}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid run refused: %v", err)
	}
	for _, tc := range []struct {
		name    string
		edit    func(*Run)
		wantErr string
	}{
		{"no name", func(r *Run) { r.Name = "" }, "Name is empty"},
		{"no package", func(r *Run) { r.Pkg = "" }, `run "a": Pkg is empty`},
		{"absolute package", func(r *Run) { r.Pkg = "/tmp/x" }, "Module and Pkg must be relative"},
		{"no pattern", func(r *Run) { r.Bench = "" }, "Bench is empty"},
		{"no benchtime", func(r *Run) { r.Benchtime = "" }, "Benchtime is empty"},
		{"no timeout", func(r *Run) { r.Timeout = 0 }, "Timeout 0s is not positive"},
		{"bad env", func(r *Run) { r.Env = []string{"K=v", "novalue"} }, `Env[1] "novalue" is not KEY=value`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := ok
			tc.edit(&r)
			if err := r.Validate(); err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestBenchSelects(t *testing.T) {
	for _, tc := range []struct {
		pattern, name string
		want          bool
	}{
		{"^BenchmarkScale$", "BenchmarkScale/replicas=10000,nodes=100", true},
		{"^BenchmarkScale$", "BenchmarkScaleUp", false},
		{"^BenchmarkScale$/startup=0s", "BenchmarkScale/nodes=1000,pods=30000,startup=0s", true},
		{"^BenchmarkScale$/startup=0s", "BenchmarkScale/nodes=1000,pods=30000,startup=1s", false},
		{"^(BenchmarkQueue|BenchmarkRateLimited)$", "BenchmarkRateLimited/d=ratelimited/impl=skiff", true},
		{"Informer(Sync|Pipeline)", "BenchmarkInformerSyncOnly/impl=skiff", true},
		{"^BenchmarkInformer(Sync|Pipeline)$", "BenchmarkInformerSyncOnly/impl=skiff", false},
		{"[/]x", "a/x", false}, // the slash in brackets does not split levels
		{`a\/b`, "a/b", false}, // neither does an escaped one
		{"Q/impl=skiff/deeper", "BenchmarkQ/impl=skiff", true},
	} {
		got, err := benchSelects(tc.pattern, tc.name)
		if err != nil {
			t.Fatalf("benchSelects(%q, %q): %v", tc.pattern, tc.name, err)
		}
		if got != tc.want {
			t.Errorf("benchSelects(%q, %q) = %v, want %v", tc.pattern, tc.name, got, tc.want)
		}
	}
}

func TestSplitPattern(t *testing.T) {
	for in, want := range map[string][]string{
		"a":            {"a"},
		"a/b":          {"a", "b"},
		"(a/b)/c":      {"(a/b)", "c"},
		"[/]/x":        {"[/]", "x"},
		`a\/b/c`:       {`a\/b`, "c"},
		"^Bench$/x=1/": {"^Bench$", "x=1", ""},
	} {
		if got := splitPattern(in); !slices.Equal(got, want) {
			t.Errorf("splitPattern(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestReportMarkdown(t *testing.T) {
	res := results(map[string]map[string][]float64{"BenchmarkS": {"s": {4, 5, 6}}})
	rep := Report{
		Machine: Machine{Date: time.Date(2026, 11, 24, 21, 40, 0, 0, time.UTC), GoVersion: "go1.26.8", CPU: "AMD EPYC",
			Cores: 2, GOMAXPROCS: 2, OS: "linux", Arch: "amd64", Load: "1.10 2.00 1.50", LoadEnd: "0.50 1.00 1.00", Commit: "abc1234"},
		Args: []string{"-o", "../docs/PERFORMANCE.md"},
		Rows: []Row{
			Evaluate(Figure{Name: "scale", Skiff: m("r", "BenchmarkS", "s"), Show: "s", Targets: []Target{{Below, 10}}}, res),
			Evaluate(Figure{Name: "lost", Skiff: m("r", "BenchmarkLost", "s"), Show: "s"}, res),
		},
		Runs: []RunRecord{
			{Run: Run{Name: "r", Pkg: "./x", Bench: "^(A|B)$", Benchtime: "1x", Count: 3}, Count: 3, Elapsed: 61500 * time.Millisecond},
			{Run: Run{Name: "broken", Module: "bench", Pkg: ".", Bench: "C", Benchtime: "1x", Count: 3}, Count: 1, Err: errors.New("exit status 1\n--- FAIL: C")},
		},
		BuildTime: 30 * time.Second, Total: 5*time.Minute + 2*time.Second,
	}
	got := rep.Markdown()
	for _, want := range []string{
		"- date: 2026-11-24 21:40 UTC\n",
		"- machine: AMD EPYC, 2 cores (GOMAXPROCS 2), linux/amd64; load average 1.10 2.00 1.50 at the start, 0.50 1.00 1.00 at the end\n",
		"- Go: go1.26.8; commit abc1234\n",
		"- command: `go run ./cmd/report -o ../docs/PERFORMANCE.md` in `bench/`; took 5m2s (of which building the test binaries 30s)\n",
		"| scale | 5.00 s |  |  | < 10 s | yes |\n",
		"| lost | — |  |  |  | no result |\n",
		"| r | `go test -run '^$' -bench '^(A\\|B)$' -benchtime 1x -count 3 ./x` | skiff | 1m1.5s | ok |\n",
		"| broken | `go test -run '^$' -bench 'C' -benchtime 1x -count 1 .` | bench | 0s | **failed** |\n",
		"## Failures\n\n### broken\n\n```\nexit status 1\n--- FAIL: C\n```\n",
		"- lost: no value for r: BenchmarkLost s\n",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("report lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "busy") {
		t.Errorf("a report with load below the core count calls the machine busy:\n%s", got)
	}
	if !rep.Failed() {
		t.Error("Failed() = false with a failed run")
	}
	rep.Machine.LoadEnd = "2.50 1.00 1.00"
	if got := rep.Markdown(); !strings.Contains(got, "- the machine was busy with other work (load above its 2 cores)") {
		t.Errorf("a report with load 2.5 on 2 cores does not call the machine busy:\n%s", got)
	}
	rep.Runs, rep.Rows = rep.Runs[:1], rep.Rows[:1]
	if rep.Failed() {
		t.Error("Failed() = true with every run ok and every figure measured")
	}
	rep.Quick = true
	if got := rep.Markdown(); !strings.Contains(got, "-quick: every benchmark ran once") {
		t.Errorf("a -quick report does not say so:\n%s", got)
	}
}
