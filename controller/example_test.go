package controller_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/reconcile"
)

// A controller for ConfigMaps, built on a running plane's manager: it reconciles each
// ConfigMap when it is created or changes, and records an event about it.
func ExampleNewBuilder() {
	dir, _ := os.MkdirTemp("", "controller-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	plane, err := controlplane.Start(ctx, controlplane.Config{DataDir: dir, Logger: logr.FromSlogHandler(slog.DiscardHandler)})
	if err != nil {
		panic(err)
	}
	defer plane.Stop()

	mgr := plane.Manager()
	events := mgr.EventRecorder("example-controller")
	configMaps := client.For[*core.ConfigMap](plane.Client())
	done := make(chan string, 1)
	err = controller.NewBuilder[*core.ConfigMap](mgr).
		WithPredicates(controller.ResourceVersionChanged[*core.ConfigMap]{}).
		Complete(reconcile.Func(func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
			cm, err := configMaps.Get(ctx, req.Namespace, req.Name)
			if err != nil {
				return reconcile.Result{}, client.IgnoreNotFound(err)
			}
			events.Eventf(cm, core.EventTypeNormal, "Seen", "%d keys", len(cm.Data))
			select {
			case done <- fmt.Sprintf("reconciled %s: %d keys", req, len(cm.Data)):
			default: // reported already
			}
			return reconcile.Result{}, nil
		}))
	if err != nil {
		panic(err)
	}
	_, err = configMaps.Create(ctx, &core.ConfigMap{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "settings"},
		Data:       map[string]string{"color": "blue"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(<-done)
	// Output: reconciled default/settings: 1 keys
}
