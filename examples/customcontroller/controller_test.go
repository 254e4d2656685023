package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// harness is a test plane running the Website controller.
type harness struct {
	*planetest.Plane
	websites    *client.Typed[*Website]
	deployments *client.Typed[*apps.Deployment]
}

func start(t *testing.T) *harness {
	t.Helper()
	sch := scheme.NewBuiltin()
	if err := AddToScheme(sch); err != nil {
		t.Fatal(err)
	}
	p := planetest.Start(t, planetest.WithScheme(sch))
	if _, err := SetupWebsiteController(p.Manager()); err != nil {
		t.Fatal(err)
	}
	return &harness{Plane: p, websites: client.For[*Website](p.Client()), deployments: client.For[*apps.Deployment](p.Client())}
}

func (h *harness) createSite(t *testing.T, name, image string, replicas int32) *Website {
	t.Helper()
	w, err := h.websites.Create(context.Background(), &Website{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec:       WebsiteSpec{Image: image, Replicas: &replicas},
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// deployment waits until the named deployment satisfies cond and returns it.
func (h *harness) deployment(t *testing.T, name string, cond func(*apps.Deployment) bool) *apps.Deployment {
	t.Helper()
	var d *apps.Deployment
	h.Eventually(func() bool {
		var err error
		d, err = h.deployments.Get(context.Background(), "default", name)
		return err == nil && cond(d)
	}, planetest.Message("deployment %s", name))
	return d
}

// site waits until the named website satisfies cond and returns it.
func (h *harness) site(t *testing.T, name string, cond func(*Website) bool) *Website {
	t.Helper()
	var w *Website
	h.Eventually(func() bool {
		var err error
		w, err = h.websites.Get(context.Background(), "default", name)
		return err == nil && cond(w)
	}, planetest.Message("website %s", name))
	return w
}

func TestWebsiteCreatesDeployment(t *testing.T) {
	h := start(t)
	site := h.createSite(t, "blog", "nginx:1.27", 2)
	d := h.deployment(t, "blog", func(*apps.Deployment) bool { return true })
	if !meta.IsControlledBy(d, site) {
		t.Fatalf("deployment owners = %+v, want the website as controller", d.OwnerReferences)
	}
	if *d.Spec.Replicas != 2 || d.Spec.Template.Spec.Containers[0].Image != "nginx:1.27" {
		t.Fatalf("deployment spec = %+v", d.Spec)
	}
	w := h.site(t, "blog", func(w *Website) bool { return w.Status.ObservedGeneration == w.Generation })
	if w.Status.Deployment != "blog" || meta.IsConditionTrue(w.Status.Conditions, ConditionReady) {
		t.Fatalf("status = %+v, want deployment blog, not ready", w.Status)
	}
}

func TestWebsiteFollowsSpecAndDeployment(t *testing.T) {
	h := start(t)
	h.createSite(t, "blog", "nginx:1.27", 1)
	h.deployment(t, "blog", func(*apps.Deployment) bool { return true })
	ctx := context.Background()

	// A spec change of the website reaches the deployment.
	if _, err := client.GuaranteedUpdate(ctx, h.websites, "default", "blog", func(w *Website) error {
		w.Spec.Image = "nginx:1.28"
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	h.deployment(t, "blog", func(d *apps.Deployment) bool { return d.Spec.Template.Spec.Containers[0].Image == "nginx:1.28" })

	// A change made to the owned deployment is put right: Owns maps it to the website.
	if _, err := client.GuaranteedUpdate(ctx, h.deployments, "default", "blog", func(d *apps.Deployment) error {
		five := int32(5)
		d.Spec.Replicas = &five
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	h.deployment(t, "blog", func(d *apps.Deployment) bool { return *d.Spec.Replicas == 1 })

	// The deployment's readiness is reported on the website.
	if _, err := client.GuaranteedUpdateStatus(ctx, h.deployments, "default", "blog", func(d *apps.Deployment) error {
		d.Status.Replicas, d.Status.ReadyReplicas = 1, 1
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	w := h.site(t, "blog", func(w *Website) bool { return meta.IsConditionTrue(w.Status.Conditions, ConditionReady) })
	if w.Status.ReadyReplicas != 1 {
		t.Fatalf("status = %+v", w.Status)
	}
}

func TestWebsiteEvents(t *testing.T) {
	h := start(t)
	site := h.createSite(t, "blog", "nginx:1.27", 1)
	var evs []*core.Event
	h.Eventually(func() bool {
		l, err := client.For[*core.Event](h.Client()).List(context.Background(), store.ListOptions{Namespace: "default"})
		if err != nil {
			t.Fatal(err)
		}
		// The built-in deployment controller records events of its own in
		// the namespace; only those about the website count here.
		evs = evs[:0]
		for _, e := range l.Items {
			if e.InvolvedObject.UID == site.UID {
				evs = append(evs, e)
			}
		}
		return len(evs) == 1
	}, planetest.Message("the Created event"))
	e := evs[0]
	if e.Reason != "Created" || e.Type != core.EventTypeNormal || e.InvolvedObject.UID != site.UID ||
		e.InvolvedObject.Kind != "Website" || e.Source.Component != "website-controller" {
		t.Fatalf("event = %+v", e)
	}
	if !e.FirstTimestamp.Time.Equal(planetest.Epoch) {
		t.Fatalf("event at %v, want the fake clock's %v", e.FirstTimestamp, planetest.Epoch)
	}
}

func TestWebsiteConflict(t *testing.T) {
	h := start(t)
	ctx := context.Background()
	other := desiredDeployment(&Website{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "blog", UID: "someone-else"},
		Spec: WebsiteSpec{Image: "httpd", Replicas: new(int32)}})
	other.OwnerReferences = nil
	if _, err := h.deployments.Create(ctx, other); err != nil {
		t.Fatal(err)
	}
	h.createSite(t, "blog", "nginx:1.27", 1)
	// When the controller's cache has not seen that Deployment yet, its create fails with
	// AlreadyExists and it asks to be requeued after a back-off on the plane's fake clock:
	// move the clock while waiting, as time would pass in a cluster.
	var w *Website
	h.Eventually(func() bool {
		var err error
		w, err = h.websites.Get(ctx, "default", "blog")
		return err == nil && meta.FindCondition(w.Status.Conditions, ConditionReady) != nil
	}, h.Step(time.Second), planetest.Message("website blog's Ready condition"))
	if c := meta.FindCondition(w.Status.Conditions, ConditionReady); c.Reason != "Conflict" || c.Status != meta.ConditionFalse {
		t.Fatalf("condition = %+v, want Ready=False Conflict", c)
	}
	if d, _ := h.deployments.Get(ctx, "default", "blog"); d.Spec.Template.Spec.Containers[0].Image != "httpd" {
		t.Fatal("the controller changed a deployment it does not own")
	}
}

func TestValidation(t *testing.T) {
	h := start(t)
	_, err := h.websites.Create(context.Background(), &Website{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "bad"}})
	if !store.IsInvalid(err) || !strings.Contains(err.Error(), "spec.image") {
		t.Fatalf("create without image: %v, want Invalid naming spec.image", err)
	}
}

// TestRun runs what `go run ./examples/customcontroller` runs, on the real clock.
func TestRun(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), t.TempDir(), logr.FromSlogHandler(slog.DiscardHandler), &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"controller created deployment blog", "controller scaled deployment blog to 3 replicas", "event: Normal Created"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
