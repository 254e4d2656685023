package soak

import (
	"time"

	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/manager"
)

// addControllers adds the plane's built-in controllers to a manager of the soak's own: the
// soak runs them in two managers that take turns leading, writing through the fault store,
// while its plane runs none. CronJobs without a timeZone use UTC, the plane's default.
func addControllers(mgr *manager.Manager) error {
	return controlplane.AddControllers(mgr, controlplane.ControllersConfig{}, time.UTC)
}
