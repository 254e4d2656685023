package clienttest

import (
	"slices"
	"strconv"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/store"
)

var listTests = []test{
	{"List/LabelSelector", testListLabelSelector},
	{"List/FieldSelector", testListFieldSelector},
	{"List/Namespaces", testListNamespaces},
	{"List/Pagination", testListPagination},
}

// names returns the keys of a list's items, in order.
func names[T meta.Object](l *client.List[T]) []string {
	out := make([]string, len(l.Items))
	for i, o := range l.Items {
		out[i] = meta.Key(o)
	}
	return out
}

// list lists through c, failing the test on error.
func list[T meta.Object](e *env, c *client.Typed[T], opts store.ListOptions) *client.List[T] {
	e.t.Helper()
	l, err := c.List(e.ctx, opts)
	if err != nil {
		e.t.Fatalf("list %s: %v", c.GVK().Kind, err)
	}
	return l
}

func (e *env) wantNames(what string, got, want []string) {
	e.t.Helper()
	if !slices.Equal(got, want) {
		e.t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func parseLabels(e *env, s string) labels.Selector {
	e.t.Helper()
	sel, err := labels.Parse(s)
	if err != nil {
		e.t.Fatalf("parse %q: %v", s, err)
	}
	return sel
}

func testListLabelSelector(e *env) {
	for _, p := range []struct {
		name   string
		labels map[string]string
	}{
		{"a", map[string]string{"app": "web", "tier": "front"}},
		{"b", map[string]string{"app": "web", "tier": "back"}},
		{"c", map[string]string{"app": "db"}},
		{"d", nil},
	} {
		create(e, e.pods, newPod(p.name, p.labels))
	}
	for _, tc := range []struct {
		selector string
		want     []string
	}{
		{"", []string{"a", "b", "c", "d"}},
		{"app=web", []string{"a", "b"}},
		{"app!=web", []string{"c", "d"}},
		{"tier in (front,middle)", []string{"a"}},
		{"app,!tier", []string{"c"}},
		{"app=web,tier notin (front)", []string{"b"}},
		{"app=none", nil},
	} {
		l := list(e, e.pods, store.ListOptions{Namespace: Namespace, LabelSelector: parseLabels(e, tc.selector)})
		want := make([]string, len(tc.want))
		for i, n := range tc.want {
			want[i] = Namespace + "/" + n
		}
		e.wantNames("pods matching "+strconv.Quote(tc.selector), names(l), want)
	}
}

func testListFieldSelector(e *env) {
	for i, node := range []string{"node-1", "node-2", "node-1", ""} {
		p := newPod("p"+strconv.Itoa(i), nil)
		p.Spec.NodeName = node
		create(e, e.pods, p)
	}
	for _, tc := range []struct {
		selector string
		want     []string
	}{
		{"spec.nodeName=node-1", []string{"p0", "p2"}},
		{"spec.nodeName=", []string{"p3"}},
		{"spec.nodeName!=node-1", []string{"p1", "p3"}},
		{"metadata.name=p1", []string{"p1"}},
		{"metadata.name!=p1,spec.nodeName=node-1", []string{"p0", "p2"}},
		{"status.phase=Pending", []string{"p0", "p1", "p2", "p3"}},
		{"metadata.namespace=elsewhere", nil},
	} {
		sel, err := fields.ParseSelector(tc.selector)
		if err != nil {
			e.t.Fatalf("parse %q: %v", tc.selector, err)
		}
		l := list(e, e.pods, store.ListOptions{Namespace: Namespace, FieldSelector: sel})
		want := make([]string, len(tc.want))
		for i, n := range tc.want {
			want[i] = Namespace + "/" + n
		}
		e.wantNames("pods with "+strconv.Quote(tc.selector), names(l), want)
	}

	sel, err := fields.ParseSelector("spec.replicas=1")
	if err != nil {
		e.t.Fatal(err)
	}
	_, err = e.pods.List(e.ctx, store.ListOptions{FieldSelector: sel})
	e.wantErr("list with an unsupported field selector", err, store.IsBadRequest, "BadRequest")
}

func testListNamespaces(e *env) {
	e.ensureNamespace("other")
	create(e, e.configMaps, newConfigMap("b", nil))
	create(e, e.configMaps, newConfigMap("a", nil))
	o := newConfigMap("a", nil)
	o.Namespace = "other"
	create(e, e.configMaps, o)

	e.wantNames("config maps in "+Namespace, names(list(e, e.configMaps, store.ListOptions{Namespace: Namespace})),
		[]string{Namespace + "/a", Namespace + "/b"})
	e.wantNames("config maps in other", names(list(e, e.configMaps, store.ListOptions{Namespace: "other"})),
		[]string{"other/a"})
	e.wantNames("config maps everywhere", names(list(e, e.configMaps, store.ListOptions{})),
		[]string{Namespace + "/a", Namespace + "/b", "other/a"})

	// Cluster-scoped kinds list with no namespace; the suite's namespaces are there.
	nss := names(list(e, e.namespaces, store.ListOptions{}))
	for _, want := range []string{Namespace, "other"} {
		if !slices.Contains(nss, want) {
			e.t.Fatalf("namespaces %v do not include %s", nss, want)
		}
	}
}

func testListPagination(e *env) {
	for i := range 5 {
		create(e, e.configMaps, newConfigMap("cm-"+strconv.Itoa(i), nil))
	}
	first := list(e, e.configMaps, store.ListOptions{Namespace: Namespace, Limit: 2})
	e.wantNames("first page", names(first), []string{Namespace + "/cm-0", Namespace + "/cm-1"})
	if first.Continue == "" {
		e.t.Fatal("first of three pages has no continue token")
	}
	if first.RemainingItemCount == nil || *first.RemainingItemCount != 3 {
		e.t.Fatalf("first page: remainingItemCount %v, want 3", first.RemainingItemCount)
	}

	// Pages after the first are read at the first page's revision: later writes are not
	// in them.
	create(e, e.configMaps, newConfigMap("cm-5", nil))
	if _, err := e.configMaps.Delete(e.ctx, Namespace, "cm-3"); err != nil {
		e.t.Fatal(err)
	}

	second := list(e, e.configMaps, store.ListOptions{Namespace: Namespace, Limit: 2, Continue: first.Continue})
	e.wantNames("second page", names(second), []string{Namespace + "/cm-2", Namespace + "/cm-3"})
	third := list(e, e.configMaps, store.ListOptions{Namespace: Namespace, Limit: 2, Continue: second.Continue})
	e.wantNames("third page", names(third), []string{Namespace + "/cm-4"})
	if third.Continue != "" || third.RemainingItemCount != nil {
		e.t.Fatalf("last page has continue %q remainingItemCount %v, want none", third.Continue, third.RemainingItemCount)
	}
	for i, p := range []*client.List[*core.ConfigMap]{second, third} {
		if p.ResourceVersion != first.ResourceVersion {
			e.t.Fatalf("page %d read at revision %d, the first at %d", i+2, p.ResourceVersion, first.ResourceVersion)
		}
	}

	// A fresh list sees the writes.
	e.wantNames("fresh list", names(list(e, e.configMaps, store.ListOptions{Namespace: Namespace})),
		[]string{Namespace + "/cm-0", Namespace + "/cm-1", Namespace + "/cm-2", Namespace + "/cm-4", Namespace + "/cm-5"})

	// Pagination works with a selector, too.
	sel := parseLabels(e, "")
	all := []string{}
	opts := store.ListOptions{Namespace: Namespace, Limit: 1, LabelSelector: sel}
	for {
		p := list(e, e.configMaps, opts)
		all = append(all, names(p)...)
		if p.Continue == "" {
			break
		}
		opts.Continue = p.Continue
	}
	if len(all) != 5 {
		e.t.Fatalf("pages of one item listed %v, want 5 config maps", all)
	}

	_, err := e.configMaps.List(e.ctx, store.ListOptions{Namespace: Namespace, Limit: 2, Continue: "not-a-token"})
	e.wantErr("list with a malformed continue token", err, store.IsBadRequest, "BadRequest")
}
