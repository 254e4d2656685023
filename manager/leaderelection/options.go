package leaderelection

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
)

// Defaults for the zero durations of Options: client-go's and controller-runtime's.
const (
	DefaultLeaseDuration = 15 * time.Second
	DefaultRenewDeadline = 10 * time.Second
	DefaultRetryPeriod   = 2 * time.Second
)

// Options configure an Elector. Client, Namespace, Name, Identity and OnStartedLeading are
// required; every other zero field means its default.
type Options struct {
	// Client reads and writes the Lease; its scheme must register coordination.Lease.
	Client client.Client
	// Namespace and Name name the Lease every candidate of the election shares.
	Namespace, Name string
	// Identity names this candidate in the Lease's holderIdentity; unique per candidate
	// (controller-runtime uses hostname_uuid).
	Identity string

	// LeaseDuration is how long candidates wait, after they last saw the Lease change,
	// before they take it over from a holder that stopped renewing. Default 15 s.
	LeaseDuration time.Duration
	// RenewDeadline is how long the leader keeps failing to renew before it steps down. It
	// must be shorter than LeaseDuration, so that a leader that cannot reach the store stops
	// before anyone else may take over. Default 10 s.
	RenewDeadline time.Duration
	// RetryPeriod is how often candidates try to acquire and the leader renews. It must be
	// shorter than RenewDeadline. Default 2 s.
	RetryPeriod time.Duration

	// Clock measures every duration above. Default clock.Real{}.
	Clock clock.Clock
	// Logger receives transitions and failures. Default slog.Default().
	Logger logr.Logger

	// OnStartedLeading runs, on a goroutine of its own, when this candidate becomes the
	// leader. Its context is cancelled when leadership ends (lost, or Run's context done);
	// it must then return promptly: the Elector waits for it before it releases the Lease or
	// campaigns again, which is what keeps two leaders from overlapping.
	OnStartedLeading func(ctx context.Context)
	// OnStoppedLeading, if set, runs after OnStartedLeading has returned.
	OnStoppedLeading func()
	// OnNewLeader, if set, is called with the holder's identity whenever the candidate sees
	// the holder change ("" when the Lease is released). It runs on the Elector's goroutine:
	// it must be quick.
	OnNewLeader func(identity string)
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	var errs []error
	if o.Client == nil {
		errs = append(errs, errors.New("no Client"))
	}
	if o.Name == "" || o.Namespace == "" {
		errs = append(errs, errors.New("no Namespace or Name for the Lease"))
	}
	if o.Identity == "" {
		errs = append(errs, errors.New("no Identity"))
	}
	if o.OnStartedLeading == nil {
		errs = append(errs, errors.New("no OnStartedLeading"))
	}
	if o.LeaseDuration < 0 || o.RenewDeadline < 0 || o.RetryPeriod < 0 {
		errs = append(errs, errors.New("durations must not be negative"))
	}
	d := o.withDefaults()
	if d.LeaseDuration <= d.RenewDeadline {
		errs = append(errs, fmt.Errorf("LeaseDuration (%v) must be longer than RenewDeadline (%v)", d.LeaseDuration, d.RenewDeadline))
	}
	if d.RenewDeadline <= d.RetryPeriod {
		errs = append(errs, fmt.Errorf("RenewDeadline (%v) must be longer than RetryPeriod (%v)", d.RenewDeadline, d.RetryPeriod))
	}
	if d.LeaseDuration%time.Second != 0 {
		errs = append(errs, fmt.Errorf("LeaseDuration (%v) must be whole seconds: the Lease stores seconds", d.LeaseDuration))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("leaderelection: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with every zero field replaced by its default: the one place
// defaults are decided.
func (o Options) withDefaults() Options {
	if o.LeaseDuration == 0 {
		o.LeaseDuration = DefaultLeaseDuration
	}
	if o.RenewDeadline == 0 {
		o.RenewDeadline = DefaultRenewDeadline
	}
	if o.RetryPeriod == 0 {
		o.RetryPeriod = DefaultRetryPeriod
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger.GetSink() == nil {
		o.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	return o
}
