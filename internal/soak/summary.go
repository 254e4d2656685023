package soak

import (
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/store/faultstore"
)

// Summary is the outcome of a run.
type Summary struct {
	Seed     uint64
	Duration time.Duration
	Nodes    int
	// Ops counts the workload operations carried out, by kind; Skipped those that found
	// no target, OpErrors those that failed.
	Ops      map[string]int
	Skipped  int
	OpErrors int
	// LedgerWrites is the number of ConfigMap writes of the ledger writer; LedgerKeys and
	// Acked the objects and acknowledged writes the ledger checked.
	LedgerWrites, LedgerKeys, Acked int
	// Faults counts the faults injected, by kind.
	Faults map[string]int
	// StoreFaults are the write errors the fault stores injected, over every plane run.
	StoreFaults faultstore.Counts
	// Handovers are the times from stopping the leading manager to another one leading.
	Handovers []time.Duration
	// Events is the number of watch events the checkers saw; Checks the invariant
	// evaluations they made.
	Events, Checks int
	// ChecksBy counts the evaluations by invariant.
	ChecksBy map[string]int
	// Violations must be empty.
	Violations []Violation
	// Converged says every workload reached its spec within the deadline, ConvergedIn how
	// long after the faults stopped (the last fault ended LastFaultBefore that).
	Converged       bool
	ConvergedIn     time.Duration
	LastFaultBefore time.Duration
	// Elapsed is the whole run.
	Elapsed time.Duration
}

// OK reports a run without violations (convergence failures are violations).
func (s *Summary) OK() bool { return len(s.Violations) == 0 }

func (r *runner) summary(converged bool, convergedIn time.Duration, faultsStopped time.Time) *Summary {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := &Summary{
		Seed: r.cfg.Seed, Duration: r.cfg.Duration, Nodes: r.cfg.Nodes,
		Ops: map[string]int{}, Skipped: r.skipped, OpErrors: r.opErrors,
		LedgerWrites: r.ledgerWrites,
		Faults:       map[string]int{},
		StoreFaults:  r.faultSum,
		Handovers:    slices.Clone(r.handovers),
		Converged:    converged, ConvergedIn: convergedIn,
		Elapsed: time.Since(r.start),
	}
	if r.fs != nil {
		c := r.fs.Counts()
		s.StoreFaults.Conflicts += c.Conflicts
		s.StoreFaults.Transients += c.Transients
		s.StoreFaults.Passed += c.Passed
	}
	if !r.lastFault.IsZero() {
		s.LastFaultBefore = faultsStopped.Sub(r.lastFault)
	}
	s.LedgerKeys, s.Acked = r.ledger.Len()
	for k, n := range r.ops {
		s.Ops[OpKind(k).String()] = n
	}
	for k, n := range r.faults {
		s.Faults[FaultKind(k).String()] = n
	}
	r.checkMu.Lock()
	s.Events, s.Checks, s.ChecksBy = r.events, r.checker.Checks(), r.checker.ChecksByInvariant()
	s.Violations = slices.Clone(r.checker.Violations())
	r.checkMu.Unlock()
	return s
}

// Print writes the summary as the soak command shows it.
func (s *Summary) Print(w io.Writer) {
	total := func(m map[string]int) int {
		n := 0
		for _, v := range m {
			n += v
		}
		return n
	}
	list := func(m map[string]int) string {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, 0, len(keys))
		for _, k := range keys {
			parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
		}
		return strings.Join(parts, ", ")
	}
	fmt.Fprintf(w, "soak summary: seed %d, %v under faults, %d nodes, %v in all\n", s.Seed, s.Duration, s.Nodes, s.Elapsed.Round(time.Second))
	fmt.Fprintf(w, "  operations:  %d (%s); %d skipped (no target), %d failed\n", total(s.Ops), list(s.Ops), s.Skipped, s.OpErrors)
	fmt.Fprintf(w, "  ledger:      %d ConfigMap writes; %d acknowledged writes to %d objects checked after every reopen\n", s.LedgerWrites, s.Acked, s.LedgerKeys)
	fmt.Fprintf(w, "  faults:      %d (%s)\n", total(s.Faults), list(s.Faults))
	fmt.Fprintf(w, "  store:       %d controller writes failed (%d conflicts, %d transient), %d passed\n",
		s.StoreFaults.Conflicts+s.StoreFaults.Transients, s.StoreFaults.Conflicts, s.StoreFaults.Transients, s.StoreFaults.Passed)
	if len(s.Handovers) > 0 {
		fmt.Fprintf(w, "  hand-overs:  %d, median %v, max %v\n", len(s.Handovers), median(s.Handovers).Round(time.Millisecond), slices.Max(s.Handovers).Round(time.Millisecond))
	}
	fmt.Fprintf(w, "  checkers:    %d events, %d invariant checks (%s)\n", s.Events, s.Checks, list(s.ChecksBy))
	fmt.Fprintf(w, "  violations:  %d\n", len(s.Violations))
	for _, v := range s.Violations {
		fmt.Fprintf(w, "    - %s\n", v)
	}
	if s.Converged {
		fmt.Fprintf(w, "  convergence: every workload at its spec %v after the faults stopped (last fault %v before)\n",
			s.ConvergedIn.Round(100*time.Millisecond), s.LastFaultBefore.Round(100*time.Millisecond))
	} else {
		fmt.Fprintf(w, "  convergence: NOT converged %v after the faults stopped\n", s.ConvergedIn.Round(100*time.Millisecond))
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
