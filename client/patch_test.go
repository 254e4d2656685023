package client_test

import (
	"reflect"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestApplyPatch(t *testing.T) {
	sch := scheme.NewBuiltin()
	cur := &core.ConfigMap{
		// No TypeMeta, as objects built in Go often are: ApplyPatch must fill it in for
		// the patch, without writing to cur.
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "cm", ResourceVersion: "7", UID: "u1", Labels: map[string]string{"a": "1"}},
		Data:       map[string]string{"k": "v"},
	}
	before := cur.DeepCopy()

	cases := []struct {
		name    string
		pt      client.PatchType
		patch   string
		want    func(*core.ConfigMap) // expected changes to a copy of cur, with TypeMeta set
		wantErr func(error) bool
		errText string
	}{
		{name: "merge adds and removes", pt: client.MergePatchType,
			patch: `{"data":{"k":null,"x":"y"},"metadata":{"labels":{"b":"2"}}}`,
			want: func(c *core.ConfigMap) {
				c.Data = map[string]string{"x": "y"}
				c.Labels["b"] = "2"
			}},
		{name: "merge empty", pt: client.MergePatchType, patch: ` {} `, want: func(*core.ConfigMap) {}},
		{name: "merge sets resourceVersion", pt: client.MergePatchType, patch: `{"metadata":{"resourceVersion":"3"}}`,
			want: func(c *core.ConfigMap) { c.ResourceVersion = "3" }},
		{name: "merge removes apiVersion and kind", pt: client.MergePatchType, patch: `{"apiVersion":null,"kind":null}`,
			want: func(*core.ConfigMap) {}},
		{name: "json patch", pt: client.JSONPatchType,
			patch: `[{"op":"add","path":"/data/x","value":"y"},{"op":"remove","path":"/metadata/labels/a"}]`,
			want: func(c *core.ConfigMap) {
				c.Data["x"] = "y"
				c.Labels = map[string]string{}
			}},
		{name: "json patch test passes", pt: client.JSONPatchType, patch: `[{"op":"test","path":"/metadata/uid","value":"u1"}]`,
			want: func(*core.ConfigMap) {}},
		{name: "json patch test fails", pt: client.JSONPatchType, patch: `[{"op":"test","path":"/data/k","value":"w"}]`,
			wantErr: store.IsInvalid, errText: `ConfigMap "cm" is invalid: patch:`},
		{name: "json patch missing path", pt: client.JSONPatchType, patch: `[{"op":"remove","path":"/spec"}]`,
			wantErr: store.IsInvalid},
		{name: "json patch malformed", pt: client.JSONPatchType, patch: `[{"op":`, wantErr: store.IsBadRequest, errText: "invalid JSON patch"},
		{name: "json patch bad op", pt: client.JSONPatchType, patch: `[{"op":"nope","path":"/data"}]`, wantErr: store.IsBadRequest},
		{name: "merge malformed", pt: client.MergePatchType, patch: `{`, wantErr: store.IsBadRequest, errText: "invalid merge patch"},
		{name: "merge not an object", pt: client.MergePatchType, patch: `null`, wantErr: store.IsBadRequest},
		{name: "merge empty input", pt: client.MergePatchType, patch: ``, wantErr: store.IsBadRequest},
		{name: "unknown field", pt: client.MergePatchType, patch: `{"spec":{}}`, wantErr: store.IsBadRequest, errText: `unknown field "spec"`},
		{name: "wrong type", pt: client.MergePatchType, patch: `{"data":{"k":1}}`, wantErr: store.IsInvalid, errText: "does not decode"},
		{name: "rename", pt: client.MergePatchType, patch: `{"metadata":{"name":"x"}}`, wantErr: store.IsBadRequest, errText: "name"},
		{name: "change namespace", pt: client.JSONPatchType, patch: `[{"op":"replace","path":"/metadata/namespace","value":"x"}]`,
			wantErr: store.IsBadRequest, errText: "namespace"},
		{name: "change kind", pt: client.MergePatchType, patch: `{"kind":"Secret"}`, wantErr: store.IsBadRequest, errText: "kind"},
		{name: "change apiVersion", pt: client.MergePatchType, patch: `{"apiVersion":"v2"}`, wantErr: store.IsBadRequest},
		{name: "unsupported type", pt: "application/apply-patch+yaml", patch: `{}`, wantErr: store.IsBadRequest, errText: "unsupported patch type"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := client.ApplyPatch(sch, cur, tc.pt, []byte(tc.patch))
			if !reflect.DeepEqual(cur, before) {
				t.Fatalf("ApplyPatch modified cur: %+v", cur)
			}
			if tc.wantErr != nil {
				if err == nil || !tc.wantErr(err) {
					t.Fatalf("got error %v (reason %q), want another class", err, store.ReasonOf(err))
				}
				if !strings.Contains(err.Error(), tc.errText) {
					t.Fatalf("error %q does not mention %q", err, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatalf("ApplyPatch: %v", err)
			}
			want := cur.DeepCopy()
			want.APIVersion, want.Kind = "v1", "ConfigMap"
			tc.want(want)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("got\n%+v\nwant\n%+v", got, want)
			}
		})
	}
}

func TestApplyPatchStatusAndSpec(t *testing.T) {
	sch := scheme.NewBuiltin()
	replicas := int32(1)
	cur := &apps.Deployment{
		TypeMeta:   meta.TypeMeta{APIVersion: "apps/v1", Kind: "Deployment"},
		ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "d", ResourceVersion: "3"},
		Spec:       apps.DeploymentSpec{Replicas: &replicas, Selector: &meta.LabelSelector{MatchLabels: map[string]string{"a": "b"}}},
	}
	got, err := client.ApplyPatch(sch, cur, client.MergePatchType, []byte(`{"spec":{"replicas":4},"status":{"readyReplicas":2}}`))
	if err != nil {
		t.Fatal(err)
	}
	d := got.(*apps.Deployment)
	// ApplyPatch is pure: it leaves the status/spec split to the write that follows.
	if *d.Spec.Replicas != 4 || d.Status.ReadyReplicas != 2 || *cur.Spec.Replicas != 1 {
		t.Fatalf("patched deployment: replicas %d ready %d (cur replicas %d)", *d.Spec.Replicas, d.Status.ReadyReplicas, *cur.Spec.Replicas)
	}
}

func TestApplyPatchUnknownKind(t *testing.T) {
	_, err := client.ApplyPatch(scheme.New(), &core.ConfigMap{}, client.MergePatchType, []byte(`{}`))
	if !store.IsBadRequest(err) {
		t.Fatalf("patch of an unregistered kind: %v, want BadRequest", err)
	}
}
