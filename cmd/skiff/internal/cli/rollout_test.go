package cli

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
)

// setDeploymentStatus writes a deployment's status as its controller would.
func (e *env) setDeploymentStatus(name string, f func(*apps.Deployment)) {
	e.t.Helper()
	_, err := client.GuaranteedUpdateStatus(e.ctx, client.For[*apps.Deployment](e.c), "default", name, func(d *apps.Deployment) error {
		f(d)
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func TestRolloutStatusDeployment(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 3, "nginx"))

	// Not observed yet.
	if got := e.ok("rollout", "status", "deploy/web", "--watch=false"); got != "Waiting for deployment spec update to be observed...\n" {
		t.Errorf("unobserved: %q", got)
	}

	out, errOut, stop := e.start("rollout", "status", "deployment/web")
	steps := []struct {
		status apps.DeploymentStatus
		want   string
	}{
		{apps.DeploymentStatus{ObservedGeneration: 1, Replicas: 3, UpdatedReplicas: 1},
			`Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...`},
		{apps.DeploymentStatus{ObservedGeneration: 1, Replicas: 4, UpdatedReplicas: 3, ReadyReplicas: 2, AvailableReplicas: 2},
			`Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...`},
		{apps.DeploymentStatus{ObservedGeneration: 1, Replicas: 3, UpdatedReplicas: 3, ReadyReplicas: 1, AvailableReplicas: 1},
			`Waiting for deployment "web" rollout to finish: 1 of 3 updated replicas are available...`},
		{apps.DeploymentStatus{ObservedGeneration: 1, Replicas: 3, UpdatedReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 3},
			`deployment "web" successfully rolled out`},
	}
	eventually(t, "the first status line", func() bool { return out.String() != "" })
	for _, s := range steps {
		e.setDeploymentStatus("web", func(d *apps.Deployment) { d.Status = s.status })
		eventually(t, s.want, func() bool { return strings.HasSuffix(out.String(), s.want+"\n") })
	}
	if code := stop(); code != 0 {
		t.Errorf("rollout status exited %d: %s", code, errOut.String())
	}
	want := "Waiting for deployment spec update to be observed...\n"
	for _, s := range steps {
		want += s.want + "\n"
	}
	if out.String() != want {
		t.Errorf("output:\n%s\nwant\n%s", out.String(), want)
	}

	// Done already: one line, exit 0.
	if got := e.ok("rollout", "status", "deploy", "web"); got != "deployment \"web\" successfully rolled out\n" {
		t.Errorf("done: %q", got)
	}
	e.fails("error: desired revision (2) is different from the running revision (0)\n", "rollout", "status", "deploy/web", "--revision=2")

	// Progress deadline exceeded: an error.
	e.setDeploymentStatus("web", func(d *apps.Deployment) {
		d.Status.UpdatedReplicas, d.Status.AvailableReplicas, d.Status.ReadyReplicas = 1, 1, 1
		d.Status.Conditions = []apps.DeploymentCondition{{Type: apps.DeploymentProgressing, Status: meta.ConditionFalse, Reason: apps.TimedOutReason}}
	})
	e.fails("error: deployment \"web\" exceeded its progress deadline\n", "rollout", "status", "deploy/web")

	e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "rollout", "status", "deploy/nope")
	e.fails("error: pods \"p\" is not supported by rollout status\n", "rollout", "status", "pod/p")
}

func TestRolloutStatusTimeout(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	_, errOut, stop := e.start("rollout", "status", "deploy/web", "--timeout=1m")
	eventually(t, "the timeout", func() bool {
		e.step(time.Minute)
		return errOut.String() != ""
	})
	if code := stop(); code != 1 || errOut.String() != "error: timed out waiting for the condition\n" {
		t.Errorf("exit %d, stderr %q", code, errOut.String())
	}
}

func TestRolloutStatusStatefulSetAndDaemonSet(t *testing.T) {
	e := newEnv(t)
	e.create(statefulSet("db", 3, "postgres"))
	e.create(daemonSet("agent", "agent:1"))
	if got := e.ok("rollout", "status", "sts/db", "--watch=false"); got != "Waiting for statefulset spec update to be observed...\n" {
		t.Errorf("sts unobserved: %q", got)
	}
	sts := client.For[*apps.StatefulSet](e.c)
	setSTS := func(st apps.StatefulSetStatus) {
		if _, err := client.GuaranteedUpdateStatus(e.ctx, sts, "default", "db", func(s *apps.StatefulSet) error {
			s.Status = st
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	setSTS(apps.StatefulSetStatus{ObservedGeneration: 1, Replicas: 3, ReadyReplicas: 1})
	if got := e.ok("rollout", "status", "sts/db", "--watch=false"); got != "Waiting for 2 pods to be ready...\n" {
		t.Errorf("sts not ready: %q", got)
	}
	setSTS(apps.StatefulSetStatus{ObservedGeneration: 1, Replicas: 3, ReadyReplicas: 3, UpdatedReplicas: 1})
	if got := e.ok("rollout", "status", "sts/db", "--watch=false"); got != "Waiting for partitioned roll out to finish: 1 out of 3 new pods have been updated...\n" {
		t.Errorf("sts updating: %q", got)
	}
	setSTS(apps.StatefulSetStatus{ObservedGeneration: 1, Replicas: 3, ReadyReplicas: 3, UpdatedReplicas: 3, CurrentReplicas: 3})
	if got := e.ok("rollout", "status", "sts/db"); got != "partitioned roll out complete: 3 new pods have been updated...\n" {
		t.Errorf("sts done: %q", got)
	}

	ds := client.For[*apps.DaemonSet](e.c)
	setDS := func(st apps.DaemonSetStatus) {
		if _, err := client.GuaranteedUpdateStatus(e.ctx, ds, "default", "agent", func(d *apps.DaemonSet) error {
			d.Status = st
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	setDS(apps.DaemonSetStatus{ObservedGeneration: 1, DesiredNumberScheduled: 3, CurrentNumberScheduled: 3, UpdatedNumberScheduled: 2})
	if got := e.ok("rollout", "status", "ds/agent", "--watch=false"); got != "Waiting for daemon set \"agent\" rollout to finish: 2 out of 3 new pods have been updated...\n" {
		t.Errorf("ds updating: %q", got)
	}
	setDS(apps.DaemonSetStatus{ObservedGeneration: 1, DesiredNumberScheduled: 3, CurrentNumberScheduled: 3, UpdatedNumberScheduled: 3, NumberReady: 3, NumberAvailable: 2})
	if got := e.ok("rollout", "status", "ds/agent", "--watch=false"); got != "Waiting for daemon set \"agent\" rollout to finish: 2 of 3 updated pods are available...\n" {
		t.Errorf("ds available: %q", got)
	}
	setDS(apps.DaemonSetStatus{ObservedGeneration: 1, DesiredNumberScheduled: 3, CurrentNumberScheduled: 3, UpdatedNumberScheduled: 3, NumberReady: 3, NumberAvailable: 3})
	if got := e.ok("rollout", "status", "ds/agent"); got != "daemon set \"agent\" successfully rolled out\n" {
		t.Errorf("ds done: %q", got)
	}
}

// replicaSetOf creates a ReplicaSet of d at revision rev with the given image, as the
// deployment controller would.
func (e *env) replicaSetOf(d meta.Object, name string, rev int, image, cause string) {
	e.t.Helper()
	dep := d.(*apps.Deployment)
	lbl := map[string]string{"app": dep.Name, apps.DefaultDeploymentUniqueLabelKey: name}
	ann := map[string]string{apps.RevisionAnnotation: itoa(rev)}
	if cause != "" {
		ann[changeCauseAnnotation] = cause
	}
	e.create(&apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Name: dep.Name + "-" + name, Namespace: "default", Labels: lbl, Annotations: ann,
			OwnerReferences: []meta.OwnerReference{controllerRef("Deployment", d)}},
		Spec: apps.ReplicaSetSpec{Replicas: ptr[int32](0), Selector: &meta.LabelSelector{MatchLabels: lbl},
			Template: core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: lbl}, Spec: podSpec(image)}},
	})
}

func itoa(i int) string { b, _ := json.Marshal(i); return string(b) }

func TestRolloutHistoryAndUndoDeployment(t *testing.T) {
	e := newEnv(t)
	d := e.create(deployment("web", 1, "nginx:2"))
	e.replicaSetOf(d, "aaa", 1, "nginx:1", "")
	e.replicaSetOf(d, "bbb", 2, "nginx:2", "skiff set image nginx=nginx:2")
	e.create(&apps.ReplicaSet{ObjectMeta: meta.ObjectMeta{Name: "stranger", Namespace: "default",
		Annotations: map[string]string{apps.RevisionAnnotation: "7"}},
		Spec: apps.ReplicaSetSpec{Selector: &meta.LabelSelector{MatchLabels: map[string]string{"x": "y"}},
			Template: core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"x": "y"}}, Spec: podSpec("z")}}})

	want := "deployment.apps/web \n" +
		"REVISION  CHANGE-CAUSE\n" +
		"1         <none>\n" +
		"2         skiff set image nginx=nginx:2\n\n"
	if got := e.ok("rollout", "history", "deployment/web"); got != want {
		t.Errorf("history:\n%q\nwant\n%q", got, want)
	}
	got := e.ok("rollout", "history", "deploy/web", "--revision=1")
	if !strings.HasPrefix(got, "deployment.apps/web with revision #1\nPod Template:\n  Labels:") || !strings.Contains(got, "Image:        nginx:1") {
		t.Errorf("history --revision=1:\n%s", got)
	}
	e.fails("error: unable to find the specified revision\n", "rollout", "history", "deploy/web", "--revision=5")

	if got := e.ok("rollout", "undo", "deploy/web"); got != "deployment.apps/web rolled back\n" {
		t.Errorf("undo: %q", got)
	}
	dep := e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment)
	if img := dep.Spec.Template.Spec.Containers[0].Image; img != "nginx:1" {
		t.Errorf("image after undo = %s, want nginx:1", img)
	}
	if _, ok := dep.Spec.Template.Labels[apps.DefaultDeploymentUniqueLabelKey]; ok {
		t.Errorf("undo copied the pod-template-hash label: %v", dep.Spec.Template.Labels)
	}
	if got := e.ok("rollout", "undo", "deploy/web", "--to-revision=1"); got != "deployment.apps/web skipped rollback (current template already matches revision 1)\n" {
		t.Errorf("undo to the current template: %q", got)
	}
	if got := e.ok("rollout", "undo", "deploy/web", "--to-revision=2"); got != "deployment.apps/web rolled back\n" {
		t.Errorf("undo --to-revision=2: %q", got)
	}
	if dep := e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment); dep.Spec.Template.Spec.Containers[0].Image != "nginx:2" ||
		dep.Annotations[changeCauseAnnotation] != "skiff set image nginx=nginx:2" {
		t.Errorf("after undo to 2: image %s, annotations %v", dep.Spec.Template.Spec.Containers[0].Image, dep.Annotations)
	}
	e.fails("error: unable to find specified revision 9 in history\n", "rollout", "undo", "deploy/web", "--to-revision=9")

	e.create(deployment("fresh", 1, "x"))
	e.fails("error: no rollout history found for deployment \"fresh\"\n", "rollout", "undo", "deploy/fresh")
	if got := e.ok("rollout", "history", "deploy/fresh"); got != "deployment.apps/fresh \nNo rollout history found.\n\n" {
		t.Errorf("empty history: %q", got)
	}
}

func TestRolloutHistoryAndUndoStatefulSet(t *testing.T) {
	e := newEnv(t)
	s := e.create(statefulSet("db", 1, "postgres:16"))
	revision := func(name string, rev int64, image string) {
		tmpl := core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "db"}}, Spec: podSpec(image)}
		raw, _ := json.Marshal(tmpl)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		m["$patch"] = "replace"
		data, _ := json.Marshal(map[string]any{"spec": map[string]any{"template": m}})
		e.create(&apps.ControllerRevision{ObjectMeta: meta.ObjectMeta{Name: name, Namespace: "default",
			OwnerReferences: []meta.OwnerReference{controllerRef("StatefulSet", s)}},
			Data: apps.RawExtension{Raw: data}, Revision: rev})
	}
	revision("db-1", 1, "postgres:15")
	cur := e.get(scheme.StatefulSetGVK, "default", "db").(*apps.StatefulSet)
	tmpl, _ := json.Marshal(cur.Spec.Template)
	var m map[string]any
	_ = json.Unmarshal(tmpl, &m)
	data, _ := json.Marshal(map[string]any{"spec": map[string]any{"template": m}})
	e.create(&apps.ControllerRevision{ObjectMeta: meta.ObjectMeta{Name: "db-2", Namespace: "default",
		OwnerReferences: []meta.OwnerReference{controllerRef("StatefulSet", s)}}, Data: apps.RawExtension{Raw: data}, Revision: 2})

	if got := e.ok("rollout", "history", "sts/db"); got != "statefulset.apps/db \nREVISION  CHANGE-CAUSE\n1         <none>\n2         <none>\n\n" {
		t.Errorf("history: %q", got)
	}
	if got := e.ok("rollout", "undo", "sts/db", "--to-revision=2"); got != "statefulset.apps/db skipped rollback (current template already matches revision 2)\n" {
		t.Errorf("undo to current: %q", got)
	}
	if got := e.ok("rollout", "undo", "statefulset/db"); got != "statefulset.apps/db rolled back\n" {
		t.Errorf("undo: %q", got)
	}
	if img := e.get(scheme.StatefulSetGVK, "default", "db").(*apps.StatefulSet).Spec.Template.Spec.Containers[0].Image; img != "postgres:15" {
		t.Errorf("image after undo = %s", img)
	}
	e.create(daemonSet("agent", "a"))
	e.fails("error: no last revision to roll back to\n", "rollout", "undo", "ds/agent")
}

func TestRolloutPauseResumeRestart(t *testing.T) {
	e := newEnv(t)
	d := e.create(deployment("web", 1, "nginx"))
	e.replicaSetOf(d, "aaa", 1, "nginx:1", "")
	e.replicaSetOf(d, "bbb", 2, "nginx", "")
	e.create(statefulSet("db", 1, "postgres"))
	if got := e.ok("rollout", "pause", "deploy/web"); got != "deployment.apps/web paused\n" {
		t.Errorf("pause: %q", got)
	}
	if !e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment).Spec.Paused {
		t.Error("not paused")
	}
	e.fails("error: deployments.apps \"web\" is already paused\n", "rollout", "pause", "deploy/web")
	e.fails("error: can't restart paused deployment (run rollout resume first)\n", "rollout", "restart", "deploy/web")
	e.fails("error: you cannot rollback a paused deployment; resume it first with 'skiff rollout resume' and try again\n",
		"rollout", "undo", "deploy/web", "--to-revision=0")
	if got := e.ok("rollout", "resume", "deploy/web"); got != "deployment.apps/web resumed\n" {
		t.Errorf("resume: %q", got)
	}
	e.fails("error: deployments.apps \"web\" is not paused\n", "rollout", "resume", "deploy/web")
	e.fails("error: statefulsets.apps \"db\" is not supported by rollout pause\n", "rollout", "pause", "sts/db")

	e.step(42 * time.Second)
	if got := e.ok("rollout", "restart", "deploy/web", "sts/db"); got != "deployment.apps/web restarted\nstatefulset.apps/db restarted\n" {
		t.Errorf("restart: %q", got)
	}
	want := "2025-01-01T00:00:42Z"
	if got := e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment).Spec.Template.Annotations[restartedAtAnnotation]; got != want {
		t.Errorf("deployment restartedAt = %q, want %q", got, want)
	}
	if got := e.get(scheme.StatefulSetGVK, "default", "db").(*apps.StatefulSet).Spec.Template.Annotations[restartedAtAnnotation]; got != want {
		t.Errorf("statefulset restartedAt = %q, want %q", got, want)
	}
}
