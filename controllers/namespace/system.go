package namespace

import (
	"context"
	"fmt"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
)

// SystemNamespaces returns the namespaces every cluster has from the start, in the order
// EnsureSystemNamespaces creates them: default, kube-system, kube-public and
// kube-node-lease (where the nodes' heartbeat Leases live).
func SystemNamespaces() []string {
	return []string{core.NamespaceDefault, core.NamespaceSystem, core.NamespacePublic, core.NamespaceNodeLease}
}

// EnsureSystemNamespaces creates the SystemNamespaces that do not exist, as the Kubernetes
// API server does at start. Existing ones are left as they are. A control plane calls it
// once its store is open, before anything creates objects in them.
func EnsureSystemNamespaces(ctx context.Context, c client.Client) error {
	namespaces := client.For[*core.Namespace](c)
	for _, name := range SystemNamespaces() {
		_, err := namespaces.Create(ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: name}})
		if err := client.IgnoreAlreadyExists(err); err != nil {
			return fmt.Errorf("namespace: creating %s: %w", name, err)
		}
	}
	return nil
}
