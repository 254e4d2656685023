package apiserver_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/apiserver"
)

func TestScale(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ts.must(http.StatusCreated, req{method: "POST", path: "/apis/apps/v1/namespaces/default/deployments", body: fmt.Sprintf(depJSON, "web")})
	sts := strings.NewReplacer(`"kind":"Deployment"`, `"kind":"StatefulSet"`, `"spec":{"replicas":2,`, `"spec":{"replicas":1,"serviceName":"db",`).Replace(fmt.Sprintf(depJSON, "db"))
	ts.must(http.StatusCreated, req{method: "POST", path: "/apis/apps/v1/namespaces/default/statefulsets", body: sts})
	const scalePath = "/apis/apps/v1/namespaces/default/deployments/web/scale"
	merge := []string{"Content-Type", "application/merge-patch+json"}

	sc := decodeInto[apiserver.Scale](t, ts.must(http.StatusOK, req{method: "GET", path: scalePath}))
	if sc.Kind != "Scale" || sc.APIVersion != "autoscaling/v1" || sc.Name != "web" || sc.Namespace != "default" || sc.UID == "" ||
		sc.ResourceVersion == "" || sc.Spec.Replicas != 2 || sc.Status.Selector != "app=web" {
		t.Fatalf("GET scale: %+v", sc)
	}

	steps := []struct {
		name     string
		req      req
		code     int
		replicas int32 // of the deployment afterwards
	}{
		{"put", req{method: "PUT", path: scalePath, body: `{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web"},"spec":{"replicas":5}}`}, 200, 5},
		{"put with the current resourceVersion", req{method: "PUT", path: scalePath, body: `{"metadata":{"name":"web","resourceVersion":"RV"},"spec":{"replicas":6}}`}, 200, 6},
		{"put with a stale resourceVersion", req{method: "PUT", path: scalePath, body: `{"metadata":{"name":"web","resourceVersion":"1"},"spec":{"replicas":7}}`}, 409, 6},
		{"put with another uid", req{method: "PUT", path: scalePath, body: `{"metadata":{"name":"web","uid":"x"},"spec":{"replicas":7}}`}, 409, 6},
		{"put of another name", req{method: "PUT", path: scalePath, body: `{"metadata":{"name":"api"},"spec":{"replicas":7}}`}, 400, 6},
		{"put of another kind", req{method: "PUT", path: scalePath, body: `{"kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":7}}`}, 400, 6},
		{"put with an unknown field", req{method: "PUT", path: scalePath, body: `{"metadata":{"name":"web"},"spec":{"replicas":7,"min":1}}`}, 400, 6},
		{"put of negative replicas", req{method: "PUT", path: scalePath, body: `{"metadata":{"name":"web"},"spec":{"replicas":-1}}`}, 422, 6},
		{"merge patch", req{method: "PATCH", path: scalePath, body: `{"spec":{"replicas":3}}`, header: merge}, 200, 3},
		{"json patch", req{method: "PATCH", path: scalePath, body: `[{"op":"test","path":"/spec/replicas","value":3},{"op":"replace","path":"/spec/replicas","value":0}]`,
			header: []string{"Content-Type", "application/json-patch+json"}}, 200, 0},
		{"failing json patch test", req{method: "PATCH", path: scalePath, body: `[{"op":"test","path":"/spec/replicas","value":3}]`,
			header: []string{"Content-Type", "application/json-patch+json"}}, 422, 0},
		{"patch with a stale resourceVersion", req{method: "PATCH", path: scalePath, body: `{"metadata":{"resourceVersion":"1"},"spec":{"replicas":8}}`, header: merge}, 409, 0},
		{"patch renaming", req{method: "PATCH", path: scalePath, body: `{"metadata":{"name":"x"}}`, header: merge}, 400, 0},
		{"patch of negative replicas", req{method: "PATCH", path: scalePath, body: `{"spec":{"replicas":-2}}`, header: merge}, 422, 0},
		{"strategic patch", req{method: "PATCH", path: scalePath, body: `{}`, header: []string{"Content-Type", "application/strategic-merge-patch+json"}}, 415, 0},
		{"delete", req{method: "DELETE", path: scalePath}, 405, 0},
		{"missing object", req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/nope/scale"}, 404, 0},
		{"patch of a missing object", req{method: "PATCH", path: "/apis/apps/v1/namespaces/default/deployments/nope/scale", body: `{}`, header: merge}, 404, 0},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			cur := decodeInto[apiserver.Scale](t, ts.must(http.StatusOK, req{method: "GET", path: scalePath}))
			r := s.req
			r.body = strings.ReplaceAll(r.body, `"RV"`, fmt.Sprintf("%q", cur.ResourceVersion))
			res := ts.do(r)
			if res.code != s.code {
				t.Fatalf("%s %s: %d %s, want %d", r.method, r.path, res.code, res.body, s.code)
			}
			if s.code == 200 {
				if got := decodeInto[apiserver.Scale](t, res); got.Spec.Replicas != s.replicas || got.Kind != "Scale" {
					t.Fatalf("answer %+v, want replicas %d", got, s.replicas)
				}
			} else {
				res.status(t)
			}
			d := ts.must(http.StatusOK, req{method: "GET", path: "/apis/apps/v1/namespaces/default/deployments/web"}).object(t)
			if field(d, "spec", "replicas") != float64(s.replicas) {
				t.Fatalf("deployment replicas %v, want %d", field(d, "spec", "replicas"), s.replicas)
			}
		})
	}
	st := ts.do(req{method: "PUT", path: scalePath, body: `{"metadata":{"name":"web"},"spec":{"replicas":-1}}`}).status(t)
	if st.Message != `Scale.autoscaling "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0` {
		t.Fatalf("invalid scale: %q", st.Message)
	}

	// Stateful sets scale the same way; their status.selector is their selector's string.
	res := ts.must(http.StatusOK, req{method: "PATCH", path: "/apis/apps/v1/namespaces/default/statefulsets/db/scale", body: `{"spec":{"replicas":4}}`, header: merge})
	if got := decodeInto[apiserver.Scale](t, res); got.Spec.Replicas != 4 || got.Status.Selector != "app=web" {
		t.Fatalf("stateful set scale %+v", got)
	}
}
