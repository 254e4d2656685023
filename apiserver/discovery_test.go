package apiserver_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/scheme"
)

// Discovery documents as client-go decodes them (only the fields it reads).
type (
	apiVersions struct {
		Kind     string   `json:"kind"`
		Versions []string `json:"versions"`
	}
	groupVersion struct {
		GroupVersion string `json:"groupVersion"`
		Version      string `json:"version"`
	}
	apiGroup struct {
		Kind             string         `json:"kind"`
		Name             string         `json:"name"`
		Versions         []groupVersion `json:"versions"`
		PreferredVersion groupVersion   `json:"preferredVersion"`
	}
	apiGroupList struct {
		Kind   string     `json:"kind"`
		Groups []apiGroup `json:"groups"`
	}
	apiResource struct {
		Name         string   `json:"name"`
		SingularName string   `json:"singularName"`
		Namespaced   bool     `json:"namespaced"`
		Group        string   `json:"group"`
		Version      string   `json:"version"`
		Kind         string   `json:"kind"`
		Verbs        []string `json:"verbs"`
		ShortNames   []string `json:"shortNames"`
		Categories   []string `json:"categories"`
	}
	apiResourceList struct {
		Kind         string        `json:"kind"`
		GroupVersion string        `json:"groupVersion"`
		Resources    []apiResource `json:"resources"`
	}
)

func decodeInto[T any](t *testing.T, res response) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(res.body, &v); err != nil {
		t.Fatalf("decode %T: %v in %s", v, err, res.body)
	}
	return v
}

func TestDiscovery(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	// What client-go's discovery client sends first: the aggregated form, then the legacy one.
	aggregated := []string{"Accept", "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json"}

	t.Run("api", func(t *testing.T) {
		v := decodeInto[apiVersions](t, ts.must(http.StatusOK, req{method: "GET", path: "/api", header: aggregated}))
		if v.Kind != "APIVersions" || !slices.Equal(v.Versions, []string{"v1"}) {
			t.Fatalf("/api: %+v", v)
		}
	})
	t.Run("apis", func(t *testing.T) {
		res := ts.must(http.StatusOK, req{method: "GET", path: "/apis", header: aggregated})
		if ct := res.header.Get("Content-Type"); ct != "application/json" {
			t.Fatalf("Content-Type %q", ct)
		}
		l := decodeInto[apiGroupList](t, res)
		var names []string
		for _, g := range l.Groups {
			names = append(names, g.Name)
			if g.PreferredVersion.GroupVersion != g.Name+"/v1" || len(g.Versions) != 1 {
				t.Fatalf("group %+v", g)
			}
		}
		if l.Kind != "APIGroupList" || !slices.Equal(names, []string{"apps", "batch", "coordination.k8s.io"}) {
			t.Fatalf("/apis: %+v", l)
		}
	})
	t.Run("apis/apps", func(t *testing.T) {
		g := decodeInto[apiGroup](t, ts.must(http.StatusOK, req{method: "GET", path: "/apis/apps"}))
		if g.Kind != "APIGroup" || g.Name != "apps" || g.PreferredVersion.Version != "v1" {
			t.Fatalf("/apis/apps: %+v", g)
		}
	})
	t.Run("api/v1", func(t *testing.T) {
		l := decodeInto[apiResourceList](t, ts.must(http.StatusOK, req{method: "GET", path: "/api/v1"}))
		pods := find(l.Resources, "pods")
		if l.Kind != "APIResourceList" || l.GroupVersion != "v1" || pods == nil || !pods.Namespaced || pods.Kind != "Pod" ||
			pods.SingularName != "pod" || !slices.Equal(pods.ShortNames, []string{"po"}) || !slices.Contains(pods.Verbs, "watch") ||
			!slices.Equal(pods.Categories, []string{"all"}) {
			t.Fatalf("pods: %+v", pods)
		}
		if ns := find(l.Resources, "namespaces"); ns == nil || ns.Namespaced {
			t.Fatalf("namespaces: %+v", ns)
		}
		if st := find(l.Resources, "pods/status"); st == nil || !slices.Equal(st.Verbs, []string{"get", "patch", "update"}) {
			t.Fatalf("pods/status: %+v", st)
		}
		if find(l.Resources, "configmaps/status") != nil {
			t.Fatal("configmaps/status is listed")
		}
	})
	t.Run("apis/apps/v1", func(t *testing.T) {
		l := decodeInto[apiResourceList](t, ts.must(http.StatusOK, req{method: "GET", path: "/apis/apps/v1"}))
		d := find(l.Resources, "deployments")
		if l.GroupVersion != "apps/v1" || d == nil || d.Kind != "Deployment" || !slices.Equal(d.ShortNames, []string{"deploy"}) {
			t.Fatalf("deployments: %+v", d)
		}
		for _, name := range []string{"deployments/scale", "replicasets/scale", "statefulsets/scale"} {
			if sc := find(l.Resources, name); sc == nil || sc.Group != "autoscaling" || sc.Version != "v1" || sc.Kind != "Scale" {
				t.Fatalf("%s: %+v", name, sc)
			}
		}
		if find(l.Resources, "daemonsets/scale") != nil {
			t.Fatal("daemonsets/scale is listed")
		}
	})
	t.Run("version", func(t *testing.T) {
		v := decodeInto[apiserver.Version](t, ts.must(http.StatusOK, req{method: "GET", path: "/version"}))
		if v != apiserver.DefaultVersion() || v.Major != "1" {
			t.Fatalf("/version: %+v", v)
		}
	})
}

func find(rs []apiResource, name string) *apiResource {
	for i := range rs {
		if rs[i].Name == name {
			return &rs[i]
		}
	}
	return nil
}

// TestDiscoveryCustomKinds checks that kinds registered on the scheme are discovered, and
// that a group's versions are ordered as Kubernetes prefers them.
func TestDiscoveryCustomKinds(t *testing.T) {
	sch := scheme.NewBuiltin()
	for _, k := range []struct{ version, kind, plural string }{
		{"v1alpha1", "Gadget", "gadgets"}, {"v1beta2", "Widget", "widgets"}, {"v2", "Sprocket", "sprockets"}, {"v1beta10", "Doohickey", "doohickeys"},
	} {
		if err := sch.RegisterUnstructured(scheme.UnstructuredKind{
			GVK: scheme.GroupVersionKind{Group: "example.com", Version: k.version, Kind: k.kind}, Plural: k.plural, Namespaced: true,
		}); err != nil {
			t.Fatal(err)
		}
	}
	ts := newServerWithScheme(t, sch, apiserver.Options{})
	g := decodeInto[apiGroup](t, ts.must(http.StatusOK, req{method: "GET", path: "/apis/example.com"}))
	var versions []string
	for _, v := range g.Versions {
		versions = append(versions, v.Version)
	}
	if !slices.Equal(versions, []string{"v2", "v1beta10", "v1beta2", "v1alpha1"}) || g.PreferredVersion.Version != "v2" {
		t.Fatalf("versions %v preferred %v", versions, g.PreferredVersion)
	}
	l := decodeInto[apiResourceList](t, ts.must(http.StatusOK, req{method: "GET", path: "/apis/example.com/v1beta2"}))
	if len(l.Resources) != 1 || l.Resources[0].Name != "widgets" || l.Resources[0].Kind != "Widget" {
		t.Fatalf("resources %+v", l.Resources)
	}
	// The kind is served.
	ts.must(http.StatusCreated, req{method: "POST", path: "/apis/example.com/v1beta2/namespaces/default/widgets",
		body: `{"metadata":{"name":"w"},"spec":{"size":3}}`})
	res := ts.must(http.StatusOK, req{method: "GET", path: "/apis/example.com/v1beta2/namespaces/default/widgets/w"})
	if m := res.object(t); field(m, "spec", "size") != 3.0 || field(m, "kind") != "Widget" || field(m, "apiVersion") != "example.com/v1beta2" {
		t.Fatalf("widget %v", m)
	}
	ts.must(http.StatusNotFound, req{method: "GET", path: "/apis/example.com/v1/widgets"})
}

func TestProbes(t *testing.T) {
	ready := errors.New("warming up")
	ts := newServer(t, apiserver.Options{Token: "secret", Ready: func(context.Context) error { return ready }})
	for _, p := range []string{"/healthz", "/readyz"} {
		if res := ts.must(http.StatusServiceUnavailable, req{method: "GET", path: p}); string(res.body) != "not ready: warming up" {
			t.Fatalf("%s: %s", p, res.body)
		}
	}
	ts.token = "" // the probes need none, but then do not say why
	for _, p := range []string{"/healthz", "/readyz"} {
		if res := ts.must(http.StatusServiceUnavailable, req{method: "GET", path: p}); string(res.body) != "not ready: reason withheld" {
			t.Fatalf("%s: %s", p, res.body)
		}
	}
	ts.must(http.StatusOK, req{method: "GET", path: "/livez"})
	ready = nil
	for _, p := range []string{"/healthz", "/readyz", "/livez"} {
		if res := ts.must(http.StatusOK, req{method: "GET", path: p}); string(res.body) != "ok" {
			t.Fatalf("%s: %s", p, res.body)
		}
	}
}

// TestReadyFollowsTheStore checks the default readiness check: ready while the store is
// open, not once it is closed.
func TestReadyFollowsTheStore(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ts.must(http.StatusOK, req{method: "GET", path: "/readyz"})
	if err := ts.store.Close(); err != nil {
		t.Fatal(err)
	}
	ts.must(http.StatusServiceUnavailable, req{method: "GET", path: "/readyz"})
	st := ts.must(http.StatusServiceUnavailable, req{method: "GET", path: "/api/v1/pods"}).status(t)
	if st.Reason != "ServiceUnavailable" {
		t.Fatalf("list from a closed store: %+v", st)
	}
}
