package apiserver_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// TestErrors checks the Status of every class of failure: its HTTP code, reason, message
// and details.
func TestErrors(t *testing.T) {
	ts := newServer(t, apiserver.Options{MaxBodyBytes: 4096})
	ts.seed(&core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "default"}},
		&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "cm"}})
	cm, err := ts.local.Get(t.Context(), scheme.ConfigMapGVK, "default", "cm")
	if err != nil {
		t.Fatal(err)
	}
	const staleCM = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","resourceVersion":"1"}}`
	pageToken := continueToken(t, ts)
	merge := []string{"Content-Type", "application/merge-patch+json"}

	cases := []struct {
		name   string
		req    req
		code   int
		reason string
		msg    string // a substring of the message
		check  func(t *testing.T, st meta.Status)
	}{
		// 400 BadRequest
		{"unknown field", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: `{"metadata":{"name":"x"},"dataa":{}}`},
			400, "BadRequest", `ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"`, nil},
		{"unknown nested field", req{method: "POST", path: "/apis/apps/v1/namespaces/default/deployments", body: strings.Replace(fmt.Sprintf(depJSON, "d"), `"replicas"`, `"replcas"`, 1)},
			400, "BadRequest", `strict decoding error: unknown field "spec.replcas"`, nil},
		{"malformed JSON", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: `{"metadata":`},
			400, "BadRequest", "not a JSON object", nil},
		{"JSON list body", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: `[{"metadata":{"name":"x"}}]`},
			400, "BadRequest", "found a list", nil},
		{"empty body", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", header: []string{"Content-Type", "application/json"}},
			400, "BadRequest", "the request body is empty", nil},
		{"malformed YAML", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: "a: [", header: []string{"Content-Type", "application/yaml"}},
			400, "BadRequest", "not valid YAML", nil},
		{"wrong value type", req{method: "POST", path: "/apis/apps/v1/namespaces/default/deployments", body: strings.Replace(fmt.Sprintf(depJSON, "d"), `"replicas":2`, `"replicas":"two"`, 1)},
			400, "BadRequest", "spec.replicas", nil},
		{"kind mismatch", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: fmt.Sprintf(podJSON, "p")},
			400, "BadRequest", "the kind in the data (Pod) does not match the expected kind (ConfigMap)", nil},
		{"apiVersion mismatch", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: `{"apiVersion":"v2","kind":"ConfigMap","metadata":{"name":"x"}}`},
			400, "BadRequest", "", nil},
		{"namespace mismatch", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: `{"metadata":{"name":"x","namespace":"other"}}`},
			400, "BadRequest", "the namespace of the provided object does not match the namespace sent on the request", nil},
		{"name mismatch", req{method: "PUT", path: "/api/v1/namespaces/default/configmaps/cm", body: fmt.Sprintf(cmJSON, "other")},
			400, "BadRequest", "the name of the object (other) does not match the name on the URL (cm)", nil},
		{"create with resourceVersion", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: `{"metadata":{"name":"x","resourceVersion":"3"}}`},
			400, "BadRequest", "", nil},
		{"bad labelSelector", req{method: "GET", path: "/api/v1/pods?labelSelector=" + url.QueryEscape("a in (")},
			400, "BadRequest", "invalid labelSelector", nil},
		{"bad fieldSelector", req{method: "GET", path: "/api/v1/pods?fieldSelector=" + url.QueryEscape("a")},
			400, "BadRequest", "invalid fieldSelector", nil},
		{"unsupported fieldSelector", req{method: "GET", path: "/api/v1/pods?fieldSelector=spec.replicas%3D1"},
			400, "BadRequest", "", nil},
		{"bad limit", req{method: "GET", path: "/api/v1/pods?limit=ten"}, 400, "BadRequest", `invalid limit "ten"`, nil},
		{"negative limit", req{method: "GET", path: "/api/v1/pods?limit=-1"}, 400, "BadRequest", "limit must not be negative", nil},
		{"bad resourceVersion", req{method: "GET", path: "/api/v1/pods?resourceVersion=abc"}, 400, "BadRequest", `invalid resource version "abc"`, nil},
		{"bad watch", req{method: "GET", path: "/api/v1/pods?watch=maybe"}, 400, "BadRequest", `invalid watch "maybe"`, nil},
		{"bad timeoutSeconds", req{method: "GET", path: "/api/v1/pods?watch=1&timeoutSeconds=-1"}, 400, "BadRequest", "invalid timeoutSeconds", nil},
		{"malformed continue", req{method: "GET", path: "/api/v1/pods?continue=garbage"}, 400, "BadRequest", "", nil},
		{"continue with resourceVersion", req{method: "GET", path: "/api/v1/pods?resourceVersion=3&continue=" + url.QueryEscape(pageToken)},
			400, "BadRequest", "specifying resource version is not allowed when using continue", nil},
		{"bad fieldValidation", req{method: "POST", path: "/api/v1/namespaces/default/configmaps?fieldValidation=Loose", body: fmt.Sprintf(cmJSON, "x")},
			400, "BadRequest", "invalid fieldValidation directive", nil},
		{"dry run", req{method: "POST", path: "/api/v1/namespaces/default/configmaps?dryRun=All", body: fmt.Sprintf(cmJSON, "x")},
			400, "BadRequest", "dryRun is not supported", nil},
		{"malformed patch", req{method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm", body: `{"data":`, header: merge},
			400, "BadRequest", "invalid merge patch", nil},
		{"malformed DeleteOptions", req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps/cm", body: `{"propagationPolicy":`},
			400, "BadRequest", "DeleteOptions", nil},
		{"unknown DeleteOptions field", req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps/cm", body: `{"gracePeriod":1}`},
			400, "BadRequest", `unknown field "gracePeriod"`, nil},
		{"DeleteOptions of another kind", req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps/cm", body: `{"kind":"ListOptions"}`},
			400, "BadRequest", "want DeleteOptions", nil},
		{"bad gracePeriodSeconds", req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps/cm?gracePeriodSeconds=soon"},
			400, "BadRequest", "invalid gracePeriodSeconds", nil},

		// 401 is in TestAuth; 403 needs an admission hook and is the store's.

		// 404 NotFound
		{"missing object", req{method: "GET", path: "/api/v1/namespaces/default/configmaps/missing"}, 404, "NotFound", `configmaps "missing" not found`,
			func(t *testing.T, st meta.Status) {
				if st.Details == nil || st.Details.Name != "missing" || st.Details.Kind != "configmaps" {
					t.Fatalf("details %+v", st.Details)
				}
			}},
		{"missing object in a group", req{method: "DELETE", path: "/apis/apps/v1/namespaces/default/deployments/missing"}, 404, "NotFound", `deployments.apps "missing" not found`,
			func(t *testing.T, st meta.Status) {
				if st.Details == nil || st.Details.Group != "apps" || st.Details.Kind != "deployments" {
					t.Fatalf("details %+v", st.Details)
				}
			}},
		{"patch of a missing object", req{method: "PATCH", path: "/api/v1/namespaces/default/configmaps/missing", body: `{}`, header: merge}, 404, "NotFound", "", nil},
		{"unknown path", req{method: "GET", path: "/foo"}, 404, "NotFound", "the server could not find the requested resource", nil},
		{"root", req{method: "GET", path: "/"}, 404, "NotFound", "", nil},
		{"unknown resource", req{method: "GET", path: "/api/v1/widgets"}, 404, "NotFound", "", nil},
		{"unknown version", req{method: "GET", path: "/apis/apps/v2/deployments"}, 404, "NotFound", "", nil},
		{"resource in the wrong group", req{method: "GET", path: "/apis/batch/v1/deployments"}, 404, "NotFound", "", nil},
		{"unknown group", req{method: "GET", path: "/apis/example.com/v1"}, 404, "NotFound", "", nil},
		{"cluster-scoped kind in a namespace", req{method: "GET", path: "/api/v1/namespaces/default/nodes"}, 404, "NotFound", "", nil},
		{"namespaced object without namespace", req{method: "GET", path: "/api/v1/configmaps/cm"}, 404, "NotFound", "", nil},
		{"unknown subresource", req{method: "GET", path: "/api/v1/namespaces/default/pods/p/log"}, 404, "NotFound", "", nil},
		{"status of a kind without status", req{method: "GET", path: "/api/v1/namespaces/default/configmaps/cm/status"}, 404, "NotFound", "", nil},
		{"scale of a kind without scale", req{method: "GET", path: "/api/v1/namespaces/default/configmaps/cm/scale"}, 404, "NotFound", "", nil},
		{"too deep", req{method: "GET", path: "/api/v1/namespaces/default/configmaps/cm/status/x"}, 404, "NotFound", "", nil},
		{"empty segment", req{method: "GET", path: "/api/v1//configmaps"}, 404, "NotFound", "", nil},
		{"legacy watch path", req{method: "GET", path: "/api/v1/watch/pods"}, 404, "NotFound", "", nil},

		// 405 MethodNotAllowed
		{"POST on an object", req{method: "POST", path: "/api/v1/namespaces/default/configmaps/cm", body: "{}"}, 405, "MethodNotAllowed", "", nil},
		{"DELETE on a collection", req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps"}, 405, "MethodNotAllowed", "", nil},
		{"POST on every namespace", req{method: "POST", path: "/api/v1/configmaps", body: fmt.Sprintf(cmJSON, "x")}, 405, "MethodNotAllowed", "", nil},
		{"DELETE on status", req{method: "DELETE", path: "/apis/apps/v1/namespaces/default/deployments/d/status"}, 405, "MethodNotAllowed", "", nil},
		{"POST on discovery", req{method: "POST", path: "/api", body: "{}"}, 405, "MethodNotAllowed", "", nil},
		{"HEAD on an object", req{method: "HEAD", path: "/api/v1/namespaces/default/configmaps/cm"}, 405, "", "", nil},

		// 406, 413, 415
		{"protobuf only", req{method: "GET", path: "/api/v1/namespaces/default/configmaps/cm", header: []string{"Accept", "application/vnd.kubernetes.protobuf"}},
			406, "NotAcceptable", "only the following media types are accepted: application/json", nil},
		{"Table only", req{method: "GET", path: "/api/v1/namespaces/default/configmaps", header: []string{"Accept", "application/json;as=Table;v=v1;g=meta.k8s.io"}},
			406, "NotAcceptable", "", nil},
		{"oversized body", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: fmt.Sprintf(`{"metadata":{"name":"big"},"data":{"a":%q}}`, strings.Repeat("x", 5000))},
			413, "RequestEntityTooLarge", "Request entity too large: limit is 4096", nil},
		{"oversized patch", req{method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm", body: fmt.Sprintf(`{"data":{"a":%q}}`, strings.Repeat("x", 5000)), header: merge},
			413, "RequestEntityTooLarge", "", nil},
		{"strategic merge patch", req{method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm", body: `{}`, header: []string{"Content-Type", "application/strategic-merge-patch+json"}},
			415, "UnsupportedMediaType", "application/json-patch+json, application/merge-patch+json", nil},
		{"apply patch", req{method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm", body: `{}`, header: []string{"Content-Type", "application/apply-patch+yaml"}},
			415, "UnsupportedMediaType", "", nil},
		{"protobuf body", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: "\x6b\x38\x73\x00", header: []string{"Content-Type", "application/vnd.kubernetes.protobuf"}},
			415, "UnsupportedMediaType", "", nil},

		// 409 Conflict and AlreadyExists
		{"create existing", req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: fmt.Sprintf(cmJSON, "cm")}, 409, "AlreadyExists", `configmaps "cm" already exists`, nil},
		{"stale update", req{method: "PUT", path: "/api/v1/namespaces/default/configmaps/cm", body: staleCM}, 409, "Conflict",
			`Operation cannot be fulfilled on configmaps "cm": the object has been modified`, nil},
		{"stale patch", req{method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm", body: `{"metadata":{"resourceVersion":"1"}}`, header: merge}, 409, "Conflict", "", nil},
		{"delete precondition", req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps/cm", body: `{"preconditions":{"uid":"nope"}}`}, 409, "Conflict", "", nil},

		// 410 Gone
		{"compacted continue", req{method: "GET", path: "/api/v1/configmaps?limit=1&continue=" + url.QueryEscape(pageToken)}, 410, "Expired", "", nil},
		{"exact list of an old revision", req{method: "GET", path: "/api/v1/configmaps?resourceVersion=1&resourceVersionMatch=Exact"}, 410, "Expired", "", nil},

		// 422 Invalid
		{"invalid object", req{method: "POST", path: "/api/v1/namespaces/default/pods", body: `{"metadata":{"name":"p"},"spec":{"containers":[]}}`},
			422, "Invalid", `Pod "p" is invalid: spec.containers: Required value`,
			func(t *testing.T, st meta.Status) {
				if st.Details == nil || st.Details.Kind != "Pod" || st.Details.Name != "p" || len(st.Details.Causes) == 0 ||
					st.Details.Causes[0].Field != "spec.containers" || st.Details.Causes[0].Type != "FieldValueRequired" {
					t.Fatalf("details %+v", st.Details)
				}
			}},
		{"invalid patch result", req{method: "PATCH", path: "/api/v1/namespaces/default/configmaps/cm", body: `[{"op":"test","path":"/data/a","value":"b"}]`,
			header: []string{"Content-Type", "application/json-patch+json"}}, 422, "Invalid", "", nil},
		{"resourceVersionMatch without resourceVersion", req{method: "GET", path: "/api/v1/pods?resourceVersionMatch=NotOlderThan"},
			422, "Invalid", "resourceVersionMatch is forbidden unless resourceVersion is provided",
			func(t *testing.T, st meta.Status) {
				if st.Details == nil || st.Details.Kind != "ListOptions" || st.Details.Group != "meta.k8s.io" {
					t.Fatalf("details %+v", st.Details)
				}
			}},
		{"sendInitialEvents on a list", req{method: "GET", path: "/api/v1/pods?sendInitialEvents=true"}, 422, "Invalid", "sendInitialEvents is forbidden for list", nil},
		{"sendInitialEvents without NotOlderThan", req{method: "GET", path: "/api/v1/pods?watch=1&sendInitialEvents=true&allowWatchBookmarks=true"},
			422, "Invalid", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan", nil},
		{"resourceVersionMatch on a plain watch", req{method: "GET", path: "/api/v1/pods?watch=1&resourceVersion=1&resourceVersionMatch=NotOlderThan"},
			422, "Invalid", "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided", nil},
		{"unknown resourceVersionMatch", req{method: "GET", path: "/api/v1/pods?resourceVersion=1&resourceVersionMatch=Newest"}, 422, "Invalid", "Unsupported value", nil},
		{"both orphanDependents and propagationPolicy", req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps/cm", body: `{"orphanDependents":true,"propagationPolicy":"Orphan"}`},
			422, "Invalid", "orphanDependents and deletionPropagation cannot be both set", nil},
		{"unknown propagationPolicy", req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps/cm?propagationPolicy=Sideways"}, 422, "Invalid", "Unsupported value", nil},

		// 504 Timeout
		{"list from the future", req{method: "GET", path: "/api/v1/pods?resourceVersion=999999&resourceVersionMatch=NotOlderThan"}, 504, "Timeout", "Too large resource version",
			func(t *testing.T, st meta.Status) {
				if st.Details == nil || len(st.Details.Causes) != 1 || st.Details.Causes[0].Type != store.CauseTooLargeResourceVersion {
					t.Fatalf("details %+v", st.Details)
				}
			}},
		{"watch from the future", req{method: "GET", path: "/api/v1/pods?watch=true&resourceVersion=999999"}, 504, "Timeout", "Too large resource version", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := ts.do(tc.req)
			if res.code != tc.code {
				t.Fatalf("%s %s: %d %s, want %d", tc.req.method, tc.req.path, res.code, res.body, tc.code)
			}
			if tc.req.method == "HEAD" {
				return
			}
			st := res.status(t)
			if st.Reason != tc.reason || !strings.Contains(st.Message, tc.msg) {
				t.Fatalf("reason %q message %q, want %q containing %q", st.Reason, st.Message, tc.reason, tc.msg)
			}
			if tc.check != nil {
				tc.check(t, st)
			}
			if tc.code == 405 && res.header.Get("Allow") == "" {
				t.Fatal("405 without an Allow header")
			}
		})
	}
	if got, err := ts.local.Get(t.Context(), scheme.ConfigMapGVK, "default", "cm"); err != nil || got.GetResourceVersion() != cm.GetResourceVersion() {
		t.Fatalf("failed requests changed the config map: %v %v", got, err)
	}
}

// continueToken returns the continue token of a page of config maps, then compacts the
// store past it: the token is expired, and well formed.
func continueToken(t *testing.T, ts *testServer) string {
	t.Helper()
	ctx := t.Context()
	for i := range 3 {
		if _, err := ts.local.Create(ctx, &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("page-%d", i)}}, store.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	res, err := ts.local.List(ctx, scheme.ConfigMapGVK, store.ListOptions{Limit: 1})
	if err != nil || res.Continue == "" {
		t.Fatalf("list a page: %v", err)
	}
	for i := range 3 {
		if _, err := ts.local.Delete(ctx, scheme.ConfigMapGVK, "default", fmt.Sprintf("page-%d", i), store.DeleteOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := ts.store.Compact(ctx, ts.store.CurrentRevision()); err != nil {
		t.Fatal(err)
	}
	return res.Continue
}

// failingClient fails every Get with a plain error, and panics on List.
type failingClient struct{ client.Client }

func (failingClient) Get(context.Context, scheme.GroupVersionKind, string, string) (meta.Object, error) {
	return nil, errors.New("disk on fire")
}

func (failingClient) List(context.Context, scheme.GroupVersionKind, store.ListOptions) (*store.ListResult, error) {
	panic("list exploded")
}

// TestInternalErrors checks that an unexpected error is a 500 InternalError, and a panic a
// logged 500 rather than a dropped connection.
func TestInternalErrors(t *testing.T) {
	sch := scheme.NewBuiltin()
	ts := newServer(t, apiserver.Options{Client: failingClient{client.NewLocal(nil, sch)}, Ready: func(context.Context) error { return nil }})
	for _, tc := range []struct{ path, msg string }{
		{"/api/v1/namespaces/default/pods/p", "Internal error occurred: disk on fire"},
		{"/api/v1/pods", "Internal error occurred: panic: list exploded"},
	} {
		res := ts.must(http.StatusInternalServerError, req{method: "GET", path: tc.path})
		if st := res.status(t); st.Reason != "InternalError" || st.Message != tc.msg {
			t.Fatalf("GET %s: %+v", tc.path, st)
		}
	}
}

// TestForbidden checks that an admission refusal is a 403 Forbidden.
func TestForbidden(t *testing.T) {
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Admit: func(_ context.Context, a store.Attributes) error {
		if a.Operation == store.OpCreate {
			return store.NewForbidden(a.Kind.GroupResource(), a.Object.GetName(), "creation is closed")
		}
		return nil
	}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	ts := newServer(t, apiserver.Options{Client: client.NewLocal(st, sch)})
	res := ts.must(http.StatusForbidden, req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: fmt.Sprintf(cmJSON, "x")})
	if st := res.status(t); st.Reason != "Forbidden" || st.Message != `configmaps "x" is forbidden: creation is closed` {
		t.Fatalf("Status %+v", st)
	}
}
