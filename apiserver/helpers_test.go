package apiserver_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// testServer is an API server over a fresh bbolt store, served by httptest.
type testServer struct {
	t     *testing.T
	store *boltstore.Store
	local *client.Local
	srv   *apiserver.Server
	hs    *httptest.Server
	token string // sent with every request when set
}

// newServer starts a server over a store in t.TempDir() with opts (Client is filled in);
// everything is closed when t ends.
func newServer(t *testing.T, opts apiserver.Options) *testServer {
	t.Helper()
	return newServerWithScheme(t, scheme.NewBuiltin(), opts)
}

// newServerWithScheme is newServer with a store of the kinds of sch.
func newServerWithScheme(t *testing.T, sch *scheme.Scheme, opts apiserver.Options) *testServer {
	t.Helper()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	local := client.NewLocal(st, sch)
	if opts.Client == nil {
		opts.Client = local
	}
	if opts.Logger.GetSink() == nil {
		opts.Logger = logr.FromSlogHandler(slog.DiscardHandler)
	}
	srv, err := apiserver.New(opts)
	if err != nil {
		t.Fatalf("apiserver.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	t.Cleanup(hs.Client().CloseIdleConnections)
	return &testServer{t: t, store: st, local: local, srv: srv, hs: hs, token: opts.Token}
}

// response is an answer, read whole.
type response struct {
	code   int
	header http.Header
	body   []byte
}

// req is a request to send: method, path (with query), body and headers as name, value
// pairs.
type req struct {
	method string
	path   string
	body   string
	header []string
}

// do sends r and reads the whole answer. A JSON body gets Content-Type application/json
// unless r sets one.
func (ts *testServer) do(r req) response {
	ts.t.Helper()
	var body io.Reader
	if r.body != "" {
		body = strings.NewReader(r.body)
	}
	hr, err := http.NewRequestWithContext(ts.t.Context(), r.method, ts.hs.URL+r.path, body)
	if err != nil {
		ts.t.Fatal(err)
	}
	if r.body != "" {
		hr.Header.Set("Content-Type", "application/json")
	}
	if ts.token != "" {
		hr.Header.Set("Authorization", "Bearer "+ts.token)
	}
	for i := 0; i+1 < len(r.header); i += 2 {
		hr.Header.Set(r.header[i], r.header[i+1])
	}
	resp, err := ts.hs.Client().Do(hr)
	if err != nil {
		ts.t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		ts.t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	return response{code: resp.StatusCode, header: resp.Header, body: data}
}

// must sends r and fails the test unless the answer has the given code.
func (ts *testServer) must(code int, r req) response {
	ts.t.Helper()
	res := ts.do(r)
	if res.code != code {
		ts.t.Fatalf("%s %s: %d %s, want %d", r.method, r.path, res.code, res.body, code)
	}
	return res
}

// status decodes the Status of an error answer, failing the test if there is none.
func (res response) status(t *testing.T) meta.Status {
	t.Helper()
	var st meta.Status
	if err := json.Unmarshal(res.body, &st); err != nil || st.Kind != "Status" || st.APIVersion != "v1" || st.Status != "Failure" {
		t.Fatalf("answer %d is not a failure Status: %s (%v)", res.code, res.body, err)
	}
	if int(st.Code) != res.code {
		t.Fatalf("Status code %d in an answer with code %d", st.Code, res.code)
	}
	if ct := res.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("Status answer has Content-Type %q", ct)
	}
	return st
}

// object decodes a JSON answer into a generic map.
func (res response) object(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(res.body, &m); err != nil {
		t.Fatalf("answer is not a JSON object: %s (%v)", res.body, err)
	}
	return m
}

// field returns the value at a path of keys in a decoded JSON object ("" when absent).
func field(m map[string]any, path ...string) any {
	var cur any = m
	for _, p := range path {
		mm, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = mm[p]
	}
	return cur
}

// Manifests used across the tests.
const (
	nsJSON  = `{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"}}`
	podJSON = `{"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"busybox"}]}}`
	cmJSON  = `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"%s"},"data":{"k":"v"}}`
	depJSON = `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},"spec":{"replicas":2,"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"c","image":"nginx"}]}}}}`
)

// seed creates the given objects through the store, failing the
// test on error.
func (ts *testServer) seed(objs ...meta.Object) {
	ts.t.Helper()
	ctx := context.Background()
	for _, o := range objs {
		if _, err := ts.local.Create(ctx, o, store.CreateOptions{}); err != nil {
			ts.t.Fatalf("seed %s: %v", meta.Key(o), err)
		}
	}
}
