package core

import (
	"fmt"
	"testing"

	"github.com/skiff-dev/skiff/api/internal/deepcopytest"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

// Every kind must be a meta.Object and every list a meta.ObjectList.
var (
	_ meta.Object = (*Pod)(nil)
	_ meta.Object = (*Node)(nil)
	_ meta.Object = (*Namespace)(nil)
	_ meta.Object = (*PersistentVolumeClaim)(nil)
	_ meta.Object = (*ConfigMap)(nil)
	_ meta.Object = (*Secret)(nil)
	_ meta.Object = (*Service)(nil)
	_ meta.Object = (*Event)(nil)

	_ meta.ObjectList = (*PodList)(nil)
	_ meta.ObjectList = (*NodeList)(nil)
	_ meta.ObjectList = (*NamespaceList)(nil)
	_ meta.ObjectList = (*PersistentVolumeClaimList)(nil)
	_ meta.ObjectList = (*ConfigMapList)(nil)
	_ meta.ObjectList = (*SecretList)(nil)
	_ meta.ObjectList = (*ServiceList)(nil)
	_ meta.ObjectList = (*EventList)(nil)
)

// allTypes are the kinds, the list kinds and the types other packages embed.
func allTypes() []any {
	return []any{
		&Pod{}, &PodList{}, &Node{}, &NodeList{}, &Namespace{}, &NamespaceList{},
		&PersistentVolumeClaim{}, &PersistentVolumeClaimList{}, &ConfigMap{}, &ConfigMapList{},
		&Secret{}, &SecretList{}, &Service{}, &ServiceList{}, &Event{}, &EventList{},
		&PodTemplateSpec{}, &PersistentVolumeClaimTemplate{}, &ResourceList{},
	}
}

// quantities fills Quantity fields, whose fields are unexported, with distinct values.
var quantities = deepcopytest.FillWith(func(n int) resource.Quantity {
	return resource.MustParse(fmt.Sprintf("%dMi", n))
})

func TestDeepCopy(t *testing.T) {
	for _, obj := range allTypes() {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) {
			deepcopytest.Check(t, obj, quantities)
		})
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, obj := range allTypes() {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) {
			deepcopytest.CheckJSONRoundTrip(t, obj, quantities)
		})
	}
}

func TestDeepCopyObjectIsIndependent(t *testing.T) {
	p := &Pod{Spec: PodSpec{Containers: []Container{{Name: "a", Resources: ResourceRequirements{
		Limits: ResourceList{ResourceCPU: resource.MustParse("1")}}}}}}
	c := p.DeepCopyObject().(*Pod)
	c.Spec.Containers[0].Name = "b"
	c.Spec.Containers[0].Resources.Limits[ResourceCPU] = resource.MustParse("2")
	if p.Spec.Containers[0].Name != "a" || p.Spec.Containers[0].Resources.Limits.Cpu().String() != "1" {
		t.Fatalf("copy is not independent: %+v", p.Spec.Containers[0])
	}
}
