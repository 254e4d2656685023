// Command embedded shows a Go program embedding a skiff control plane and driving it
// through the client: it starts a plane on a data directory, applies a real Kubernetes
// manifest, reads, lists, patches and watches objects, runs a small controller of its own,
// and stops the plane.
//
//	go run ./examples/embedded            # on a temporary data directory
//	go run ./examples/embedded -data dir  # state persists in dir/ between runs
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// manifest is the nginx Deployment of the Kubernetes documentation, unchanged.
const manifest = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx-deployment
  labels:
    app: nginx
spec:
  replicas: 3
  selector:
    matchLabels:
      app: nginx
  template:
    metadata:
      labels:
        app: nginx
    spec:
      containers:
      - name: nginx
        image: nginx:1.14.2
        ports:
        - containerPort: 80
`

func main() {
	dataDir := flag.String("data", "", "data directory of the control plane (default: a temporary directory)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	log := logr.FromSlogHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	if err := run(ctx, *dataDir, log, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "embedded:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir string, log logr.Logger, out io.Writer) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "skiff-embedded-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}

	// 1. Start the plane: a store in dir, a client, a manager with its informers.
	plane, err := controlplane.Start(ctx, controlplane.Config{DataDir: dir, Logger: log})
	if err != nil {
		return err
	}
	defer plane.Stop()
	c := plane.Client()
	fmt.Fprintf(out, "control plane running on %s\n", dir)

	// 2. Apply a Kubernetes manifest: decode it with the scheme, create or update it.
	obj, err := plane.Scheme().Decode([]byte(manifest))
	if err != nil {
		return err
	}
	d := obj.(*apps.Deployment)
	d.Namespace = core.NamespaceDefault
	deployments := client.For[*apps.Deployment](c)
	d, result, err := client.CreateOrUpdate(ctx, deployments, d, func(cur *apps.Deployment) error {
		cur.Spec = obj.(*apps.Deployment).Spec
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "deployment %s %s (generation %d, resourceVersion %s)\n", d.Name, result, d.Generation, d.ResourceVersion)

	// 3. Watch ConfigMaps while a small controller of our own mirrors every ConfigMap's
	// data size into a label: controllers see the same objects the client writes.
	configMaps := client.For[*core.ConfigMap](c)
	w, err := configMaps.Watch(ctx, store.WatchOptions{Namespace: core.NamespaceDefault, ResourceVersion: plane.Store().CurrentRevision()})
	if err != nil {
		return err
	}
	defer w.Stop()
	err = controller.NewBuilder[*core.ConfigMap](plane.Manager()).Named("sizer").Complete(reconcile.Func(
		func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
			_, err := client.GuaranteedUpdate(ctx, configMaps, req.Namespace, req.Name, func(cm *core.ConfigMap) error {
				if cm.Labels == nil {
					cm.Labels = map[string]string{}
				}
				cm.Labels["size"] = fmt.Sprint(len(cm.Data))
				return nil
			})
			return reconcile.Result{}, client.IgnoreNotFound(err)
		}))
	if err != nil {
		return err
	}
	cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: core.NamespaceDefault, Name: "settings"},
		Data: map[string]string{"color": "blue", "size": "large"}}
	if _, err := configMaps.Create(ctx, cm); err != nil && !store.IsAlreadyExists(err) {
		return err
	}
	// The watch shows our create, then the controller's update.
	for labelled := false; !labelled; {
		select {
		case ev, ok := <-w.ResultChan():
			if !ok {
				return errors.New("watch ended")
			}
			if ev.Type == store.Error {
				return ev.Err
			}
			fmt.Fprintf(out, "watch: %s configmap %s labels=%v\n", ev.Type, ev.Object.Name, ev.Object.Labels)
			labelled = ev.Object.Labels["size"] != ""
		case <-time.After(10 * time.Second):
			return errors.New("timed out waiting for the controller")
		}
	}

	// 4. Patch, list with a selector, delete.
	patched, err := deployments.Patch(ctx, core.NamespaceDefault, "nginx-deployment", client.MergePatchType, []byte(`{"spec":{"replicas":5}}`))
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "patched deployment to %d replicas (generation %d)\n", *patched.Spec.Replicas, patched.Generation)
	sel, err := labels.Parse("app=nginx")
	if err != nil {
		return err
	}
	list, err := deployments.List(ctx, store.ListOptions{Namespace: core.NamespaceDefault, LabelSelector: sel})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%d deployment(s) labelled app=nginx\n", len(list.Items))
	if _, err := configMaps.Delete(ctx, core.NamespaceDefault, "settings"); err != nil {
		return err
	}
	fmt.Fprintln(out, "deleted configmap settings; stopping")
	return plane.Stop()
}
