package cli

import (
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// TestCreateDryRun: --dry-run=client prints instead of creating, the way kubectl users
// write manifests; -o prints what was created.
func TestCreateDryRun(t *testing.T) {
	e := newEnv(t)
	got := e.ok("create", "deployment", "web", "--image=nginx:1.27", "--replicas=2", "--dry-run=client", "-o", "yaml")
	for _, want := range []string{"apiVersion: apps/v1\n", "kind: Deployment\n", "  name: web\n", "  replicas: 2\n", "      - image: nginx:1.27\n"} {
		if !strings.Contains(got, want) {
			t.Errorf("dry-run YAML lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "uid:") || strings.Contains(got, "resourceVersion:") {
		t.Errorf("a client dry run printed server fields:\n%s", got)
	}
	if _, err := e.c.Get(e.ctx, scheme.DeploymentGVK, "default", "web"); !store.IsNotFound(err) {
		t.Errorf("a dry run created the deployment: %v", err)
	}
	// The printed manifest applies as it is.
	if r := e.runIn(got, "apply", "-f", "-"); r.code != 0 || r.out != "deployment.apps/web created\n" {
		t.Errorf("applying the dry run's output: %+v", r)
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"create", "configmap", "cm", "--from-literal=a=b", "--dry-run"}, "configmap/cm created (dry run)\n"},
		{[]string{"run", "p", "--image=busybox", "--dry-run=client", "-o", "name"}, "pod/p\n"},
		{[]string{"create", "namespace", "staging", "--dry-run=client"}, "namespace/staging created (dry run)\n"},
	} {
		if got := e.ok(tc.args...); got != tc.want {
			t.Errorf("skiff %s: %q, want %q", strings.Join(tc.args, " "), got, tc.want)
		}
	}
	if _, err := e.c.Get(e.ctx, scheme.PodGVK, "default", "p"); !store.IsNotFound(err) {
		t.Errorf("run --dry-run created the pod: %v", err)
	}

	// -o without a dry run prints the created object, server fields and all.
	got = e.ok("create", "namespace", "staging", "-o", "json")
	if !strings.Contains(got, `"uid": "`) || !strings.Contains(got, `"kind": "Namespace"`) {
		t.Errorf("create -o json:\n%s", got)
	}
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-file\n"
	if r := e.runIn(manifest, "create", "-f", "-", "--dry-run=client"); r.code != 0 || r.out != "configmap/from-file created (dry run)\n" {
		t.Errorf("create -f --dry-run: %+v", r)
	}
	e.fails("error: --dry-run=server is not supported: skiff has no server-side dry run; use --dry-run=client\nSee 'skiff create namespace -h' for help and examples.\n",
		"create", "namespace", "x", "--dry-run=server")
	e.fails("error: invalid dry-run value (maybe). Must be \"none\", \"server\", or \"client\"\nSee 'skiff run -h' for help and examples.\n",
		"run", "x", "--image=a", "--dry-run=maybe")
}
