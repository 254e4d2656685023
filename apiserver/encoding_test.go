package apiserver_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// TestResponsesAreJSONMarshalBytes: objects go out through the kinds' generated encoders, and
// the bytes of a Get, a List item and a watch event are exactly json.Marshal's, HTML escaping
// of <, > and & included, as kube-apiserver (encoding/json) writes them.
func TestResponsesAreJSONMarshalBytes(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	hr, err := http.NewRequestWithContext(ctx, "GET", ts.hs.URL+"/api/v1/namespaces/default/configmaps?watch=true", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ts.hs.Client().Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan []byte, 1)
	go func() {
		defer close(lines)
		if line, err := bufio.NewReader(resp.Body).ReadBytes('\n'); err == nil {
			lines <- line
		}
	}()

	obj := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "html",
		Annotations: map[string]string{"note": "a < b && c > d"}},
		Data: map[string]string{"page": "<b>bold</b> & \u2028 \"quoted\""}}
	created, err := ts.local.Create(t.Context(), obj, store.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := json.Marshal(created)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(want, []byte(`\u003cb\u003ebold\u003c/b\u003e \u0026 \u2028`)) {
		t.Fatalf("json.Marshal did not escape as this test expects: %s", want)
	}

	if got := ts.must(http.StatusOK, req{method: "GET", path: "/api/v1/namespaces/default/configmaps/html"}).body; !bytes.Equal(got, want) {
		t.Errorf("GET body\n got %s\nwant %s", got, want)
	}
	list := ts.must(http.StatusOK, req{method: "GET", path: "/api/v1/namespaces/default/configmaps"}).body
	if !bytes.Contains(list, append(append([]byte(`"items":[`), want...), ']')) {
		t.Errorf("LIST body %s\ndoes not hold the item as %s", list, want)
	}
	select {
	case line, ok := <-lines:
		wantLine := append(append([]byte(`{"type":"ADDED","object":`), want...), "}\n"...)
		if !ok || !bytes.Equal(line, wantLine) {
			t.Errorf("watch event\n got %s\nwant %s", line, wantLine)
		}
	case <-time.After(eventTimeout):
		t.Fatalf("no watch event within %v", eventTimeout)
	}
}

// BenchmarkListPods measures a List of 1,000 pods over HTTP, the response read whole: mostly
// the server encoding the items.
func BenchmarkListPods(b *testing.B) {
	st, err := boltstore.Open(b.TempDir(), boltstore.Options{Scheme: scheme.NewBuiltin()})
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	sch := scheme.NewBuiltin()
	local := client.NewLocal(st, sch)
	for i := range 1000 {
		p := &core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: fmt.Sprintf("web-%04d", i),
			Labels: map[string]string{"app": "web", "tier": "frontend"}},
			Spec: core.PodSpec{NodeName: "node-1", Containers: []core.Container{{Name: "web", Image: "registry.example.com/web:1.27",
				Ports: []core.ContainerPort{{ContainerPort: 8080}}, Env: []core.EnvVar{{Name: "A", Value: "b"}}}}}}
		if _, err := local.Create(context.Background(), p, store.CreateOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	srv, err := apiserver.New(apiserver.Options{Client: local, Logger: logr.FromSlogHandler(slog.DiscardHandler)})
	if err != nil {
		b.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	b.ReportAllocs()
	for b.Loop() {
		resp, err := hs.Client().Get(hs.URL + "/api/v1/namespaces/default/pods")
		if err != nil {
			b.Fatal(err)
		}
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || n < 1000*500 {
			b.Fatalf("list: %d, %d bytes", resp.StatusCode, n)
		}
	}
	hs.Client().CloseIdleConnections()
}
