package apiserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/apiserver"
)

// TestVerbs walks every verb over a namespaced kind, its status subresource and a
// cluster-scoped kind, checking the codes and the bodies that client-go reads.
func TestVerbs(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ts.must(http.StatusCreated, req{method: "POST", path: "/api/v1/namespaces", body: fmt.Sprintf(nsJSON, "default")})
	ts.must(http.StatusCreated, req{method: "POST", path: "/api/v1/namespaces", body: fmt.Sprintf(nsJSON, "other")})

	var rv string
	steps := []struct {
		name  string
		req   req
		code  int
		check func(t *testing.T, m map[string]any)
	}{
		{"create", req{method: "POST", path: "/apis/apps/v1/namespaces/default/deployments", body: fmt.Sprintf(depJSON, "web")}, http.StatusCreated,
			func(t *testing.T, m map[string]any) {
				if field(m, "kind") != "Deployment" || field(m, "apiVersion") != "apps/v1" || field(m, "metadata", "namespace") != "default" ||
					field(m, "metadata", "uid") == nil || field(m, "metadata", "generation") != 1.0 {
					t.Fatalf("created: %v", m)
				}
				rv = field(m, "metadata", "resourceVersion").(string)
			}},
		{"create without apiVersion and kind", req{method: "POST", path: "/apis/apps/v1/namespaces/other/deployments",
			body: strings.Replace(fmt.Sprintf(depJSON, "web"), `"apiVersion":"apps/v1","kind":"Deployment",`, "", 1)}, http.StatusCreated,
			func(t *testing.T, m map[string]any) {
				if field(m, "kind") != "Deployment" || field(m, "metadata", "namespace") != "other" {
					t.Fatalf("created: %v", m)
				}
			}},
		{"create YAML", req{method: "POST", path: "/api/v1/namespaces/default/configmaps",
			body: "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  a: b\n", header: []string{"Content-Type", "application/yaml"}}, http.StatusCreated,
			func(t *testing.T, m map[string]any) {
				if field(m, "data", "a") != "b" {
					t.Fatalf("created: %v", m)
				}
			}},
		{"get", req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/web"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "kind") != "Deployment" || field(m, "spec", "replicas") != 2.0 || field(m, "metadata", "resourceVersion") != rv {
					t.Fatalf("got: %v", m)
				}
			}},
		{"get, protobuf preferred", req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/web",
			header: []string{"Accept", "application/vnd.kubernetes.protobuf,application/json"}}, http.StatusOK, nil},
		{"list, Table preferred", req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments",
			header: []string{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json"}}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "kind") != "DeploymentList" {
					t.Fatalf("list: %v", m)
				}
			}},
		{"get with resourceVersion=0", req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/web?resourceVersion=0"}, http.StatusOK, nil},
		{"list", req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				items, _ := field(m, "items").([]any)
				if field(m, "kind") != "DeploymentList" || field(m, "apiVersion") != "apps/v1" || field(m, "metadata", "resourceVersion") == nil || len(items) != 1 {
					t.Fatalf("list: %v", m)
				}
				if item := items[0].(map[string]any); field(item, "kind") != "Deployment" || field(item, "apiVersion") != "apps/v1" {
					t.Fatalf("list item without apiVersion and kind: %v", item)
				}
			}},
		{"list every namespace", req{method: "GET", path: "/apis/apps/v1/deployments?resourceVersion=0&limit=500"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if items, _ := field(m, "items").([]any); len(items) != 2 {
					t.Fatalf("list: %v", m)
				}
			}},
		{"list empty", req{method: "GET", path: "/api/v1/namespaces/default/pods"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if items, ok := field(m, "items").([]any); !ok || len(items) != 0 || field(m, "kind") != "PodList" {
					t.Fatalf("empty list: %v", m)
				}
			}},
		{"list with selectors", req{method: "GET", path: "/apis/apps/v1/deployments?labelSelector=app%3Dnone&fieldSelector=metadata.name%3Dweb"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if items, _ := field(m, "items").([]any); len(items) != 0 {
					t.Fatalf("list: %v", m)
				}
			}},
		{"list a page", req{method: "GET", path: "/apis/apps/v1/deployments?limit=1"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if items, _ := field(m, "items").([]any); len(items) != 1 || field(m, "metadata", "continue") == nil || field(m, "metadata", "remainingItemCount") != 1.0 {
					t.Fatalf("page: %v", m)
				}
			}},
		{"update", req{method: "PUT", path: "/apis/apps/v1/namespaces/default/deployments/web",
			body: strings.Replace(fmt.Sprintf(depJSON, "web"), `"replicas":2`, `"replicas":3`, 1)}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "spec", "replicas") != 3.0 || field(m, "metadata", "generation") != 2.0 {
					t.Fatalf("updated: %v", m)
				}
			}},
		{"merge patch", req{method: "PATCH", path: "/apis/apps/v1/namespaces/default/deployments/web", body: `{"metadata":{"labels":{"tier":"front"}}}`,
			header: []string{"Content-Type", "application/merge-patch+json"}}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "metadata", "labels", "tier") != "front" || field(m, "kind") != "Deployment" {
					t.Fatalf("patched: %v", m)
				}
			}},
		{"json patch", req{method: "PATCH", path: "/apis/apps/v1/namespaces/default/deployments/web", body: `[{"op":"replace","path":"/spec/replicas","value":4}]`,
			header: []string{"Content-Type", "application/json-patch+json; charset=utf-8"}}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "spec", "replicas") != 4.0 {
					t.Fatalf("patched: %v", m)
				}
			}},
		{"get status", req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/web/status"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "kind") != "Deployment" {
					t.Fatalf("status: %v", m)
				}
			}},
		{"patch status", req{method: "PATCH", path: "/apis/apps/v1/namespaces/default/deployments/web/status", body: `{"status":{"replicas":4},"spec":{"replicas":9}}`,
			header: []string{"Content-Type", "application/merge-patch+json"}}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "status", "replicas") != 4.0 || field(m, "spec", "replicas") != 4.0 {
					t.Fatalf("status patched: %v", m)
				}
			}},
		{"update status", req{method: "PUT", path: "/apis/apps/v1/namespaces/default/deployments/web/status",
			body: strings.Replace(fmt.Sprintf(depJSON, "web"), `"spec"`, `"status":{"replicas":1},"spec"`, 1)}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "status", "replicas") != 1.0 || field(m, "spec", "replicas") != 4.0 {
					t.Fatalf("status updated: %v", m)
				}
			}},
		{"delete", req{method: "DELETE", path: "/apis/apps/v1/namespaces/default/deployments/web",
			body: `{"kind":"DeleteOptions","apiVersion":"meta.k8s.io/v1","propagationPolicy":"Background"}`}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "kind") != "Deployment" || field(m, "metadata", "name") != "web" {
					t.Fatalf("deleted: %v", m)
				}
			}},
		{"get deleted", req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/web"}, http.StatusNotFound, nil},
		{"delete foreground", req{method: "DELETE", path: "/apis/apps/v1/namespaces/other/deployments/web?propagationPolicy=Foreground"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "metadata", "deletionTimestamp") == nil || fmt.Sprint(field(m, "metadata", "finalizers")) != "[foregroundDeletion]" {
					t.Fatalf("foreground delete: %v", m)
				}
			}},
		{"cluster-scoped get", req{method: "GET", path: "/api/v1/namespaces/other"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "kind") != "Namespace" || field(m, "status", "phase") != "Active" {
					t.Fatalf("namespace: %v", m)
				}
			}},
		{"cluster-scoped list", req{method: "GET", path: "/api/v1/namespaces"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if items, _ := field(m, "items").([]any); field(m, "kind") != "NamespaceList" || len(items) != 2 {
					t.Fatalf("namespaces: %v", m)
				}
			}},
		{"cluster-scoped status", req{method: "GET", path: "/api/v1/namespaces/other/status"}, http.StatusOK, nil},
		{"cluster-scoped patch", req{method: "PATCH", path: "/api/v1/namespaces/other", body: `{"metadata":{"labels":{"a":"b"}}}`,
			header: []string{"Content-Type", "application/merge-patch+json"}}, http.StatusOK, nil},
		{"cluster-scoped delete", req{method: "DELETE", path: "/api/v1/namespaces/other"}, http.StatusOK,
			func(t *testing.T, m map[string]any) {
				if field(m, "kind") != "Namespace" || field(m, "metadata", "name") != "other" {
					t.Fatalf("namespace delete: %v", m)
				}
			}},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			res := ts.do(s.req)
			if res.code != s.code {
				t.Fatalf("%s %s: %d %s, want %d", s.req.method, s.req.path, res.code, res.body, s.code)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/json" {
				t.Fatalf("Content-Type %q", ct)
			}
			if s.check != nil {
				s.check(t, res.object(t))
			}
		})
	}
}
