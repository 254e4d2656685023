package controller_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/reconcile"
)

var errBoom = errors.New("boom")

// TestOutcomes drives one request through scripted outcomes and checks when, on the
// controller's fake clock, each following reconcile happens: errors and Requeue back off as
// the rate limiter says (1s, 2s, 4s ...), RequeueAfter waits exactly its delay and clears
// the back-off, success and terminal errors are not retried.
func TestOutcomes(t *testing.T) {
	type outcome struct {
		res reconcile.Result
		err error
		// panics makes the call panic instead.
		panics bool
	}
	ok := outcome{}
	fail := outcome{err: errBoom}
	tests := []struct {
		name    string
		policy  controller.PanicPolicy
		script  []outcome
		delays  []time.Duration // before each call after the first
		retried bool            // whether the last outcome leaves a retry pending
	}{
		{"success is not retried", 0, []outcome{ok}, nil, false},
		{"errors back off exponentially", 0, []outcome{fail, fail, fail, ok}, []time.Duration{1 * time.Second, 2 * time.Second, 4 * time.Second}, false},
		{"Requeue backs off like an error", 0, []outcome{{res: reconcile.Result{Requeue: true}}, {res: reconcile.Result{Requeue: true}}, ok},
			[]time.Duration{1 * time.Second, 2 * time.Second}, false},
		{"RequeueAfter waits its delay and clears the back-off", 0,
			[]outcome{fail, fail, {res: reconcile.Result{RequeueAfter: 30 * time.Second}}, fail, ok},
			[]time.Duration{1 * time.Second, 2 * time.Second, 30 * time.Second, 1 * time.Second}, false},
		{"RequeueAfter wins over Requeue", 0, []outcome{{res: reconcile.Result{RequeueAfter: 5 * time.Second, Requeue: true}}, ok},
			[]time.Duration{5 * time.Second}, false},
		{"terminal error is not retried", 0, []outcome{fail, {err: reconcile.TerminalError(errBoom)}}, []time.Duration{time.Second}, false},
		{"panic is retried", 0, []outcome{{panics: true}, {panics: true}, ok}, []time.Duration{1 * time.Second, 2 * time.Second}, false},
		{"panic is forgotten with PanicForget", controller.PanicForget, []outcome{fail, {panics: true}}, []time.Duration{time.Second}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			a := reconcile.Request{Namespace: "default", Name: "a"}
			rec := newRecorder(e.ctrlClock, func(req reconcile.Request, n int) (reconcile.Result, error) {
				if req != a {
					return reconcile.Result{}, nil
				}
				o := tt.script[min(n, len(tt.script)-1)]
				if o.panics {
					panic(fmt.Sprintf("scripted panic %d", n))
				}
				return o.res, o.err
			})
			c := e.newController("outcomes", rec, controller.Options{RateLimiter: exponential(time.Second), OnPanic: tt.policy})
			create(e, configMap("a"))
			e.run(c)

			rec.waitCalls(t, 1)
			for i, want := range tt.delays {
				if got := e.stepToNextDue(t); got != want {
					t.Fatalf("delay before call %d = %v, want %v", i+2, got, want)
				}
				rec.waitCalls(t, i+2)
			}
			// The only worker reconciles the sentinel after it has handled a's last outcome.
			create(e, configMap("sentinel"))
			calls := rec.waitCalls(t, len(tt.script)+1)
			if len(calls) != len(tt.script)+1 || calls[len(calls)-1].req.Name != "sentinel" {
				t.Fatalf("calls = %v, want %d of a then the sentinel", calls, len(tt.script))
			}
			if _, pending := e.ctrlClock.NextDue(); pending != tt.retried {
				t.Fatalf("retry pending = %v, want %v", pending, tt.retried)
			}
		})
	}
}

// TestMetrics checks the reconcile and work-queue metrics of a controller.
func TestMetrics(t *testing.T) {
	e := newEnv(t)
	reg := prometheus.NewRegistry()
	m, err := controller.NewMetrics(reg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := controller.NewMetrics(reg); err == nil {
		t.Fatal("registering the metrics twice on one registry succeeded")
	}
	script := []error{errBoom, reconcile.TerminalError(errBoom)}
	rec := newRecorder(e.ctrlClock, func(req reconcile.Request, n int) (reconcile.Result, error) {
		if req.Name == "a" && n < len(script) {
			return reconcile.Result{}, script[n]
		}
		if req.Name == "b" && n == 0 {
			return reconcile.Result{RequeueAfter: time.Minute}, nil
		}
		if req.Name == "c" && n == 0 {
			panic("c")
		}
		return reconcile.Result{}, nil
	})
	c := e.newController("metered", rec, controller.Options{RateLimiter: exponential(time.Second), Metrics: m})
	create(e, configMap("a"))
	create(e, configMap("b"))
	create(e, configMap("c"))
	e.run(c)
	rec.waitCalls(t, 3)
	eventually(t, "a's, b's and c's requeues", func() bool {
		return metricSum(t, reg, "workqueue_retries_total", "controller", "metered") == 3
	})
	e.ctrlClock.Step(time.Second) // a's and c's retries
	rec.waitCalls(t, 5)
	e.ctrlClock.Step(time.Minute) // b's requeue
	rec.waitCalls(t, 6)
	ctrl := []string{"controller", "metered"}
	eventually(t, "six reconciles counted", func() bool {
		return metricSum(t, reg, "controller_runtime_reconcile_total", ctrl...) == 6
	})
	for _, tc := range []struct {
		name   string
		labels []string
		want   float64
	}{
		{"controller_runtime_reconcile_total", []string{"result", "success"}, 2},
		{"controller_runtime_reconcile_total", []string{"result", "error"}, 3},
		{"controller_runtime_reconcile_total", []string{"result", "requeue_after"}, 1},
		{"controller_runtime_reconcile_errors_total", nil, 3},
		{"controller_runtime_terminal_reconcile_errors_total", nil, 1},
		{"controller_runtime_reconcile_panics_total", nil, 1},
		{"controller_runtime_reconcile_time_seconds", nil, 6},
		{"controller_runtime_max_concurrent_reconciles", nil, 1},
		{"controller_runtime_active_workers", nil, 0},
		{"workqueue_adds_total", []string{"name", "metered"}, 6},
		{"workqueue_retries_total", []string{"name", "metered"}, 3},
		{"workqueue_depth", []string{"name", "metered"}, 0},
		{"workqueue_queue_duration_seconds", []string{"name", "metered"}, 6},
		{"workqueue_work_duration_seconds", []string{"name", "metered"}, 6},
	} {
		if got := metricSum(t, reg, tc.name, append(ctrl, tc.labels...)...); got != tc.want {
			t.Errorf("%s%v = %v, want %v", tc.name, tc.labels, got, tc.want)
		}
	}
	for _, name := range []string{"workqueue_unfinished_work_seconds", "workqueue_longest_running_processor_seconds"} {
		if !hasMetric(t, reg, name) {
			t.Errorf("%s is not exported", name)
		}
	}
}

// TestReconcileLogger checks that each reconcile's context carries a logger with the
// controller, namespace, name and a reconcileID unique to the call.
func TestReconcileLogger(t *testing.T) {
	e := newEnv(t)
	var mu sync.Mutex // guards buf
	var buf bytes.Buffer
	log := logr.FromSlogHandler(slog.NewJSONHandler(writerFunc(func(b []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		return buf.Write(b)
	}), nil))
	rec := newRecorder(e.ctrlClock, nil)
	r := reconcile.Func(func(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
		logr.FromContextOrDiscard(ctx).Info("reconciling")
		return rec.Reconcile(ctx, req)
	})
	c := e.newController("logs", r, controller.Options{Logger: log})
	create(e, configMap("a"))
	create(e, configMap("b"))
	e.run(c)
	rec.waitCalls(t, 2)

	mu.Lock()
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	mu.Unlock()
	ids := map[string]bool{}
	for _, l := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(l), &rec); err != nil {
			t.Fatalf("%q: %v", l, err)
		}
		if rec["msg"] != "reconciling" {
			continue
		}
		if rec["controller"] != "logs" || rec["namespace"] != "default" || rec["name"] == "" || rec["reconcileID"] == "" {
			t.Errorf("log record lacks keys: %s", l)
		}
		ids[fmt.Sprint(rec["reconcileID"])] = true
	}
	if len(ids) != 2 {
		t.Fatalf("want 2 distinct reconcileIDs, got %v in %q", ids, lines)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(b []byte) (int, error) { return f(b) }

// TestGracefulShutdown checks that stopping a controller cancels the context of the
// reconcile in flight and waits for it to return.
func TestGracefulShutdown(t *testing.T) {
	e := newEnv(t)
	entered, sawCancel, release := make(chan struct{}), make(chan struct{}), make(chan struct{})
	var returned atomic.Bool
	r := reconcile.Func(func(ctx context.Context, _ reconcile.Request) (reconcile.Result, error) {
		close(entered)
		<-ctx.Done()
		close(sawCancel)
		<-release
		returned.Store(true)
		return reconcile.Result{}, ctx.Err()
	})
	c := e.newController("graceful", r, controller.Options{})
	create(e, configMap("a"))
	stop := e.run(c)
	<-entered

	stopped := make(chan struct{})
	go func() {
		stop()
		close(stopped)
	}()
	<-sawCancel
	select {
	case <-stopped:
		t.Fatal("Start returned while a reconcile was in flight")
	default:
	}
	close(release)
	<-stopped
	if !returned.Load() {
		t.Fatal("Start returned before the reconcile did")
	}
}

// TestMaxConcurrentReconciles runs 4 workers over 8 objects updated over and over: the
// workers do run in parallel, and no object is ever reconciled twice at once.
func TestMaxConcurrentReconciles(t *testing.T) {
	e := newEnv(t)
	const workers, objects, updates = 4, 8, 20
	var (
		mu        sync.Mutex // guards inFlight, maxGlobal and violation
		inFlight  = map[reconcile.Request]int{}
		global    int
		maxGlobal int
		violation string
	)
	gate := make(chan struct{}) // the first reconciles wait here until 4 run at once
	var gateOnce sync.Once
	r := reconcile.Func(func(_ context.Context, req reconcile.Request) (reconcile.Result, error) {
		mu.Lock()
		inFlight[req]++
		global++
		if inFlight[req] > 1 {
			violation = req.String()
		}
		maxGlobal = max(maxGlobal, global)
		full := global == workers
		mu.Unlock()
		if full {
			gateOnce.Do(func() { close(gate) })
		}
		select {
		case <-gate:
		case <-time.After(waitTimeout):
		}
		mu.Lock()
		inFlight[req]--
		global--
		mu.Unlock()
		return reconcile.Result{}, nil
	})
	c := e.newController("parallel", r, controller.Options{MaxConcurrentReconciles: workers})
	for i := range objects {
		create(e, configMap(fmt.Sprint("cm-", i)))
	}
	e.run(c)
	var wg sync.WaitGroup
	for i := range objects {
		wg.Go(func() {
			for j := range updates {
				update(e, "default", fmt.Sprint("cm-", i), func(cm *core.ConfigMap) {
					cm.Data = map[string]string{"n": fmt.Sprint(j)}
				})
			}
		})
	}
	wg.Wait()
	eventually(t, "the queue drained", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return global == 0
	})
	mu.Lock()
	defer mu.Unlock()
	if violation != "" {
		t.Fatalf("%s was reconciled by two workers at once", violation)
	}
	if maxGlobal != workers {
		t.Fatalf("at most %d reconciles ran at once, want %d", maxGlobal, workers)
	}
}

// TestCacheSyncTimeout checks that a source that never syncs fails Start after the timeout,
// on the clock, with an error that names it.
func TestCacheSyncTimeout(t *testing.T) {
	e := newEnv(t)
	c, err := controller.New("stuck", newRecorder(e.ctrlClock, nil), controller.Options{
		Clock: e.ctrlClock, Logger: discard, CacheSyncTimeout: time.Minute,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Watch(neverSynced{}); err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- c.Start(e.ctx) }()
	eventually(t, "the sync timer", func() bool { _, ok := e.ctrlClock.NextDue(); return ok })
	e.ctrlClock.Step(59 * time.Second)
	select {
	case err := <-errc:
		t.Fatalf("Start returned before the timeout: %v", err)
	default:
	}
	e.ctrlClock.Step(time.Second)
	err = <-errc
	if !errors.Is(err, controller.ErrCacheSyncTimeout) || !strings.Contains(err.Error(), "Widget.v1.example.com") {
		t.Fatalf("err = %v, want ErrCacheSyncTimeout naming the kind", err)
	}
}

// neverSynced is a Source whose initial state never arrives.
type neverSynced struct{}

func (neverSynced) String() string { return "Widget.v1.example.com" }
func (neverSynced) Start(context.Context, controller.Queue) (controller.Registration, error) {
	return neverReg{}, nil
}

type neverReg struct{}

func (neverReg) Synced() <-chan struct{} { return nil }
func (neverReg) Remove()                 {}

func TestStartTwiceAndRestart(t *testing.T) {
	e := newEnv(t)
	rec := newRecorder(e.ctrlClock, nil)
	c := e.newController("twice", rec, controller.Options{})
	create(e, configMap("a"))
	stop := e.run(c)
	rec.waitCalls(t, 1)
	if err := c.Start(e.ctx); !errors.Is(err, controller.ErrAlreadyRunning) {
		t.Fatalf("second Start: %v, want ErrAlreadyRunning", err)
	}
	if err := c.Watch(neverSynced{}); !errors.Is(err, controller.ErrRunning) {
		t.Fatalf("Watch while running: %v, want ErrRunning", err)
	}
	stop()
	// A stopped controller runs again with a fresh queue and sees the objects again.
	e.run(c)
	rec.waitCalls(t, 2)
}

func TestOptionsValidate(t *testing.T) {
	tests := []struct {
		name string
		opts controller.Options
		ok   bool
	}{
		{"zero", controller.Options{}, true},
		{"workers", controller.Options{MaxConcurrentReconciles: 4}, true},
		{"negative workers", controller.Options{MaxConcurrentReconciles: -1}, false},
		{"negative timeout", controller.Options{CacheSyncTimeout: -time.Second}, false},
		{"unknown policy", controller.Options{OnPanic: 7}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.opts.Validate(); (err == nil) != tt.ok {
				t.Fatalf("Validate() = %v, want ok=%v", err, tt.ok)
			}
		})
	}
	r := reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) { return reconcile.Result{}, nil })
	if _, err := controller.New("", r, controller.Options{}); !errors.Is(err, controller.ErrNoName) {
		t.Errorf("New without name: %v", err)
	}
	if _, err := controller.New("x", nil, controller.Options{}); !errors.Is(err, controller.ErrNoReconciler) {
		t.Errorf("New without reconciler: %v", err)
	}
}
