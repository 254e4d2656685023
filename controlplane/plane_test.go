package controlplane_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var discard = logr.FromSlogHandler(slog.DiscardHandler)

func config(dir string) controlplane.Config {
	return controlplane.Config{DataDir: dir, Clock: clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)), Logger: discard}
}

func TestStartStop(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	p, err := controlplane.Start(ctx, config(dir))
	if err != nil {
		t.Fatal(err)
	}
	nss, err := client.For[*core.Namespace](p.Client()).List(ctx, store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ns := range nss.Items {
		names = append(names, ns.Name)
	}
	if strings.Join(names, ",") != "default,kube-node-lease,kube-public,kube-system" {
		t.Fatalf("namespaces = %v, want the four system namespaces", names)
	}
	if _, err := client.For[*core.ConfigMap](p.Client()).Create(ctx, &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "nowhere", Name: "x"}}); !store.IsNotFound(err) {
		t.Fatalf("create in a missing namespace: want NotFound, got %v", err)
	}
	cms := client.For[*core.ConfigMap](p.Client())
	if _, err := cms.Create(ctx, &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "kept"}}); err != nil {
		t.Fatal(err)
	}
	if p.Err() != nil {
		t.Fatal("Err before the plane stopped")
	}
	if err := p.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := p.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	select {
	case <-p.Done():
	default:
		t.Fatal("Done not closed after Stop")
	}
	if _, err := cms.Get(ctx, "default", "kept"); err == nil {
		t.Fatal("the client still works after Stop")
	}

	// The data survives a restart on the same directory.
	p2, err := controlplane.Start(ctx, config(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Stop()
	if _, err := client.For[*core.ConfigMap](p2.Client()).Get(ctx, "default", "kept"); err != nil {
		t.Fatalf("after restart: %v", err)
	}
}

func TestContextStopsPlane(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	p, err := controlplane.Start(ctx, config(t.TempDir()))
	if err != nil {
		t.Fatal(err)
	}
	cancel()
	select {
	case <-p.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("the plane did not stop with its context")
	}
	if err := p.Err(); err != nil {
		t.Fatalf("Err = %v", err)
	}

	done, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := controlplane.Start(done, config(t.TempDir())); !errors.Is(err, context.Canceled) {
		t.Fatalf("Start with a done context: %v", err)
	}
}

func TestDataDirLocked(t *testing.T) {
	dir := t.TempDir()
	p, err := controlplane.Start(context.Background(), config(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	if _, err := controlplane.Start(context.Background(), config(dir)); !errors.Is(err, boltstore.ErrLocked) {
		t.Fatalf("second plane on one directory: %v, want ErrLocked", err)
	}
}

func TestEndpointsAndAccessors(t *testing.T) {
	cfg := config(t.TempDir())
	cfg.MetricsAddr, cfg.HealthAddr = "127.0.0.1:0", "127.0.0.1:0"
	cfg.LeaderElection = true
	p, err := controlplane.Start(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	m := p.Manager()
	if m.MetricsAddr() == "" || m.HealthAddr() == "" {
		t.Fatalf("addresses %q %q", m.MetricsAddr(), m.HealthAddr())
	}
	if p.Scheme() != p.Client().Scheme() || p.Clock() != cfg.Clock || p.Store() == nil {
		t.Fatal("accessors disagree with the configuration")
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  controlplane.Config
		ok   bool
	}{
		{"minimal", controlplane.Config{DataDir: "x"}, true},
		{"no data dir", controlplane.Config{}, false},
		{"negative timeout", controlplane.Config{DataDir: "x", ShutdownTimeout: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
	if _, err := controlplane.Start(context.Background(), controlplane.Config{}); err == nil {
		t.Fatal("Start without DataDir succeeded")
	}
}
