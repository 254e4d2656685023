package cli

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// event records an event about obj of kind, at the current fake time, seen count times.
func (e *env) event(name string, kind string, obj meta.Object, typ, reason, msg string, count int32, first time.Duration) {
	e.t.Helper()
	now := e.clock.Now()
	e.create(&core.Event{
		ObjectMeta: meta.ObjectMeta{Name: name, Namespace: orDefault(obj.GetNamespace(), "default")},
		InvolvedObject: core.ObjectReference{Kind: kind, Namespace: obj.GetNamespace(), Name: obj.GetName(), UID: obj.GetUID(),
			APIVersion: "apps/v1"},
		Type: typ, Reason: reason, Message: msg, Count: count,
		FirstTimestamp: meta.NewTime(now.Add(-first)), LastTimestamp: meta.NewTime(now),
		Source: core.EventSource{Component: "deployment-controller"},
	})
}

func TestEvents(t *testing.T) {
	e := newEnv(t)
	r := e.run("events")
	if r.code != 0 || r.err != "No events found in default namespace.\n" {
		t.Errorf("no events: %+v", r)
	}
	d := e.create(deployment("web", 1, "nginx"))
	p := e.create(runningPod("web-1", "", nil))
	e.step(time.Minute)
	e.event("web.2", "Deployment", d, "Normal", "ScalingReplicaSet", "Scaled up replica set web-abc to 1", 4, 9*time.Minute)
	e.step(30 * time.Second)
	e.event("web-1.1", "Pod", p, "Warning", "FailedScheduling", "0/0 nodes are available", 1, 0)
	e.step(10 * time.Second)

	want := "" +
		"LAST SEEN             TYPE      REASON              OBJECT           MESSAGE\n" +
		"40s (x4 over 9m40s)   Normal    ScalingReplicaSet   Deployment/web   Scaled up replica set web-abc to 1\n" +
		"10s                   Warning   FailedScheduling    Pod/web-1        0/0 nodes are available\n"
	if got := e.ok("events"); got != want {
		t.Errorf("events:\n%s\nwant\n%s", got, want)
	}
	if got := collapse(e.ok("events", "--for", "deploy/web", "--no-headers")); got != "40s (x4 over 9m40s) Normal ScalingReplicaSet Deployment/web Scaled up replica set web-abc to 1" {
		t.Errorf("events --for: %q", got)
	}
	if got := collapse(e.ok("events", "--types", "Warning", "-A")); got != "NAMESPACE LAST SEEN TYPE REASON OBJECT MESSAGE\n"+
		"default 10s Warning FailedScheduling Pod/web-1 0/0 nodes are available" {
		t.Errorf("events --types Warning -A: %q", got)
	}
	e.fails("error: valid --types are Normal or Warning\n", "events", "--types", "Bad")
	if got := collapse(e.ok("get", "events")); !strings.HasPrefix(got, "LAST SEEN TYPE REASON OBJECT MESSAGE\n") ||
		!strings.Contains(got, "40s Normal ScalingReplicaSet deployment/web Scaled up") {
		t.Errorf("get events:\n%s", got)
	}
}

func TestDescribe(t *testing.T) {
	e := newEnv(t)
	d := e.create(deployment("web", 2, "nginx:1.25"))
	e.replicaSetOf(d, "abc", 1, "nginx:1.25", "")
	e.setDeploymentStatus("web", func(x *apps.Deployment) {
		x.Status = apps.DeploymentStatus{ObservedGeneration: 1, Replicas: 2, UpdatedReplicas: 2, ReadyReplicas: 2, AvailableReplicas: 2,
			Conditions: []apps.DeploymentCondition{{Type: apps.DeploymentAvailable, Status: meta.ConditionTrue, Reason: apps.MinimumReplicasAvailable}}}
	})
	e.step(5 * time.Minute)
	e.event("web.1", "Deployment", d, "Normal", "ScalingReplicaSet", "Scaled up replica set web-abc to 2", 1, 0)
	e.step(time.Minute)

	out := e.ok("describe", "deployment", "web")
	for _, want := range []string{
		"Name:                   web\n",
		"Namespace:              default\n",
		"CreationTimestamp:      Wed, 01 Jan 2025 00:00:00 +0000\n",
		"Labels:                 app=web\n",
		"Selector:               app=web\n",
		"Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable\n",
		"StrategyType:           RollingUpdate\n",
		"RollingUpdateStrategy:  25% max unavailable, 25% max surge\n",
		"Pod Template:\n  Labels:  app=web\n  Containers:\n   app:\n",
		"    Image:        nginx:1.25\n",
		"Conditions:\n  Type           Status  Reason\n  ----           ------  ------\n  Available      True    MinimumReplicasAvailable\n" +
			"OldReplicaSets:  <none>\n",
		"NewReplicaSet:   web-abc (0/0 replicas created)\n",
		"Events:\n  Type    Reason             Age   From                   Message\n" +
			"  ----    ------             ----  ----                   -------\n" +
			"  Normal  ScalingReplicaSet  60s   deployment-controller  Scaled up replica set web-abc to 2\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("describe deployment lacks %q:\n%s", want, out)
		}
	}

	p := runningPod("web-abc-x1", "node-1", map[string]string{"app": "web"})
	p.OwnerReferences = []meta.OwnerReference{controllerRef("ReplicaSet", e.get(scheme.ReplicaSetGVK, "default", "web-abc"))}
	e.create(p)
	out = e.ok("describe", "pod", "web-abc")
	for _, want := range []string{"Name: web-abc-x1\n", "Node: node-1\n", "Status: Pending\n",
		"Controlled By: ReplicaSet/web-abc\n", "Containers:\napp:\nImage: nginx\n", "Events: <none>"} {
		if !strings.Contains(collapse(out), want) {
			t.Errorf("describe pod (by prefix) lacks %q:\n%s", want, out)
		}
	}
	e.fails("Error from server (NotFound): pods \"zzz\" not found\n", "describe", "pod", "zzz")

	// Every kind has a description.
	e.create(statefulSet("db", 1, "postgres"))
	e.create(daemonSet("agent", "agent:1"))
	e.create(node("node-1"))
	e.create(&batch.CronJob{ObjectMeta: meta.ObjectMeta{Name: "tick", Namespace: "default"},
		Spec: batch.CronJobSpec{Schedule: "* * * * *", JobTemplate: batch.JobTemplateSpec{Spec: batch.JobSpec{
			Template: core.PodTemplateSpec{Spec: core.PodSpec{RestartPolicy: core.RestartPolicyNever, Containers: []core.Container{{Name: "t", Image: "t"}}}}}}}})
	e.create(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "cfg", Namespace: "default"}, Data: map[string]string{"someKey": "v"}})
	for _, tc := range []struct{ args, want string }{
		{"sts/db", "Replicas: 1 desired | 0 total\n"},
		{"ds/agent", "Desired Number of Nodes Scheduled: 0\n"},
		{"node/node-1", "Non-terminated Pods: (1 in total)\n"},
		{"cj/tick", "Schedule: * * * * *\n"},
		{"ns/default", "Status: Active\n"},
		{"cm/cfg", "Data:\nSome Key: v\n"},
		{"rs/web-abc", "Replicas: 0 current / 0 desired\nPods Status: 0 Running / 0 Waiting / 0 Succeeded / 0 Failed\n"},
	} {
		if out := e.ok("describe", tc.args); !strings.Contains(collapse(out), tc.want) {
			t.Errorf("describe %s lacks %q:\n%s", tc.args, tc.want, out)
		}
	}
}

func TestFormatError(t *testing.T) {
	gvk := scheme.DeploymentGVK
	one := store.NewInvalid(gvk, "web", validation.ErrorList{validation.Invalid(validation.NewPath("spec", "replicas"), -1, "must be greater than or equal to 0")})
	two := store.NewInvalid(gvk, "web", validation.ErrorList{
		validation.Required(validation.NewPath("spec", "selector"), ""),
		validation.Invalid(validation.NewPath("spec", "replicas"), -1, "must be greater than or equal to 0"),
	})
	tests := []struct {
		err  error
		want string
	}{
		{store.NewNotFound(scheme.GroupResource{Group: "apps", Resource: "deployments"}, "web"),
			`Error from server (NotFound): deployments.apps "web" not found`},
		{&sourceError{"creating", "web.yaml", store.NewAlreadyExists(scheme.GroupResource{Resource: "pods"}, "p")},
			`Error from server (AlreadyExists): error when creating "web.yaml": pods "p" already exists`},
		{one, `The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0`},
		{two, "The Deployment \"web\" is invalid: \n* spec.selector: Required value\n* spec.replicas: Invalid value: -1: must be greater than or equal to 0"},
		{&store.StatusError{Message: "odd"}, "Error from server: odd"},
		{errors.New("boom"), "error: boom"},
		{errors.New("error: already prefixed"), "error: already prefixed"},
	}
	for _, tc := range tests {
		if got := formatError(tc.err, DefaultServer); got != tc.want {
			t.Errorf("formatError(%v) =\n%q\nwant\n%q", tc.err, got, tc.want)
		}
	}
}

func TestVersionAndAPIResources(t *testing.T) {
	e := newEnv(t)
	if got := e.ok("version", "--client"); got != "Client Version: "+clientVersion()+"\n" {
		t.Errorf("version --client: %q", got)
	}
	out := e.ok("api-resources")
	if !strings.HasPrefix(collapse(out), "NAME SHORTNAMES APIVERSION NAMESPACED KIND\nconfigmaps cm v1 true ConfigMap\n") ||
		!strings.Contains(collapse(out), "deployments deploy apps/v1 true Deployment") {
		t.Errorf("api-resources:\n%s", out)
	}
	if got := e.ok("api-resources", "--namespaced=false", "-o", "name"); got != "namespaces\nnodes\n" {
		t.Errorf("api-resources --namespaced=false -o name: %q", got)
	}
}
