package apiserver

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestParsePath(t *testing.T) {
	for _, tc := range []struct {
		path string
		want route
	}{
		{"/api", route{kind: routeLegacyRoot}},
		{"/api/", route{kind: routeLegacyRoot}},
		{"/api/v1", route{kind: routeLegacyVersion, version: "v1"}},
		{"/apis", route{kind: routeGroups}},
		{"/apis/apps", route{kind: routeGroup, group: "apps"}},
		{"/apis/apps/v1/", route{kind: routeGroupVersion, group: "apps", version: "v1"}},
		{"/api/v1/pods", route{kind: routeResource, version: "v1", resource: "pods"}},
		{"/api/v1/nodes/n1", route{kind: routeResource, version: "v1", resource: "nodes", name: "n1"}},
		{"/api/v1/nodes/n1/status", route{kind: routeResource, version: "v1", resource: "nodes", name: "n1", subresource: "status"}},
		{"/api/v1/namespaces", route{kind: routeResource, version: "v1", resource: "namespaces"}},
		{"/api/v1/namespaces/ns", route{kind: routeResource, version: "v1", resource: "namespaces", name: "ns"}},
		{"/api/v1/namespaces/ns/status", route{kind: routeResource, version: "v1", resource: "namespaces", name: "ns", subresource: "status"}},
		{"/api/v1/namespaces/ns/finalize", route{kind: routeResource, version: "v1", resource: "namespaces", name: "ns", subresource: "finalize"}},
		{"/api/v1/namespaces/ns/pods", route{kind: routeResource, version: "v1", namespace: "ns", resource: "pods"}},
		{"/api/v1/namespaces/status/pods", route{kind: routeResource, version: "v1", namespace: "status", resource: "pods"}},
		{"/api/v1/namespaces/ns/pods/p", route{kind: routeResource, version: "v1", namespace: "ns", resource: "pods", name: "p"}},
		{"/api/v1/namespaces/ns/pods/p/status", route{kind: routeResource, version: "v1", namespace: "ns", resource: "pods", name: "p", subresource: "status"}},
		{"/apis/apps/v1/namespaces/ns/deployments/d/scale", route{kind: routeResource, group: "apps", version: "v1", namespace: "ns", resource: "deployments", name: "d", subresource: "scale"}},
		{"/apis/apps/v1/deployments", route{kind: routeResource, group: "apps", version: "v1", resource: "deployments"}},
		{"/", route{}},
		{"", route{}},
		{"/foo", route{}},
		{"/api/v1/namespaces/ns/pods/p/status/x", route{}},
		{"/api/v1/pods/p/status/x", route{}},
		{"/api//v1", route{}},
		{"/api/v1/namespaces/../pods", route{}},
		{"/api/v1/namespaces/./pods", route{}},
	} {
		if got := parsePath(tc.path); got != tc.want {
			t.Errorf("parsePath(%q) = %+v, want %+v", tc.path, got, tc.want)
		}
	}
}

func TestAcceptsJSON(t *testing.T) {
	for accept, want := range map[string]bool{
		"":                                true,
		"application/json":                true,
		"application/json; charset=utf-8": true,
		"application/json;stream=watch":   true,
		"*/*":                             true,
		"application/*":                   true,
		"application/vnd.kubernetes.protobuf, application/json":                                                           true,
		"application/vnd.kubernetes.protobuf;type=watch, */*":                                                             true,
		"application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json": true,
		"application/vnd.kubernetes.protobuf":                                                                             false,
		"application/yaml":                                                                                                false,
		"text/html":                                                                                                       false,
		"application/json;as=Table;v=v1;g=meta.k8s.io":                                                                    false,
		"application/json;q=0":                                                                                            false,
		"garbage;;;":                                                                                                      false,
	} {
		if got := acceptsJSON(accept); got != want {
			t.Errorf("acceptsJSON(%q) = %v, want %v", accept, got, want)
		}
	}
}

func TestCompareVersions(t *testing.T) {
	in := []string{"v1alpha1", "v2beta1", "foo", "v1", "v1beta2", "v2", "bar", "v1beta10", "v10"}
	want := "v10 v2 v1 v2beta1 v1beta10 v1beta2 v1alpha1 bar foo"
	got := append([]string(nil), in...)
	sortVersions(got)
	if strings.Join(got, " ") != want {
		t.Fatalf("sorted %v, want %s", got, want)
	}
}

// fuzzSeeds are request paths and queries to start FuzzRequestPath from.
var fuzzSeeds = []struct{ method, path, query string }{
	{"GET", "/api", ""},
	{"GET", "/apis/apps/v1", ""},
	{"GET", "/api/v1/pods", "labelSelector=app%3Dweb&fieldSelector=spec.nodeName%3Dn1&limit=10"},
	{"GET", "/api/v1/namespaces/default/pods", "watch=true&resourceVersion=0&allowWatchBookmarks=true&timeoutSeconds=1"},
	{"GET", "/api/v1/namespaces/default/pods", "watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"},
	{"GET", "/api/v1/namespaces/default/pods/p", "resourceVersion=0"},
	{"GET", "/api/v1/namespaces/default/pods", "continue=abc&resourceVersion=1&resourceVersionMatch=Exact"},
	{"DELETE", "/apis/apps/v1/namespaces/default/deployments/d", "propagationPolicy=Foreground&gracePeriodSeconds=3&orphanDependents=false"},
	{"PUT", "/apis/apps/v1/namespaces/default/deployments/d/scale", "fieldValidation=Warn"},
	{"PATCH", "/api/v1/namespaces/ns/status", "dryRun=All"},
	{"POST", "/api/v1/namespaces/default/configmaps", "fieldValidation=Ignore"},
	{"GET", "/api/v1/namespaces/ns/pods/p/status/x", "limit=-1&labelSelector=a+in+%28"},
	{"GET", "/apis//v1/../x", "%zz"},
}

// FuzzRequestPath drives the whole handler with fuzzed paths and queries (and a few
// methods): it must never panic, and must answer every request with a well-formed status
// code. Watches get a context that is already done, so that they end at once.
func FuzzRequestPath(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s.method, s.path, s.query)
	}
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(f.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	srv, err := New(Options{Client: client.NewLocal(st, sch), Logger: logr.FromSlogHandler(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	methods := map[string]bool{"GET": true, "POST": true, "PUT": true, "PATCH": true, "DELETE": true, "HEAD": true}
	f.Fuzz(func(t *testing.T, method, path, query string) {
		_ = parsePath(path)
		q, err := url.ParseQuery(query)
		if err == nil {
			_, _ = parseListParams(q)
			_, _ = parseFieldValidation(q)
			_, _, _ = deleteOptions(q, nil)
		}
		if !methods[method] || !strings.HasPrefix(path, "/") {
			return
		}
		u := &url.URL{Path: path, RawQuery: query}
		r := httptest.NewRequest(method, "/", strings.NewReader(`{"metadata":{"name":"x"}}`))
		r.URL = u
		r.RequestURI = u.RequestURI()
		r.Header.Set("Content-Type", "application/merge-patch+json")
		if u.Query().Get("watch") != "" { // read as the server reads it: leniently

			ctx, cancel := context.WithCancel(r.Context())
			cancel()
			r = r.WithContext(ctx)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code < 200 || w.Code > 599 {
			t.Fatalf("%s %s?%s: status %d", method, path, query, w.Code)
		}
		if w.Code >= 500 && w.Code != http.StatusGatewayTimeout {
			t.Fatalf("%s %s?%s: server error %d %s", method, path, query, w.Code, w.Body)
		}
	})
}
