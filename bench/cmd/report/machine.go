package main

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Machine describes where and when the report ran.
type Machine struct {
	Date       time.Time
	GoVersion  string // of the toolchain that builds the benchmarks
	CPU        string // model name
	Cores      int    // logical CPUs
	GOMAXPROCS int
	OS, Arch   string
	Load       string // the 1, 5 and 15 minute load averages when the report started
	LoadEnd    string // the same when it ended
	Commit     string // short commit, with "+ local changes" when the tree is dirty
}

// describeMachine gathers the Machine facts; what it cannot find is "unknown".
func describeMachine(ctx context.Context, root, goCmd string) Machine {
	m := Machine{
		Date: time.Now().UTC(), Cores: runtime.NumCPU(), GOMAXPROCS: runtime.GOMAXPROCS(0),
		OS: runtime.GOOS, Arch: runtime.GOARCH,
		GoVersion: orUnknown(output(ctx, root, goCmd, "env", "GOVERSION")),
		CPU:       orUnknown(cpuModel("/proc/cpuinfo")),
		Load:      orUnknown(loadAverage("/proc/loadavg")),
		Commit:    orUnknown(output(ctx, root, "git", "rev-parse", "--short", "HEAD")),
	}
	if m.Commit != "unknown" && output(ctx, root, "git", "status", "--porcelain", "--untracked-files=no") != "" {
		m.Commit += " + local changes"
	}
	return m
}

func output(ctx context.Context, dir, name string, args ...string) string {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		return ""
	}
	return strings.TrimSpace(string(out))
}

// cpuModel returns the first "model name" of a /proc/cpuinfo file.
func cpuModel(path string) string {
	f, err := os.Open(path)
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// loadAverage returns the three load averages of a /proc/loadavg file.
func loadAverage(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	f := strings.Fields(string(data))
	if len(f) < 3 {
		return ""
	}
	return strings.Join(f[:3], " ")
}

// busy reports whether either load average's one-minute figure exceeds the core count.
func (m Machine) busy() bool {
	for _, l := range []string{m.Load, m.LoadEnd} {
		f := strings.Fields(l)
		if len(f) == 0 {
			continue
		}
		if v, err := strconv.ParseFloat(f[0], 64); err == nil && v > float64(m.Cores) {
			return true
		}
	}
	return false
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}
