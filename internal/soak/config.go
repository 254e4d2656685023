package soak

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/go-logr/logr"
)

// Defaults of Config.
const (
	DefaultDuration        = 10 * time.Minute
	DefaultSeed            = 1
	DefaultNodes           = 50
	DefaultConvergeTimeout = 3 * time.Minute
)

// Config configures a soak run. The zero value of every field but Seed means its default.
type Config struct {
	// Duration is how long the workload runs under faults; convergence is awaited after
	// it. Default DefaultDuration.
	Duration time.Duration
	// Seed decides the schedule of faults and operations (see NewSchedule).
	Seed uint64
	// Nodes is the number of simulated nodes at start. Default DefaultNodes.
	Nodes int
	// ConvergeTimeout bounds the wait, once faults stop, for every workload to reach its
	// spec. Default DefaultConvergeTimeout.
	ConvergeTimeout time.Duration
	// DataDir is where the plane keeps its data; "" makes a temporary directory that is
	// removed afterwards.
	DataDir string
	// Logger receives the plane's logs. Default: none.
	Logger logr.Logger
	// Progress, when set, receives a line for every fault and phase as the run goes.
	Progress io.Writer
}

// Validate reports a configuration that cannot work, naming the field.
func (c Config) Validate() error {
	var errs []error
	if c.Duration < 0 {
		errs = append(errs, fmt.Errorf("field Duration: %v must not be negative", c.Duration))
	}
	if c.Nodes < 0 {
		errs = append(errs, fmt.Errorf("field Nodes: %d must not be negative", c.Nodes))
	}
	if c.ConvergeTimeout < 0 {
		errs = append(errs, fmt.Errorf("field ConvergeTimeout: %v must not be negative", c.ConvergeTimeout))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("soak: invalid config: %w", err)
	}
	return nil
}

func (c Config) withDefaults() Config {
	if c.Duration == 0 {
		c.Duration = DefaultDuration
	}
	if c.Nodes == 0 {
		c.Nodes = DefaultNodes
	}
	if c.ConvergeTimeout == 0 {
		c.ConvergeTimeout = DefaultConvergeTimeout
	}
	if c.Logger.GetSink() == nil {
		// Not logr.Discard(): its nil sink would make the plane fall back to slog's default.
		c.Logger = logr.FromSlogHandler(slog.DiscardHandler)
	}
	if c.Progress == nil {
		c.Progress = io.Discard
	}
	return c
}
