package namespace_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controllers/namespace"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const holdFinalizer = "test.skiff.dev/hold"

// newEnv opens a store guarded by namespace admission, with the system namespaces. With
// controller set, the namespace controller runs.
func newEnv(t *testing.T, controller bool) *managertest.Env {
	t.Helper()
	e := managertest.New(t, managertest.Options{Admission: new(namespace.Admission)})
	if err := namespace.EnsureSystemNamespaces(context.Background(), e.Client); err != nil {
		t.Fatal(err)
	}
	if controller {
		if _, err := namespace.Add(e.Manager, namespace.Options{Workers: 2}); err != nil {
			t.Fatal(err)
		}
	}
	e.Start(t)
	return e
}

func configMap(ns, name string, finalizers ...string) *core.ConfigMap {
	return &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: name, Finalizers: finalizers}}
}

func TestEnsureSystemNamespaces(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	if err := namespace.EnsureSystemNamespaces(ctx, e.Client); err != nil {
		t.Fatalf("a second call: %v", err)
	}
	list, err := client.For[*core.Namespace](e.Client).List(ctx, store.ListOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, ns := range list.Items {
		names = append(names, ns.Name)
		if ns.Status.Phase != core.NamespaceActive {
			t.Errorf("%s is %s", ns.Name, ns.Status.Phase)
		}
	}
	if got, want := strings.Join(names, ","), "default,kube-node-lease,kube-public,kube-system"; got != want {
		t.Fatalf("namespaces %s, want %s", got, want)
	}
}

func TestAdmission(t *testing.T) {
	e := newEnv(t, false)
	ctx := context.Background()
	namespaces := client.For[*core.Namespace](e.Client)
	cms := client.For[*core.ConfigMap](e.Client)
	// A namespace held by a finalizer stays, terminating, once deleted.
	if _, err := namespaces.Create(ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "leaving", Finalizers: []string{holdFinalizer}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := cms.Create(ctx, configMap("leaving", "before")); err != nil {
		t.Fatal(err)
	}
	if _, err := namespaces.Delete(ctx, "", "leaving"); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		write   func() error
		check   func(error) bool
		message string
	}{
		{"create in an existing namespace", func() error { _, err := cms.Create(ctx, configMap("default", "a")); return err },
			func(err error) bool { return err == nil }, ""},
		{"create in a missing namespace", func() error { _, err := cms.Create(ctx, configMap("nowhere", "a")); return err },
			store.IsNotFound, `namespaces "nowhere" not found`},
		{"create in a terminating namespace", func() error { _, err := cms.Create(ctx, configMap("leaving", "a")); return err },
			store.IsForbidden, `configmaps "a" is forbidden: unable to create new content in namespace leaving because it is being terminated`},
		{"update in a terminating namespace", func() error {
			_, err := client.GuaranteedUpdate(ctx, cms, "leaving", "before", func(cm *core.ConfigMap) error {
				cm.Data = map[string]string{"k": "v"}
				return nil
			})
			return err
		}, func(err error) bool { return err == nil }, ""},
		{"create a cluster-scoped object", func() error {
			_, err := client.For[*core.Node](e.Client).Create(ctx, &core.Node{ObjectMeta: meta.ObjectMeta{Name: "n"}})
			return err
		}, func(err error) bool { return err == nil }, ""},
		{"delete default", func() error { _, err := namespaces.Delete(ctx, "", "default"); return err },
			store.IsForbidden, `namespaces "default" is forbidden: this namespace may not be deleted`},
		{"delete kube-system", func() error { _, err := namespaces.Delete(ctx, "", "kube-system"); return err },
			store.IsForbidden, `namespaces "kube-system" is forbidden: this namespace may not be deleted`},
		{"delete kube-public", func() error { _, err := namespaces.Delete(ctx, "", "kube-public"); return err },
			store.IsForbidden, `namespaces "kube-public" is forbidden: this namespace may not be deleted`},
		{"delete content of a terminating namespace", func() error { _, err := cms.Delete(ctx, "leaving", "before"); return err },
			func(err error) bool { return err == nil }, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.write()
			if !tc.check(err) {
				t.Fatalf("got %v", err)
			}
			if tc.message != "" && err.Error() != tc.message {
				t.Fatalf("message %q, want %q", err.Error(), tc.message)
			}
		})
	}
	_, err := cms.Create(ctx, configMap("leaving", "b"))
	var se *store.StatusError
	if !errors.As(err, &se) || len(se.Causes) != 1 || se.Causes[0].Type != namespace.CauseNamespaceTerminating || se.Causes[0].Field != "metadata.namespace" {
		t.Fatalf("terminating namespace cause: %#v", err)
	}
}

func TestAdmissionWithoutReader(t *testing.T) {
	var a namespace.Admission
	info, err := scheme.NewBuiltin().ForGVK(scheme.ConfigMapGVK)
	if err != nil {
		t.Fatal(err)
	}
	err = a.Admit(context.Background(), store.Attributes{Operation: store.OpCreate, Kind: info, Object: configMap("default", "x")})
	if store.ReasonOf(err) != store.ReasonInternalError {
		t.Fatalf("got %v, want an InternalError", err)
	}
}

// TestNamespaceDeletion deletes a namespace holding objects of several kinds — a pod on a
// node, which terminates gracefully, and an object held by a finalizer — and checks that
// the namespace stays Terminating, with Kubernetes' conditions, until every object is gone,
// and that nothing is left behind.
func TestNamespaceDeletion(t *testing.T) {
	e := newEnv(t, true)
	ctx := context.Background()
	namespaces := client.For[*core.Namespace](e.Client)
	cms := client.For[*core.ConfigMap](e.Client)
	pods := client.For[*core.Pod](e.Client)
	step := planetest.Stepping(e.Clock, time.Second)
	if _, err := namespaces.Create(ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "team"}}); err != nil {
		t.Fatal(err)
	}
	planetest.Eventually(t, func() bool {
		ns, err := namespaces.Get(ctx, "", "team")
		return err == nil && meta.HasFinalizer(ns, namespace.Finalizer)
	}, planetest.Message("the controller's finalizer on the new namespace"))

	replicas := int32(1)
	labels := map[string]string{"app": "web"}
	podSpec := core.PodSpec{Containers: []core.Container{{Name: "c", Image: "busybox"}}}
	objects := []meta.Object{
		configMap("team", "plain"),
		configMap("team", "held", holdFinalizer),
		&core.Secret{ObjectMeta: meta.ObjectMeta{Namespace: "team", Name: "s"}},
		&core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "team", Name: "unbound"}, Spec: podSpec},
		&core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "team", Name: "running"}, Spec: func() core.PodSpec {
			s := *podSpec.DeepCopy()
			s.NodeName = "node-1"
			return s
		}()},
		&coordination.Lease{ObjectMeta: meta.ObjectMeta{Namespace: "team", Name: "l"}},
		&apps.Deployment{ObjectMeta: meta.ObjectMeta{Namespace: "team", Name: "web"}, Spec: apps.DeploymentSpec{
			Replicas: &replicas, Selector: &meta.LabelSelector{MatchLabels: labels},
			Template: core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: labels}, Spec: podSpec},
		}},
	}
	for _, o := range objects {
		if _, err := e.Client.Create(ctx, o, store.CreateOptions{}); err != nil {
			t.Fatalf("creating %s: %v", o.GetName(), err)
		}
	}
	if _, err := namespaces.Delete(ctx, "", "team"); err != nil {
		t.Fatal(err)
	}

	// The held config map and the running pod keep the namespace Terminating.
	planetest.Eventually(t, func() bool {
		ns, err := namespaces.Get(ctx, "", "team")
		if err != nil || ns.Status.Phase != core.NamespaceTerminating {
			return false
		}
		c := condition(ns, core.NamespaceContentRemaining)
		f := condition(ns, core.NamespaceFinalizersRemaining)
		return c != nil && c.Status == core.ConditionTrue && c.Reason == "SomeResourcesRemain" &&
			c.Message == "Some resources are remaining: configmaps has 1 resource instances, pods has 1 resource instances" &&
			f != nil && f.Message == "Some content in the namespace has finalizers remaining: test.skiff.dev/hold in 1 resource instances"
	}, planetest.Message("the namespace Terminating with content remaining"))
	if _, err := cms.Create(ctx, configMap("team", "late")); !store.IsForbidden(err) {
		t.Fatalf("creating in a terminating namespace: %v", err)
	}

	// Act as the pod's node: confirm its termination; and let the held object go.
	running, err := pods.Get(ctx, "team", "running")
	if err != nil || running.DeletionTimestamp == nil || *running.DeletionGracePeriodSeconds != 30 {
		t.Fatalf("the running pod must be terminating gracefully: %+v, %v", running, err)
	}
	if _, err := pods.Delete(ctx, "team", "running", client.GracePeriod(0)); err != nil {
		t.Fatal(err)
	}
	if _, err := client.GuaranteedUpdate(ctx, cms, "team", "held", func(cm *core.ConfigMap) error {
		meta.RemoveFinalizer(cm, holdFinalizer)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	planetest.Eventually(t, func() bool {
		_, err := namespaces.Get(ctx, "", "team")
		return store.IsNotFound(err)
	}, step, planetest.Message("the namespace removed"))
	assertEmpty(t, e, "team")
}

// TestSweep: content left in a namespace that no longer exists (deleted before the
// controller put its finalizer on it) is deleted, unless the namespace was re-created
// meanwhile. The reconciler runs on a manager that is not started, so its cache never
// shows the namespace: only the live read tells the two cases apart.
func TestSweep(t *testing.T) {
	for _, recreate := range []bool{false, true} {
		name := map[bool]string{false: "vanished", true: "re-created"}[recreate]
		t.Run(name, func(t *testing.T) {
			e := managertest.New(t, managertest.Options{Admission: new(namespace.Admission)})
			ctx := context.Background()
			namespaces := client.For[*core.Namespace](e.Client)
			cms := client.For[*core.ConfigMap](e.Client)
			if _, err := namespaces.Create(ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "brief"}}); err != nil {
				t.Fatal(err)
			}
			for _, name := range []string{"a", "b"} {
				if _, err := cms.Create(ctx, configMap("brief", name)); err != nil {
					t.Fatal(err)
				}
			}
			if _, err := namespaces.Delete(ctx, "", "brief"); err != nil {
				t.Fatal(err)
			}
			if recreate {
				if _, err := namespaces.Create(ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "brief"}}); err != nil {
					t.Fatal(err)
				}
			}
			res, err := namespace.NewReconciler(e.Manager).Reconcile(ctx, reconcile.Request{Name: "brief"})
			if err != nil || !res.IsZero() {
				t.Fatalf("sweep: %+v, %v", res, err)
			}
			list, err := cms.List(ctx, store.ListOptions{Namespace: "brief"})
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{false: 0, true: 2}[recreate]; len(list.Items) != want {
				t.Fatalf("%d config maps left, want %d", len(list.Items), want)
			}
		})
	}
}

func condition(ns *core.Namespace, t core.NamespaceConditionType) *core.NamespaceCondition {
	for i := range ns.Status.Conditions {
		if ns.Status.Conditions[i].Type == t {
			return &ns.Status.Conditions[i]
		}
	}
	return nil
}

// assertEmpty fails the test if any object of a namespaced kind is left in ns.
func assertEmpty(t *testing.T, e *managertest.Env, ns string) {
	t.Helper()
	for _, info := range e.Client.Scheme().Kinds() {
		if !info.Namespaced {
			continue
		}
		list, err := e.Client.List(context.Background(), info.GVK, store.ListOptions{Namespace: ns})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range list.Items {
			t.Errorf("left behind in %s: %s %s", ns, info.GVK.Kind, o.GetName())
		}
	}
}
