package podcontrol_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// recorder collects events as "Type Reason Message".
type recorder struct {
	mu     sync.Mutex
	events []string
}

func (r *recorder) Event(_ meta.Object, eventType, reason, message string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, eventType+" "+reason+" "+message)
}

func (r *recorder) Eventf(obj meta.Object, eventType, reason, format string, args ...any) {
	r.Event(obj, eventType, reason, fmt.Sprintf(format, args...))
}

// openClient opens a bbolt store in a temporary directory; admit, when set, is its admission
// hook.
func openClient(t *testing.T, admit store.AdmitFunc) client.Client {
	t.Helper()
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clock.NewFake(now), Admit: admit})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	return client.NewLocal(st, sch)
}

func owner() *apps.ReplicaSet {
	return &apps.ReplicaSet{
		TypeMeta:   meta.TypeMeta{APIVersion: "apps/v1", Kind: "ReplicaSet"},
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web-5d4f8", UID: "rs-uid"},
	}
}

func template() *core.PodTemplateSpec {
	return &core.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{
			Labels:      map[string]string{"app": "web"},
			Annotations: map[string]string{"note": "x"},
			Finalizers:  []string{"example.com/keep"},
		},
		Spec: core.PodSpec{Containers: []core.Container{{Name: "app", Image: "nginx:1.27"}}},
	}
}

func TestPodFromTemplate(t *testing.T) {
	tmpl := template()
	ref := meta.NewControllerRef(owner())
	p := podcontrol.PodFromTemplate(tmpl, "web-5d4f8", &ref)
	if p.GenerateName != "web-5d4f8-" || p.Name != "" || p.Namespace != "" {
		t.Errorf("name %q generateName %q namespace %q", p.Name, p.GenerateName, p.Namespace)
	}
	if p.Labels["app"] != "web" || p.Annotations["note"] != "x" || len(p.Finalizers) != 1 {
		t.Errorf("metadata not copied: %+v", p.ObjectMeta)
	}
	if len(p.OwnerReferences) != 1 || !p.OwnerReferences[0].IsController() || p.OwnerReferences[0].UID != "rs-uid" {
		t.Errorf("owner references %+v", p.OwnerReferences)
	}
	// Nothing is shared with the template.
	p.Labels["app"] = "changed"
	p.Spec.Containers[0].Image = "changed"
	p.Finalizers[0] = "changed"
	if tmpl.Labels["app"] != "web" || tmpl.Spec.Containers[0].Image != "nginx:1.27" || tmpl.Finalizers[0] != "example.com/keep" {
		t.Error("the pod shares memory with its template")
	}
	if p := podcontrol.PodFromTemplate(tmpl, "web", nil); len(p.OwnerReferences) != 0 {
		t.Error("owner reference without a ref")
	}
}

func TestPodNamePrefix(t *testing.T) {
	long := strings.Repeat("a", 253)
	tests := map[string]string{
		"web":   "web-",
		long:    long, // the dash would make it too long
		"Upper": "Upper",
	}
	for in, want := range tests {
		if got := podcontrol.PodNamePrefix(in); got != want {
			t.Errorf("PodNamePrefix(%.10q...) = %.10q..., want %.10q...", in, got, want)
		}
	}
}

func TestValidateControllerRef(t *testing.T) {
	good := meta.NewControllerRef(owner())
	tests := []struct {
		name   string
		change func(*meta.OwnerReference)
		ok     bool
	}{
		{"good", func(*meta.OwnerReference) {}, true},
		{"no apiVersion", func(r *meta.OwnerReference) { r.APIVersion = "" }, false},
		{"no kind", func(r *meta.OwnerReference) { r.Kind = "" }, false},
		{"no uid", func(r *meta.OwnerReference) { r.UID = "" }, false},
		{"not controller", func(r *meta.OwnerReference) { r.Controller = new(false) }, false},
		{"not blocking", func(r *meta.OwnerReference) { r.BlockOwnerDeletion = nil }, false},
	}
	for _, tt := range tests {
		ref := *good.DeepCopy()
		tt.change(&ref)
		err := podcontrol.ValidateControllerRef(ref)
		if (err == nil) != tt.ok || (err != nil && !errors.Is(err, podcontrol.ErrInvalidControllerRef)) {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestCreateAndDeletePod(t *testing.T) {
	ctx := context.Background()
	c := openClient(t, nil)
	rec := &recorder{}
	pc := podcontrol.New(c, rec)
	rs := owner()
	tmpl := template()
	tmpl.Finalizers = nil // an unscheduled pod without finalizers goes at once
	created, err := pc.CreatePod(ctx, "default", tmpl, rs, meta.NewControllerRef(rs))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(created.Name, "web-5d4f8-") || len(created.Name) != len("web-5d4f8-")+5 {
		t.Errorf("created pod named %q", created.Name)
	}
	if !meta.IsControlledBy(created, rs) {
		t.Error("the created pod is not controlled by its owner")
	}
	if err := pc.DeletePod(ctx, "default", created.Name, rs); err != nil {
		t.Fatal(err)
	}
	if err := pc.DeletePod(ctx, "default", created.Name, rs); !store.IsNotFound(err) {
		t.Fatalf("second delete: %v, want NotFound", err)
	}
	want := []string{
		"Normal SuccessfulCreate Created pod: " + created.Name,
		"Normal SuccessfulDelete Deleted pod: " + created.Name,
	}
	if fmt.Sprint(rec.events) != fmt.Sprint(want) {
		t.Errorf("events\n got %q\nwant %q", rec.events, want)
	}
}

func TestCreatePodFailures(t *testing.T) {
	ctx := context.Background()
	quota := store.NewForbidden(scheme.GroupResource{Resource: "pods"}, "", "exceeded quota: compute")
	terminating := &store.StatusError{Reason: store.ReasonForbidden, Code: 403, Message: "namespace default is terminating",
		Causes: []meta.StatusCause{{Type: podcontrol.NamespaceTerminatingCause}}}
	var refuse error
	c := openClient(t, func(_ context.Context, a store.Attributes) error {
		if a.Operation == store.OpCreate && a.Kind.GVK == scheme.PodGVK {
			return refuse
		}
		return nil
	})
	rs := owner()
	tests := []struct {
		name      string
		tmpl      *core.PodTemplateSpec
		ref       meta.OwnerReference
		refuse    error
		wantErr   func(error) bool
		wantEvent string
	}{
		{"quota", template(), meta.NewControllerRef(rs), quota, store.IsForbidden,
			"Warning FailedCreate Error creating: " + quota.Error()},
		{"namespace terminating: no event", template(), meta.NewControllerRef(rs), terminating, podcontrol.IsNamespaceTerminating, ""},
		{"no labels", &core.PodTemplateSpec{Spec: template().Spec}, meta.NewControllerRef(rs), nil,
			func(err error) bool { return errors.Is(err, podcontrol.ErrNoLabels) }, ""},
		{"bad ref", template(), meta.OwnerReference{Kind: "ReplicaSet"}, nil,
			func(err error) bool { return errors.Is(err, podcontrol.ErrInvalidControllerRef) }, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			refuse = tt.refuse
			rec := &recorder{}
			_, err := podcontrol.New(c, rec).CreatePod(ctx, "default", tt.tmpl, rs, tt.ref)
			if err == nil || !tt.wantErr(err) {
				t.Fatalf("CreatePod: %v", err)
			}
			var got string
			if len(rec.events) > 0 {
				got = rec.events[0]
			}
			if got != tt.wantEvent || len(rec.events) > 1 {
				t.Fatalf("events %q, want %q", rec.events, tt.wantEvent)
			}
		})
	}
	if podcontrol.IsNamespaceTerminating(errors.New("plain")) || podcontrol.IsNamespaceTerminating(quota) {
		t.Error("IsNamespaceTerminating without the cause")
	}
}

func TestDeletePodFailure(t *testing.T) {
	ctx := context.Background()
	var refuse bool
	c := openClient(t, func(_ context.Context, a store.Attributes) error {
		if refuse && a.Operation == store.OpDelete {
			return store.NewServerTimeout(scheme.GroupResource{Resource: "pods"}, "x", "delete")
		}
		return nil
	})
	rec := &recorder{}
	pc := podcontrol.New(c, rec)
	rs := owner()
	p, err := pc.CreatePod(ctx, "default", template(), rs, meta.NewControllerRef(rs))
	if err != nil {
		t.Fatal(err)
	}
	refuse = true
	err = pc.DeletePod(ctx, "default", p.Name, rs)
	if !store.IsTimeout(err) {
		t.Fatalf("DeletePod: %v", err)
	}
	if last := rec.events[len(rec.events)-1]; !strings.HasPrefix(last, "Warning FailedDelete Error deleting: ") {
		t.Fatalf("event %q", last)
	}
}
