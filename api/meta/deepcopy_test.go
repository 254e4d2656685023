package meta_test

import (
	"fmt"
	"testing"

	"github.com/skiff-dev/skiff/api/internal/deepcopytest"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen/testdata/fixture"
)

// metaTypes are the structs of this package, each of which must deep copy and round trip JSON.
var metaTypes = []any{
	&meta.TypeMeta{},
	&meta.ObjectMeta{},
	&meta.ListMeta{},
	&meta.ManagedFieldsEntry{},
	&meta.OwnerReference{},
	&meta.LabelSelector{},
	&meta.LabelSelectorRequirement{},
	&meta.Condition{},
	&meta.Status{},
	&meta.StatusDetails{},
	&meta.StatusCause{},
	&meta.DeleteOptions{},
	&meta.Preconditions{},
	&meta.Time{},
	&meta.MicroTime{},
}

func TestDeepCopy(t *testing.T) {
	for _, obj := range metaTypes {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) {
			deepcopytest.Check(t, obj)
		})
	}
	t.Run("object kind", func(t *testing.T) {
		deepcopytest.Check(t, &fixture.Widget{})
	})
}

func TestJSONRoundTrip(t *testing.T) {
	for _, obj := range metaTypes {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) {
			deepcopytest.CheckJSONRoundTrip(t, obj)
		})
	}
}

func TestDeepCopyIndependence(t *testing.T) {
	ts := meta.NewTimePtr(utc2024)
	orig := &meta.ObjectMeta{
		Name:              "a",
		Labels:            map[string]string{"app": "x"},
		DeletionTimestamp: ts,
		OwnerReferences:   []meta.OwnerReference{meta.NewControllerRef(widget("ns", "o"))},
		ManagedFields:     []meta.ManagedFieldsEntry{{FieldsV1: map[string]any{"f:spec": map[string]any{"f:replicas": map[string]any{}}}}},
	}
	c := orig.DeepCopy()
	c.Labels["app"] = "y"
	c.DeletionTimestamp.Time = c.DeletionTimestamp.AddDate(1, 0, 0)
	*c.OwnerReferences[0].Controller = false
	c.ManagedFields[0].FieldsV1["f:spec"].(map[string]any)["f:paused"] = map[string]any{}
	switch {
	case orig.Labels["app"] != "x":
		t.Errorf("labels shared")
	case !orig.DeletionTimestamp.Equal(meta.NewTimePtr(utc2024)):
		t.Errorf("deletion timestamp shared")
	case !*orig.OwnerReferences[0].Controller:
		t.Errorf("owner reference pointers shared")
	case len(orig.ManagedFields[0].FieldsV1["f:spec"].(map[string]any)) != 1:
		t.Errorf("managed fields shared")
	}
	var nilMeta *meta.ObjectMeta
	if nilMeta.DeepCopy() != nil {
		t.Errorf("nil DeepCopy is not nil")
	}
}
