package controlplane

import (
	"context"
	"fmt"
	"slices"
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

// ControllersConfig chooses the built-in controllers the plane runs. The zero value runs all
// of them.
type ControllersConfig struct {
	// Disabled runs none of the built-in controllers (the plane is then a store, a client,
	// a manager for your own controllers, and whatever Nodes and Scheduler say).
	Disabled bool
	// Disable names built-in controllers not to run, e.g. "deployment" when a test runs
	// its own copy; see BuiltinControllers for the names.
	Disable []string
}

// builtinController is one built-in controller and how to add it to a manager.
type builtinController struct {
	name string
	add  func(mgr *manager.Manager, cronLocation *time.Location) error
}

// builtinControllers are the controllers a plane runs by default, in the order they are
// added.
var builtinControllers = []builtinController{
	{"garbagecollector", func(m *manager.Manager, _ *time.Location) error {
		_, err := garbagecollector.Add(m, garbagecollector.Options{})
		return err
	}},
	{"namespace", func(m *manager.Manager, _ *time.Location) error {
		_, err := namespace.Add(m, namespace.Options{})
		return err
	}},
	{"nodelifecycle", func(m *manager.Manager, _ *time.Location) error { return nodelifecycle.Add(m, nodelifecycle.Options{}) }},
	{"podgc", func(m *manager.Manager, _ *time.Location) error { return podgc.Add(m, podgc.Options{}) }},
	{"replicaset", func(m *manager.Manager, _ *time.Location) error { return replicaset.Add(m, replicaset.Options{}) }},
	{"deployment", func(m *manager.Manager, _ *time.Location) error { return deployment.Add(m, deployment.Options{}) }},
	{"statefulset", func(m *manager.Manager, _ *time.Location) error { return statefulset.Add(m, statefulset.Options{}) }},
	{"daemonset", func(m *manager.Manager, _ *time.Location) error { return daemonset.Add(m, daemonset.Options{}) }},
	{"job", func(m *manager.Manager, _ *time.Location) error { return job.Add(m, job.Options{}) }},
	{"cronjob", func(m *manager.Manager, loc *time.Location) error {
		return cronjob.Add(m, cronjob.Options{Location: loc})
	}},
	{"ttlafterfinished", func(m *manager.Manager, _ *time.Location) error {
		return ttlafterfinished.Add(m, ttlafterfinished.Options{})
	}},
}

// AddControllers adds the built-in controllers that cfg enables to mgr, with their default
// options, in the order a plane adds them; CronJob schedules without a timeZone are read in
// cronLocation. A plane does this itself; AddControllers is for a manager of your own, such as
// the two managers taking turns to lead in `skiff soak`.
func AddControllers(mgr *manager.Manager, cfg ControllersConfig, cronLocation *time.Location) error {
	for _, c := range builtinControllers {
		if !cfg.enabled(c.name) {
			continue
		}
		if err := c.add(mgr, cronLocation); err != nil {
			return fmt.Errorf("controlplane: adding the %s controller: %w", c.name, err)
		}
	}
	return nil
}

// BuiltinControllers returns the names of the built-in controllers, for
// ControllersConfig.Disable.
func BuiltinControllers() []string {
	names := make([]string, len(builtinControllers))
	for i, c := range builtinControllers {
		names[i] = c.name
	}
	return names
}

func (c ControllersConfig) enabled(name string) bool {
	return !c.Disabled && !slices.Contains(c.Disable, name)
}

// setupSystemNamespaces creates default, kube-system, kube-public and kube-node-lease, as the
// Kubernetes API server does at start.
func setupSystemNamespaces(ctx context.Context, p *Plane) error {
	return namespace.EnsureSystemNamespaces(ctx, p.client)
}

// setupControllers adds the enabled built-in controllers to the manager.
func setupControllers(_ context.Context, p *Plane) error {
	return AddControllers(p.mgr, p.cfg.Controllers, p.cfg.CronLocation())
}
