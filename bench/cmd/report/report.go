package main

import (
	"fmt"
	"regexp"
	"strings"
	"time"
)

// RunRecord is what happened to one Run.
type RunRecord struct {
	Run     Run
	Count   int
	Elapsed time.Duration
	Err     error
}

// Report is everything the command prints.
type Report struct {
	Machine   Machine
	Quick     bool
	Args      []string
	Rows      []Row
	Runs      []RunRecord
	BuildTime time.Duration
	Total     time.Duration // build and runs
}

// Failed reports whether any run failed or any figure has no result.
func (r *Report) Failed() bool {
	for _, rr := range r.Runs {
		if rr.Err != nil {
			return true
		}
	}
	for _, row := range r.Rows {
		if len(row.Missing) > 0 {
			return true
		}
	}
	return false
}

// Markdown renders the report: a header naming the date, machine, Go version and command;
// the table; how the ratio reads; each run with its command and time; and any failure.
func (r *Report) Markdown() string {
	var b strings.Builder
	m := r.Machine
	b.WriteString("# skiff performance report\n\n")
	cmd := "go run ./cmd/report"
	if len(r.Args) > 0 {
		cmd += " " + strings.Join(r.Args, " ")
	}
	fmt.Fprintf(&b, "- date: %s\n", m.Date.Format("2006-01-02 15:04 MST"))
	fmt.Fprintf(&b, "- machine: %s, %d cores (GOMAXPROCS %d), %s/%s; load average %s at the start, %s at the end\n",
		m.CPU, m.Cores, m.GOMAXPROCS, m.OS, m.Arch, m.Load, m.LoadEnd)
	fmt.Fprintf(&b, "- Go: %s; commit %s\n", m.GoVersion, m.Commit)
	fmt.Fprintf(&b, "- command: `%s` in `bench/`; took %v (of which building the test binaries %v)\n",
		cmd, r.Total.Round(time.Second), r.BuildTime.Round(time.Second))
	if r.Quick {
		b.WriteString("- -quick: every benchmark ran once; the figures are single runs, not medians\n")
	} else {
		b.WriteString("- figures are medians over the runs listed below (single runs for the scale scenarios)\n")
	}
	if m.busy() {
		fmt.Fprintf(&b, "- the machine was busy with other work (load above its %d cores): the figures are noisy, "+
			"absolute values more than ratios, which compare two implementations measured in one process run\n", m.Cores)
	}
	b.WriteString("- regenerate from the repository root with `go -C bench run ./cmd/report -o ../docs/PERFORMANCE.md` " +
		"(`-quick` for single runs)\n\n")
	b.WriteString(Markdown(r.Rows))
	b.WriteString("\nratio: how many times better skiff is than its peer, measured in the same process run " +
		"(peer time ÷ skiff time, or skiff rate ÷ peer rate); above 1 skiff is ahead. " +
		"A target marked \"no result\" could not be judged because a benchmark did not report.\n\n")
	b.WriteString("## Runs\n\n| run | command (in the module directory) | module | time | result |\n|---|---|---|---:|---|\n")
	for _, rr := range r.Runs {
		status := "ok"
		if rr.Err != nil {
			status = "**failed**"
		}
		fmt.Fprintf(&b, "| %s | `%s` | %s | %v | %s |\n", rr.Run.Name, escape(rr.Run.Command(rr.Count)),
			displayModule(rr.Run.Module), rr.Elapsed.Round(100*time.Millisecond), status)
	}
	var failures []string
	for _, rr := range r.Runs {
		if rr.Err != nil {
			failures = append(failures, fmt.Sprintf("### %s\n\n```\n%v\n```\n", rr.Run.Name, rr.Err))
		}
	}
	for _, row := range r.Rows {
		for _, miss := range row.Missing {
			failures = append(failures, fmt.Sprintf("- %s: no value for %v\n", row.Name, miss))
		}
	}
	if len(failures) > 0 {
		b.WriteString("\n## Failures\n\n")
		for _, f := range failures {
			b.WriteString(f)
		}
	}
	return b.String()
}

// validateSuite checks runs and figures together: each valid, run names unique, every
// figure reading a run that exists, peer and skiff from the same run (so that their ratio
// is measured in one process), and every benchmark a figure reads selected by its run's
// -bench pattern.
func validateSuite(rs []Run, fs []Figure) error {
	byName := make(map[string]Run, len(rs))
	for _, r := range rs {
		if err := r.Validate(); err != nil {
			return err
		}
		if _, dup := byName[r.Name]; dup {
			return fmt.Errorf("run name %q used twice", r.Name)
		}
		byName[r.Name] = r
	}
	for _, f := range fs {
		if err := f.Validate(); err != nil {
			return err
		}
		for _, mt := range []Metric{f.Skiff, f.Peer} {
			if mt.IsZero() {
				continue
			}
			r, ok := byName[mt.Run]
			if !ok {
				return fmt.Errorf("figure %q: no run named %q", f.Name, mt.Run)
			}
			ok, err := benchSelects(r.Bench, mt.Bench)
			if err != nil {
				return fmt.Errorf("run %q: Bench %q: %w", r.Name, r.Bench, err)
			}
			if !ok {
				return fmt.Errorf("figure %q: run %q's -bench %q does not select %s", f.Name, r.Name, r.Bench, mt.Bench)
			}
		}
		if !f.Peer.IsZero() && f.Peer.Run != f.Skiff.Run {
			return fmt.Errorf("figure %q: Peer comes from run %q and Skiff from %q; a ratio needs one run", f.Name, f.Peer.Run, f.Skiff.Run)
		}
	}
	return nil
}

// benchSelects reports whether the -bench pattern selects the benchmark called name, the
// way the testing package matches: the pattern is split at slashes outside brackets and
// parentheses, and each part must match (unanchored) the name's element at that level.
// Elements beyond the pattern's parts always match.
func benchSelects(pattern, name string) (bool, error) {
	parts := splitPattern(pattern)
	elems := strings.Split(name, "/")
	for i, p := range parts {
		re, err := regexp.Compile(p)
		if err != nil {
			return false, err
		}
		if i < len(elems) && !re.MatchString(elems[i]) {
			return false, nil
		}
	}
	return true, nil
}

// splitPattern splits a -bench pattern at the slashes that separate levels.
func splitPattern(s string) []string {
	var parts []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '[', '(':
			depth++
		case ']', ')':
			depth--
		case '/':
			if depth == 0 {
				parts = append(parts, s[start:i])
				start = i + 1
			}
		}
	}
	return append(parts, s[start:])
}
