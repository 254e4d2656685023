// Command customcontroller runs a complete user controller on an embedded skiff control
// plane: it registers a user-defined kind, Website, whose controller owns a Deployment per
// Website, then creates a Website, scales it and prints what the controller did.
//
//	go run ./examples/customcontroller            # on a temporary data directory
//	go run ./examples/customcontroller -data dir  # on a data directory that persists
//
// The files to read: website.go (the kind and its registration), controller.go (the
// reconciler and its wiring with a controller.Builder) and controller_test.go (tests that
// start a whole plane on a fake clock in milliseconds, with controlplane/planetest).
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
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func main() {
	dataDir := flag.String("data", "", "data directory of the control plane (default: a temporary directory)")
	verbose := flag.Bool("v", false, "log what the control plane does")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	log := logr.FromSlogHandler(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	if err := run(ctx, *dataDir, log, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "customcontroller:", err)
		os.Exit(1)
	}
}

// run starts a plane in dir (a temporary one if empty), adds the Website controller, and
// walks a Website through creation and scaling, printing to out.
func run(ctx context.Context, dir string, log logr.Logger, out io.Writer) error {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "skiff-customcontroller-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	sch := scheme.NewBuiltin()
	if err := AddToScheme(sch); err != nil {
		return err
	}
	plane, err := controlplane.Start(ctx, controlplane.Config{DataDir: dir, Scheme: sch, Logger: log})
	if err != nil {
		return err
	}
	defer plane.Stop()
	if _, err := SetupWebsiteController(plane.Manager()); err != nil {
		return err
	}

	websites := client.For[*Website](plane.Client())
	deployments := client.For[*apps.Deployment](plane.Client())
	site := &Website{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "blog"}, Spec: WebsiteSpec{Image: "nginx:1.27"}}
	site, err = websites.Create(ctx, site)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "created website %s/%s (image %s, %d replica)\n", site.Namespace, site.Name, site.Spec.Image, *site.Spec.Replicas)
	if site, err = waitObserved(ctx, websites, site); err != nil {
		return err
	}
	d, err := deployments.Get(ctx, site.Namespace, site.Status.Deployment)
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "controller created deployment %s: %d replica(s) of %s, owned by %s %s\n",
		d.Name, *d.Spec.Replicas, d.Spec.Template.Spec.Containers[0].Image, d.OwnerReferences[0].Kind, d.OwnerReferences[0].Name)

	site, err = client.GuaranteedUpdate(ctx, websites, site.Namespace, site.Name, func(w *Website) error {
		three := int32(3)
		w.Spec.Replicas = &three
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "scaled website to %d replicas\n", *site.Spec.Replicas)
	if site, err = waitObserved(ctx, websites, site); err != nil {
		return err
	}
	if d, err = deployments.Get(ctx, site.Namespace, site.Status.Deployment); err != nil {
		return err
	}
	fmt.Fprintf(out, "controller scaled deployment %s to %d replicas\n", d.Name, *d.Spec.Replicas)
	ready := meta.FindCondition(site.Status.Conditions, ConditionReady)
	fmt.Fprintf(out, "website status: observedGeneration %d, Ready=%s (%s)\n", site.Status.ObservedGeneration, ready.Status, ready.Message)

	// The controller's events are written in the background: wait for both.
	evs, err := waitEvents(ctx, plane.Client(), site, 2)
	if err != nil {
		return err
	}
	for _, e := range evs {
		fmt.Fprintf(out, "event: %s %s %s\n", e.Type, e.Reason, e.Message)
	}
	return nil
}

// waitObserved waits until the controller has reported on site's current generation.
func waitObserved(ctx context.Context, websites *client.Typed[*Website], site *Website) (*Website, error) {
	return poll(ctx, func() (*Website, bool, error) {
		w, err := websites.Get(ctx, site.Namespace, site.Name)
		if err != nil {
			return nil, false, err
		}
		return w, w.Status.ObservedGeneration == w.Generation && w.Status.Deployment != "", nil
	})
}

// waitEvents waits until at least n events about site exist.
func waitEvents(ctx context.Context, c client.Client, site *Website, n int) ([]*core.Event, error) {
	return poll(ctx, func() ([]*core.Event, bool, error) {
		l, err := client.For[*core.Event](c).List(ctx, store.ListOptions{Namespace: site.Namespace})
		if err != nil {
			return nil, false, err
		}
		var about []*core.Event
		for _, e := range l.Items {
			if e.InvolvedObject.UID == site.UID {
				about = append(about, e)
			}
		}
		return about, len(about) >= n, nil
	})
}

// poll calls f every 10ms until it is done, fails, or 10 seconds pass.
func poll[T any](ctx context.Context, f func() (T, bool, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	for {
		v, done, err := f()
		if err != nil || done {
			return v, err
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			var zero T
			return zero, errors.New("timed out waiting for the controller")
		}
	}
}
