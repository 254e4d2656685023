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

func available(status meta.ConditionStatus, observed int64) func(*apps.Deployment) {
	return func(d *apps.Deployment) {
		d.Status.ObservedGeneration = observed
		d.Status.Conditions = []apps.DeploymentCondition{{Type: apps.DeploymentAvailable, Status: status}}
	}
}

func TestWaitForCondition(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))

	// Not met yet: the wait follows the object until it is.
	out, errOut, stop := e.start("wait", "--for=condition=Available", "deploy/web")
	e.setDeploymentStatus("web", available(meta.ConditionFalse, 1))
	e.setDeploymentStatus("web", available(meta.ConditionTrue, 1))
	eventually(t, "condition met", func() bool { return out.String() != "" })
	if code := stop(); code != 0 || out.String() != "deployment.apps/web condition met\n" {
		t.Errorf("wait: exit %d, out %q, err %q", code, out.String(), errOut.String())
	}

	// Met already; names and values ignore case; an explicit value.
	if got := e.ok("wait", "--for=condition=available=TRUE", "deployment", "web"); got != "deployment.apps/web condition met\n" {
		t.Errorf("met already: %q", got)
	}
	e.fails("error: condition not met for deployments.apps/web\n", "wait", "--for=condition=Available=False", "deploy/web", "--timeout=0")

	// A condition reported for an older generation does not count.
	e.ok("scale", "deploy/web", "--replicas=2") // generation 2; the status still says 1
	e.fails("error: condition not met for deployments.apps/web\n", "wait", "--for=condition=Available", "deploy/web", "--timeout=0")

	// Timeout, on the command's clock.
	_, errOut, stop = e.start("wait", "--for=condition=Available", "deploy/web", "--timeout=20s")
	eventually(t, "the timeout", func() bool {
		e.step(21 * time.Second)
		return errOut.String() != ""
	})
	if code := stop(); code != 1 || errOut.String() != "error: timed out waiting for the condition on deployments/web\n" {
		t.Errorf("timeout: exit %d, stderr %q", code, errOut.String())
	}

	// Deleted while waited for, or missing: NotFound.
	_, errOut, stop = e.start("wait", "--for=condition=Available", "deploy/web")
	if _, err := e.c.Delete(e.ctx, scheme.DeploymentGVK, "default", "web", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the deletion", func() bool { return errOut.String() != "" })
	if code := stop(); code != 1 || errOut.String() != "Error from server (NotFound): deployments.apps \"web\" not found\n" {
		t.Errorf("deleted meanwhile: exit %d, stderr %q", code, errOut.String())
	}
	e.fails("Error from server (NotFound): deployments.apps \"web\" not found\n", "wait", "--for=condition=Available", "deploy/web")
	e.fails("error: no matching resources found\n", "wait", "--for=condition=Available", "deploy", "-l", "app=none")
	e.fails("error: unrecognized condition: \"ready\"\n", "wait", "--for=ready", "deploy/web")
	e.fails("error: unrecognized condition: \"\"\n", "wait", "deploy/web")
}

func TestWaitForJSONPath(t *testing.T) {
	e := newEnv(t)
	p := runningPod("p", "", map[string]string{"app": "web"})
	e.create(p)
	setPhase := func(phase core.PodPhase) {
		t.Helper()
		_, err := client.GuaranteedUpdateStatus(e.ctx, client.For[*core.Pod](e.c), "default", "p", func(p *core.Pod) error {
			p.Status.Phase = phase
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	out, _, stop := e.start("wait", "--for=jsonpath={.status.phase}=Running", "pod/p")
	setPhase(core.PodRunning)
	eventually(t, "Running", func() bool { return out.String() != "" })
	if code := stop(); code != 0 || out.String() != "pod/p condition met\n" {
		t.Errorf("jsonpath: exit %d, out %q", code, out.String())
	}
	for _, tc := range []struct{ for_, want string }{
		{`jsonpath={.status.phase}='Running'`, "pod/p condition met\n"}, // quotes around the value are dropped
		{`jsonpath=.metadata.labels.app=web`, "pod/p condition met\n"},
		{`jsonpath={.spec.containers[0].image}`, "pod/p condition met\n"}, // any value
	} {
		if got := e.ok("wait", "--for="+tc.for_, "pods", "-l", "app=web"); got != tc.want {
			t.Errorf("--for=%s: %q", tc.for_, got)
		}
	}
	e.fails("error: condition not met for pods/p\n", "wait", "--for=jsonpath={.status.phase}=Failed", "pod/p", "--timeout=0")
	e.fails("error: given jsonpath expression matches more than one value\n", "wait", "--for=jsonpath={.metadata.*}", "pod/p", "--timeout=0")
	e.fails("error: jsonpath leads to a nested object or list which is not supported\n", "wait", "--for=jsonpath={.metadata.labels}=x", "pod/p", "--timeout=0")
	e.fails("error: jsonpath wait value cannot be empty\n", "wait", "--for=jsonpath={.status.phase}=", "pod/p")
	r := e.run("wait", "--for=jsonpath={.status[}=x", "pod/p")
	if r.code != 1 || !strings.HasPrefix(r.err, "error: error parsing jsonpath {.status[}") {
		t.Errorf("bad jsonpath: %+v", r)
	}
}

func TestWaitForDelete(t *testing.T) {
	e := newEnv(t)
	e.create(runningPod("p", "node-1", nil))
	pods := client.For[*core.Pod](e.c)

	// A missing object: nothing to wait for, nothing printed.
	if r := e.run("wait", "--for=delete", "pod/nope"); r.code != 0 || r.out != "" || r.err != "" {
		t.Errorf("missing object: %+v", r)
	}
	e.fails("error: condition not met for pods/p\n", "wait", "--for=delete", "pod/p", "--timeout=0")

	out, _, stop := e.start("wait", "--for=delete", "pod/p", "--timeout=1m")
	// Delete only once the wait watches: deleted before its first read, the pod would be
	// missing to begin with, which prints nothing.
	eventually(t, "the wait to watch", func() bool { return e.st.Stats().Watchers == 1 })
	if _, err := pods.Delete(e.ctx, "default", "p", client.GracePeriod(0)); err != nil {
		t.Fatal(err)
	}
	eventually(t, "the deletion", func() bool { return out.String() != "" })
	if code := stop(); code != 0 || out.String() != "pod/p condition met\n" {
		t.Errorf("wait --for=delete: exit %d, out %q", code, out.String())
	}
}
