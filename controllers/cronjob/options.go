package cronjob

import (
	"errors"
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/controller"
)

// DefaultWorkers is the number of CronJobs synced at once (kube-controller-manager's
// --concurrent-cron-job-syncs).
const DefaultWorkers = 5

// ComponentName is the source component of the controller's events.
const ComponentName = "cronjob-controller"

// ControllerName is the controller's name in its manager.
const ControllerName = "cronjob"

// Options configure the CronJob controller. The zero value means the defaults.
type Options struct {
	// Workers is the number of CronJobs synced concurrently (never the same one twice at
	// once). Default DefaultWorkers.
	Workers int
	// Location is the zone of the schedules of CronJobs without spec.timeZone: the
	// controller manager's local zone in Kubernetes. Default time.Local.
	Location *time.Location
	// Recorder records the controller's events. Default: the manager's recorder for
	// ComponentName.
	Recorder controller.EventRecorder
}

// Validate rejects a negative number of workers.
func (o Options) Validate() error {
	if o.Workers < 0 {
		return fmt.Errorf("cronjob: invalid options: %w", errors.New("the number of workers must not be negative"))
	}
	return nil
}

// withDefaults returns o with its zero fields set: the one place defaults are decided. The
// recorder default needs the manager and is filled in by Add.
func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.Location == nil {
		o.Location = time.Local
	}
	return o
}
