package cli

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/go-logr/logr"
	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/internal/soak"
)

// soakFlags are the flags of soak.
type soakFlags struct {
	duration        time.Duration
	seed            uint64
	nodes           int
	convergeTimeout time.Duration
	data            string
	logFile         string
	quiet           bool
}

func (r *root) soakCommand() *cobra.Command {
	var f soakFlags
	cmd := &cobra.Command{
		Use:   "soak [--duration 10m] [--seed N] [--nodes 50]",
		Short: "Run a whole plane under a mixed workload and faults, and check its invariants",
		Long: "Run a control plane on a temporary directory with a mixed workload (Deployments scaled and\n" +
			"rolled, StatefulSets scaled, DaemonSets with nodes added, tainted and removed, Jobs and\n" +
			"CronJobs) while injecting faults (failing store writes, nodes losing heartbeats, pods\n" +
			"crashing, controller manager hand-overs, the plane killed and reopened). Checkers watch\n" +
			"every event; at the end the faults stop and every workload must converge.\n\n" +
			"The summary goes to standard output, progress to standard error. The exit code is 1 if\n" +
			"any invariant was violated or a workload did not converge. The same seed gives the same\n" +
			"schedule of faults and operations.",
		Example: "  skiff soak\n  skiff soak --duration 2m --seed 7 --nodes 20",
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := f.validate(); err != nil {
				return err
			}
			return r.runSoak(cmd, f)
		},
	}
	fl := cmd.Flags()
	fl.DurationVar(&f.duration, "duration", soak.DefaultDuration, "how long the workload runs under faults")
	fl.Uint64Var(&f.seed, "seed", soak.DefaultSeed, "the seed of the fault and operation schedule")
	fl.IntVar(&f.nodes, "nodes", soak.DefaultNodes, "the number of simulated nodes at start")
	fl.DurationVar(&f.convergeTimeout, "converge-timeout", soak.DefaultConvergeTimeout, "how long the workloads may take to converge once faults stop")
	fl.StringVar(&f.data, "data", "", "the plane's data directory (default: a temporary directory, removed afterwards)")
	fl.StringVar(&f.logFile, "log-file", "", "where to write the plane's logs (default: nowhere)")
	fl.BoolVarP(&f.quiet, "quiet", "q", false, "print only the summary")
	return cmd
}

// validate checks the flags of soak.
func (f soakFlags) validate() error {
	var errs []error
	if f.duration <= 0 {
		errs = append(errs, fmt.Errorf("--duration %v must be positive", f.duration))
	}
	if f.nodes < 1 {
		errs = append(errs, fmt.Errorf("--nodes %d must be at least 1", f.nodes))
	}
	if f.convergeTimeout <= 0 {
		errs = append(errs, fmt.Errorf("--converge-timeout %v must be positive", f.convergeTimeout))
	}
	return errors.Join(errs...)
}

// runSoak runs the soak and prints its summary.
func (r *root) runSoak(cmd *cobra.Command, f soakFlags) error {
	cfg := soak.Config{
		Duration:        f.duration,
		Seed:            f.seed,
		Nodes:           f.nodes,
		ConvergeTimeout: f.convergeTimeout,
		DataDir:         f.data,
	}
	if !f.quiet {
		cfg.Progress = r.opts.ErrOut
	}
	if f.logFile != "" {
		lf, err := os.Create(f.logFile)
		if err != nil {
			return err
		}
		defer lf.Close()
		cfg.Logger = logr.FromSlogHandler(slog.NewTextHandler(lf, nil))
	}
	sum, err := soak.Run(cmd.Context(), cfg)
	if sum != nil {
		sum.Print(r.opts.Out)
	}
	if err != nil {
		return err
	}
	if !sum.OK() {
		fmt.Fprintf(r.opts.ErrOut, "soak: %d violations\n", len(sum.Violations))
		return errSilent
	}
	return nil
}
