package replicaset

import (
	"errors"
	"fmt"

	"github.com/skiff-dev/skiff/controller"
)

// Defaults for the zero fields of Options, Kubernetes' (kube-controller-manager's
// --concurrent-replicaset-syncs and the controller's BurstReplicas).
const (
	// DefaultWorkers is the number of ReplicaSets synced at once.
	DefaultWorkers = 5
	// DefaultBurstReplicas caps the pods one sync creates or deletes.
	DefaultBurstReplicas = 500
)

// ComponentName is the source component of the controller's events and its name in the
// manager.
const ComponentName = "replicaset-controller"

// Options configure the ReplicaSet controller. The zero value means the defaults.
type Options struct {
	// Workers is the number of ReplicaSets synced concurrently (never the same one twice at
	// once). Default DefaultWorkers.
	Workers int
	// BurstReplicas caps the pods one sync creates or deletes; the rest wait for the next
	// sync, once the cache has caught up. Default DefaultBurstReplicas.
	BurstReplicas int
	// Recorder records the controller's events. Default: the manager's recorder for
	// ComponentName.
	Recorder controller.EventRecorder
}

// Validate rejects negative counts.
func (o Options) Validate() error {
	var errs []error
	if o.Workers < 0 {
		errs = append(errs, errors.New("option Workers must not be negative"))
	}
	if o.BurstReplicas < 0 {
		errs = append(errs, errors.New("option BurstReplicas must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("replicaset: invalid options: %w", err)
	}
	return nil
}

// withDefaults returns o with its zero fields set: the one place defaults are decided. The
// recorder default needs the manager and is filled in by Add.
func (o Options) withDefaults() Options {
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	if o.BurstReplicas == 0 {
		o.BurstReplicas = DefaultBurstReplicas
	}
	return o
}
