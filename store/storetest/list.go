package storetest

import (
	"fmt"
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/store"
)

var listTests = []test{
	{"ListOrderAndNamespace", testListOrderAndNamespace},
	{"ListLabelSelector", testListLabelSelector},
	{"ListFieldSelector", testListFieldSelector},
	{"ListReturnsCopies", testListReturnsCopies},
	{"Pagination", testPagination},
	{"PaginationIsConsistent", testPaginationConsistent},
	{"PaginationGoneAfterCompaction", testPaginationGone},
	{"SharedLister", testSharedLister},
}

func names(items []meta.Object) []string {
	out := make([]string, len(items))
	for i, o := range items {
		out[i] = meta.Key(o)
	}
	return out
}

func (e *env) list(opts store.ListOptions) *store.ListResult {
	e.t.Helper()
	res, err := e.s.List(e.ctx, podGVK, opts)
	if err != nil {
		e.t.Fatalf("List: %v", err)
	}
	return res
}

func testListOrderAndNamespace(t *testing.T, e *env) {
	for _, k := range []string{"b/2", "a/1", "b/1", "c/9", "a/3"} {
		e.create(Pod(k[:1], "p"+k[2:], ""))
	}
	res := e.list(store.ListOptions{})
	if want := []string{"a/p1", "a/p3", "b/p1", "b/p2", "c/p9"}; !slices.Equal(names(res.Items), want) {
		t.Fatalf("List = %v, want %v", names(res.Items), want)
	}
	if res.ResourceVersion != e.s.CurrentRevision() || res.Continue != "" || res.RemainingItemCount != nil {
		t.Fatalf("ResourceVersion %d Continue %q Remaining %v", res.ResourceVersion, res.Continue, res.RemainingItemCount)
	}
	if got := names(e.list(store.ListOptions{Namespace: "b"}).Items); !slices.Equal(got, []string{"b/p1", "b/p2"}) {
		t.Fatalf("namespace b: %v", got)
	}
	if got := e.list(store.ListOptions{Namespace: "zzz"}).Items; len(got) != 0 {
		t.Fatalf("empty namespace: %v", names(got))
	}
	res, err := e.s.List(e.ctx, deploymentGVK, store.ListOptions{})
	if err != nil || len(res.Items) != 0 || res.ResourceVersion != e.s.CurrentRevision() {
		t.Fatalf("List of a kind without objects: %v %v", res, err)
	}
}

func testListLabelSelector(t *testing.T, e *env) {
	for i := range 6 {
		p := Pod("default", fmt.Sprintf("p%d", i), "")
		p.Labels = map[string]string{"app": []string{"web", "db"}[i%2], "tier": fmt.Sprint(i % 3)}
		e.create(p)
	}
	tests := []struct {
		sel  string
		want []string
	}{
		{"app=web", []string{"default/p0", "default/p2", "default/p4"}},
		{"app=web,tier=0", []string{"default/p0"}},
		{"app!=web", []string{"default/p1", "default/p3", "default/p5"}},
		{"tier in (1,2)", []string{"default/p1", "default/p2", "default/p4", "default/p5"}},
		{"missing", nil},
		{"!missing", []string{"default/p0", "default/p1", "default/p2", "default/p3", "default/p4", "default/p5"}},
	}
	for _, tc := range tests {
		sel, err := labels.Parse(tc.sel)
		if err != nil {
			t.Fatal(err)
		}
		got := names(e.list(store.ListOptions{LabelSelector: sel}).Items)
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: %v, want %v", tc.sel, got, tc.want)
		}
	}
}

func testListFieldSelector(t *testing.T, e *env) {
	e.create(Pod("a", "p1", "node-1"))
	e.create(Pod("a", "p2", "node-2"))
	e.create(Pod("b", "p3", ""))
	p := e.get(podGVK, "a", "p2").(*core.Pod)
	p.Status.Phase = core.PodRunning
	if _, err := e.s.UpdateStatus(e.ctx, p, store.UpdateOptions{}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		sel  string
		want []string
	}{
		{"metadata.name=p1", []string{"a/p1"}},
		{"metadata.namespace=b", []string{"b/p3"}},
		{"spec.nodeName=node-2", []string{"a/p2"}},
		{"spec.nodeName=", []string{"b/p3"}},
		{"spec.nodeName!=", []string{"a/p1", "a/p2"}},
		{"status.phase=Running", []string{"a/p2"}},
		{"status.phase=Pending,metadata.namespace=a", []string{"a/p1"}},
	}
	for _, tc := range tests {
		sel, err := fields.ParseSelector(tc.sel)
		if err != nil {
			t.Fatal(err)
		}
		got := names(e.list(store.ListOptions{FieldSelector: sel}).Items)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.sel, got, tc.want)
		}
	}
	sel, _ := fields.ParseSelector("spec.restartPolicy=Always")
	_, err := e.s.List(e.ctx, podGVK, store.ListOptions{FieldSelector: sel})
	wantReason(t, err, store.ReasonBadRequest)
	wantMessage(t, err, "field label not supported: spec.restartPolicy")
}

func testListReturnsCopies(t *testing.T, e *env) {
	e.create(ConfigMap("default", "a", map[string]string{"k": "v"}))
	res, _ := e.s.List(e.ctx, configMapGVK, store.ListOptions{})
	res.Items[0].(*core.ConfigMap).Data["k"] = "mutated"
	if got := e.get(configMapGVK, "default", "a").(*core.ConfigMap); got.Data["k"] != "v" {
		t.Fatal("List returned shared memory")
	}
}

func testPagination(t *testing.T, e *env) {
	var want []string
	for i := range 25 {
		e.create(Pod("default", fmt.Sprintf("p%02d", i), ""))
		want = append(want, fmt.Sprintf("default/p%02d", i))
	}
	var got []string
	opts := store.ListOptions{Limit: 10}
	var remaining []int64
	for pages := 0; ; pages++ {
		res := e.list(opts)
		got = append(got, names(res.Items)...)
		if res.RemainingItemCount != nil {
			remaining = append(remaining, *res.RemainingItemCount)
		}
		if res.Continue == "" {
			if pages != 2 {
				t.Fatalf("%d pages, want 3", pages+1)
			}
			break
		}
		opts.Continue = res.Continue
	}
	if !slices.Equal(got, want) {
		t.Fatalf("paginated list = %v, want %v", got, want)
	}
	if !slices.Equal(remaining, []int64{15, 5}) {
		t.Fatalf("RemainingItemCount = %v, want [15 5]", remaining)
	}
	// With a selector, pages hold matching items only.
	sel, _ := fields.ParseSelector("metadata.name!=p03")
	res := e.list(store.ListOptions{Limit: 5, FieldSelector: sel})
	if got := names(res.Items); len(got) != 5 || slices.Contains(got, "default/p03") || res.Continue == "" || res.RemainingItemCount != nil {
		t.Fatalf("selector page: %v continue %q remaining %v", got, res.Continue, res.RemainingItemCount)
	}
	_, err := e.s.List(e.ctx, podGVK, store.ListOptions{Continue: "garbage"})
	wantReason(t, err, store.ReasonBadRequest)
}

func testPaginationConsistent(t *testing.T, e *env) {
	for i := range 10 {
		p := Pod("default", fmt.Sprintf("p%d", i), "")
		p.Labels = map[string]string{"v": "1"}
		e.create(p)
	}
	first := e.list(store.ListOptions{Limit: 4})
	snap := first.ResourceVersion
	// Change the rest of the list behind the reader's back.
	e.del(podGVK, "default", "p5", store.DeleteOptions{})
	e.create(Pod("default", "p55", ""))
	p7 := e.get(podGVK, "default", "p7")
	p7.SetLabels(map[string]string{"v": "2"})
	e.update(p7)
	e.create(Pod("default", "p0a", "")) // sorts into the first page: not seen by later pages
	e.del(podGVK, "default", "p9", store.DeleteOptions{})
	e.create(Pod("default", "p9", "")) // re-created: later pages show the old incarnation

	got := names(first.Items)
	opts := store.ListOptions{Limit: 4, Continue: first.Continue}
	for opts.Continue != "" {
		res := e.list(opts)
		if res.ResourceVersion != snap {
			t.Fatalf("page read at revision %d, want the first page's %d", res.ResourceVersion, snap)
		}
		for _, o := range res.Items {
			if o.GetName() == "p7" && o.GetLabels()["v"] != "1" {
				t.Fatalf("p7 shown with its new labels %v", o.GetLabels())
			}
			if rv(t, o) > snap {
				t.Fatalf("%s shown at revision %d, after the snapshot %d", o.GetName(), rv(t, o), snap)
			}
		}
		got = append(got, names(res.Items)...)
		opts.Continue = res.Continue
	}
	want := []string{"default/p0", "default/p1", "default/p2", "default/p3", "default/p4", "default/p5", "default/p6", "default/p7", "default/p8", "default/p9"}
	if !slices.Equal(got, want) {
		t.Fatalf("paginated list = %v, want the snapshot %v", got, want)
	}
	// With a selector, the snapshot applies to matching too.
	sel, _ := labels.Parse("v=1")
	res := e.list(store.ListOptions{Limit: 100, LabelSelector: sel})
	if slices.Contains(names(res.Items), "default/p7") {
		t.Fatal("a fresh list shows p7 with its old labels")
	}
}

func testPaginationGone(t *testing.T, e *env) {
	c := e.compactor()
	for i := range 5 {
		e.create(Pod("default", fmt.Sprintf("p%d", i), ""))
	}
	first := e.list(store.ListOptions{Limit: 2})
	e.create(Pod("default", "later", ""))
	if err := c.Compact(e.ctx, e.s.CurrentRevision()); err != nil {
		t.Fatal(err)
	}
	_, err := e.s.List(e.ctx, podGVK, store.ListOptions{Limit: 2, Continue: first.Continue})
	wantReason(t, err, store.ReasonExpired)
	if !store.IsGone(err) {
		t.Fatal("IsGone = false")
	}
}

func testSharedLister(t *testing.T, e *env) {
	sl, ok := e.s.(store.SharedLister)
	if !ok {
		t.Skip("store does not implement store.SharedLister")
	}
	for i := range 5 {
		e.create(Pod("default", fmt.Sprintf("p%d", i), ""))
	}
	shared, err := sl.ListShared(e.ctx, podGVK, store.ListOptions{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	copied := e.list(store.ListOptions{Limit: 3})
	if !slices.Equal(names(shared.Items), names(copied.Items)) || shared.Continue == "" || shared.ResourceVersion != copied.ResourceVersion {
		t.Fatalf("ListShared = %v, List = %v", names(shared.Items), names(copied.Items))
	}
	for i := range shared.Items {
		if shared.Items[i].GetResourceVersion() != copied.Items[i].GetResourceVersion() {
			t.Fatal("ListShared and List disagree")
		}
	}
}
