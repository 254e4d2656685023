package apiserver

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// listQuerySeeds are list and watch queries, valid and not, to start FuzzListParams from.
var listQuerySeeds = []string{
	"",
	"labelSelector=app%3Dweb%2Ctier+in+%28a%2Cb%29%2C%21canary&fieldSelector=spec.nodeName%3Dn1%2Cstatus.phase%21%3DRunning",
	"limit=500&continue=eyJydiI6MX0&resourceVersion=12",
	"resourceVersion=0&resourceVersionMatch=NotOlderThan",
	"resourceVersion=7&resourceVersionMatch=Exact&limit=-3",
	"watch=true&resourceVersion=5&allowWatchBookmarks=1&timeoutSeconds=30",
	"watch=T&sendInitialEvents=true&resourceVersionMatch=NotOlderThan",
	"watch=yes",
	"timeoutSeconds=31536001",
	"timeoutSeconds=-1",
	"limit=9223372036854775808",
	"labelSelector=a+in+%28",
	"fieldSelector=metadata.name%3D%3Dx%5C%2Cy",
	"sendInitialEvents=false",
	"resourceVersionMatch=Exact&continue=x",
	"labelSelector=&labelSelector=x&limit=1&limit=2",
}

// FuzzListParams checks parseListParams, the reader of the query of a list or a watch: it
// never panics; it refuses a query only with a BadRequest or an Invalid error; and a query it
// accepts, written back canonically (selectors in their String form), reads back to the
// same parameters.
func FuzzListParams(f *testing.F) {
	for _, s := range listQuerySeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, query string) {
		q, _ := url.ParseQuery(query) // the server reads what parses, as net/http does
		p, err := parseListParams(q)
		if err != nil {
			if !store.IsBadRequest(err) && !store.IsInvalid(err) {
				t.Fatalf("%q: error %v is neither BadRequest nor Invalid", query, err)
			}
			return
		}
		if s := q.Get("limit"); s != "" {
			if n, _ := strconv.ParseInt(s, 10, 64); n != p.limit {
				t.Fatalf("%q: limit %d", query, p.limit)
			}
		}
		if p.timeout < 0 || p.timeout.Seconds() > maxTimeoutSeconds {
			t.Fatalf("%q: timeout %v out of range", query, p.timeout)
		}
		canonical := encodeListParams(p)
		q2, err := url.ParseQuery(canonical)
		if err != nil {
			t.Fatalf("%q: canonical form %q does not parse: %v", query, canonical, err)
		}
		p2, err := parseListParams(q2)
		if err != nil {
			t.Fatalf("%q: canonical form %q refused: %v", query, canonical, err)
		}
		if got := encodeListParams(p2); got != canonical {
			t.Fatalf("%q: canonical form %q reads back as %q", query, canonical, got)
		}
	})
}

// encodeListParams writes p as a query, canonically.
func encodeListParams(p listParams) string {
	q := url.Values{}
	if p.watch {
		q.Set("watch", "true")
	}
	if p.allowBookmarks {
		q.Set("allowWatchBookmarks", "true")
	}
	if p.sendInitialEvents != nil {
		q.Set("sendInitialEvents", strconv.FormatBool(*p.sendInitialEvents))
	}
	if p.labelSelector != nil && p.labelSelector.String() != "" {
		q.Set("labelSelector", p.labelSelector.String())
	}
	if p.fieldSelector != nil && p.fieldSelector.String() != "" {
		q.Set("fieldSelector", p.fieldSelector.String())
	}
	if p.limit != 0 {
		q.Set("limit", strconv.FormatInt(p.limit, 10))
	}
	if p.timeout != 0 {
		q.Set("timeoutSeconds", strconv.FormatInt(int64(p.timeout.Seconds()), 10))
	}
	for name, v := range map[string]string{"continue": p.continueToken, "resourceVersion": p.resourceVersion, "resourceVersionMatch": p.rvMatch} {
		if v != "" {
			q.Set(name, v)
		}
	}
	return q.Encode()
}

// deleteSeeds are DELETE queries and bodies to start FuzzDeleteOptions from.
var deleteSeeds = []struct{ query, body string }{
	{"", ""},
	{"propagationPolicy=Foreground&gracePeriodSeconds=0", ""},
	{"orphanDependents=false", ""},
	{"orphanDependents=true&propagationPolicy=Orphan", ""},
	{"propagationPolicy=Sideways&dryRun=All", ""},
	{"gracePeriodSeconds=1e3", ""},
	{"", `{"kind":"DeleteOptions","apiVersion":"v1","propagationPolicy":"Background","gracePeriodSeconds":5}`},
	{"", `{"apiVersion":"apps/v1","preconditions":{"uid":"u-1","resourceVersion":"42"}}`},
	{"", `{"orphanDependents":false}`},
	{"", `{"kind":"Pod"}`},
	{"", `{"dryRun":["All"]}`},
	{"", `{"gracePeriodSeconds":"5"}`},
	{"", `{"propagationPolicy":"Orphan"} {}`},
	{"", `{"unknown":1}`},
	{"propagationPolicy=Orphan", `null`},
}

// FuzzDeleteOptions checks deleteOptions, the reader of a DELETE's options (a DeleteOptions
// body, else query parameters): it never panics; it refuses only with a BadRequest or an
// Invalid error; the options it accepts have a known propagation policy; and written back as
// a DeleteOptions body they read back the same.
func FuzzDeleteOptions(f *testing.F) {
	for _, s := range deleteSeeds {
		f.Add(s.query, []byte(s.body))
	}
	f.Fuzz(func(t *testing.T, query string, body []byte) {
		q, _ := url.ParseQuery(query)
		opts, _, err := deleteOptions(q, body)
		if err != nil {
			if !store.IsBadRequest(err) && !store.IsInvalid(err) {
				t.Fatalf("%q %q: error %v is neither BadRequest nor Invalid", query, body, err)
			}
			return
		}
		if p := opts.PropagationPolicy; p != nil {
			switch *p {
			case meta.DeletePropagationOrphan, meta.DeletePropagationBackground, meta.DeletePropagationForeground:
			default:
				t.Fatalf("%q %q: accepted propagationPolicy %q", query, body, *p)
			}
		}
		back, err := json.Marshal(meta.DeleteOptions{
			TypeMeta:           meta.TypeMeta{APIVersion: "v1", Kind: "DeleteOptions"},
			Preconditions:      opts.Preconditions,
			GracePeriodSeconds: opts.GracePeriodSeconds,
			PropagationPolicy:  opts.PropagationPolicy,
		})
		if err != nil {
			t.Fatal(err)
		}
		again, _, err := deleteOptions(nil, back)
		if err != nil {
			t.Fatalf("%q %q: accepted, but its body %s is refused: %v", query, body, back, err)
		}
		if !reflect.DeepEqual(again, opts) {
			t.Fatalf("%q %q: read %+v, through the body %s: %+v", query, body, opts, back, again)
		}
	})
}

// bodyTargets are the objects FuzzRequestBody writes to, restored after every write that
// succeeds.
var bodyTargets = []string{
	`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"cm","namespace":"default","labels":{"a":"b"}},"data":{"k":"v"}}`,
	`{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":2,` +
		`"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}`,
}

// bodyRequests are the writes FuzzRequestBody sends, with a fuzzed body; %s is the target's
// resource path (namespaces/default/<plural>).
var bodyRequests = []struct{ method, path string }{
	{http.MethodPost, "%s"},
	{http.MethodPut, "%s/NAME"},
	{http.MethodPatch, "%s/NAME"},
	{http.MethodPut, "%s/NAME/status"},
	{http.MethodPatch, "%s/NAME/status"},
	{http.MethodPut, "%s/NAME/scale"},
	{http.MethodPatch, "%s/NAME/scale"},
}

// bodyContentTypes are the Content-Types FuzzRequestBody sends its bodies as.
var bodyContentTypes = []string{
	"application/json", "application/yaml", string(client.MergePatchType), string(client.JSONPatchType),
	"", "application/strategic-merge-patch+json", "application/json; charset=utf-8",
}

// FuzzRequestBody sends fuzzed bodies, as every Content-Type, in the writes of the API
// (POST, PUT and PATCH of objects, status and scale) to a ConfigMap and a Deployment: the
// server never panics or answers 5xx; an error is a Status object whose code is the HTTP
// code; and a success answers an object of the kind (a Scale for the scale subresource) that
// decodes strictly, with a name and a resourceVersion.
func FuzzRequestBody(f *testing.F) {
	seeds := [][]byte{
		[]byte(bodyTargets[0]), []byte(bodyTargets[1]),
		[]byte(`{"data":{"k":null,"n":"1"},"metadata":{"labels":{"x":"y"}}}`),
		[]byte(`[{"op":"replace","path":"/spec/replicas","value":3},{"op":"test","path":"/metadata/name","value":"web"}]`),
		[]byte(`[{"op":"add","path":"/metadata/finalizers","value":["x/y"]}]`),
		[]byte(`[{"op":"move","from":"/data","path":"/data/k"}]`),
		[]byte(`{"spec":{"replicas":-1}}`),
		[]byte(`{"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":5}}`),
		[]byte("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  k: &a v\n  j: *a\n"),
		[]byte(`{"metadata":{"name":"other"}}`),
		[]byte(`{"status":{"replicas":"x"}}`),
		[]byte(`{"metadata":{"resourceVersion":"1"}}`),
	}
	for i, b := range seeds {
		f.Add(uint8(i), uint8(i/2), uint8(i/3), b)
	}
	// Writes that succeed: a POST, a merge patch, a JSON patch, a PUT of a Scale.
	f.Add(uint8(0), uint8(0), uint8(0), []byte(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"new"}}`))
	f.Add(uint8(0), uint8(2), uint8(2), seeds[2])
	f.Add(uint8(1), uint8(2), uint8(3), seeds[3])
	f.Add(uint8(1), uint8(5), uint8(0), seeds[7])
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(f.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() { st.Close() })
	local := client.NewLocal(st, sch)
	srv, err := New(Options{Client: local, Logger: logr.FromSlogHandler(slog.DiscardHandler)})
	if err != nil {
		f.Fatal(err)
	}
	targets := make([]meta.Object, len(bodyTargets))
	for i, s := range bodyTargets {
		if targets[i], err = sch.Decode([]byte(s)); err != nil {
			f.Fatal(err)
		}
		restoreTarget(f, local, targets[i])
	}
	f.Fuzz(func(t *testing.T, target, request, contentType uint8, body []byte) {
		obj := targets[int(target)%len(targets)]
		info, err := sch.ForObject(obj)
		if err != nil {
			t.Fatal(err)
		}
		rq := bodyRequests[int(request)%len(bodyRequests)]
		prefix := "/api/v1/"
		if info.GVK.Group != "" {
			prefix = "/apis/" + info.GVK.APIVersion() + "/"
		}
		path := strings.Replace(strings.Replace(rq.path, "%s", prefix+"namespaces/default/"+info.Plural, 1), "NAME", obj.GetName(), 1)
		ct := bodyContentTypes[int(contentType)%len(bodyContentTypes)]

		r := httptest.NewRequest(rq.method, path, strings.NewReader(string(body)))
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		what := rq.method + " " + path + " (" + ct + ")"
		if w.Code >= 500 {
			t.Fatalf("%s %q: server error %d %s", what, body, w.Code, w.Body)
		}
		if w.Code >= 300 {
			var status meta.Status
			if err := json.Unmarshal(w.Body.Bytes(), &status); err != nil || status.Kind != "Status" || int(status.Code) != w.Code {
				t.Fatalf("%s %q: answer %d is not its Status: %s", what, body, w.Code, w.Body)
			}
			return
		}
		// A write that succeeded: its answer is an object of the kind (or a Scale), and the
		// target gets its first state back for the next input.
		defer restoreTarget(t, local, obj)
		if strings.HasSuffix(path, "/scale") {
			var sc Scale
			dec := json.NewDecoder(strings.NewReader(w.Body.String()))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&sc); err != nil || sc.Kind != "Scale" || sc.Name != obj.GetName() {
				t.Fatalf("%s %q: answer %d is not its Scale (%v):\n%s", what, body, w.Code, err, w.Body)
			}
			return
		}
		out, err := sch.Decode(w.Body.Bytes())
		if err != nil {
			t.Fatalf("%s %q: answer %d does not decode: %v\n%s", what, body, w.Code, err, w.Body)
		}
		if out.GetName() == "" || out.GetResourceVersion() == "" {
			t.Fatalf("%s %q: answer %d has no name or resourceVersion:\n%s", what, body, w.Code, w.Body)
		}
		if rq.method == http.MethodPost {
			if _, err := local.Delete(context.Background(), info.GVK, out.GetNamespace(), out.GetName(), store.DeleteOptions{}); err != nil && !store.IsNotFound(err) {
				t.Fatalf("deleting %s created by %q: %v", out.GetName(), body, err)
			}
			clearFinalizers(t, local, info.GVK, out.GetNamespace(), out.GetName())
		}
	})
}

// restoreTarget puts obj back in the store as it was first created: whatever a write did to
// it (finalizers included) is undone by deleting and creating it again.
func restoreTarget(tb testing.TB, c client.Client, obj meta.Object) {
	tb.Helper()
	ctx := context.Background()
	info, err := c.Scheme().ForObject(obj)
	if err != nil {
		tb.Fatal(err)
	}
	clearFinalizers(tb, c, info.GVK, obj.GetNamespace(), obj.GetName())
	if _, err := c.Delete(ctx, info.GVK, obj.GetNamespace(), obj.GetName(), store.DeleteOptions{}); err != nil && !store.IsNotFound(err) {
		tb.Fatalf("restoring %s: %v", obj.GetName(), err)
	}
	clearFinalizers(tb, c, info.GVK, obj.GetNamespace(), obj.GetName())
	if _, err := c.Create(ctx, obj.DeepCopyObject(), store.CreateOptions{}); err != nil {
		tb.Fatalf("restoring %s: %v", obj.GetName(), err)
	}
}

// clearFinalizers removes the finalizers of an object, if it exists, so that a delete
// removes it.
func clearFinalizers(tb testing.TB, c client.Client, gvk scheme.GroupVersionKind, namespace, name string) {
	tb.Helper()
	cur, err := c.Get(context.Background(), gvk, namespace, name)
	if store.IsNotFound(err) {
		return
	}
	if err != nil {
		tb.Fatal(err)
	}
	if len(cur.GetFinalizers()) == 0 {
		return
	}
	cur = cur.DeepCopyObject()
	cur.SetFinalizers(nil)
	if _, err := c.Update(context.Background(), cur, store.UpdateOptions{}); err != nil && !store.IsNotFound(err) {
		tb.Fatalf("clearing the finalizers of %s: %v", name, err)
	}
}
