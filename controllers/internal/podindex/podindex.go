// Package podindex is the pods-by-node index of the pod informer that the node lifecycle and
// pod garbage collection controllers share (the kubelet adds the same index under the same
// name): whoever comes first adds it, the others use it.
package podindex

import (
	"context"
	"errors"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
)

// ByNodeName is the name of the index: pods by spec.nodeName.
const ByNodeName = "spec.nodeName"

// nodeName files a pod under its spec.nodeName; unbound pods are not indexed.
func nodeName(p *core.Pod) []string {
	if p.Spec.NodeName == "" {
		return nil
	}
	return []string{p.Spec.NodeName}
}

// Add adds the index to the pod informer unless it is there already.
func Add(pods *informer.Informer[*core.Pod]) error {
	err := pods.AddIndexers(informer.Indexers[*core.Pod]{ByNodeName: nodeName})
	if errors.Is(err, informer.ErrIndexExists) {
		return nil
	}
	return err
}

// RequestsOfNode returns a MapFunc body: the requests of the pods bound to node, from lister
// (whose informer has the index).
func RequestsOfNode(lister informer.Lister[*core.Pod]) func(context.Context, *core.Node) []reconcile.Request {
	return func(_ context.Context, node *core.Node) []reconcile.Request {
		pods, _ := lister.ByIndex(ByNodeName, node.Name)
		out := make([]reconcile.Request, 0, len(pods))
		for _, p := range pods {
			out = append(out, reconcile.Request{Namespace: p.Namespace, Name: p.Name})
		}
		return out
	}
}
