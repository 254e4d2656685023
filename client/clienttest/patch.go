package clienttest

import (
	"fmt"
	"strconv"
	"sync"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

var patchTests = []test{
	{"Patch/Merge", testMergePatch},
	{"Patch/JSON", testJSONPatch},
	{"Patch/JSONTest", testJSONPatchTest},
	{"Patch/Status", testPatchStatus},
	{"Patch/Malformed", testPatchMalformed},
	{"Patch/BadResult", testPatchBadResult},
	{"Patch/ResourceVersion", testPatchResourceVersion},
	{"Patch/NoChange", testPatchNoChange},
	{"Patch/Concurrent", testPatchConcurrent},
}

func testMergePatch(e *env) {
	cm := newConfigMap("cm", map[string]string{"a": "1", "b": "2"})
	cm.Labels = map[string]string{"keep": "yes", "drop": "yes"}
	cm = create(e, e.configMaps, cm)

	got, err := e.configMaps.Patch(e.ctx, Namespace, "cm", client.MergePatchType,
		[]byte(`{"metadata":{"labels":{"drop":null,"new":"yes"}},"data":{"b":null,"c":"3"}}`))
	if err != nil {
		e.t.Fatalf("merge patch: %v", err)
	}
	if want := map[string]string{"keep": "yes", "new": "yes"}; fmt.Sprint(got.Labels) != fmt.Sprint(want) {
		e.t.Fatalf("labels after merge patch: %v, want %v", got.Labels, want)
	}
	if want := map[string]string{"a": "1", "c": "3"}; fmt.Sprint(got.Data) != fmt.Sprint(want) {
		e.t.Fatalf("data after merge patch: %v, want %v", got.Data, want)
	}
	if e.rv(got) <= e.rv(cm) || got.UID != cm.UID {
		e.t.Fatalf("patched object has resourceVersion %s uid %s (was %s %s)", got.ResourceVersion, got.UID, cm.ResourceVersion, cm.UID)
	}
	if stored := get(e, e.configMaps, Namespace, "cm"); stored.ResourceVersion != got.ResourceVersion {
		e.t.Fatalf("stored resourceVersion %s, patch returned %s", stored.ResourceVersion, got.ResourceVersion)
	}

	// A spec change bumps generation; a status change in a main-resource patch is ignored.
	create(e, e.deployments, newDeployment("web", 1))
	d, err := e.deployments.Patch(e.ctx, Namespace, "web", client.MergePatchType,
		[]byte(`{"spec":{"replicas":3},"status":{"replicas":7}}`))
	if err != nil {
		e.t.Fatalf("merge patch of a deployment: %v", err)
	}
	if *d.Spec.Replicas != 3 || d.Generation != 2 || d.Status.Replicas != 0 {
		e.t.Fatalf("after patch: replicas %d generation %d status.replicas %d, want 3, 2, 0", *d.Spec.Replicas, d.Generation, d.Status.Replicas)
	}

	// The untyped client patches the same way.
	o, err := e.c.Patch(e.ctx, e.configMaps.GVK(), Namespace, "cm", client.MergePatchType, []byte(`{"data":{"d":"4"}}`), client.PatchOptions{})
	if err != nil {
		e.t.Fatalf("untyped merge patch: %v", err)
	}
	if o.GetName() != "cm" || e.rv(o) <= e.rv(got) {
		e.t.Fatalf("untyped patch returned %s at %s", o.GetName(), o.GetResourceVersion())
	}
}

func testJSONPatch(e *env) {
	cm := newConfigMap("cm", map[string]string{"a": "1", "b": "2"})
	create(e, e.configMaps, cm)
	got, err := e.configMaps.Patch(e.ctx, Namespace, "cm", client.JSONPatchType, []byte(`[
		{"op":"add","path":"/metadata/labels","value":{"x/y":"z"}},
		{"op":"replace","path":"/data/a","value":"10"},
		{"op":"remove","path":"/data/b"},
		{"op":"copy","from":"/data/a","path":"/data/c"},
		{"op":"move","from":"/data/c","path":"/data/d"}
	]`))
	if err != nil {
		e.t.Fatalf("json patch: %v", err)
	}
	if want := map[string]string{"a": "10", "d": "10"}; fmt.Sprint(got.Data) != fmt.Sprint(want) {
		e.t.Fatalf("data after json patch: %v, want %v", got.Data, want)
	}
	if got.Labels["x/y"] != "z" {
		e.t.Fatalf("labels after json patch: %v", got.Labels)
	}

	create(e, e.deployments, newDeployment("web", 1))
	d, err := e.deployments.Patch(e.ctx, Namespace, "web", client.JSONPatchType,
		[]byte(`[{"op":"replace","path":"/spec/replicas","value":4}]`))
	if err != nil || *d.Spec.Replicas != 4 || d.Generation != 2 {
		e.t.Fatalf("json patch of replicas: %v (object %+v)", err, d)
	}
}

func testJSONPatchTest(e *env) {
	cm := create(e, e.configMaps, newConfigMap("cm", map[string]string{"a": "1"}))
	pass := fmt.Sprintf(`[{"op":"test","path":"/metadata/resourceVersion","value":%q},{"op":"add","path":"/data/b","value":"2"}]`, cm.ResourceVersion)
	got, err := e.configMaps.Patch(e.ctx, Namespace, "cm", client.JSONPatchType, []byte(pass))
	if err != nil || got.Data["b"] != "2" {
		e.t.Fatalf("json patch with a passing test: %v (data %v)", err, got)
	}
	// Now the resourceVersion has moved, so the same test fails and nothing is written.
	_, err = e.configMaps.Patch(e.ctx, Namespace, "cm", client.JSONPatchType, []byte(pass))
	e.wantErr("json patch with a failing test", err, store.IsInvalid, "Invalid")
	_, err = e.configMaps.Patch(e.ctx, Namespace, "cm", client.JSONPatchType,
		[]byte(`[{"op":"test","path":"/data/a","value":"2"},{"op":"add","path":"/data/c","value":"3"}]`))
	e.wantErr("json patch testing a wrong value", err, store.IsInvalid, "Invalid")
	_, err = e.configMaps.Patch(e.ctx, Namespace, "cm", client.JSONPatchType,
		[]byte(`[{"op":"replace","path":"/data/missing","value":"3"}]`))
	e.wantErr("json patch replacing a missing path", err, store.IsInvalid, "Invalid")
	if now := get(e, e.configMaps, Namespace, "cm"); now.ResourceVersion != got.ResourceVersion || len(now.Data) != 2 {
		e.t.Fatalf("failed patches wrote: data %v resourceVersion %s, want %s", now.Data, now.ResourceVersion, got.ResourceVersion)
	}
}

func testPatchStatus(e *env) {
	create(e, e.deployments, newDeployment("web", 1))
	d, err := e.deployments.PatchStatus(e.ctx, Namespace, "web", client.MergePatchType,
		[]byte(`{"spec":{"replicas":9},"metadata":{"labels":{"ignored":"yes"}},"status":{"replicas":1,"readyReplicas":1}}`))
	if err != nil {
		e.t.Fatalf("merge patch of status: %v", err)
	}
	if d.Status.Replicas != 1 || d.Status.ReadyReplicas != 1 {
		e.t.Fatalf("status after status patch: %+v", d.Status)
	}
	if *d.Spec.Replicas != 1 || d.Labels["ignored"] != "" || d.Generation != 1 {
		e.t.Fatalf("status patch changed more than status: replicas %d labels %v generation %d", *d.Spec.Replicas, d.Labels, d.Generation)
	}

	d, err = e.deployments.PatchStatus(e.ctx, Namespace, "web", client.JSONPatchType,
		[]byte(`[{"op":"replace","path":"/status/readyReplicas","value":0},{"op":"add","path":"/status/observedGeneration","value":1}]`))
	if err != nil || d.Status.ReadyReplicas != 0 || d.Status.ObservedGeneration != 1 || d.Status.Replicas != 1 {
		e.t.Fatalf("json patch of status: %v (status %+v)", err, d)
	}

	// The untyped client names the subresource in PatchOptions.
	o, err := e.c.Patch(e.ctx, e.deployments.GVK(), Namespace, "web", client.MergePatchType,
		[]byte(`{"status":{"replicas":2}}`), client.PatchOptions{Subresource: client.SubresourceStatus})
	if err != nil || e.rv(o) <= e.rv(d) {
		e.t.Fatalf("untyped status patch: %v", err)
	}
	_, err = e.c.Patch(e.ctx, e.deployments.GVK(), Namespace, "web", client.MergePatchType,
		[]byte(`{}`), client.PatchOptions{Subresource: "scale"})
	e.wantErr("patch of an unsupported subresource", err, store.IsBadRequest, "BadRequest")

	create(e, e.configMaps, newConfigMap("cm", nil))
	_, err = e.configMaps.PatchStatus(e.ctx, Namespace, "cm", client.MergePatchType, []byte(`{"data":{"a":"1"}}`))
	e.wantErr("status patch of a kind without status", err, store.IsBadRequest, "BadRequest")
}

func testPatchMalformed(e *env) {
	create(e, e.configMaps, newConfigMap("cm", map[string]string{"a": "1"}))
	cases := []struct {
		name string
		pt   client.PatchType
		data string
	}{
		{"merge patch that is not JSON", client.MergePatchType, `{"data":`},
		{"merge patch that is a list", client.MergePatchType, `[{"data":{}}]`},
		{"merge patch that is a string", client.MergePatchType, `"data"`},
		{"json patch that is not JSON", client.JSONPatchType, `[{"op":"add"`},
		{"json patch that is an object", client.JSONPatchType, `{"op":"add","path":"/data/b","value":"2"}`},
		{"json patch with an unknown op", client.JSONPatchType, `[{"op":"frobnicate","path":"/data/a"}]`},
		{"json patch without a path", client.JSONPatchType, `[{"op":"add","value":"2"}]`},
		{"unsupported patch type", client.PatchType("application/strategic-merge-patch+json"), `{}`},
		{"unknown field", client.MergePatchType, `{"dataa":{"b":"2"}}`},
		{"unknown nested field", client.JSONPatchType, `[{"op":"add","path":"/metadata/nmae","value":"x"}]`},
		{"renaming patch", client.MergePatchType, `{"metadata":{"name":"other"}}`},
		{"moving patch", client.MergePatchType, `{"metadata":{"namespace":"other"}}`},
		{"kind-changing patch", client.MergePatchType, `{"kind":"Secret"}`},
	}
	for _, tc := range cases {
		_, err := e.configMaps.Patch(e.ctx, Namespace, "cm", tc.pt, []byte(tc.data))
		e.wantErr(tc.name, err, store.IsBadRequest, "BadRequest")
	}
	if got := get(e, e.configMaps, Namespace, "cm"); len(got.Data) != 1 || got.Data["a"] != "1" {
		e.t.Fatalf("malformed patches changed data to %v", got.Data)
	}
}

func testPatchBadResult(e *env) {
	create(e, e.deployments, newDeployment("web", 1))
	_, err := e.deployments.Patch(e.ctx, Namespace, "web", client.MergePatchType, []byte(`{"spec":{"replicas":"three"}}`))
	e.wantErr("patch giving a field a value of the wrong type", err, store.IsInvalid, "Invalid")
	_, err = e.deployments.Patch(e.ctx, Namespace, "web", client.MergePatchType, []byte(`{"spec":{"replicas":-1}}`))
	e.wantErr("patch making the object invalid", err, store.IsInvalid, "Invalid")
	if len(store.FieldErrors(err)) == 0 {
		e.t.Fatalf("Invalid error %v carries no field errors", err)
	}
	_, err = e.deployments.Patch(e.ctx, Namespace, "web", client.JSONPatchType, []byte(`[{"op":"remove","path":"/spec/template/spec/containers"}]`))
	e.wantErr("patch removing every container", err, store.IsInvalid, "Invalid")
	if d := get(e, e.deployments, Namespace, "web"); *d.Spec.Replicas != 1 || d.Generation != 1 {
		e.t.Fatalf("failed patches changed the deployment: replicas %d generation %d", *d.Spec.Replicas, d.Generation)
	}
}

func testPatchResourceVersion(e *env) {
	cm := create(e, e.configMaps, newConfigMap("cm", map[string]string{"a": "1"}))
	withRV := func(rv string) []byte {
		return fmt.Appendf(nil, `{"metadata":{"resourceVersion":%q},"data":{"a":"2"}}`, rv)
	}
	got, err := e.configMaps.Patch(e.ctx, Namespace, "cm", client.MergePatchType, withRV(cm.ResourceVersion))
	if err != nil || got.Data["a"] != "2" {
		e.t.Fatalf("patch carrying the current resourceVersion: %v", err)
	}
	// The patch's resourceVersion is a precondition: stale now, so Conflict and no retry.
	_, err = e.configMaps.Patch(e.ctx, Namespace, "cm", client.MergePatchType, withRV(cm.ResourceVersion))
	e.wantErr("patch carrying a stale resourceVersion", err, store.IsConflict, "Conflict")
	if now := get(e, e.configMaps, Namespace, "cm"); now.ResourceVersion != got.ResourceVersion {
		e.t.Fatal("a conflicting patch wrote")
	}
	_, err = e.configMaps.Patch(e.ctx, Namespace, "cm", client.MergePatchType, []byte(`{"metadata":{"uid":"00000000-0000-0000-0000-000000000000"}}`))
	e.wantErr("patch carrying another uid", err, store.IsConflict, "Conflict")
}

func testPatchNoChange(e *env) {
	cm := create(e, e.configMaps, newConfigMap("cm", map[string]string{"a": "1"}))
	for _, p := range []struct {
		pt   client.PatchType
		data string
	}{
		{client.MergePatchType, `{}`},
		{client.MergePatchType, `{"data":{"a":"1"}}`},
		{client.JSONPatchType, `[]`},
		{client.JSONPatchType, `[{"op":"test","path":"/data/a","value":"1"}]`},
	} {
		got, err := e.configMaps.Patch(e.ctx, Namespace, "cm", p.pt, []byte(p.data))
		if err != nil {
			e.t.Fatalf("no-op patch %s: %v", p.data, err)
		}
		if got.ResourceVersion != cm.ResourceVersion {
			e.t.Fatalf("no-op patch %s moved resourceVersion from %s to %s", p.data, cm.ResourceVersion, got.ResourceVersion)
		}
	}
}

// testPatchConcurrent checks that concurrent patches of one object all land: a patch that
// loses the race to another write is retried, not dropped and not failed.
func testPatchConcurrent(e *env) {
	create(e, e.configMaps, newConfigMap("cm", nil))
	const writers, each = 8, 5
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for w := range writers {
		wg.Go(func() {
			for i := range each {
				key := "k" + strconv.Itoa(w*each+i)
				_, err := e.configMaps.Patch(e.ctx, Namespace, "cm", client.MergePatchType,
					fmt.Appendf(nil, `{"data":{%q:"v"}}`, key))
				if err != nil {
					errs <- fmt.Errorf("patch %s: %w", key, err)
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		e.t.Error(err)
	}
	if got := get(e, e.configMaps, Namespace, "cm"); len(got.Data) != writers*each {
		e.t.Fatalf("after %d concurrent patches the config map has %d keys", writers*each, len(got.Data))
	}
}
