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
	"github.com/skiff-dev/skiff/store"
)

func TestGetTables(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 3, "nginx:1.25"))
	e.step(90 * time.Second)
	p := runningPod("web-1", "node-1", map[string]string{"app": "web"})
	e.create(p)
	e.create(node("node-1"))
	e.step(30 * time.Second)

	if got, want := e.ok("get", "deploy"), ""+
		"NAME   READY   UP-TO-DATE   AVAILABLE   AGE\n"+
		"web    0/3     0            0           2m\n"; got != want {
		t.Errorf("get deploy:\n%s\nwant\n%s", got, want)
	}
	if got, want := e.ok("get", "pods"), ""+
		"NAME    READY   STATUS    RESTARTS   AGE\n"+
		"web-1   0/1     Pending   0          30s\n"; got != want {
		t.Errorf("get pods:\n%s\nwant\n%s", got, want)
	}
	if got, want := collapse(e.ok("get", "po", "-o", "wide")), ""+
		"NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES\n"+
		"web-1 0/1 Pending 0 30s <none> node-1 <none> <none>"; got != want {
		t.Errorf("get po -o wide:\n%s\nwant\n%s", got, want)
	}
	if got, want := collapse(e.ok("get", "deployments.apps", "web", "-o", "wide")), ""+
		"NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR\n"+
		"web 0/3 0 0 2m app nginx:1.25 app=web"; got != want {
		t.Errorf("get deployments.apps web -o wide:\n%s\nwant\n%s", got, want)
	}
	if got, want := collapse(e.ok("get", "no")), ""+
		"NAME STATUS ROLES AGE VERSION\n"+
		"node-1 Ready <none> 30s v1.35.0-skiff"; got != want {
		t.Errorf("get no:\n%s\nwant\n%s", got, want)
	}
	if got, want := collapse(e.ok("get", "ns")), ""+
		"NAME STATUS AGE\n"+
		"default Active 2m\n"+
		"other Active 2m"; got != want {
		t.Errorf("get ns:\n%s\nwant\n%s", got, want)
	}
	// Several kinds: one table each, names qualified by kind.
	if got, want := collapse(e.ok("get", "deploy,po")), ""+
		"NAME READY UP-TO-DATE AVAILABLE AGE\n"+
		"deployment.apps/web 0/3 0 0 2m\n"+
		"\n"+
		"NAME READY STATUS RESTARTS AGE\n"+
		"pod/web-1 0/1 Pending 0 30s"; got != want {
		t.Errorf("get deploy,po:\n%s\nwant\n%s", got, want)
	}
	if got, want := collapse(e.ok("get", "deploy/web", "pod/web-1", "--no-headers")), ""+
		"deployment.apps/web 0/3 0 0 2m\n"+
		"\n"+
		"pod/web-1 0/1 Pending 0 30s"; got != want {
		t.Errorf("get deploy/web pod/web-1:\n%s\nwant\n%s", got, want)
	}
	// Selectors and all namespaces.
	other := runningPod("db-0", "", map[string]string{"app": "db"})
	other.Namespace = "other"
	e.create(other)
	if got, want := collapse(e.ok("get", "pods", "-A", "-l", "app")), ""+
		"NAMESPACE NAME READY STATUS RESTARTS AGE\n"+
		"default web-1 0/1 Pending 0 30s\n"+
		"other db-0 0/1 Pending 0 0s"; got != want {
		t.Errorf("get pods -A:\n%s\nwant\n%s", got, want)
	}
	if got, want := collapse(e.ok("get", "pods", "-n", "other", "--show-labels")), ""+
		"NAME READY STATUS RESTARTS AGE LABELS\n"+
		"db-0 0/1 Pending 0 0s app=db"; got != want {
		t.Errorf("get pods -n other --show-labels:\n%s\nwant\n%s", got, want)
	}
	if got := collapse(e.ok("get", "pods", "-A", "--field-selector", "spec.nodeName=node-1", "--no-headers")); got != "default web-1 0/1 Pending 0 30s" {
		t.Errorf("get pods --field-selector: %q", got)
	}
	if got := collapse(e.ok("get", "nodes", "-A")); got != "NAME STATUS ROLES AGE VERSION\nnode-1 Ready <none> 30s v1.35.0-skiff" {
		t.Errorf("get nodes -A has a NAMESPACE column: %q", got)
	}
	if got := e.ok("get", "all", "-o", "name"); got != "pod/web-1\ndeployment.apps/web\n" {
		t.Errorf("get all -o name: %q", got)
	}
}

func TestGetPodStatusFromStatus(t *testing.T) {
	e := newEnv(t)
	p := e.create(runningPod("crash", "node-1", nil)).(*core.Pod)
	p.Status.Phase = core.PodRunning
	p.Status.ContainerStatuses = []core.ContainerStatus{{Name: "app", RestartCount: 4,
		State: core.ContainerState{Waiting: &core.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
		LastTerminationState: core.ContainerState{Terminated: &core.ContainerStateTerminated{ExitCode: 1,
			FinishedAt: meta.NewTime(epoch)}}}}
	if _, err := client.For[*core.Pod](e.c).UpdateStatus(e.ctx, p); err != nil {
		t.Fatal(err)
	}
	e.step(3 * time.Minute)
	if got, want := collapse(e.ok("get", "pod", "crash")), ""+
		"NAME READY STATUS RESTARTS AGE\n"+
		"crash 0/1 CrashLoopBackOff 4 (3m ago) 3m"; got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	// A pod being deleted is Terminating.
	if _, err := e.c.Delete(e.ctx, scheme.PodGVK, "default", "crash", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	if got := collapse(e.ok("get", "pod", "crash", "--no-headers")); !strings.Contains(got, "Terminating") {
		t.Errorf("deleting pod: %q, want Terminating", got)
	}
}

func TestGetJSONAndYAML(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	e.create(deployment("api", 2, "api:v1"))

	var one map[string]any
	out := e.ok("get", "deploy", "web", "-o", "json")
	if err := json.Unmarshal([]byte(out), &one); err != nil {
		t.Fatalf("get -o json of one object: %v\n%s", err, out)
	}
	if one["kind"] != "Deployment" || one["apiVersion"] != "apps/v1" {
		t.Errorf("single object: kind %v apiVersion %v", one["kind"], one["apiVersion"])
	}
	if !strings.HasPrefix(out, "{\n    \"apiVersion\": \"apps/v1\",\n    \"kind\": \"Deployment\",\n    \"metadata\": {") {
		t.Errorf("JSON is not indented by four spaces with sorted keys:\n%s", out)
	}

	var list struct {
		APIVersion string           `json:"apiVersion"`
		Kind       string           `json:"kind"`
		Items      []map[string]any `json:"items"`
		Metadata   map[string]any   `json:"metadata"`
	}
	out = e.ok("get", "deploy", "-o", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatal(err)
	}
	if list.APIVersion != "v1" || list.Kind != "List" || len(list.Items) != 2 || list.Metadata["resourceVersion"] != "" {
		t.Errorf("list: %+v", list)
	}
	if list.Items[0]["kind"] != "Deployment" {
		t.Errorf("items lack their kind: %v", list.Items[0]["kind"])
	}
	// Two names: a List too.
	out = e.ok("get", "deploy", "web", "api", "-o", "json")
	if err := json.Unmarshal([]byte(out), &list); err != nil || list.Kind != "List" || len(list.Items) != 2 {
		t.Errorf("two names: kind %q, %d items, err %v", list.Kind, len(list.Items), err)
	}
	// An empty list is a List with no items.
	if out := e.ok("get", "sts", "-o", "json"); !strings.Contains(out, `"items": []`) {
		t.Errorf("empty list:\n%s", out)
	}

	y := e.ok("get", "deploy", "web", "-o", "yaml")
	if !strings.HasPrefix(y, "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n") {
		t.Errorf("yaml:\n%s", y)
	}
	y = e.ok("get", "deploy", "-o", "yaml")
	if !strings.HasPrefix(y, "apiVersion: v1\nitems:\n- apiVersion: apps/v1\n") || !strings.Contains(y, "kind: List\nmetadata:\n  resourceVersion: \"\"\n") {
		t.Errorf("yaml list:\n%s", y)
	}
	if got := e.ok("get", "deploy", "-o", "name"); got != "deployment.apps/api\ndeployment.apps/web\n" {
		t.Errorf("-o name: %q", got)
	}
	e.fails("error: unable to match a printer suitable for the output format \"xml\", allowed formats are: wide,json,yaml,name,jsonpath,custom-columns\n",
		"get", "deploy", "-o", "xml")
}

func TestGetErrors(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "get", "deploy", "nope")
	e.fails("Error from server (NotFound): pods \"nope\" not found\n", "get", "pods", "nope")
	// Found objects are printed, missing ones reported.
	r := e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "get", "deploy", "web", "nope")
	if !strings.Contains(r.out, "web ") {
		t.Errorf("the found object is not printed:\n%s", r.out)
	}
	e.fails("error: the server doesn't have a resource type \"widgets\"\n", "get", "widgets")
	e.fails("error: You must specify the type of resource to get. Use \"skiff api-resources\" for a complete list of supported resources.\n"+
		"See 'skiff get -h' for help and examples.\n", "get")
	e.fails("error: unknown flag: --bogus\nSee 'skiff get -h' for help and examples.\n", "get", "pods", "--bogus")
	e.fails("error: a resource cannot be retrieved by name across all namespaces\n", "get", "deploy", "web", "-A")
	e.fails("error: unknown command \"frobnicate\" for \"skiff\"\n", "frobnicate")

	r = e.run("get", "pods")
	if r.code != 0 || r.out != "" || r.err != "No resources found in default namespace.\n" {
		t.Errorf("empty list: %+v", r)
	}
	r = e.run("get", "pods", "-A")
	if r.code != 0 || r.err != "No resources found\n" {
		t.Errorf("empty list -A: %+v", r)
	}
}

func TestGetWatch(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	out, _, stop := e.start("get", "deploy", "-w")
	eventually(t, "the initial list", func() bool { return strings.Contains(out.String(), "web ") })
	d := e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment)
	d.Status.Replicas, d.Status.ReadyReplicas, d.Status.ObservedGeneration = 1, 1, d.Generation
	if _, err := client.For[*apps.Deployment](e.c).UpdateStatus(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	e.create(deployment("api", 2, "api"))
	eventually(t, "the watched changes", func() bool {
		return strings.Contains(out.String(), "web    1/1") && strings.Contains(out.String(), "api    0/2")
	})
	if code := stop(); code != 0 {
		t.Errorf("get -w ended with %d", code)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if len(lines) != 4 || !strings.HasPrefix(lines[0], "NAME ") {
		t.Errorf("watch output:\n%s", out.String())
	}
}
