package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
)

const webYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  labels:
    app: web
    tier: frontend
spec:
  replicas: 2
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  mode: fast
`

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestApplyCreatesConfiguresAndLeavesUnchanged(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	f := writeFile(t, dir, "web.yaml", webYAML)

	if got := e.ok("apply", "-f", f); got != "deployment.apps/web created\nconfigmap/web-config created\n" {
		t.Errorf("first apply: %q", got)
	}
	d := e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment)
	last := d.Annotations[lastAppliedAnnotation]
	if !strings.HasSuffix(last, "\n") || !strings.Contains(last, `"namespace":"default"`) || strings.Contains(last, lastAppliedAnnotation) {
		t.Errorf("last-applied annotation: %q", last)
	}
	var cfg map[string]any
	if err := json.Unmarshal([]byte(last), &cfg); err != nil {
		t.Errorf("last-applied annotation is not JSON: %v", err)
	}

	if got := e.ok("apply", "-f", f); got != "deployment.apps/web unchanged\nconfigmap/web-config unchanged\n" {
		t.Errorf("second apply: %q", got)
	}

	// A change, and a label removed from the manifest: both reach the object; a label set by
	// someone else stays.
	d.Labels["owner"] = "ops"
	if _, err := client.For[*apps.Deployment](e.c).Update(e.ctx, d); err != nil {
		t.Fatal(err)
	}
	changed := strings.Replace(strings.Replace(webYAML, "replicas: 2", "replicas: 4", 1), "    tier: frontend\n", "", 1)
	writeFile(t, dir, "web.yaml", changed)
	if got := e.ok("apply", "-f", f); got != "deployment.apps/web configured\nconfigmap/web-config unchanged\n" {
		t.Errorf("third apply: %q", got)
	}
	d = e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment)
	if *d.Spec.Replicas != 4 {
		t.Errorf("replicas = %d, want 4", *d.Spec.Replicas)
	}
	if _, ok := d.Labels["tier"]; ok {
		t.Errorf("label removed from the manifest is still there: %v", d.Labels)
	}
	if d.Labels["owner"] != "ops" || d.Labels["app"] != "web" {
		t.Errorf("labels = %v, want app and owner kept", d.Labels)
	}
	if strings.Contains(d.Annotations[lastAppliedAnnotation], "frontend") {
		t.Errorf("last-applied annotation not updated")
	}
	// Drift is corrected: someone scales, apply sets the manifest's replicas again.
	if _, err := client.For[*apps.Deployment](e.c).Patch(e.ctx, "default", "web", client.MergePatchType, []byte(`{"spec":{"replicas":9}}`)); err != nil {
		t.Fatal(err)
	}
	if got := e.ok("apply", "-f", f); got != "deployment.apps/web configured\nconfigmap/web-config unchanged\n" {
		t.Errorf("fourth apply: %q", got)
	}
	if d := e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment); *d.Spec.Replicas != 4 {
		t.Errorf("replicas = %d after re-apply, want 4", *d.Spec.Replicas)
	}
}

func TestApplyFromStdinDirectoryAndNamespaces(t *testing.T) {
	e := newEnv(t)
	r := e.runIn(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"},"data":{"k":"v"}}`, "apply", "-f", "-", "-n", "other")
	if r.code != 0 || r.out != "configmap/a created\n" {
		t.Fatalf("apply from stdin: %+v", r)
	}
	e.get(scheme.ConfigMapGVK, "other", "a")

	dir := t.TempDir()
	writeFile(t, dir, "1-ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: staging\n")
	writeFile(t, dir, "2-cm.json", `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"staging"}}`)
	writeFile(t, dir, "README.md", "not a manifest")
	writeFile(t, dir, "3-list.yaml", "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: c\n")
	if got := e.ok("apply", "-f", dir); got != "namespace/staging created\nconfigmap/b created\nconfigmap/c created\n" {
		t.Errorf("apply -f dir: %q", got)
	}
	e.get(scheme.ConfigMapGVK, "staging", "b")
	e.get(scheme.ConfigMapGVK, "default", "c")

	e.fails("error: the namespace from the provided object \"staging\" does not match the namespace \"other\". You must pass '--namespace=staging' to perform this operation.\n",
		"apply", "-f", filepath.Join(dir, "2-cm.json"), "-n", "other")
	e.fails("error: the path \"nope.yaml\" does not exist\n", "apply", "-f", "nope.yaml")
	e.fails("error: must specify -f\nSee 'skiff apply -h' for help and examples.\n", "apply")
}

func TestApplyErrors(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	bad := writeFile(t, dir, "bad.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replcas: 2\n")
	r := e.run("apply", "-f", bad)
	if r.code != 1 || !strings.HasPrefix(r.err, "error: error parsing "+bad+": document 1: ") || !strings.Contains(r.err, `unknown field "spec.replcas"`) {
		t.Errorf("unknown field: %+v", r)
	}
	unknown := writeFile(t, dir, "unknown.yaml", "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: w\n")
	e.fails("error: error parsing "+unknown+": document 1: no matches for kind \"Widget\" in version \"example.com/v1\"\n", "apply", "-f", unknown)

	invalid := writeFile(t, dir, "invalid.yaml", strings.Replace(webYAML, "replicas: 2", "replicas: -1", 1))
	r = e.run("apply", "-f", invalid)
	if r.code != 1 || !strings.HasPrefix(r.err, "The Deployment \"web\" is invalid: spec.replicas: Invalid value: -1") {
		t.Errorf("invalid object: %+v", r)
	}
	// The other object of the file is applied all the same.
	if r.out != "configmap/web-config created\n" {
		t.Errorf("valid object of the same file: %q", r.out)
	}
}

func TestCreate(t *testing.T) {
	e := newEnv(t)
	f := writeFile(t, t.TempDir(), "web.yaml", webYAML)
	if got := e.ok("create", "-f", f); got != "deployment.apps/web created\nconfigmap/web-config created\n" {
		t.Errorf("create: %q", got)
	}
	if _, ok := e.get(scheme.DeploymentGVK, "default", "web").GetAnnotations()[lastAppliedAnnotation]; ok {
		t.Error("create recorded a last-applied configuration")
	}
	e.fails(`Error from server (AlreadyExists): error when creating "`+f+`": deployments.apps "web" already exists`+"\n"+
		`Error from server (AlreadyExists): error when creating "`+f+`": configmaps "web-config" already exists`+"\n",
		"create", "-f", f)

	if got := e.ok("create", "deployment", "api", "--image=registry.local/team/api_server:v2", "--replicas=3"); got != "deployment.apps/api created\n" {
		t.Errorf("create deployment: %q", got)
	}
	d := e.get(scheme.DeploymentGVK, "default", "api").(*apps.Deployment)
	if *d.Spec.Replicas != 3 || d.Spec.Template.Spec.Containers[0].Name != "api-server" || d.Spec.Selector.MatchLabels["app"] != "api" {
		t.Errorf("created deployment: %+v", d.Spec)
	}
	if got := e.ok("create", "namespace", "staging"); got != "namespace/staging created\n" {
		t.Errorf("create namespace: %q", got)
	}
	e.fails("Error from server (AlreadyExists): namespaces \"staging\" already exists\n", "create", "ns", "staging")
}

func TestCreateJobFromCronJob(t *testing.T) {
	e := newEnv(t)
	cj := e.create(&batch.CronJob{
		ObjectMeta: meta.ObjectMeta{Name: "backup", Namespace: "default"},
		Spec: batch.CronJobSpec{Schedule: "0 * * * *", JobTemplate: batch.JobTemplateSpec{
			ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"team": "ops"}, Annotations: map[string]string{"note": "x"}},
			Spec: batch.JobSpec{Template: core.PodTemplateSpec{Spec: core.PodSpec{RestartPolicy: core.RestartPolicyNever,
				Containers: []core.Container{{Name: "b", Image: "backup:1"}}}}},
		}},
	})
	if got := e.ok("create", "job", "backup-now", "--from=cronjob/backup"); got != "job.batch/backup-now created\n" {
		t.Errorf("create job: %q", got)
	}
	j := e.get(scheme.JobGVK, "default", "backup-now").(*batch.Job)
	ref := meta.GetControllerOf(j)
	if ref == nil || ref.Kind != "CronJob" || ref.UID != cj.GetUID() {
		t.Errorf("controller ref = %+v", ref)
	}
	if j.Annotations[instantiateAnnotation] != "manual" || j.Annotations["note"] != "x" || j.Labels["team"] != "ops" {
		t.Errorf("metadata: %v %v", j.Annotations, j.Labels)
	}
	if j.Spec.Template.Spec.Containers[0].Image != "backup:1" {
		t.Errorf("template not copied: %+v", j.Spec.Template.Spec)
	}
	e.fails("Error from server (NotFound): cronjobs.batch \"nope\" not found\n", "create", "job", "x", "--from=cronjob/nope")
	e.fails("error: from must be an existing cronjob: deployment.apps\n", "create", "job", "x", "--from=deploy/web")
	e.fails("error: either --image or --from must be specified\nSee 'skiff create job -h' for help and examples.\n", "create", "job", "x")
	if got := e.ok("create", "job", "pi", "--image=perl", "--", "perl", "-e", "print 1"); got != "job.batch/pi created\n" {
		t.Errorf("create job --image: %q", got)
	}
	if c := e.get(scheme.JobGVK, "default", "pi").(*batch.Job).Spec.Template.Spec.Containers[0]; c.Image != "perl" || len(c.Command) != 3 {
		t.Errorf("job container: %+v", c)
	}
}
