package controlplane

import (
	"context"

	"github.com/skiff-dev/skiff/controllers/garbagecollector"
	"github.com/skiff-dev/skiff/controllers/namespace"
	"github.com/skiff-dev/skiff/controllers/nodelifecycle"
)

// ControllersConfig chooses the built-in controllers the plane runs. The zero value runs all
// of them.
type ControllersConfig struct {
	// Disabled runs none of the built-in controllers (the plane is then a store, a client,
	// a manager for your own controllers, and whatever Nodes and Scheduler say).
	Disabled bool
}

// setupSystemNamespaces creates default, kube-system, kube-public and kube-node-lease, as the
// Kubernetes API server does at start.
func setupSystemNamespaces(ctx context.Context, p *Plane) error {
	return namespace.EnsureSystemNamespaces(ctx, p.client)
}

// setupControllers adds the built-in controllers to the manager.
func setupControllers(_ context.Context, p *Plane) error {
	if p.cfg.Controllers.Disabled {
		return nil
	}
	if _, err := garbagecollector.Add(p.mgr, garbagecollector.Options{}); err != nil {
		return err
	}
	if _, err := namespace.Add(p.mgr, namespace.Options{}); err != nil {
		return err
	}
	return nodelifecycle.Add(p.mgr, nodelifecycle.Options{})
}
