package cli

import (
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestScale(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 2, "nginx"))
	e.create(statefulSet("db", 1, "postgres"))
	if got := e.ok("scale", "deployment/web", "--replicas=5"); got != "deployment.apps/web scaled\n" {
		t.Errorf("scale: %q", got)
	}
	if d := e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment); *d.Spec.Replicas != 5 {
		t.Errorf("replicas = %d", *d.Spec.Replicas)
	}
	if got := e.ok("scale", "sts", "db", "--replicas", "0"); got != "statefulset.apps/db scaled\n" {
		t.Errorf("scale sts: %q", got)
	}
	if got := e.ok("scale", "deploy/web", "--current-replicas=5", "--replicas=1"); got != "deployment.apps/web scaled\n" {
		t.Errorf("scale with precondition: %q", got)
	}
	e.fails("error: Expected replicas to be 3, was 1\n", "scale", "deploy/web", "--current-replicas=3", "--replicas=2")
	e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "scale", "deploy/nope", "--replicas=2")
	e.fails("error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\n"+
		"See 'skiff scale -h' for help and examples.\n", "scale", "deploy/web")
	e.fails("error: cannot scale pods: only deployments, replicasets and statefulsets can be scaled\n", "scale", "pod/x", "--replicas=1")
}

func TestDelete(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	e.create(deployment("api", 1, "api"))
	if got := e.ok("delete", "deploy", "web"); got != "deployment.apps \"web\" deleted\n" {
		t.Errorf("delete: %q", got)
	}
	if _, err := e.c.Get(e.ctx, scheme.DeploymentGVK, "default", "web"); !store.IsNotFound(err) {
		t.Errorf("deleted deployment still there: %v", err)
	}
	e.fails("Error from server (NotFound): deployments.apps \"web\" not found\n", "delete", "deployment.apps", "web")
	if r := e.run("delete", "deploy", "web", "--ignore-not-found"); r.code != 0 || r.out != "" {
		t.Errorf("--ignore-not-found: %+v", r)
	}

	// Orphan: the object stays with the orphan finalizer until the garbage collector acts.
	if got := e.ok("delete", "deploy/api", "--cascade=orphan", "--wait=false"); got != "deployment.apps \"api\" deleted\n" {
		t.Errorf("delete --cascade=orphan: %q", got)
	}
	d := e.get(scheme.DeploymentGVK, "default", "api")
	if d.GetDeletionTimestamp() == nil || len(d.GetFinalizers()) != 1 || d.GetFinalizers()[0] != meta.FinalizerOrphanDependents {
		t.Errorf("orphan delete: finalizers %v", d.GetFinalizers())
	}
	e.fails("error: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"\n"+
		"See 'skiff delete -h' for help and examples.\n", "delete", "deploy/api", "--cascade=sideways")
	e.fails("error: resource(s) were provided, but no name was specified\nSee 'skiff delete -h' for help and examples.\n", "delete", "pods")

	// Selectors, -f.
	e.create(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "a", Namespace: "default", Labels: map[string]string{"x": "1"}}})
	e.create(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "b", Namespace: "default", Labels: map[string]string{"x": "1"}}})
	e.create(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "c", Namespace: "default"}})
	if got := e.ok("delete", "cm", "-l", "x=1"); got != "configmap \"a\" deleted\nconfigmap \"b\" deleted\n" {
		t.Errorf("delete -l: %q", got)
	}
	f := writeFile(t, t.TempDir(), "c.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
	if got := e.ok("delete", "-f", f, "-o", "name"); got != "configmap/c\n" {
		t.Errorf("delete -f: %q", got)
	}
}

func TestDeletePodGracefully(t *testing.T) {
	e := newEnv(t)
	e.create(runningPod("p", "node-1", nil))
	e.create(runningPod("q", "node-1", nil))
	pods := client.For[*core.Pod](e.c)

	// Without --wait, the bound pod stays, terminating, until its node confirms.
	if got := e.ok("delete", "pod", "p", "--wait=false"); got != "pod \"p\" deleted\n" {
		t.Errorf("delete pod: %q", got)
	}
	p, err := pods.Get(e.ctx, "default", "p")
	if err != nil || p.DeletionTimestamp == nil || *p.DeletionGracePeriodSeconds != 30 {
		t.Fatalf("pod after graceful delete: %+v, %v", p, err)
	}

	// With --wait (the default), delete returns once the node has removed the pod.
	out, _, stop := e.start("delete", "pod", "q", "--grace-period=5")
	eventually(t, "the pod to be terminating", func() bool {
		q, err := pods.Get(e.ctx, "default", "q")
		return err == nil && q.DeletionTimestamp != nil
	})
	if _, err := pods.Delete(e.ctx, "default", "q", client.GracePeriod(0)); err != nil { // the node's confirmation
		t.Fatal(err)
	}
	eventually(t, "delete to print", func() bool { return out.String() == "pod \"q\" deleted\n" })
	if code := stop(); code != 0 {
		t.Errorf("delete --wait exited %d", code)
	}

	// --timeout: the wait ends on the command's clock.
	out, errOut, stop := e.start("delete", "pod", "p", "--timeout=30s")
	// The store has timers of its own on the clock: step until the command's has fired.
	eventually(t, "the timeout", func() bool {
		e.step(31 * time.Second)
		return errOut.String() != ""
	})
	if code := stop(); code != 1 || !strings.Contains(errOut.String(), "error: timed out waiting for the condition on pods/p") {
		t.Errorf("delete --timeout: exit %d, stderr %q, stdout %q", code, errOut.String(), out.String())
	}

	// --force --grace-period=0 removes it at once.
	r := e.run("delete", "pod", "p", "--grace-period=0", "--force")
	if r.code != 0 || r.out != "pod \"p\" force deleted\n" || !strings.HasPrefix(r.err, "Warning: Immediate deletion") {
		t.Errorf("force delete: %+v", r)
	}
	if _, err := pods.Get(e.ctx, "default", "p"); !store.IsNotFound(err) {
		t.Errorf("force-deleted pod: %v", err)
	}
}

func TestCordon(t *testing.T) {
	e := newEnv(t)
	e.create(node("node-1"))
	if got := e.ok("cordon", "node-1"); got != "node/node-1 cordoned\n" {
		t.Errorf("cordon: %q", got)
	}
	if !e.get(scheme.NodeGVK, "", "node-1").(*core.Node).Spec.Unschedulable {
		t.Error("node not unschedulable")
	}
	if got := collapse(e.ok("get", "nodes", "--no-headers")); got != "node-1 Ready,SchedulingDisabled <none> 0s v1.35.0-skiff" {
		t.Errorf("get nodes: %q", got)
	}
	if got := e.ok("cordon", "node-1"); got != "node/node-1 already cordoned\n" {
		t.Errorf("cordon again: %q", got)
	}
	if got := e.ok("uncordon", "node-1"); got != "node/node-1 uncordoned\n" {
		t.Errorf("uncordon: %q", got)
	}
	if e.get(scheme.NodeGVK, "", "node-1").(*core.Node).Spec.Unschedulable {
		t.Error("node still unschedulable")
	}
	if got := e.ok("uncordon", "node-1"); got != "node/node-1 already uncordoned\n" {
		t.Errorf("uncordon again: %q", got)
	}
	e.fails("Error from server (NotFound): nodes \"nope\" not found\n", "cordon", "nope")
}
