package deployment

import (
	"errors"

	"github.com/skiff-dev/skiff/controller"
)

// DefaultWorkers is the number of Deployments synced at once by default, Kubernetes'
// --concurrent-deployment-syncs.
const DefaultWorkers = 5

// ComponentName is the source component of the controller's events.
const ComponentName = "deployment-controller"

// Options configure the Deployment controller. The zero value means the defaults.
type Options struct {
	// Workers is the number of Deployments synced concurrently (never the same one twice at
	// once). Default DefaultWorkers.
	Workers int
	// Recorder records the controller's events. Default: the manager's recorder for
	// ComponentName.
	Recorder controller.EventRecorder
}

// Validate rejects a negative worker count.
func (o Options) Validate() error {
	if o.Workers < 0 {
		return errors.New("deployment: invalid options: option Workers must not be negative")
	}
	return nil
}

// withDefaults returns o with its zero fields set: the one place defaults are decided. The
// recorder default needs the manager and is filled in by Add.
func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	return o
}
