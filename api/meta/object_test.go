package meta_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen/testdata/fixture"
)

// The tests use the deepcopy-gen fixture's Widget as their object kind: a type that satisfies
// Object only through generated DeepCopyObject, which proves that generation works end to end.
var _ meta.Object = (*fixture.Widget)(nil)

func widget(namespace, name string, finalizers ...string) *fixture.Widget {
	w := &fixture.Widget{}
	w.APIVersion, w.Kind = "example.dev/v1", "Widget"
	w.Namespace, w.Name, w.UID = namespace, name, meta.UID("uid-"+name)
	w.Finalizers = finalizers
	return w
}

func TestKey(t *testing.T) {
	tests := []struct {
		obj  meta.Object
		want string
	}{
		{widget("ns", "a"), "ns/a"},
		{widget("", "node-1"), "node-1"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := meta.Key(tt.obj); got != tt.want {
				t.Errorf("Key = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestGroup(t *testing.T) {
	for apiVersion, want := range map[string]string{"apps/v1": "apps", "v1": "", "": "", "batch/v1": "batch"} {
		tm := meta.TypeMeta{APIVersion: apiVersion}
		if got := tm.Group(); got != want {
			t.Errorf("Group(%q) = %q, want %q", apiVersion, got, want)
		}
	}
}

func TestFinalizers(t *testing.T) {
	tests := []struct {
		name    string
		start   []string
		op      func(meta.Object) bool
		want    []string
		changed bool
	}{
		{"add to none", nil, func(o meta.Object) bool { return meta.AddFinalizer(o, "a") }, []string{"a"}, true},
		{"add present", []string{"a"}, func(o meta.Object) bool { return meta.AddFinalizer(o, "a") }, []string{"a"}, false},
		{"add another", []string{"a"}, func(o meta.Object) bool { return meta.AddFinalizer(o, "b") }, []string{"a", "b"}, true},
		{"remove the only one", []string{"a"}, func(o meta.Object) bool { return meta.RemoveFinalizer(o, "a") }, nil, true},
		{"remove every copy", []string{"a", "b", "a"}, func(o meta.Object) bool { return meta.RemoveFinalizer(o, "a") }, []string{"b"}, true},
		{"remove absent", []string{"b"}, func(o meta.Object) bool { return meta.RemoveFinalizer(o, "a") }, []string{"b"}, false},
		{"remove from none", nil, func(o meta.Object) bool { return meta.RemoveFinalizer(o, "a") }, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := widget("ns", "w", tt.start...)
			if got := tt.op(w); got != tt.changed {
				t.Errorf("changed = %v, want %v", got, tt.changed)
			}
			if !reflect.DeepEqual(w.Finalizers, tt.want) {
				t.Errorf("finalizers = %#v, want %#v", w.Finalizers, tt.want)
			}
		})
	}

	w := widget("ns", "w", "a", "b")
	if !meta.HasFinalizer(w, "b") || meta.HasFinalizer(w, "c") {
		t.Errorf("HasFinalizer wrong for %v", w.Finalizers)
	}
}

func TestRemoveFinalizerKeepsOriginal(t *testing.T) {
	orig := []string{"a", "b"}
	w := widget("ns", "w", orig...)
	w.Finalizers = orig
	meta.RemoveFinalizer(w, "a")
	if !reflect.DeepEqual(orig, []string{"a", "b"}) {
		t.Errorf("RemoveFinalizer changed the slice it was given: %v", orig)
	}
}

func TestControllerRef(t *testing.T) {
	owner := widget("ns", "owner")
	ref := meta.NewControllerRef(owner)
	want := meta.OwnerReference{APIVersion: "example.dev/v1", Kind: "Widget", Name: "owner", UID: "uid-owner"}
	if ref.Controller == nil || !*ref.Controller || ref.BlockOwnerDeletion == nil || !*ref.BlockOwnerDeletion {
		t.Fatalf("NewControllerRef = %+v, want controller and blockOwnerDeletion set", ref)
	}
	got := ref
	got.Controller, got.BlockOwnerDeletion = nil, nil
	if got != want {
		t.Errorf("NewControllerRef = %+v, want %+v", got, want)
	}

	f, tr := false, true
	other := meta.OwnerReference{Kind: "Widget", Name: "other", UID: "uid-other", Controller: &f}
	sameUIDNotController := meta.OwnerReference{Kind: "Widget", Name: "owner", UID: "uid-owner"}
	tests := []struct {
		name       string
		refs       []meta.OwnerReference
		controller string // name of the controller ref, "" for none
		controlled bool
	}{
		{"none", nil, "", false},
		{"no controller", []meta.OwnerReference{other, sameUIDNotController}, "", false},
		{"controller", []meta.OwnerReference{other, ref}, "owner", true},
		{"controlled by another", []meta.OwnerReference{{Name: "x", UID: "uid-x", Controller: &tr}}, "x", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dep := widget("ns", "dep")
			dep.OwnerReferences = tt.refs
			c := meta.GetControllerOf(dep)
			switch {
			case tt.controller == "" && c != nil:
				t.Errorf("GetControllerOf = %+v, want nil", c)
			case tt.controller != "" && (c == nil || c.Name != tt.controller):
				t.Errorf("GetControllerOf = %+v, want %q", c, tt.controller)
			}
			if c != nil {
				if i := slices.IndexFunc(dep.OwnerReferences, func(r meta.OwnerReference) bool { return r.Name == c.Name }); c != &dep.OwnerReferences[i] {
					t.Errorf("GetControllerOf returned a copy, want a pointer into OwnerReferences")
				}
			}
			if got := meta.IsControlledBy(dep, owner); got != tt.controlled {
				t.Errorf("IsControlledBy = %v, want %v", got, tt.controlled)
			}
		})
	}
}

func TestObjectAccessors(t *testing.T) {
	var o meta.Object = widget("ns", "a")
	o.SetName("b")
	o.SetNamespace("other")
	o.SetResourceVersion("7")
	o.SetLabels(map[string]string{"app": "x"})
	o.SetAnnotations(map[string]string{"note": "y"})
	o.SetOwnerReferences([]meta.OwnerReference{{Name: "o"}})
	o.SetFinalizers([]string{"f"})
	created := o.GetCreationTimestamp()
	switch {
	case o.GetName() != "b", o.GetNamespace() != "other", o.GetResourceVersion() != "7", o.GetUID() != "uid-a":
		t.Errorf("identity accessors: %+v", o.GetObjectMeta())
	case o.GetLabels()["app"] != "x", o.GetAnnotations()["note"] != "y":
		t.Errorf("label accessors: %+v", o.GetObjectMeta())
	case len(o.GetOwnerReferences()) != 1, len(o.GetFinalizers()) != 1, o.GetGeneration() != 0:
		t.Errorf("reference accessors: %+v", o.GetObjectMeta())
	case o.GetDeletionTimestamp() != nil, !created.IsZero():
		t.Errorf("timestamps: %+v", o.GetObjectMeta())
	case o.GetTypeMeta().Kind != "Widget":
		t.Errorf("GetTypeMeta = %+v", o.GetTypeMeta())
	}
	c := o.DeepCopyObject()
	c.GetObjectMeta().Labels["app"] = "changed"
	if o.GetLabels()["app"] != "x" {
		t.Errorf("changing a DeepCopyObject copy changed the original")
	}
}
