package cli

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// drainPods puts on n1 a pod of each kind drain tells apart, and one pod on n2.
func drainPods(e *env) {
	owned := func(name, kind string) *core.Pod {
		p := runningPod(name, "n1", nil)
		t := true
		p.OwnerReferences = []meta.OwnerReference{{APIVersion: "apps/v1", Kind: kind, Name: "owner", UID: "u-1", Controller: &t}}
		return p
	}
	e.create(node("n1"))
	e.create(node("n2"))
	e.create(owned("web-1", "ReplicaSet"))
	e.create(owned("agent-1", "DaemonSet"))
	cache := owned("cache-1", "ReplicaSet")
	cache.Spec.Volumes = []core.Volume{{Name: "tmp", VolumeSource: core.VolumeSource{EmptyDir: &core.EmptyDirVolumeSource{}}}}
	e.create(cache)
	e.create(runningPod("solo", "n1", nil))
	e.create(runningPod("done", "n1", nil))
	// Create resets a pod's status, as in Kubernetes: finish it afterwards.
	if _, err := client.GuaranteedUpdateStatus(e.ctx, client.For[*core.Pod](e.c), "default", "done", func(p *core.Pod) error {
		p.Status.Phase = core.PodSucceeded
		return nil
	}); err != nil {
		e.t.Fatal(err)
	}
	e.create(runningPod("other", "n2", nil))
}

func (e *env) podNames() []string {
	e.t.Helper()
	list, err := e.c.List(e.ctx, scheme.PodGVK, store.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	var names []string
	for _, p := range list.Items {
		names = append(names, p.GetName())
	}
	return names
}

func TestDrainRefuses(t *testing.T) {
	e := newEnv(t)
	drainPods(e)
	r := e.run("drain", "n1")
	wantErr := `error: unable to drain node "n1" due to error: [` +
		"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-1, " +
		"cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-1, " +
		"cannot delete Pods that declare no controller (use --force to override): default/solo], continuing command...\n" +
		"There are pending nodes to be drained:\n n1\n" +
		"cannot delete DaemonSet-managed Pods (use --ignore-daemonsets to ignore): default/agent-1\n" +
		"cannot delete Pods with local storage (use --delete-emptydir-data to override): default/cache-1\n" +
		"cannot delete Pods that declare no controller (use --force to override): default/solo\n"
	if r.code != 1 || r.out != "node/n1 cordoned\n" || r.err != wantErr {
		t.Errorf("drain: exit %d\nstdout %q\nstderr:\n%s\nwant:\n%s", r.code, r.out, r.err, wantErr)
	}
	if n := e.get(scheme.NodeGVK, "", "n1").(*core.Node); !n.Spec.Unschedulable {
		t.Error("a refused drain left the node schedulable")
	}
	if got := len(e.podNames()); got != 6 {
		t.Errorf("a refused drain removed pods: %v", e.podNames())
	}
	// One reason alone is not bracketed.
	r = e.run("drain", "n1", "--ignore-daemonsets", "--delete-emptydir-data")
	if r.code != 1 || r.out != "node/n1 already cordoned\n" ||
		r.err != "error: unable to drain node \"n1\" due to error: cannot delete Pods that declare no controller (use --force to override): default/solo, continuing command...\n"+
			"There are pending nodes to be drained:\n n1\ncannot delete Pods that declare no controller (use --force to override): default/solo\n" {
		t.Errorf("drain with one reason left: %+v", r)
	}
}

func TestDrain(t *testing.T) {
	e := newEnv(t)
	drainPods(e)
	r := e.run("drain", "n1", "--ignore-daemonsets", "--delete-emptydir-data", "--force", "--grace-period=0")
	wantOut := "node/n1 cordoned\n" +
		"evicting pod default/cache-1\nevicting pod default/done\nevicting pod default/solo\nevicting pod default/web-1\n" +
		"pod/cache-1 evicted\npod/done evicted\npod/solo evicted\npod/web-1 evicted\n" +
		"node/n1 drained\n"
	wantErr := "Warning: ignoring DaemonSet-managed Pods: default/agent-1\n" +
		"Warning: deleting Pods with local storage: default/cache-1\n" +
		"Warning: deleting Pods that declare no controller: default/solo\n"
	if r.code != 0 || r.out != wantOut || r.err != wantErr {
		t.Errorf("drain: exit %d\nstdout:\n%s\nwant:\n%s\nstderr:\n%s\nwant:\n%s", r.code, r.out, wantOut, r.err, wantErr)
	}
	if got, want := e.podNames(), []string{"agent-1", "other"}; len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("pods after drain %v, want %v", got, want)
	}
	e.fails("Error from server (NotFound): nodes \"nope\" not found\n", "drain", "nope")
}

func TestDrainTimeout(t *testing.T) {
	e := newEnv(t)
	e.create(node("n1"))
	p := runningPod("slow", "n1", nil)
	grace := int64(600)
	p.Spec.TerminationGracePeriodSeconds = &grace
	e.create(p)
	// No kubelet confirms the deletion: the pod stays, terminating, past the timeout.
	out, errOut, stop := e.start("drain", "n1", "--force", "--timeout=30s")
	eventually(t, "the timeout", func() bool {
		e.step(31 * time.Second)
		return errOut.String() != "Warning: deleting Pods that declare no controller: default/slow\n" && errOut.String() != ""
	})
	code := stop()
	if code != 1 || out.String() != "node/n1 cordoned\nevicting pod default/slow\n" ||
		errOut.String() != "Warning: deleting Pods that declare no controller: default/slow\nerror: drain did not complete within 30s\n" {
		t.Errorf("drain timeout: exit %d, stdout %q, stderr %q", code, out.String(), errOut.String())
	}
}
