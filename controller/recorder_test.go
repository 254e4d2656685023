package controller_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/storetest"
)

// newWriter returns an event writer over e's client, on e's store clock.
func newWriter(t *testing.T, e *env, opts controller.EventWriterOptions) *controller.EventWriter {
	t.Helper()
	opts.Clock, opts.Logger = e.clock, discard
	if opts.Host == "" {
		opts.Host = "test-host"
	}
	w, err := controller.NewEventWriter(e.client, opts)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// events lists the events of a namespace.
func events(t *testing.T, e *env, ns string) []*core.Event {
	t.Helper()
	l, err := client.For[*core.Event](e.client).List(context.Background(), store.ListOptions{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	return l.Items
}

func TestEventAggregation(t *testing.T) {
	e := newEnv(t)
	w := newWriter(t, e, controller.EventWriterOptions{})
	rec := w.Recorder("test-controller")
	web := create(e, storetest.Deployment("default", "web", 1))

	// Repeats recorded before the writer runs are merged into one write.
	for range 3 {
		rec.Event(web, core.EventTypeNormal, "ScalingReplicaSet", "Scaled up to 1")
	}
	rec.Eventf(web, core.EventTypeWarning, "FailedCreate", "quota %s exceeded", "pods")
	e.run(w)
	eventually(t, "4 occurrences written", func() bool { return w.Written() == 4 })

	evs := events(t, e, "default")
	if len(evs) != 2 {
		t.Fatalf("%d events, want 2: %v", len(evs), evs)
	}
	byReason := map[string]*core.Event{}
	for _, ev := range evs {
		byReason[ev.Reason] = ev
	}
	scaled := byReason["ScalingReplicaSet"]
	if scaled == nil || scaled.Count != 3 || scaled.Type != core.EventTypeNormal || scaled.Message != "Scaled up to 1" {
		t.Fatalf("aggregated event = %+v", scaled)
	}
	ref := scaled.InvolvedObject
	if ref.Kind != "Deployment" || ref.APIVersion != "apps/v1" || ref.Name != "web" || ref.Namespace != "default" || ref.UID != web.UID {
		t.Fatalf("involvedObject = %+v", ref)
	}
	if scaled.Source.Component != "test-controller" || scaled.Source.Host != "test-host" || scaled.ReportingController != "test-controller" {
		t.Fatalf("source = %+v, reporting %q", scaled.Source, scaled.ReportingController)
	}
	prefix, hex, ok := strings.Cut(scaled.Name, ".")
	if _, err := strconv.ParseUint(hex, 16, 64); !ok || prefix != "web" || err != nil {
		t.Fatalf("event name %q, want web.<hex>", scaled.Name)
	}
	if f := byReason["FailedCreate"]; f == nil || f.Message != "quota pods exceeded" || f.Count != 1 || f.Type != core.EventTypeWarning {
		t.Fatalf("warning event = %+v", f)
	}
	first := scaled.FirstTimestamp

	// A repeat later raises the count of the same object and moves lastTimestamp only.
	e.clock.Step(time.Minute)
	rec.Event(web, core.EventTypeNormal, "ScalingReplicaSet", "Scaled up to 1")
	eventually(t, "the repeat written", func() bool { return w.Written() == 5 })
	evs = events(t, e, "default")
	if len(evs) != 2 {
		t.Fatalf("%d events after the repeat, want 2", len(evs))
	}
	for _, ev := range evs {
		if ev.Reason != "ScalingReplicaSet" {
			continue
		}
		if ev.Count != 4 || !ev.FirstTimestamp.Time.Equal(first.Time) || !ev.LastTimestamp.Time.Equal(first.Add(time.Minute)) {
			t.Fatalf("after repeat: count %d first %v last %v", ev.Count, ev.FirstTimestamp, ev.LastTimestamp)
		}
	}
}

func TestEventKinds(t *testing.T) {
	e := newEnv(t)
	w := newWriter(t, e, controller.EventWriterOptions{})
	rec := w.Recorder("node-controller")
	node := &core.Node{ObjectMeta: meta.ObjectMeta{Name: "node-1", UID: "n1"}}
	rec.Event(node, core.EventTypeNormal, "NodeReady", "ready")
	rec.Event(node, "Bogus", "Ignored", "an unsupported type is dropped")
	long := strings.Repeat("é", 600) // 1200 bytes
	rec.Event(node, core.EventTypeWarning, "Long", long)
	e.run(w)
	eventually(t, "2 events written", func() bool { return w.Written() == 2 })
	evs := events(t, e, core.NamespaceDefault)
	if len(evs) != 2 {
		t.Fatalf("%d events in default, want 2 (cluster-scoped objects' events go there)", len(evs))
	}
	for _, ev := range evs {
		if ev.InvolvedObject.Kind != "Node" || ev.InvolvedObject.APIVersion != "v1" || ev.InvolvedObject.Namespace != "" {
			t.Errorf("involvedObject = %+v", ev.InvolvedObject)
		}
		if ev.Reason == "Long" && (len(ev.Message) > 1024 || !strings.HasPrefix(long, ev.Message) || len(ev.Message) < 1020) {
			t.Errorf("long message kept %d bytes", len(ev.Message))
		}
	}
}

func TestEventRecreatedAfterDelete(t *testing.T) {
	e := newEnv(t)
	w := newWriter(t, e, controller.EventWriterOptions{})
	rec := w.Recorder("c")
	cm := create(e, configMap("a"))
	e.run(w)
	rec.Event(cm, core.EventTypeNormal, "Synced", "ok")
	eventually(t, "the event written", func() bool { return w.Written() == 1 })
	evs := events(t, e, "default")
	if _, err := client.For[*core.Event](e.client).Delete(context.Background(), "default", evs[0].Name); err != nil {
		t.Fatal(err)
	}
	rec.Event(cm, core.EventTypeNormal, "Synced", "ok")
	eventually(t, "the repeat written", func() bool { return w.Written() == 2 })
	evs = events(t, e, "default")
	if len(evs) != 1 || evs[0].Count != 1 {
		t.Fatalf("events = %+v, want one new event with count 1", evs)
	}
}

func TestEventBufferFullDrops(t *testing.T) {
	e := newEnv(t)
	w := newWriter(t, e, controller.EventWriterOptions{BufferSize: 2})
	rec := w.Recorder("c")
	cm := create(e, configMap("a"))
	for i := range 5 {
		rec.Eventf(cm, core.EventTypeNormal, "Tick", "%d", i) // never blocks
	}
	if got := w.Dropped(); got != 3 {
		t.Fatalf("Dropped = %d, want 3", got)
	}
	// What was buffered is written, even when the writer is stopped at once.
	ctx, cancel := context.WithCancel(e.ctx)
	cancel()
	if err := w.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if got := len(events(t, e, "default")); got != 2 || w.Written() != 2 {
		t.Fatalf("%d events (%d written), want the 2 buffered", got, w.Written())
	}
}

func TestEventWriterOptions(t *testing.T) {
	e := newEnv(t)
	if _, err := controller.NewEventWriter(e.client, controller.EventWriterOptions{BufferSize: -1}); err == nil {
		t.Error("negative buffer accepted")
	}
	w := newWriter(t, e, controller.EventWriterOptions{})
	stop := e.run(w)
	w.Recorder("c").Event(create(e, configMap("a")), core.EventTypeNormal, "Running", "")
	eventually(t, "the writer running", func() bool { return w.Written() == 1 })
	if err := w.Start(e.ctx); !errors.Is(err, controller.ErrAlreadyRunning) {
		t.Fatalf("second Start: %v, want ErrAlreadyRunning", err)
	}
	stop()
}
