package boltstore

import (
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestRecordRoundTrip(t *testing.T) {
	cm := &core.ConfigMap{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "ConfigMap"}, ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "a"}, Data: map[string]string{"k": "<v>"}}
	info, _ := scheme.NewBuiltin().ForGVK(scheme.ConfigMapGVK)
	buf, b, err := encodePut(info, gvkString(scheme.ConfigMapGVK), "ns", "a", cm)
	if err != nil {
		t.Fatal(err)
	}
	defer putBuffer(buf)
	r, err := decodeRecord(b)
	if err != nil {
		t.Fatal(err)
	}
	if r.op != opPut || r.gvk != "/v1/ConfigMap" || r.namespace != "ns" || r.name != "a" || string(r.data) != `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns"},"data":{"k":"<v>"}}` {
		t.Fatalf("decoded %+v %s", r, r.data)
	}
	d, err := decodeRecord(encodeDelete("apps/v1/Deployment", "", "x"))
	if err != nil || d.op != opDelete || d.gvk != "apps/v1/Deployment" || d.namespace != "" || d.name != "x" || d.data != nil {
		t.Fatalf("tombstone %+v %v", d, err)
	}
	for _, bad := range [][]byte{nil, {9}, {opPut, 200}, {opPut, 1, 'a', 0, 0}, {opDelete, 5, 'a'}} {
		if _, err := decodeRecord(bad); err == nil {
			t.Errorf("decodeRecord(%v) accepted", bad)
		}
	}
	for s, want := range map[string]scheme.GroupVersionKind{"/v1/Pod": scheme.PodGVK, "apps/v1/Deployment": scheme.DeploymentGVK} {
		if got, ok := parseGVK(s); !ok || got != want || gvkString(got) != s {
			t.Errorf("parseGVK(%q) = %v %v", s, got, ok)
		}
	}
	for _, s := range []string{"", "v1", "/v1/", "a//K"} {
		if _, ok := parseGVK(s); ok {
			t.Errorf("parseGVK(%q) accepted", s)
		}
	}
	if rev, err := parseRevKey(revKey(258)); err != nil || rev != 258 {
		t.Fatal(rev, err)
	}
}

func TestWindow(t *testing.T) {
	ki := newKindIndex(&scheme.KindInfo{GVK: scheme.ConfigMapGVK})
	obj := func(name string) meta.Object {
		return &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: name}}
	}
	w := window{compacted: 10}
	a1, a2, b1 := obj("a"), obj("a"), obj("b")
	w.append(event{rev: 11, kind: ki, typ: store.Added, obj: a1})
	w.append(event{rev: 12, kind: ki, typ: store.Added, obj: b1})
	w.append(event{rev: 13, kind: ki, typ: store.Modified, obj: a2, prev: a1, prevRev: 11})
	w.append(event{rev: 14, kind: ki, typ: store.Deleted, obj: obj("b"), prev: b1, prevRev: 12})
	if w.last() != 14 || len(w.from(13)) != 2 || len(w.from(15)) != 0 || len(w.through(12)) != 2 || len(w.through(10)) != 0 {
		t.Fatal("window bounds")
	}
	at12 := w.stateAt(ki, 12)
	if at12[objKey{"ns", "a"}] != a1 || at12[objKey{"ns", "b"}] != b1 || len(at12) != 2 {
		t.Fatalf("state at 12: %v", at12)
	}
	at10 := w.stateAt(ki, 10)
	if v, ok := at10[objKey{"ns", "a"}]; !ok || v != nil {
		t.Fatal("a did not exist at 10")
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("a gap was accepted")
			}
		}()
		w.append(event{rev: 16})
	}()
	w.dropThrough(12)
	if w.compacted != 12 || len(w.events) != 2 || w.events[0].rev != 13 {
		t.Fatalf("after dropThrough: %+v", w)
	}
}
