package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunnerFakeBench builds the benchmarks of testdata/fakebench (a module of its own) and
// runs them through the Runner: results of sub-benchmarks with custom units, repetitions,
// extra environment, a chatty benchmark, a failing one and one that must be killed.
func TestRunnerFakeBench(t *testing.T) {
	root, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	var log, raw bytes.Buffer
	rn := &Runner{Root: root, BinDir: t.TempDir(), Log: &log, Raw: &raw}
	base := Run{Module: "fakebench", Pkg: ".", Benchtime: "3x", Count: 2, Timeout: time.Minute}
	speed, chatty, fail, hang := base, base, base, base
	speed.Name, speed.Bench, speed.Env = "speed", "^BenchmarkSpeed$", []string{"FAKEBENCH_FACTOR=2"}
	chatty.Name, chatty.Bench = "chatty", "^BenchmarkChatty$"
	fail.Name, fail.Bench = "fail", "^BenchmarkFail$"
	hang.Name, hang.Bench, hang.Timeout = "hang", "^BenchmarkHang$", time.Second
	missing := base
	missing.Name, missing.Pkg, missing.Bench = "missing", "./nosuchpkg", "."

	ctx := context.Background()
	buildErrs := rn.Build(ctx, []Run{speed, chatty, fail, hang, missing})
	if err := buildErrs["missing"]; err == nil {
		t.Error("a run of a package that does not exist built without error")
	}
	for _, name := range []string{"speed", "chatty", "fail", "hang"} {
		if err := buildErrs[name]; err != nil {
			t.Fatalf("build of %s: %v\n%s", name, err, log.String())
		}
	}

	res, err := rn.Exec(ctx, speed, speed.Count)
	if err != nil {
		t.Fatal(err)
	}
	all := make(Results)
	all.Add("speed", res...)
	fig := Figure{Name: "speed", Skiff: m("speed", "BenchmarkSpeed/impl=skiff", "widgets/s"),
		Peer: m("speed", "BenchmarkSpeed/impl=client-go", "widgets/s"), Higher: true, Show: "widgets/s",
		Targets: []Target{{RatioAtLeast, 3}, {AtLeast, 6000}}}
	row := Evaluate(fig, all)
	if row.SkiffN != 2 || row.SkiffValue != 6000 || row.PeerValue != 2000 || row.Ratio != 3 || row.verdict() != "yes" {
		t.Errorf("row %+v, want 2 runs, 6000 against 2000, ratio 3, met", row)
	}
	if !strings.Contains(raw.String(), "# speed: FAKEBENCH_FACTOR=2 go test -run '^$' -bench '^BenchmarkSpeed$' -benchtime 3x -count 2 .") ||
		!strings.Contains(raw.String(), "a log line that is not a result") {
		t.Errorf("raw output lacks the command or the benchmark's log:\n%s", raw.String())
	}

	res, err = rn.Exec(ctx, chatty, 1)
	if err != nil || len(res) != 1 || res[0].Metrics["things/op"] != 7 {
		t.Errorf("chatty: %+v, %v; want one result of 7 things/op", res, err)
	}

	if _, err := rn.Exec(ctx, fail, 1); err == nil || !strings.Contains(err.Error(), "broken on purpose") {
		t.Errorf("failing benchmark: error %v, want one quoting its failure", err)
	}

	start := time.Now()
	_, err = rn.Exec(ctx, hang, 1)
	if err == nil || !strings.Contains(err.Error(), "killed after the run's timeout of 1s") {
		t.Errorf("hanging benchmark: error %v, want the timeout", err)
	}
	if d := time.Since(start); d > 30*time.Second {
		t.Errorf("hanging benchmark ran %v after its 1s timeout", d)
	}

	none := base
	none.Name, none.Bench = "none", "^BenchmarkNoSuch$"
	if _, err := rn.Exec(ctx, none, 1); err == nil || !strings.Contains(err.Error(), `no benchmark matched "^BenchmarkNoSuch$"`) {
		t.Errorf("pattern matching nothing: error %v", err)
	}
}

func TestFindRoot(t *testing.T) {
	dir := t.TempDir()
	deep := filepath.Join(dir, "bench", "cmd", "report")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(path, text string) {
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(dir, "bench", "go.mod"), "module github.com/skiff-dev/skiff/bench\n")
	if _, err := findRoot(deep); err != errNoRoot {
		t.Fatalf("findRoot without skiff's go.mod: %v, want errNoRoot", err)
	}
	write(filepath.Join(dir, "go.mod"), "// skiff\nmodule \"github.com/skiff-dev/skiff\"\n\ngo 1.26\n")
	for _, start := range []string{deep, dir} {
		got, err := findRoot(start)
		if err != nil || got != dir {
			t.Errorf("findRoot(%s) = %q, %v; want %q", start, got, err, dir)
		}
	}
}

func TestMachineFiles(t *testing.T) {
	dir := t.TempDir()
	cpuinfo := filepath.Join(dir, "cpuinfo")
	if err := os.WriteFile(cpuinfo, []byte("processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	loadavg := filepath.Join(dir, "loadavg")
	if err := os.WriteFile(loadavg, []byte("3.12 2.03 3.44 3/512 12345\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got := cpuModel(cpuinfo); got != "AMD EPYC 7B13" {
		t.Errorf("cpuModel = %q", got)
	}
	if got := loadAverage(loadavg); got != "3.12 2.03 3.44" {
		t.Errorf("loadAverage = %q", got)
	}
	if got := cpuModel(filepath.Join(dir, "none")); got != "" {
		t.Errorf("cpuModel of a missing file = %q, want empty", got)
	}
}
