package apiserver_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// eventTimeout bounds the wait for an expected watch event or end of stream: its expiry is
// a failure, never the way a test waits.
const eventTimeout = 10 * time.Second

// watchLine is one event of a watch stream.
type watchLine struct {
	Type   string         `json:"type"`
	Object map[string]any `json:"object"`
}

func (l watchLine) name() any { return field(l.Object, "metadata", "name") }
func (l watchLine) rv() any   { return field(l.Object, "metadata", "resourceVersion") }

// stream is a watch being read, line by line, on its own goroutine.
type stream struct {
	t      *testing.T
	lines  chan watchLine
	cancel context.CancelFunc
}

// watch starts a watch request, which must be answered 200 with a chunked JSON stream.
func (ts *testServer) watch(t *testing.T, path string) *stream {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	hr, err := http.NewRequestWithContext(ctx, "GET", ts.hs.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := ts.hs.Client().Do(hr)
	if err != nil {
		cancel()
		t.Fatalf("watch %s: %v", path, err)
	}
	if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "application/json" || !slices.Equal(resp.TransferEncoding, []string{"chunked"}) {
		resp.Body.Close()
		cancel()
		t.Fatalf("watch %s: %d, Content-Type %q, Transfer-Encoding %v", path, resp.StatusCode, resp.Header.Get("Content-Type"), resp.TransferEncoding)
	}
	s := &stream{t: t, lines: make(chan watchLine, 100), cancel: cancel}
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer close(s.lines)
		defer resp.Body.Close()
		dec := json.NewDecoder(resp.Body)
		for {
			var l watchLine
			if err := dec.Decode(&l); err != nil {
				return
			}
			s.lines <- l
		}
	}()
	t.Cleanup(func() { cancel(); <-done })
	return s
}

// next returns the next event, failing the test if none comes in time.
func (s *stream) next() watchLine {
	s.t.Helper()
	select {
	case l, ok := <-s.lines:
		if !ok {
			s.t.Fatal("the watch stream ended, want another event")
		}
		return l
	case <-time.After(eventTimeout):
		s.t.Fatalf("no watch event within %v", eventTimeout)
	}
	panic("unreachable")
}

// want reads the next event and checks its type and object name.
func (s *stream) want(typ, name string) watchLine {
	s.t.Helper()
	l := s.next()
	if l.Type != typ || (name != "" && l.name() != name) {
		s.t.Fatalf("got %s of %v, want %s of %s (%v)", l.Type, l.name(), typ, name, l.Object)
	}
	if l.Type != "ERROR" && (l.Object["kind"] == nil || l.Object["apiVersion"] == nil) {
		s.t.Fatalf("%s event object without apiVersion and kind: %v", l.Type, l.Object)
	}
	return l
}

// ended fails the test unless the server ends the stream in time, with no more events.
func (s *stream) ended() {
	s.t.Helper()
	select {
	case l, ok := <-s.lines:
		if ok {
			s.t.Fatalf("got %s event of %v, want the end of the stream", l.Type, l.name())
		}
	case <-time.After(eventTimeout):
		s.t.Fatalf("the stream did not end within %v", eventTimeout)
	}
}

func cm(name string, labels map[string]string) *core.ConfigMap {
	return &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, Labels: labels}}
}

func TestWatch(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ts.seed(cm("b", nil), cm("a", nil))

	s := ts.watch(t, "/api/v1/namespaces/default/configmaps?watch=true")
	s.want("ADDED", "a")
	s.want("ADDED", "b")
	created := ts.must(http.StatusCreated, req{method: "POST", path: "/api/v1/namespaces/default/configmaps", body: fmt.Sprintf(cmJSON, "c")}).object(t)
	l := s.want("ADDED", "c")
	if l.rv() != field(created, "metadata", "resourceVersion") || field(l.Object, "data", "k") != "v" || field(l.Object, "metadata", "uid") == nil {
		t.Fatalf("ADDED event %v, created %v", l.Object, created)
	}
	ts.must(http.StatusOK, req{method: "PATCH", path: "/api/v1/namespaces/default/configmaps/c", body: `{"data":{"k":"w"}}`,
		header: []string{"Content-Type", "application/merge-patch+json"}})
	if l := s.want("MODIFIED", "c"); field(l.Object, "data", "k") != "w" {
		t.Fatalf("MODIFIED %v", l.Object)
	}
	ts.must(http.StatusOK, req{method: "DELETE", path: "/api/v1/namespaces/default/configmaps/c"})
	s.want("DELETED", "c")
}

func TestWatchResume(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ctx := t.Context()
	a, _ := ts.local.Create(ctx, cm("a", nil), store.CreateOptions{})
	a.(*core.ConfigMap).Data = map[string]string{"x": "y"}
	a2, _ := ts.local.Update(ctx, a, store.UpdateOptions{})
	b, err := ts.local.Create(ctx, cm("b", nil), store.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	s := ts.watch(t, "/api/v1/configmaps?watch=1&resourceVersion="+a.GetResourceVersion())
	if l := s.want("MODIFIED", "a"); l.rv() != a2.GetResourceVersion() {
		t.Fatalf("MODIFIED at %v, want %s", l.rv(), a2.GetResourceVersion())
	}
	if l := s.want("ADDED", "b"); l.rv() != b.GetResourceVersion() {
		t.Fatalf("ADDED at %v, want %s", l.rv(), b.GetResourceVersion())
	}
}

func TestWatchBookmarks(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ts.seed(cm("a", nil))
	s := ts.watch(t, "/api/v1/namespaces/default/configmaps?watch=true&allowWatchBookmarks=true")
	s.want("ADDED", "a")
	l := s.want("BOOKMARK", "")
	if l.Object["kind"] != "ConfigMap" || l.rv() == nil || field(l.Object, "metadata", "annotations") != nil {
		t.Fatalf("BOOKMARK %v", l.Object)
	}
}

// TestWatchGone checks that a watch from a compacted revision gets 200 and one ERROR event
// holding a 410 Expired Status, as kube-apiserver sends, and ends.
func TestWatchGone(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ts.seed(cm("a", nil), cm("b", nil), cm("c", nil))
	if err := ts.store.Compact(t.Context(), ts.store.CurrentRevision()); err != nil {
		t.Fatal(err)
	}
	s := ts.watch(t, "/api/v1/configmaps?watch=true&resourceVersion=1")
	l := s.want("ERROR", "")
	if l.Object["kind"] != "Status" || l.Object["code"] != 410.0 || l.Object["reason"] != "Expired" || l.Object["status"] != "Failure" {
		t.Fatalf("ERROR %v", l.Object)
	}
	s.ended()
}

func TestWatchTimeout(t *testing.T) {
	fake := clock.NewFake(time.Now())
	ts := newServer(t, apiserver.Options{Clock: fake})
	s := ts.watch(t, "/api/v1/configmaps?watch=true&timeoutSeconds=30")
	ts.seed(cm("a", nil))
	s.want("ADDED", "a")
	fake.Step(29 * time.Second)
	ts.seed(cm("b", nil))
	s.want("ADDED", "b")
	fake.Step(time.Second)
	s.ended()
}

// TestWatchList checks client-go's WatchList protocol: sendInitialEvents=true streams the
// current objects, then a bookmark annotated k8s.io/initial-events-end, then changes.
func TestWatchList(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ts.seed(cm("a", nil), cm("b", nil))
	const watchList = "/api/v1/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"

	for _, rv := range []string{"", "&resourceVersion=0", "&resourceVersion=2"} {
		t.Run("from "+rv, func(t *testing.T) {
			s := ts.watch(t, watchList+rv)
			s.want("ADDED", "a")
			s.want("ADDED", "b")
			l := s.want("BOOKMARK", "")
			if field(l.Object, "metadata", "annotations", "k8s.io/initial-events-end") != "true" || l.Object["kind"] != "ConfigMap" ||
				l.rv() != store.FormatResourceVersion(ts.store.CurrentRevision()) {
				t.Fatalf("BOOKMARK %v", l.Object)
			}
		})
	}
	t.Run("live changes follow", func(t *testing.T) {
		s := ts.watch(t, watchList)
		s.want("ADDED", "a")
		s.want("ADDED", "b")
		s.want("BOOKMARK", "")
		ts.seed(cm("c", nil))
		s.want("ADDED", "c")
	})
	t.Run("from the future", func(t *testing.T) {
		s := ts.watch(t, watchList+"&resourceVersion=99999")
		l := s.next()
		for l.Type == "ADDED" {
			l = s.next()
		}
		if l.Type != "ERROR" || l.Object["code"] != 504.0 || l.Object["reason"] != "Timeout" {
			t.Fatalf("ERROR %v", l.Object)
		}
		s.ended()
	})
	t.Run("no initial events", func(t *testing.T) {
		s := ts.watch(t, "/api/v1/configmaps?watch=true&sendInitialEvents=false&resourceVersionMatch=NotOlderThan")
		ts.seed(cm("d", nil))
		s.want("ADDED", "d")
	})
}

func TestWatchSelectors(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	ts.seed(&core.Namespace{ObjectMeta: meta.ObjectMeta{Name: "other"}})
	s := ts.watch(t, "/api/v1/configmaps?watch=true&labelSelector=app%3Dweb&resourceVersion=1")
	o := cm("o", map[string]string{"app": "web"})
	o.Namespace = "other"
	ts.seed(cm("x", map[string]string{"app": "db"}), o, cm("y", map[string]string{"app": "web"}))
	s.want("ADDED", "o")
	s.want("ADDED", "y")

	f := ts.watch(t, "/api/v1/namespaces/other/configmaps?watch=true&fieldSelector=metadata.name%3Dp")
	p := cm("p", nil)
	p.Namespace = "other"
	ts.seed(cm("p", nil), p)
	if l := f.want("ADDED", "p"); field(l.Object, "metadata", "namespace") != "other" {
		t.Fatalf("ADDED %v", l.Object)
	}
}

// TestWatchEndsWithClient checks that a watch whose client goes away stops its store watch.
func TestWatchEndsWithClient(t *testing.T) {
	ts := newServer(t, apiserver.Options{})
	s := ts.watch(t, "/api/v1/configmaps?watch=true")
	ts.seed(cm("a", nil))
	s.want("ADDED", "a")
	if n := ts.store.Stats().Watchers; n != 1 {
		t.Fatalf("%d store watchers, want 1", n)
	}
	s.cancel()
	deadline := time.Now().Add(eventTimeout)
	for ts.store.Stats().Watchers != 0 {
		if time.Now().After(deadline) {
			t.Fatal("the store watch outlived its client")
		}
		time.Sleep(time.Millisecond) // bounded polling: nothing to wait on
	}
}

// TestWatchUnstructured checks that watch events of a kind without a Go type carry their
// apiVersion and kind.
func TestWatchUnstructured(t *testing.T) {
	sch := scheme.NewBuiltin()
	gvk := scheme.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}
	if err := sch.RegisterUnstructured(scheme.UnstructuredKind{GVK: gvk, Plural: "widgets"}); err != nil {
		t.Fatal(err)
	}
	ts := newServerWithScheme(t, sch, apiserver.Options{})
	s := ts.watch(t, "/apis/example.com/v1/widgets?watch=true")
	ts.must(http.StatusCreated, req{method: "POST", path: "/apis/example.com/v1/widgets", body: `{"metadata":{"name":"w"},"spec":{"n":1}}`})
	if l := s.want("ADDED", "w"); l.Object["apiVersion"] != "example.com/v1" || l.Object["kind"] != "Widget" || field(l.Object, "spec", "n") != 1.0 {
		t.Fatalf("ADDED %v", l.Object)
	}
}
