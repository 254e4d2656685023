package controller_test

import (
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controller"
)

func TestPredicates(t *testing.T) {
	base := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{
		Name: "a", Generation: 1, ResourceVersion: "10",
		Labels: map[string]string{"app": "web"}, Annotations: map[string]string{"note": "x"},
	}}
	with := func(f func(*core.ConfigMap)) *core.ConfigMap {
		c := base.DeepCopyObject().(*core.ConfigMap)
		f(c)
		return c
	}
	newGen := with(func(c *core.ConfigMap) { c.Generation = 2; c.ResourceVersion = "11" })
	newLabels := with(func(c *core.ConfigMap) { c.Labels["tier"] = "front"; c.ResourceVersion = "11" })
	newAnn := with(func(c *core.ConfigMap) { c.Annotations = nil; c.ResourceVersion = "11" })
	newRV := with(func(c *core.ConfigMap) { c.ResourceVersion = "11" })
	type P = controller.Predicate[*core.ConfigMap]
	named := controller.NewPredicate(func(c *core.ConfigMap) bool { return c.Name == "a" })
	tests := []struct {
		name       string
		p          P
		old, new   *core.ConfigMap
		wantUpdate bool
		wantCreate bool // also Delete
	}{
		{"generation: changed", controller.GenerationChanged[*core.ConfigMap]{}, base, newGen, true, true},
		{"generation: labels only", controller.GenerationChanged[*core.ConfigMap]{}, base, newLabels, false, true},
		{"generation: resync", controller.GenerationChanged[*core.ConfigMap]{}, base, base, false, true},
		{"labels: changed", controller.LabelsChanged[*core.ConfigMap]{}, base, newLabels, true, true},
		{"labels: generation only", controller.LabelsChanged[*core.ConfigMap]{}, base, newGen, false, true},
		{"annotations: changed", controller.AnnotationsChanged[*core.ConfigMap]{}, base, newAnn, true, true},
		{"annotations: labels only", controller.AnnotationsChanged[*core.ConfigMap]{}, base, newLabels, false, true},
		{"resourceVersion: changed", controller.ResourceVersionChanged[*core.ConfigMap]{}, base, newRV, true, true},
		{"resourceVersion: resync", controller.ResourceVersionChanged[*core.ConfigMap]{}, base, base, false, true},
		{"funcs: nil passes", controller.PredicateFuncs[*core.ConfigMap]{}, base, base, true, true},
		{"funcs: update refuses", controller.PredicateFuncs[*core.ConfigMap]{
			UpdateFunc: func(_, _ *core.ConfigMap) bool { return false }}, base, newGen, false, true},
		{"NewPredicate: match", named, base, newGen, true, true},
		{"NewPredicate: no match", named, base, with(func(c *core.ConfigMap) { c.Name = "b" }), false, true},
		{"And: both", controller.And[*core.ConfigMap](controller.GenerationChanged[*core.ConfigMap]{}, controller.ResourceVersionChanged[*core.ConfigMap]{}), base, newGen, true, true},
		{"And: one", controller.And[*core.ConfigMap](controller.GenerationChanged[*core.ConfigMap]{}, controller.LabelsChanged[*core.ConfigMap]{}), base, newGen, false, true},
		{"Or: one", controller.Or[*core.ConfigMap](controller.GenerationChanged[*core.ConfigMap]{}, controller.LabelsChanged[*core.ConfigMap]{}), base, newLabels, true, true},
		{"Or: none", controller.Or[*core.ConfigMap](controller.GenerationChanged[*core.ConfigMap]{}, controller.LabelsChanged[*core.ConfigMap]{}), base, newAnn, false, true},
		{"Or: empty", controller.Or[*core.ConfigMap](), base, newGen, false, false},
		{"Not", controller.Not[*core.ConfigMap](controller.GenerationChanged[*core.ConfigMap]{}), base, newLabels, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.p.Update(tt.old, tt.new); got != tt.wantUpdate {
				t.Errorf("Update = %v, want %v", got, tt.wantUpdate)
			}
			if got := tt.p.Create(tt.new); got != tt.wantCreate && tt.name != "NewPredicate: no match" {
				t.Errorf("Create = %v, want %v", got, tt.wantCreate)
			}
			if got := tt.p.Delete(tt.old); got != tt.wantCreate {
				t.Errorf("Delete = %v, want %v", got, tt.wantCreate)
			}
		})
	}
}
