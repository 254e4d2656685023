package core

import (
	"testing"

	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

// benchPod returns a defaulted pod as a ReplicaSet creates it (the pod of the store's
// benchmarks).
func benchPod() *Pod {
	t := true
	p := &Pod{
		ObjectMeta: meta.ObjectMeta{
			Namespace: "default",
			Name:      "web-7d4b9c8f6d-000042",
			Labels:    map[string]string{"app": "web-2", "pod-template-hash": "7d4b9c8f6d", "tier": "frontend"},
			Annotations: map[string]string{
				"prometheus.io/scrape": "true",
			},
			OwnerReferences: []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "ReplicaSet", Name: "web-7d4b9c8f6d",
				UID: "6f1c2a7e-3b5d-4c8e-9f0a-1b2c3d4e5f60", Controller: &t, BlockOwnerDeletion: &t}},
		},
		Spec: PodSpec{
			NodeName: "node-42",
			Volumes:  []Volume{{Name: "cache", VolumeSource: VolumeSource{EmptyDir: &EmptyDirVolumeSource{}}}},
			Containers: []Container{{
				Name:  "web",
				Image: "registry.example.com/team/web:1.27.3",
				Ports: []ContainerPort{{Name: "http", ContainerPort: 8080, Protocol: "TCP"}, {Name: "metrics", ContainerPort: 9090, Protocol: "TCP"}},
				Env: []EnvVar{
					{Name: "ENVIRONMENT", Value: "production"}, {Name: "REGION", Value: "eu-west-1"},
				},
				Resources: ResourceRequirements{
					Requests: ResourceList{"cpu": resource.MustParse("250m"), "memory": resource.MustParse("256Mi")},
					Limits:   ResourceList{"cpu": resource.MustParse("1"), "memory": resource.MustParse("512Mi")},
				},
				VolumeMounts:   []VolumeMount{{Name: "cache", MountPath: "/var/cache/web"}},
				ReadinessProbe: &Probe{ProbeHandler: ProbeHandler{HTTPGet: &HTTPGetAction{Path: "/healthz", Port: intstr.FromInt(8080)}}, PeriodSeconds: 5},
			}},
		},
	}
	DefaultPod(p)
	return p
}

func BenchmarkValidatePod(b *testing.B) {
	p := benchPod()
	if errs := ValidatePod(p); len(errs) > 0 {
		b.Fatal(errs.ToAggregate())
	}
	b.ReportAllocs()
	for b.Loop() {
		ValidatePod(p)
	}
}
