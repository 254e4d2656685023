package scheme

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func TestBuiltinResources(t *testing.T) {
	s := NewBuiltin()
	tests := map[string]GroupVersionKind{
		"po": PodGVK, "pods": PodGVK, "pod": PodGVK, "Pod": PodGVK,
		"no": NodeGVK, "ns": NamespaceGVK, "pvc": PersistentVolumeClaimGVK, "cm": ConfigMapGVK,
		"svc": ServiceGVK, "ev": EventGVK, "events": EventGVK,
		"deploy": DeploymentGVK, "deployment.apps": DeploymentGVK, "deployments.apps": DeploymentGVK,
		"rs": ReplicaSetGVK, "sts": StatefulSetGVK, "ds": DaemonSetGVK,
		"controllerrevisions": ControllerRevisionGVK, "jobs": JobGVK, "job": JobGVK, "cj": CronJobGVK,
		"leases": LeaseGVK, "leases.coordination.k8s.io": LeaseGVK,
	}
	for name, want := range tests {
		info, err := s.ForResource(name)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if info.GVK != want {
			t.Errorf("%s: got %v, want %v", name, info.GVK, want)
		}
	}
	for _, k := range s.Kinds() {
		o := k.New()
		if got, err := s.ForObject(o); err != nil || got != k {
			t.Errorf("%v: ForObject(New()) = %v, %v", k.GVK, got, err)
		}
		if cp := o.DeepCopyObject(); cp == o {
			t.Errorf("%v: DeepCopyObject returned the receiver", k.GVK)
		}
	}
	ns, _ := s.ForGVK(NamespaceGVK)
	node, _ := s.ForGVK(NodeGVK)
	pod, _ := s.ForGVK(PodGVK)
	if ns.Namespaced || node.Namespaced || !pod.Namespaced {
		t.Fatal("namespaced flags wrong")
	}
}

func TestManifestsDecodeStrictlyAndValidate(t *testing.T) {
	s := NewBuiltin()
	files, err := filepath.Glob("../examples/manifests/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no manifests found: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			objs, err := s.DecodeAll(data)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range objs {
				info, err := s.ForObject(o)
				if err != nil {
					t.Fatal(err)
				}
				if o.GetNamespace() == "" && info.Namespaced {
					o.GetObjectMeta().Namespace = "default"
				}
				o.GetObjectMeta().UID = "0b7c1c1e-0000-4000-8000-000000000001"
				info.Strategy.Default(o)
				info.Strategy.PrepareForCreate(o)
				if errs := info.Strategy.Validate(o); len(errs) > 0 {
					t.Errorf("%s %s: %v", info.GVK.Kind, o.GetName(), errs.ToAggregate())
				}
			}
		})
	}
}

const deploymentYAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: NAME
  namespace: default
spec:
  REPLICAS: 3
  selector:
    matchLabels:
      app: SELECTOR
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
      - name: web
        image: nginx:1.27
`

func deployment(name, replicasKey, selector string) string {
	r := strings.NewReplacer("NAME", name, "REPLICAS", replicasKey, "SELECTOR", selector)
	return r.Replace(deploymentYAML)
}

func TestBadManifestsAreRejectedClearly(t *testing.T) {
	s := NewBuiltin()
	_, err := s.Decode([]byte(deployment("web", "replcas", "web")))
	if err == nil || !strings.Contains(err.Error(), `unknown field "spec.replcas"`) {
		t.Fatalf("typo: got %v", err)
	}
	for _, tt := range []struct {
		name, doc, want string
	}{
		{"invalid name", deployment("My_App", "replicas", "web"), `metadata.name: Invalid value: "My_App": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters`},
		{"selector mismatch", deployment("web", "replicas", "other"), "spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			obj, err := s.Decode([]byte(tt.doc))
			if err != nil {
				t.Fatal(err)
			}
			info, _ := s.ForObject(obj)
			info.Strategy.Default(obj)
			errs := info.Strategy.Validate(obj)
			if got := errs.ToAggregate(); got == nil || !strings.Contains(got.Error(), tt.want) {
				t.Fatalf("want %q, got %v", tt.want, got)
			}
		})
	}
}

func TestBuiltinDefaults(t *testing.T) {
	s := NewBuiltin()
	d := &apps.Deployment{}
	if err := s.Default(d); err != nil {
		t.Fatal(err)
	}
	ru := d.Spec.Strategy.RollingUpdate
	if *d.Spec.Replicas != 1 || d.Spec.Strategy.Type != apps.RollingUpdateDeploymentStrategyType || ru == nil ||
		ru.MaxSurge.String() != "25%" || ru.MaxUnavailable.String() != "25%" ||
		*d.Spec.RevisionHistoryLimit != 10 || *d.Spec.ProgressDeadlineSeconds != 600 {
		t.Fatalf("deployment defaults: %+v", d.Spec)
	}
	if d.Spec.Template.Spec.RestartPolicy != core.RestartPolicyAlways || *d.Spec.Template.Spec.TerminationGracePeriodSeconds != 30 {
		t.Fatalf("pod template defaults: %+v", d.Spec.Template.Spec)
	}
	j := &batch.Job{}
	if err := s.Default(j); err != nil {
		t.Fatal(err)
	}
	if *j.Spec.BackoffLimit != 6 || *j.Spec.Completions != 1 || *j.Spec.Parallelism != 1 || *j.Spec.CompletionMode != batch.NonIndexedCompletion {
		t.Fatalf("job defaults: %+v", j.Spec)
	}
	cj := &batch.CronJob{}
	if err := s.Default(cj); err != nil {
		t.Fatal(err)
	}
	if cj.Spec.ConcurrencyPolicy != batch.AllowConcurrent || *cj.Spec.Suspend || *cj.Spec.SuccessfulJobsHistoryLimit != 3 || *cj.Spec.FailedJobsHistoryLimit != 1 {
		t.Fatalf("cronjob defaults: %+v", cj.Spec)
	}
}

func TestGenerationRulesForDeployment(t *testing.T) {
	s := NewBuiltin()
	info, _ := s.ForGVK(DeploymentGVK)
	obj, err := s.Decode([]byte(deployment("web", "replicas", "web")))
	if err != nil {
		t.Fatal(err)
	}
	old := obj.(*apps.Deployment)
	info.Strategy.Default(old)
	info.Strategy.PrepareForCreate(old)
	old.Status.Replicas = 3

	ann := old.DeepCopy()
	ann.Annotations = map[string]string{"a": "b"}
	info.Strategy.PrepareForUpdate(ann, old)
	if ann.Generation != 2 {
		t.Fatalf("deployment annotation change must bump generation, got %d", ann.Generation)
	}
	lbl := old.DeepCopy()
	lbl.Labels = map[string]string{"a": "b"}
	lbl.Status.Replicas = 0
	info.Strategy.PrepareForUpdate(lbl, old)
	if lbl.Generation != 1 || lbl.Status.Replicas != 3 {
		t.Fatalf("label change: generation %d, status kept %d", lbl.Generation, lbl.Status.Replicas)
	}
	var _ meta.Object = lbl
}
