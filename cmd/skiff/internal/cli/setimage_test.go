package cli

import (
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
)

func TestSetImage(t *testing.T) {
	e := newEnv(t)
	d := deployment("web", 1, "nginx:1.25")
	d.Spec.Template.Spec.InitContainers = []core.Container{{Name: "init", Image: "busybox:1.36"}}
	d.Spec.Template.Spec.Containers = append(d.Spec.Template.Spec.Containers, core.Container{Name: "sidecar", Image: "envoy:1.29"})
	e.create(d)
	images := func() []string {
		s := e.get(scheme.DeploymentGVK, "default", "web").(*apps.Deployment).Spec.Template.Spec
		return []string{s.InitContainers[0].Image, s.Containers[0].Image, s.Containers[1].Image}
	}
	check := func(what string, want ...string) {
		t.Helper()
		got := images()
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("%s: images %v, want %v", what, got, want)
				return
			}
		}
	}

	if got := e.ok("set", "image", "deployment/web", "app=nginx:1.27"); got != "deployment.apps/web image updated\n" {
		t.Errorf("set image: %q", got)
	}
	check("one container", "busybox:1.36", "nginx:1.27", "envoy:1.29")
	if got := e.ok("set", "image", "deploy", "web", "init=busybox:1.37", "sidecar=envoy:1.30"); got != "deployment.apps/web image updated\n" {
		t.Errorf("set image of two: %q", got)
	}
	check("init container and sidecar", "busybox:1.37", "nginx:1.27", "envoy:1.30")

	// Images already as asked: nothing printed, nothing written (as kubectl).
	before := e.get(scheme.DeploymentGVK, "default", "web").GetResourceVersion()
	if got := e.ok("set", "image", "deploy/web", "app=nginx:1.27"); got != "" {
		t.Errorf("unchanged image printed %q", got)
	}
	if after := e.get(scheme.DeploymentGVK, "default", "web").GetResourceVersion(); after != before {
		t.Error("an unchanged image wrote the object")
	}

	// A name that matches no container is an error; the others are still set.
	r := e.fails("error: unable to find container named \"nope\"\n", "set", "image", "deploy/web", "app=nginx:1.28", "nope=x")
	if r.out != "deployment.apps/web image updated\n" {
		t.Errorf("partial set image printed %q", r.out)
	}
	check("partial", "busybox:1.37", "nginx:1.28", "envoy:1.30")

	if got := e.ok("set", "image", "deploy/web", "*=registry.example.com/all:1"); got != "deployment.apps/web image updated\n" {
		t.Errorf("set image *: %q", got)
	}
	check("*", "registry.example.com/all:1", "registry.example.com/all:1", "registry.example.com/all:1")

	e.fails("error: all containers are already specified by *, but saw more than one container_name=container_image pairs\n",
		"set", "image", "deploy/web", "*=a", "app=b")
	e.fails("error: at least one image update is required\nSee 'skiff set image -h' for help and examples.\n", "set", "image", "deploy/web")
	e.fails("error: invalid image spec: app-\n", "set", "image", "deploy/web", "app-")
	e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "set", "image", "deploy/nope", "app=x")
	e.create(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Name: "cm", Namespace: "default"}})
	e.fails("error: configmap \"cm\" has no pod template: set image works on pods and on objects with spec.template or spec.jobTemplate\n",
		"set", "image", "cm/cm", "app=x")
}

func TestSetImageKinds(t *testing.T) {
	e := newEnv(t)
	e.create(runningPod("p", "", nil))
	e.create(deployment("a", 1, "nginx"))
	e.create(deployment("b", 1, "nginx"))
	e.create(&batch.CronJob{
		ObjectMeta: meta.ObjectMeta{Name: "cj", Namespace: "default"},
		Spec: batch.CronJobSpec{Schedule: "*/5 * * * *", JobTemplate: batch.JobTemplateSpec{Spec: batch.JobSpec{
			Template: core.PodTemplateSpec{Spec: core.PodSpec{RestartPolicy: core.RestartPolicyNever, Containers: []core.Container{{Name: "task", Image: "busybox"}}}},
		}}},
	})

	if got := e.ok("set", "image", "pod/p", "app=nginx:2"); got != "pod/p image updated\n" {
		t.Errorf("pod: %q", got)
	}
	if img := e.get(scheme.PodGVK, "default", "p").(*core.Pod).Spec.Containers[0].Image; img != "nginx:2" {
		t.Errorf("pod image %q", img)
	}
	if got := e.ok("set", "image", "cronjob", "cj", "task=busybox:1.37"); got != "cronjob.batch/cj image updated\n" {
		t.Errorf("cronjob: %q", got)
	}
	cj := e.get(scheme.CronJobGVK, "default", "cj").(*batch.CronJob)
	if img := cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Image; img != "busybox:1.37" {
		t.Errorf("cronjob image %q", img)
	}
	if got := e.ok("set", "image", "deploy", "--all", "app=nginx:3"); got != "deployment.apps/a image updated\ndeployment.apps/b image updated\n" {
		t.Errorf("--all: %q", got)
	}
	for _, name := range []string{"a", "b"} {
		if img := e.get(scheme.DeploymentGVK, "default", name).(*apps.Deployment).Spec.Template.Spec.Containers[0].Image; img != "nginx:3" {
			t.Errorf("deployment %s image %q", name, img)
		}
	}
}
