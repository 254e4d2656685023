package rstest_test

import (
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/internal/rstest"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
	"github.com/skiff-dev/skiff/store/faultstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func pod(name string, lbls map[string]string) *core.Pod {
	return &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, Labels: lbls},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx"}}},
	}
}

// TestUpdateRetriesFaults updates through a store where a third of the writes conflict and
// a third fail transiently: every change lands, each exactly once.
func TestUpdateRetriesFaults(t *testing.T) {
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	faulty := faultstore.New(st, faultstore.Options{Scheme: sch, ConflictRate: 0.3, TransientRate: 0.3, Seed: 7})
	pods := client.For[*core.Pod](client.NewLocal(faulty, sch))
	// Creates fail transiently too: create through the store without faults.
	rstest.Create(t, client.For[*core.Pod](client.NewLocal(st, sch)), pod("web", map[string]string{"n": ""}))

	for range 20 {
		rstest.Update(t, pods, "default", "web", func(p *core.Pod) { p.Labels["n"] += "x" })
	}
	got := rstest.Get(t, pods, "default", "web")
	if got.Labels["n"] != "xxxxxxxxxxxxxxxxxxxx" {
		t.Fatalf("label n = %q, want 20 x: a change was lost or applied twice", got.Labels["n"])
	}
	if f := faulty.Counts(); f.Conflicts == 0 || f.Transients == 0 {
		t.Fatalf("faults %+v: the retries were not exercised", f)
	}
}

func TestActivePodsAndEvents(t *testing.T) {
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clock.NewFake(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c := client.NewLocal(st, sch)
	pods := client.For[*core.Pod](c)
	for _, name := range []string{"web-b", "web-a", "api", "web-done"} {
		rstest.Create(t, pods, pod(name, map[string]string{"app": name[:3]}))
	}
	if _, err := client.GuaranteedUpdateStatus(t.Context(), pods, "default", "web-done", func(p *core.Pod) error {
		p.Status.Phase = core.PodSucceeded
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range rstest.ActivePods(t, c, "default", func(p *core.Pod) bool { return p.Labels["app"] == "web" }) {
		names = append(names, p.Name)
	}
	if len(names) != 2 || names[0] != "web-a" || names[1] != "web-b" {
		t.Fatalf("active web pods %v, want [web-a web-b]", names)
	}

	events := client.For[*core.Event](c)
	for i, e := range []struct{ kind, name, reason, msg string }{
		{"ReplicaSet", "web", "SuccessfulCreate", "Created pod: web-a"},
		{"ReplicaSet", "web", "SuccessfulDelete", "Deleted pod: web-a"},
		{"Deployment", "web", "SuccessfulCreate", "not a ReplicaSet's"},
		{"ReplicaSet", "api", "SuccessfulCreate", "another ReplicaSet's"},
	} {
		rstest.Create(t, events, &core.Event{
			ObjectMeta:     meta.ObjectMeta{Namespace: "default", Name: "ev-" + string(rune('a'+i))},
			InvolvedObject: core.ObjectReference{Kind: e.kind, Namespace: "default", Name: e.name},
			Reason:         e.reason, Message: e.msg, Type: core.EventTypeNormal,
		})
	}
	if got := rstest.EventMessages(t, c, "default", "ReplicaSet", "web", "SuccessfulCreate"); len(got) != 1 || got[0] != "Created pod: web-a" {
		t.Fatalf("events %q", got)
	}
}
