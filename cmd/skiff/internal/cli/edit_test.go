package cli

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestEdit(t *testing.T) {
	e := newEnv(t)
	d := deployment("web", 1, "nginx")
	d.Labels["tier"] = "frontend"
	e.create(d)
	web := func() *apps.Deployment { return e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment) }
	// The editor is a command run on the file: sed stands in for a person.
	edit := func(editor string, args ...string) result {
		t.Helper()
		e.vars = map[string]string{"EDITOR": editor}
		return e.run(append([]string{"edit"}, args...)...)
	}

	if r := edit(`sed -i 's/^  replicas: 1$/  replicas: 4/'`, "deploy/web"); r.code != 0 || r.out != "deployment.apps/web edited\n" {
		t.Errorf("edit: %+v", r)
	}
	if n := *web().Spec.Replicas; n != 4 {
		t.Errorf("replicas after edit = %d", n)
	}
	// A removed line removes the field.
	if r := edit(`sed -i '/^    tier: frontend$/d'`, "deployment", "web"); r.code != 0 || r.out != "deployment.apps/web edited\n" {
		t.Errorf("edit removing a label: %+v", r)
	}
	if _, ok := web().Labels["tier"]; ok || web().Labels["app"] != "web" {
		t.Errorf("labels after edit %v", web().Labels)
	}
	// JSON, through KUBE_EDITOR.
	e.vars = map[string]string{"KUBE_EDITOR": `sed -i 's/"replicas": 4,/"replicas": 5,/'`, "EDITOR": "false"}
	if r := e.run("edit", "deploy/web", "-o", "json"); r.code != 0 || r.out != "deployment.apps/web edited\n" || *web().Spec.Replicas != 5 {
		t.Errorf("edit -o json: %+v, replicas %d", r, *web().Spec.Replicas)
	}

	// No change, an empty file: nothing written.
	rv := web().ResourceVersion
	if r := edit("true", "deploy/web"); r.code != 0 || r.err != "Edit cancelled, no changes made.\n" {
		t.Errorf("unchanged: %+v", r)
	}
	if r := edit("truncate -s 0", "deploy/web"); r.code != 0 || r.err != "Edit cancelled, saved file was empty.\n" {
		t.Errorf("emptied: %+v", r)
	}
	if web().ResourceVersion != rv {
		t.Error("a cancelled edit wrote the object")
	}

	// An invalid change: the file is reopened with the error on top; closed unchanged, the
	// edit is given up and kept.
	r := edit(`sed -i 's/^  replicas: 5$/  replicas: -1/'`, "deploy/web")
	m := regexp.MustCompile(`^A copy of your changes has been stored to "([^"]+)"\nerror: Edit cancelled, no valid changes were saved.\n$`).FindStringSubmatch(r.err)
	if r.code != 1 || m == nil {
		t.Fatalf("invalid edit: %+v", r)
	}
	defer os.Remove(m[1])
	kept, err := os.ReadFile(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(kept), "# The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1") ||
		!strings.Contains(string(kept), "\n  replicas: -1\n") {
		t.Errorf("kept edit:\n%s", kept)
	}
	if web().ResourceVersion != rv {
		t.Error("an invalid edit wrote the object")
	}

	// The editor failing, a bad format, a missing object.
	r = edit("false", "deploy/web")
	if r.code != 1 || !strings.HasPrefix(r.err, `error: the editor "false" failed: exit status 1`) {
		t.Errorf("failing editor: %+v", r)
	}
	e.fails("error: the edit format must be yaml or json, not \"xml\"\nSee 'skiff edit -h' for help and examples.\n", "edit", "deploy/web", "-o", "xml")
	e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "edit", "deploy/nope")
}

// TestEditConflict: the edit carries the resourceVersion it was made from; a change in
// between is a Conflict, and nothing is written.
func TestEditConflict(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	stale := e.get(scheme.DeploymentGVK, "default", "web").GetResourceVersion()
	e.ok("label", "deploy/web", "moved=on") // someone else's write
	r := newRoot(e.options("", &syncBuffer{}, &syncBuffer{}).withDefaults())
	cmd := &cobra.Command{}
	cmd.SetContext(e.ctx)
	info, err := r.scheme.ForGVK(scheme.DeploymentGVK)
	if err != nil {
		t.Fatal(err)
	}
	err = r.saveEdit(cmd, e.c, target{info, "default", "web"}, stale, []byte(`{"spec":{"replicas":1}}`), []byte(`{"spec":{"replicas":3}}`))
	if !store.IsConflict(err) {
		t.Errorf("stale edit: %v, want Conflict", err)
	}
	if n := *e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment).Spec.Replicas; n != 1 {
		t.Errorf("a stale edit wrote replicas %d", n)
	}
}
