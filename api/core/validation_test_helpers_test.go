package core

import (
	"slices"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/api/validation"
)

// validPod returns a defaulted pod that passes ValidatePod.
func validPod() *Pod {
	p := &Pod{Spec: PodSpec{
		Volumes: []Volume{
			{Name: "data", VolumeSource: VolumeSource{EmptyDir: &EmptyDirVolumeSource{}}},
			{Name: "claim", VolumeSource: VolumeSource{PersistentVolumeClaim: &PersistentVolumeClaimVolumeSource{ClaimName: "c"}}},
		},
		Containers: []Container{{
			Name:  "app",
			Image: "nginx:1.25",
			Ports: []ContainerPort{{Name: "http", ContainerPort: 80}},
			Resources: ResourceRequirements{
				Limits:   ResourceList{ResourceCPU: resource.MustParse("1"), ResourceMemory: resource.MustParse("1Gi")},
				Requests: ResourceList{ResourceCPU: resource.MustParse("500m")},
			},
			VolumeMounts: []VolumeMount{{Name: "data", MountPath: "/data"}},
		}},
	}}
	p.Name, p.Namespace = "web-0", "default"
	DefaultPod(p)
	return p
}

// errorStrings renders errs as Kubernetes prints them.
func errorStrings(errs validation.ErrorList) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

// checkErrors fails unless got has exactly the wanted errors (in any order). "..." in a wanted
// string matches anything: "a: Invalid value: ...: must be x" or "a: Invalid value: \"b\": must...".
func checkErrors(t *testing.T, got validation.ErrorList, want []string) {
	t.Helper()
	gs := errorStrings(got)
	remaining := slices.Clone(gs)
	for _, w := range want {
		i := slices.IndexFunc(remaining, func(g string) bool {
			if prefix, suffix, ok := strings.Cut(w, "..."); ok {
				return len(g) >= len(prefix)+len(suffix) && strings.HasPrefix(g, prefix) && strings.HasSuffix(g, suffix)
			}
			return g == w
		})
		if i < 0 {
			t.Errorf("missing error %q\ngot:\n  %s", w, strings.Join(gs, "\n  "))
			continue
		}
		remaining = slices.Delete(remaining, i, i+1)
	}
	for _, g := range remaining {
		t.Errorf("unexpected error %q", g)
	}
}

func ptrTo[T any](v T) *T { return &v }

func TestComparePaths(t *testing.T) {
	paths := []string{"spec.containers[10].name", "spec.containers[2].name", "spec.containers[2]", "spec.a", "spec.containers[02].image"}
	slices.SortFunc(paths, comparePaths)
	want := []string{"spec.a", "spec.containers[2]", "spec.containers[02].image", "spec.containers[2].name", "spec.containers[10].name"}
	if !slices.Equal(paths, want) {
		t.Errorf("sorted = %q", paths)
	}
}
