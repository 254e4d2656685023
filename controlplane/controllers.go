package controlplane

import (
	"context"
	"slices"

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

// builtinController is one built-in controller and how to add it to the plane's manager.
type builtinController struct {
	name string
	add  func(p *Plane) error
}

// builtinControllers are the controllers a plane runs by default, in the order they are
// added.
var builtinControllers = []builtinController{
	{"garbagecollector", func(p *Plane) error {
		_, err := garbagecollector.Add(p.mgr, garbagecollector.Options{})
		return err
	}},
	{"namespace", func(p *Plane) error {
		_, err := namespace.Add(p.mgr, namespace.Options{})
		return err
	}},
	{"nodelifecycle", func(p *Plane) error { return nodelifecycle.Add(p.mgr, nodelifecycle.Options{}) }},
	{"podgc", func(p *Plane) error { return podgc.Add(p.mgr, podgc.Options{}) }},
	{"replicaset", func(p *Plane) error { return replicaset.Add(p.mgr, replicaset.Options{}) }},
	{"deployment", func(p *Plane) error { return deployment.Add(p.mgr, deployment.Options{}) }},
	{"statefulset", func(p *Plane) error { return statefulset.Add(p.mgr, statefulset.Options{}) }},
	{"daemonset", func(p *Plane) error { return daemonset.Add(p.mgr, daemonset.Options{}) }},
	{"job", func(p *Plane) error { return job.Add(p.mgr, job.Options{}) }},
	{"cronjob", func(p *Plane) error { return cronjob.Add(p.mgr, cronjob.Options{Location: p.cfg.CronLocation()}) }},
	{"ttlafterfinished", func(p *Plane) error { return ttlafterfinished.Add(p.mgr, ttlafterfinished.Options{}) }},
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
	for _, c := range builtinControllers {
		if !p.cfg.Controllers.enabled(c.name) {
			continue
		}
		if err := c.add(p); err != nil {
			return err
		}
	}
	return nil
}
