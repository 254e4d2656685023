package cli

import (
	"maps"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

func TestLabel(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	labels := func() map[string]string { return e.get(scheme.DeploymentGVK, "default", "web").GetLabels() }
	rv := func() string { return e.get(scheme.DeploymentGVK, "default", "web").GetResourceVersion() }

	if got := e.ok("label", "deploy", "web", "tier=frontend", "team=a"); got != "deployment.apps/web labeled\n" {
		t.Errorf("label: %q", got)
	}
	if want := map[string]string{"app": "web", "tier": "frontend", "team": "a"}; !maps.Equal(labels(), want) {
		t.Errorf("labels %v, want %v", labels(), want)
	}

	// Without --overwrite, a key that is set is refused, even to the same value (kubectl's
	// label), and nothing is written.
	before := rv()
	e.fails("error: 'tier' already has a value (frontend), and --overwrite is false\n", "label", "deploy/web", "tier=backend", "new=x")
	e.fails("error: ['team' already has a value (a), and --overwrite is false, 'tier' already has a value (frontend), and --overwrite is false]\n",
		"label", "deploy/web", "tier=frontend", "team=b")
	if rv() != before || labels()["new"] != "" {
		t.Errorf("a refused label wrote: rv %s -> %s, labels %v", before, rv(), labels())
	}

	if got := e.ok("label", "--overwrite", "deploy/web", "tier=backend"); got != "deployment.apps/web labeled\n" {
		t.Errorf("label --overwrite: %q", got)
	}
	before = rv()
	if got := e.ok("label", "--overwrite", "deploy/web", "tier=backend"); got != "deployment.apps/web not labeled\n" {
		t.Errorf("label to the same value: %q", got)
	}
	if rv() != before {
		t.Error("a label that changes nothing wrote the object")
	}

	if got := e.ok("label", "deploy/web", "team-", "nope-"); got != "label \"nope\" not found.\ndeployment.apps/web labeled\n" {
		t.Errorf("remove: %q", got)
	}
	if want := map[string]string{"app": "web", "tier": "backend"}; !maps.Equal(labels(), want) {
		t.Errorf("labels after removal %v, want %v", labels(), want)
	}

	// The server validates: a bad value is Invalid and nothing changes.
	r := e.run("label", "deploy/web", "bad=-x-")
	if r.code != 1 || !strings.HasPrefix(r.err, `The Deployment "web" is invalid: metadata.labels[bad]: Invalid value: "-x-"`) {
		t.Errorf("invalid value: %+v", r)
	}
	// A stale --resource-version is a Conflict.
	r = e.run("label", "deploy/web", "x=y", "--resource-version=1")
	if r.code != 1 || !strings.HasPrefix(r.err, "Error from server (Conflict): ") || labels()["x"] != "" {
		t.Errorf("stale --resource-version: %+v, labels %v", r, labels())
	}
	if got := e.ok("label", "deploy/web", "x=y", "--resource-version="+rv()); got != "deployment.apps/web labeled\n" {
		t.Errorf("current --resource-version: %q", got)
	}

	e.fails("error: can not both modify and remove label in the same command\n", "label", "deploy/web", "a=b", "a-")
	e.fails("error: invalid label spec: a=b=c\n", "label", "deploy/web", "a=b=c")
	e.fails("error: all resources must be specified before label changes: web\nSee 'skiff label -h' for help and examples.\n",
		"label", "deploy", "a=b", "web")
	e.fails("error: at least one label update is required\nSee 'skiff label -h' for help and examples.\n", "label", "deploy", "web")
	e.fails("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'skiff label -h' for help and examples.\n",
		"label", "a=b")
	e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "label", "deploy", "nope", "a=b")
}

func TestLabelSelectsObjects(t *testing.T) {
	e := newEnv(t)
	e.create(runningPod("a", "", map[string]string{"app": "web"}))
	e.create(runningPod("b", "", map[string]string{"app": "web"}))
	e.create(runningPod("c", "", map[string]string{"app": "db"}))
	if got := e.ok("label", "pods", "-l", "app=web", "tier=frontend"); got != "pod/a labeled\npod/b labeled\n" {
		t.Errorf("label -l: %q", got)
	}
	for name, want := range map[string]string{"a": "frontend", "b": "frontend", "c": ""} {
		if got := e.get(scheme.PodGVK, "default", name).GetLabels()["tier"]; got != want {
			t.Errorf("pod %s: tier %q, want %q", name, got, want)
		}
	}
	if got := e.ok("label", "pods", "--all", "--overwrite", "tier=x"); got != "pod/a labeled\npod/b labeled\npod/c labeled\n" {
		t.Errorf("label --all: %q", got)
	}
	if r := e.run("label", "pods", "-l", "app=none", "a=b"); r.code != 0 || r.err != "No resources found in default namespace.\n" {
		t.Errorf("label -l matching nothing: %+v", r)
	}
	e.fails("error: cannot set --all and --selector at the same time\nSee 'skiff label -h' for help and examples.\n",
		"label", "pods", "--all", "-l", "app=web", "a=b")
	e.fails("error: --resource-version may only be used with a single resource\n", "label", "pods", "--all", "a=b", "--resource-version=5")

	// Cluster-scoped objects and manifests.
	e.create(node("n1"))
	if got := e.ok("label", "node", "n1", "zone=eu-1"); got != "node/n1 labeled\n" {
		t.Errorf("label node: %q", got)
	}
	manifest := "apiVersion: v1\nkind: Pod\nmetadata:\n  name: c\nspec:\n  containers: [{name: app, image: nginx}]\n"
	if got := e.runIn(manifest, "label", "-f", "-", "from=file"); got.code != 0 || got.out != "pod/c labeled\n" {
		t.Errorf("label -f: %+v", got)
	}
	if got := e.get(scheme.PodGVK, "default", "c").GetLabels()["from"]; got != "file" {
		t.Errorf("label -f did not label: %q", got)
	}
}

func TestAnnotate(t *testing.T) {
	e := newEnv(t)
	e.create(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "cm", Namespace: "default", Annotations: map[string]string{"owner": "a"}}})
	annotations := func() map[string]string { return e.get(scheme.ConfigMapGVK, "default", "cm").GetAnnotations() }

	// Values may hold "=" and spaces.
	if got := e.ok("annotate", "cm", "cm", "query=a=b c"); got != "configmap/cm annotated\n" {
		t.Errorf("annotate: %q", got)
	}
	// The same value needs no --overwrite (unlike label); another one does.
	if got := e.ok("annotate", "cm/cm", "owner=a"); got != "configmap/cm annotated\n" {
		t.Errorf("annotate with the same value: %q", got)
	}
	e.fails("error: --overwrite is false but found the following declared annotation(s): 'owner' already has a value (a)\n",
		"annotate", "cm/cm", "owner=b")
	if got := e.ok("annotate", "--overwrite", "cm/cm", "owner=b", "query-"); got != "configmap/cm annotated\n" {
		t.Errorf("annotate --overwrite: %q", got)
	}
	if want := map[string]string{"owner": "b"}; !maps.Equal(annotations(), want) {
		t.Errorf("annotations %v, want %v", annotations(), want)
	}
}
