package apiserver_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/scheme"
)

func TestFieldValidation(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	body := `{"metadata":{"name":"%s"},"data":{"a":"b"},"dataa":{},"metadata2":1}`
	for _, tc := range []struct {
		param    string
		code     int
		warnings []string
	}{
		{"", 400, nil},
		{"?fieldValidation=Strict", 400, nil},
		{"?fieldValidation=Warn", 201, []string{`299 - "unknown field \"dataa\""`, `299 - "unknown field \"metadata2\""`}},
		{"?fieldValidation=Ignore", 201, nil},
	} {
		t.Run(tc.param, func(t *testing.T) {
			name := strings.ToLower(strings.TrimPrefix(tc.param, "?fieldValidation="))
			if name == "" {
				name = "default"
			}
			res := ts.do(req{method: "POST", path: "/api/v1/namespaces/default/configmaps" + tc.param, body: fmt.Sprintf(body, name)})
			if res.code != tc.code {
				t.Fatalf("%d %s, want %d", res.code, res.body, tc.code)
			}
			if got := slices.Sorted(slices.Values(res.header.Values("Warning"))); !slices.Equal(got, tc.warnings) {
				t.Fatalf("warnings %q, want %q", got, tc.warnings)
			}
			if tc.code == 201 && field(res.object(t), "data", "a") != "b" {
				t.Fatalf("created %s", res.body)
			}
		})
	}
}

// TestOversizedBodies sends bodies over the limit with and without a Content-Length.
func TestOversizedBodies(t *testing.T) {
	ts := newServer(t, apiserver.Options{MaxBodyBytes: 1024})
	big := fmt.Sprintf(`{"metadata":{"name":"big"},"data":{"a":%q}}`, strings.Repeat("x", 2000))
	for _, chunked := range []bool{false, true} {
		t.Run(fmt.Sprint("chunked=", chunked), func(t *testing.T) {
			var body io.Reader = strings.NewReader(big)
			if chunked {
				body = io.MultiReader(body) // hides the length: sent chunked
			}
			hr, err := http.NewRequestWithContext(t.Context(), "POST", ts.hs.URL+"/api/v1/namespaces/default/configmaps", body)
			if err != nil {
				t.Fatal(err)
			}
			hr.Header.Set("Content-Type", "application/json")
			resp, err := ts.hs.Client().Do(hr)
			if err != nil {
				t.Fatal(err)
			}
			data, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(string(data), `"reason":"RequestEntityTooLarge"`) {
				t.Fatalf("%d %s", resp.StatusCode, data)
			}
		})
	}
	// Just under the limit is fine.
	ts.must(http.StatusCreated, req{method: "POST", path: "/api/v1/namespaces/default/configmaps",
		body: fmt.Sprintf(`{"metadata":{"name":"small"},"data":{"a":%q}}`, strings.Repeat("x", 900))})
}

func TestDeleteOptions(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	seed := func(name string, finalizers ...string) {
		ts.seed(&core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, Finalizers: finalizers}})
	}
	path := func(name string) string { return "/api/v1/namespaces/default/configmaps/" + name }
	for _, tc := range []struct {
		name       string
		finalizers []string
		query      string
		body       string
		code       int
		want       []string // finalizers afterwards; nil: gone
	}{
		{"no options", nil, "", "", 200, nil},
		{"empty body", nil, "", "{}", 200, nil},
		{"orphan in body", nil, "", `{"propagationPolicy":"Orphan"}`, 200, []string{"orphan"}},
		{"foreground in query", nil, "?propagationPolicy=Foreground", "", 200, []string{"foregroundDeletion"}},
		{"orphanDependents", nil, "?orphanDependents=true", "", 200, []string{"orphan"}},
		{"orphanDependents=false with a finalizer", []string{"example.com/f"}, "", `{"orphanDependents":false}`, 202, []string{"example.com/f"}},
		{"orphanDependents=false, gone at once", nil, "", `{"orphanDependents":false}`, 200, nil},
		{"apiVersion v1", nil, "", `{"kind":"DeleteOptions","apiVersion":"v1"}`, 200, nil},
		{"uid precondition", nil, "", `{"preconditions":{"uid":"UID"}}`, 200, nil},
		{"resourceVersion precondition", nil, "", `{"preconditions":{"resourceVersion":"RV"}}`, 200, nil},
		{"stale resourceVersion", nil, "", `{"preconditions":{"resourceVersion":"1"}}`, 409, []string{}},
		{"dry run", nil, "?dryRun=All", "", 400, []string{}},
		{"dry run in body", nil, "", `{"dryRun":["All"]}`, 400, []string{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := strings.ReplaceAll(strings.ToLower(tc.name), " ", "-")
			name = strings.NewReplacer("=", "-", ",", "").Replace(name)
			seed(name, tc.finalizers...)
			cur, err := ts.local.Get(t.Context(), scheme.ConfigMapGVK, "default", name)
			if err != nil {
				t.Fatal(err)
			}
			body := strings.NewReplacer("UID", string(cur.GetUID()), "RV", cur.GetResourceVersion()).Replace(tc.body)
			res := ts.do(req{method: "DELETE", path: path(name) + tc.query, body: body})
			if res.code != tc.code {
				t.Fatalf("%d %s, want %d", res.code, res.body, tc.code)
			}
			after := ts.do(req{method: "GET", path: path(name)})
			switch {
			case tc.want == nil && after.code != 404:
				t.Fatalf("still there: %s", after.body)
			case tc.want != nil && after.code != 200:
				t.Fatalf("gone: %s", after.body)
			case tc.want != nil && fmt.Sprint(field(after.object(t), "metadata", "finalizers")) != fmt.Sprint(anySlice(tc.want)):
				t.Fatalf("finalizers %v, want %v", field(after.object(t), "metadata", "finalizers"), tc.want)
			}
		})
	}
}

func anySlice(s []string) any {
	if len(s) == 0 {
		return nil
	}
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}
