package soak

import (
	"time"

	"github.com/skiff-dev/skiff/controllers/cronjob"
	"github.com/skiff-dev/skiff/controllers/daemonset"
	"github.com/skiff-dev/skiff/controllers/deployment"
	"github.com/skiff-dev/skiff/controllers/garbagecollector"
	"github.com/skiff-dev/skiff/controllers/job"
	"github.com/skiff-dev/skiff/controllers/namespace"
	"github.com/skiff-dev/skiff/controllers/nodelifecycle"
	"github.com/skiff-dev/skiff/controllers/podgc"
	"github.com/skiff-dev/skiff/controllers/replicaset"
	"github.com/skiff-dev/skiff/controllers/statefulset"
	"github.com/skiff-dev/skiff/controllers/ttlafterfinished"
	"github.com/skiff-dev/skiff/manager"
)

// addControllers adds the plane's built-in controllers (those controlplane runs by
// default, in its order) to a manager of the soak's own: the soak runs them in two managers
// that take turns leading, writing through the fault store, while its plane runs none.
func addControllers(mgr *manager.Manager) error {
	if _, err := garbagecollector.Add(mgr, garbagecollector.Options{}); err != nil {
		return err
	}
	if _, err := namespace.Add(mgr, namespace.Options{}); err != nil {
		return err
	}
	for _, add := range []func(*manager.Manager) error{
		func(m *manager.Manager) error { return nodelifecycle.Add(m, nodelifecycle.Options{}) },
		func(m *manager.Manager) error { return podgc.Add(m, podgc.Options{}) },
		func(m *manager.Manager) error { return replicaset.Add(m, replicaset.Options{}) },
		func(m *manager.Manager) error { return deployment.Add(m, deployment.Options{}) },
		func(m *manager.Manager) error { return statefulset.Add(m, statefulset.Options{}) },
		func(m *manager.Manager) error { return daemonset.Add(m, daemonset.Options{}) },
		func(m *manager.Manager) error { return job.Add(m, job.Options{}) },
		func(m *manager.Manager) error { return cronjob.Add(m, cronjob.Options{Location: time.UTC}) },
		func(m *manager.Manager) error { return ttlafterfinished.Add(m, ttlafterfinished.Options{}) },
	} {
		if err := add(mgr); err != nil {
			return err
		}
	}
	return nil
}
