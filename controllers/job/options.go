package job

import (
	"errors"
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/controller"
)

// Defaults for the zero fields of Options, and the other constants of the controller
// (../shared/spec/job.md §3–§4), Kubernetes' values.
const (
	// DefaultWorkers is the number of Jobs synced at once (kube-controller-manager's
	// --concurrent-job-syncs).
	DefaultWorkers = 5
	// DefaultPodFailureBackOff is the delay before the first replacement of a failed pod; it
	// doubles with each further failure.
	DefaultPodFailureBackOff = 10 * time.Second
	// DefaultMaxPodFailureBackOff caps the pod failure back-off.
	DefaultMaxPodFailureBackOff = 10 * time.Minute

	// syncBatchPeriod is how long pod events and status-only Job updates wait before they
	// sync the Job, so that a burst of them costs one sync.
	syncBatchPeriod = time.Second
	// apiBackOff and maxAPIBackOff bound the retry delays of a failing sync.
	apiBackOff    = time.Second
	maxAPIBackOff = time.Minute
	// maxUncountedPods caps the pod UIDs of status.uncountedTerminatedPods, and so the pods
	// one sync counts.
	maxUncountedPods = 500
	// maxPodCreateDeletePerSync caps the pods one sync creates or deletes.
	maxPodCreateDeletePerSync = 500
)

// ComponentName is the source component of the controller's events.
const ComponentName = "job-controller"

// Names of the controllers Add adds to the manager.
const (
	// ControllerName syncs Jobs.
	ControllerName = "job"
	// OrphanControllerName removes the tracking finalizer of pods no running Job counts.
	OrphanControllerName = "job-orphan-pod"
)

// Options configure the Job controller. The zero value means the defaults.
type Options struct {
	// Workers is the number of Jobs synced concurrently (never the same one twice at once).
	// Default DefaultWorkers.
	Workers int
	// PodFailureBackOff is the delay before a failed pod is replaced; each further failure
	// since the last success doubles it. Default DefaultPodFailureBackOff.
	PodFailureBackOff time.Duration
	// MaxPodFailureBackOff caps the pod failure back-off. Default DefaultMaxPodFailureBackOff.
	MaxPodFailureBackOff time.Duration
	// Recorder records the controller's events. Default: the manager's recorder for
	// ComponentName.
	Recorder controller.EventRecorder
}

// Validate rejects negative values and a cap below the initial back-off.
func (o Options) Validate() error {
	var errs []error
	if o.Workers < 0 {
		errs = append(errs, errors.New("the number of workers must not be negative"))
	}
	if o.PodFailureBackOff < 0 || o.MaxPodFailureBackOff < 0 {
		errs = append(errs, errors.New("back-offs must not be negative"))
	}
	if o.PodFailureBackOff > 0 && o.MaxPodFailureBackOff > 0 && o.MaxPodFailureBackOff < o.PodFailureBackOff {
		errs = append(errs, errors.New("the maximal pod failure back-off must not be below the initial one"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("job: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with its zero fields set: the one place defaults are decided. The
// recorder default needs the manager and is filled in by Add.
func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.PodFailureBackOff == 0 {
		o.PodFailureBackOff = DefaultPodFailureBackOff
	}
	if o.MaxPodFailureBackOff == 0 {
		o.MaxPodFailureBackOff = max(DefaultMaxPodFailureBackOff, o.PodFailureBackOff)
	}
	return o
}
