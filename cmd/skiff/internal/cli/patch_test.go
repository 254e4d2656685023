package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
)

func TestPatch(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	web := func() *apps.Deployment { return e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment) }

	if got := e.ok("patch", "deploy", "web", "-p", `{"spec":{"replicas":3}}`); got != "deployment.apps/web patched\n" {
		t.Errorf("patch: %q", got)
	}
	if n := *web().Spec.Replicas; n != 3 {
		t.Errorf("replicas = %d", n)
	}
	before := web().ResourceVersion
	if got := e.ok("patch", "deploy/web", "-p", `{"spec":{"replicas":3}}`); got != "deployment.apps/web patched (no change)\n" {
		t.Errorf("patch that changes nothing: %q", got)
	}
	if web().ResourceVersion != before {
		t.Error("a patch that changes nothing wrote the object")
	}
	// YAML works too.
	if got := e.ok("patch", "deploy/web", "-p", "spec: {minReadySeconds: 7}"); got != "deployment.apps/web patched\n" || web().Spec.MinReadySeconds != 7 {
		t.Errorf("YAML patch: %q, minReadySeconds %d", got, web().Spec.MinReadySeconds)
	}

	// A list without --type: refused, because kubectl's default (strategic merge) would merge
	// it by key where a merge patch replaces it. Nothing is written.
	containers := `{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:2"}]}}}}`
	before = web().ResourceVersion
	r := e.run("patch", "deploy/web", "-p", containers)
	if r.code != 1 || !strings.HasPrefix(r.err, "error: the patch sets a list (spec.template.spec.containers), and skiff has no strategic merge patch") {
		t.Errorf("list without --type: %+v", r)
	}
	if web().ResourceVersion != before {
		t.Error("a refused patch wrote the object")
	}
	if got := e.ok("patch", "deploy/web", "--type", "merge", "-p", containers); got != "deployment.apps/web patched\n" ||
		web().Spec.Template.Spec.Containers[0].Image != "nginx:2" {
		t.Errorf("--type merge: %q, image %q", got, web().Spec.Template.Spec.Containers[0].Image)
	}

	// A JSON patch; a failing test operation is Invalid and changes nothing.
	jp := `[{"op":"test","path":"/spec/template/spec/containers/0/name","value":"app"},` +
		`{"op":"replace","path":"/spec/template/spec/containers/0/image","value":"nginx:3"}]`
	if got := e.ok("patch", "deploy/web", "--type=json", "-p", jp); got != "deployment.apps/web patched\n" ||
		web().Spec.Template.Spec.Containers[0].Image != "nginx:3" {
		t.Errorf("--type json: %q", got)
	}
	r = e.run("patch", "deploy/web", "--type=json", "-p", strings.ReplaceAll(jp, `"value":"app"`, `"value":"other"`))
	if r.code != 1 || !strings.Contains(r.err, "is invalid") || web().Spec.Template.Spec.Containers[0].Image != "nginx:3" {
		t.Errorf("failing test op: %+v", r)
	}
	e.fails("error: the patch is a list of operations: pass --type json\n", "patch", "deploy/web", "-p", jp)

	// -o prints the patched object.
	out := e.ok("patch", "deploy/web", "-p", `{"metadata":{"labels":{"tier":"x"}}}`, "-o", "json")
	var obj map[string]any
	if err := json.Unmarshal([]byte(out), &obj); err != nil || obj["kind"] != "Deployment" ||
		obj["metadata"].(map[string]any)["labels"].(map[string]any)["tier"] != "x" {
		t.Errorf("-o json: %v\n%s", err, out)
	}
	if got := e.ok("patch", "deploy/web", "-p", `{"spec":{"paused":true}}`, "-o", "name"); got != "deployment.apps/web\n" {
		t.Errorf("-o name: %q", got)
	}

	// A patch file, and objects named by a manifest.
	dir := t.TempDir()
	pf := filepath.Join(dir, "patch.yaml")
	mf := filepath.Join(dir, "web.yaml")
	if err := os.WriteFile(pf, []byte("spec:\n  replicas: 5\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(mf, []byte("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got := e.ok("patch", "-f", mf, "--patch-file", pf); got != "deployment.apps/web patched\n" || *web().Spec.Replicas != 5 {
		t.Errorf("patch -f --patch-file: %q, replicas %d", got, *web().Spec.Replicas)
	}

	e.fails("error: strategic merge patch is not supported by skiff: use --type merge (lists are replaced whole) or --type json\n",
		"patch", "deploy/web", "--type", "strategic", "-p", "{}")
	e.fails("error: Must specify --patch or --patch-file containing the contents of the patch\nSee 'skiff patch -h' for help and examples.\n",
		"patch", "deploy/web")
	e.fails("error: one or more resources must be specified as <resource> <name> or <resource>/<name>\nSee 'skiff patch -h' for help and examples.\n",
		"patch", "-p", "{}")
	e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "patch", "deploy/nope", "-p", `{"spec":{"replicas":1}}`)
	r = e.run("patch", "deploy/web", "-p", "{not json")
	if r.code != 1 || !strings.HasPrefix(r.err, `error: unable to parse "{not json": `) {
		t.Errorf("malformed patch: %+v", r)
	}
	r = e.run("patch", "deploy/web", "-p", `{"spec":{"replicas":-1}}`)
	if r.code != 1 || !strings.HasPrefix(r.err, `The Deployment "web" is invalid: spec.replicas: Invalid value: -1`) || *web().Spec.Replicas != 5 {
		t.Errorf("invalid result: %+v", r)
	}
}

func TestPatchStatusSubresource(t *testing.T) {
	e := newEnv(t)
	e.create(runningPod("p", "n1", nil))
	pod := func() *core.Pod { return e.get(scheme.PodGVK, "default", "p").(*core.Pod) }
	status := `{"status":{"phase":"Failed"}}`
	// Without --subresource a status change is ignored, as in Kubernetes.
	if got := e.ok("patch", "pod/p", "-p", status); got != "pod/p patched (no change)\n" || pod().Status.Phase == core.PodFailed {
		t.Errorf("status through the main resource: %q, phase %q", got, pod().Status.Phase)
	}
	if got := e.ok("patch", "pod/p", "--subresource", "status", "-p", status); got != "pod/p patched\n" || pod().Status.Phase != core.PodFailed {
		t.Errorf("--subresource status: %q, phase %q", got, pod().Status.Phase)
	}
	e.fails("error: invalid subresource value: \"scale\". Must be one of [status]\nSee 'skiff patch -h' for help and examples.\n",
		"patch", "pod/p", "--subresource", "scale", "-p", "{}")
}

// TestPatchIsNoop covers what decides "patched (no change)" when the resourceVersion alone
// cannot: another writer changed the object between the read and the patch.
func TestPatchIsNoop(t *testing.T) {
	r := newRoot(Options{}.withDefaults())
	d := deployment("web", 2, "nginx")
	for _, tc := range []struct {
		pt    client.PatchType
		patch string
		want  bool
	}{
		{client.MergePatchType, `{"spec":{"replicas":2}}`, true},
		{client.MergePatchType, `{"spec":{"replicas":3}}`, false},
		{client.MergePatchType, `{"metadata":{"labels":{"app":"web"}}}`, true},
		{client.MergePatchType, `{"metadata":{"labels":{"app":null}}}`, false},
		{client.JSONPatchType, `[{"op":"test","path":"/spec/replicas","value":2}]`, true},
		{client.JSONPatchType, `[{"op":"replace","path":"/spec/replicas","value":4}]`, false},
		{client.JSONPatchType, `[{"op":"test","path":"/spec/replicas","value":9}]`, false}, // fails: the server reports it
	} {
		if got := r.patchIsNoop(d, tc.pt, []byte(tc.patch)); got != tc.want {
			t.Errorf("patchIsNoop(%s) = %v, want %v", tc.patch, got, tc.want)
		}
	}
	if *d.Spec.Replicas != 2 || d.Labels["app"] != "web" {
		t.Error("patchIsNoop changed the object")
	}
}
