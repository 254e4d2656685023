package manager_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/reconcile"
)

// TestHealthAndMetricsEndpoints serves /healthz, /readyz and /metrics on two addresses:
// /readyz turns ready only once the caches have synced, and /metrics is scraped for the
// controller and work-queue metrics.
func TestHealthAndMetricsEndpoints(t *testing.T) {
	clk := clock.NewFake(epoch)
	local := openStore(t, nil, clk)
	gated := &gatedClient{Client: local, gate: make(chan struct{})}
	defer gated.open()
	m := newManager(t, gated, clk, func(o *manager.Options) {
		o.MetricsAddr, o.HealthAddr = "127.0.0.1:0", "127.0.0.1:0"
	})
	done := make(chan reconcile.Request, 1)
	err := controller.NewBuilder[*core.ConfigMap](m).Named("configs").Complete(reconcile.Func(
		func(_ context.Context, req reconcile.Request) (reconcile.Result, error) {
			done <- req
			return reconcile.Result{}, nil
		}))
	if err != nil {
		t.Fatal(err)
	}
	start(t, m)
	waitFor(t, "listeners", m.Started())
	health, metrics := "http://"+m.HealthAddr(), "http://"+m.MetricsAddr()
	if health == metrics {
		t.Fatalf("both served on %s", health)
	}

	if code, body := get(t, health+"/healthz"); code != 200 || body != "ok" {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, health+"/readyz"); code != 503 || !strings.Contains(body, "[-]informers failed") {
		t.Fatalf("/readyz before sync = %d %q, want 503 naming the informers", code, body)
	}
	m.AddReadyzCheck("custom", func(*http.Request) error { return nil })
	gated.open()
	waitFor(t, "ready", m.Ready())
	if code, body := get(t, health+"/readyz"); code != 200 || body != "ok" {
		t.Fatalf("/readyz after sync = %d %q", code, body)
	}
	if code, body := get(t, health+"/readyz?verbose"); code != 200 || !strings.Contains(body, "[+]informers ok") || !strings.Contains(body, "[+]custom ok") {
		t.Fatalf("/readyz?verbose = %d %q", code, body)
	}

	if _, err := client.For[*core.ConfigMap](local).Create(context.Background(), &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "a"}}); err != nil {
		t.Fatal(err)
	}
	<-done
	eventually(t, "the reconcile counted", func() bool {
		_, body := get(t, metrics+"/metrics")
		return strings.Contains(body, `controller_runtime_reconcile_total{controller="configs",result="success"} 1`)
	})
	_, body := get(t, metrics+"/metrics")
	for _, want := range []string{
		`controller_runtime_reconcile_time_seconds_count{controller="configs"} 1`,
		`controller_runtime_reconcile_errors_total{controller="configs"} 0`,
		`controller_runtime_max_concurrent_reconciles{controller="configs"} 1`,
		`workqueue_adds_total{controller="configs",name="configs"} 1`,
		`workqueue_depth{controller="configs",name="configs"} 0`,
		`workqueue_queue_duration_seconds_count{controller="configs",name="configs"} 1`,
		`workqueue_work_duration_seconds_count{controller="configs",name="configs"} 1`,
		`workqueue_retries_total{controller="configs",name="configs"} 0`,
		`skiff_events_dropped_total 0`,
		`go_goroutines `,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
	if code, _ := get(t, health+"/metrics"); code != 404 {
		t.Errorf("/metrics on the health address = %d, want 404", code)
	}
}

// TestOneAddress serves everything on one fixed address.
func TestOneAddress(t *testing.T) {
	clk := clock.NewFake(epoch)
	addr := freeAddr(t)
	m := newManager(t, openStore(t, nil, clk), clk, func(o *manager.Options) {
		o.MetricsAddr, o.HealthAddr = addr, addr
	})
	m.AddHealthzCheck("broken", func(*http.Request) error { return errFailed })
	start(t, m)
	waitFor(t, "ready", m.Ready())
	addr = "http://" + m.HealthAddr()
	if m.MetricsAddr() != m.HealthAddr() {
		t.Fatalf("metrics on %s, health on %s", m.MetricsAddr(), m.HealthAddr())
	}
	if code, body := get(t, addr+"/healthz"); code != 503 || !strings.Contains(body, "[-]broken failed: failed on purpose") || !strings.Contains(body, "[+]ping ok") {
		t.Fatalf("/healthz = %d %q", code, body)
	}
	if code, body := get(t, addr+"/metrics"); code != 200 || !strings.Contains(body, "go_goroutines") {
		t.Fatalf("/metrics = %d", code)
	}
}

func TestListenFailure(t *testing.T) {
	clk := clock.NewFake(epoch)
	m := newManager(t, openStore(t, nil, clk), clk, func(o *manager.Options) { o.HealthAddr = "256.0.0.1:0" })
	if err := m.Start(context.Background()); err == nil || !strings.Contains(err.Error(), "listening") {
		t.Fatalf("Start = %v, want a listen error", err)
	}
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
