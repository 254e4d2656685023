package remote_test

import (
	"context"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"encoding/pem"
	"log/slog"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/client/remote"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// eventTimeout bounds the wait for an expected event: its expiry is a failure, never the
// way a test waits.
const eventTimeout = 10 * time.Second

var quiet = apiserver.Options{Logger: logr.FromSlogHandler(slog.DiscardHandler)}

func pod(name string, labels map[string]string) *core.Pod {
	return &core.Pod{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, Labels: labels},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "c", Image: "busybox"}}},
	}
}

// TestErrorsMatchLocal checks that the remote client fails exactly as the local one: same
// reason, code, message and field errors.
func TestErrorsMatchLocal(t *testing.T) {
	e := newEnv(t, scheme.NewBuiltin(), remote.Config{}, quiet)
	ctx := t.Context()
	if _, err := e.local.Create(ctx, pod("p", nil), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	cm, err := e.local.Create(ctx, &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "cm"}}, store.CreateOptions{})
	if err != nil {
		t.Fatal(err)
	}
	invalid := pod("bad", nil)
	invalid.Spec.Containers = nil
	invalid.Labels = map[string]string{"-x": "y"}
	noNamespace := pod("nons", nil)
	noNamespace.Namespace = ""
	stale := pod("p", nil)
	stale.ResourceVersion = "1"
	badDep := &apps.Deployment{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "d"}}
	delOpts := store.DeleteOptions{Preconditions: &meta.Preconditions{UID: ptr(meta.UID("nope"))}}
	badField, _ := fields.ParseSelector("spec.replicas=1")

	for _, tc := range []struct {
		name string
		call func(c client.Client) error
	}{
		{"get missing", func(c client.Client) error { _, err := c.Get(ctx, scheme.PodGVK, "default", "missing"); return err }},
		{"get without namespace", func(c client.Client) error { _, err := c.Get(ctx, scheme.PodGVK, "", "p"); return err }},
		{"create existing", func(c client.Client) error { _, err := c.Create(ctx, pod("p", nil), store.CreateOptions{}); return err }},
		{"create invalid", func(c client.Client) error { _, err := c.Create(ctx, invalid, store.CreateOptions{}); return err }},
		{"create invalid deployment", func(c client.Client) error { _, err := c.Create(ctx, badDep, store.CreateOptions{}); return err }},
		{"create without namespace", func(c client.Client) error { _, err := c.Create(ctx, noNamespace, store.CreateOptions{}); return err }},
		{"update stale", func(c client.Client) error { _, err := c.Update(ctx, stale, store.UpdateOptions{}); return err }},
		{"update missing", func(c client.Client) error {
			_, err := c.Update(ctx, pod("missing", nil), store.UpdateOptions{})
			return err
		}},
		{"update status of a missing object without status", func(c client.Client) error {
			cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "missing"}}
			_, err := c.UpdateStatus(ctx, cm, store.UpdateOptions{})
			return err
		}},
		{"update status of an object without status", func(c client.Client) error {
			_, err := c.UpdateStatus(ctx, cm, store.UpdateOptions{})
			return err
		}},
		{"patch status of an object without status", func(c client.Client) error {
			_, err := c.Patch(ctx, scheme.ConfigMapGVK, "default", "cm", client.MergePatchType, []byte(`{}`), client.PatchOptions{Subresource: client.SubresourceStatus})
			return err
		}},
		{"delete missing", func(c client.Client) error {
			_, err := c.Delete(ctx, scheme.PodGVK, "default", "missing", store.DeleteOptions{})
			return err
		}},
		{"delete precondition", func(c client.Client) error {
			_, err := c.Delete(ctx, scheme.PodGVK, "default", "p", delOpts)
			return err
		}},
		{"patch unsupported type", func(c client.Client) error {
			_, err := c.Patch(ctx, scheme.PodGVK, "default", "p", "application/strategic-merge-patch+json", []byte(`{}`), client.PatchOptions{})
			return err
		}},
		{"patch unknown field", func(c client.Client) error {
			_, err := c.Patch(ctx, scheme.PodGVK, "default", "p", client.MergePatchType, []byte(`{"spec":{"nodeNmae":"x"}}`), client.PatchOptions{})
			return err
		}},
		{"patch invalid result", func(c client.Client) error {
			_, err := c.Patch(ctx, scheme.PodGVK, "default", "p", client.JSONPatchType, []byte(`[{"op":"remove","path":"/spec/containers"}]`), client.PatchOptions{})
			return err
		}},
		{"list bad field selector", func(c client.Client) error {
			_, err := c.List(ctx, scheme.PodGVK, store.ListOptions{FieldSelector: badField})
			return err
		}},
		{"list negative limit", func(c client.Client) error {
			_, err := c.List(ctx, scheme.PodGVK, store.ListOptions{Limit: -1})
			return err
		}},
		{"list bad continue", func(c client.Client) error {
			_, err := c.List(ctx, scheme.PodGVK, store.ListOptions{Continue: "bad"})
			return err
		}},
		{"unknown kind", func(c client.Client) error {
			_, err := c.Get(ctx, scheme.GroupVersionKind{Group: "x", Version: "v1", Kind: "Nope"}, "default", "p")
			return err
		}},
		{"watch from the future", func(c client.Client) error {
			_, err := c.Watch(ctx, scheme.PodGVK, store.WatchOptions{ResourceVersion: 1 << 40})
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want, got := tc.call(e.local), tc.call(e.remote)
			if want == nil || got == nil {
				t.Fatalf("local %v, remote %v: want errors", want, got)
			}
			var we, ge *store.StatusError
			if !errors.As(want, &we) || !errors.As(got, &ge) {
				t.Fatalf("local %T, remote %T: want *store.StatusError", want, got)
			}
			if ge.Reason != we.Reason || ge.Code != we.Code || ge.Message != we.Message || ge.Name != we.Name {
				t.Fatalf("remote %q %d %q %q\nlocal  %q %d %q %q", ge.Reason, ge.Code, ge.Message, ge.Name, we.Reason, we.Code, we.Message, we.Name)
			}
			if !reflect.DeepEqual(ge.Status(), we.Status()) {
				t.Fatalf("remote Status %+v\nlocal Status  %+v", ge.Status(), we.Status())
			}
			wf, gf := store.FieldErrors(want), store.FieldErrors(got)
			if len(wf) != len(gf) {
				t.Fatalf("field errors: remote %v, local %v", gf, wf)
			}
			for i := range wf {
				if wf[i].Error() != gf[i].Error() || wf[i].Type != gf[i].Type || wf[i].Field != gf[i].Field {
					t.Fatalf("field error %d: remote %q, local %q", i, gf[i], wf[i])
				}
			}
		})
	}
}

func ptr[T any](v T) *T { return &v }

// TestNothingSelector checks that labels.Nothing() selects nothing, rather than everything
// as an empty selector string would.
func TestNothingSelector(t *testing.T) {
	e := newEnv(t, scheme.NewBuiltin(), remote.Config{}, quiet)
	ctx := t.Context()
	if _, err := e.remote.Create(ctx, pod("p", map[string]string{"app": "web"}), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	res, err := e.remote.List(ctx, scheme.PodGVK, store.ListOptions{LabelSelector: labels.Nothing()})
	if err != nil || len(res.Items) != 0 || res.ResourceVersion == 0 {
		t.Fatalf("list with Nothing: %v, %+v", err, res)
	}
	w, err := e.remote.Watch(ctx, scheme.PodGVK, store.WatchOptions{LabelSelector: labels.Nothing(), AllowBookmarks: true})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	if _, err := e.remote.Create(ctx, pod("q", map[string]string{"app": "web"}), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	// The watch from 0 sends its bookmark after the (no) initial objects, and nothing else.
	ev := next(t, w)
	if ev.Type != store.Bookmark {
		t.Fatalf("watch with Nothing: %s event of %v", ev.Type, ev.Object)
	}
	select {
	case ev := <-w.ResultChan():
		t.Fatalf("watch with Nothing: %s event of %v", ev.Type, ev.Object)
	default:
	}
}

func next(t *testing.T, w store.Watcher) store.Event {
	t.Helper()
	select {
	case ev, ok := <-w.ResultChan():
		if !ok {
			t.Fatal("the watch ended, want an event")
		}
		return ev
	case <-time.After(eventTimeout):
		t.Fatalf("no event within %v", eventTimeout)
	}
	panic("unreachable")
}

// TestWatchGone checks that a watch from a compacted revision ends with a Gone error event.
func TestWatchGone(t *testing.T) {
	e := newEnv(t, scheme.NewBuiltin(), remote.Config{}, quiet)
	ctx := t.Context()
	for _, n := range []string{"a", "b"} {
		if _, err := e.remote.Create(ctx, pod(n, nil), store.CreateOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.store.Compact(ctx, e.store.CurrentRevision()); err != nil {
		t.Fatal(err)
	}
	w, err := e.remote.Watch(ctx, scheme.PodGVK, store.WatchOptions{ResourceVersion: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	ev := next(t, w)
	if ev.Type != store.Error || !store.IsGone(ev.Err) || ev.Object != nil {
		t.Fatalf("watch from a compacted revision: %+v", ev)
	}
	if _, ok := <-w.ResultChan(); ok {
		t.Fatal("the watch went on after its error")
	}
}

// TestWatchEndsWithServer checks that a watch the server ends (timeoutSeconds elapsed,
// shutdown) just closes its channel, as a store watch does when the store closes.
func TestWatchEndsWithServer(t *testing.T) {
	e := newEnv(t, scheme.NewBuiltin(), remote.Config{}, quiet)
	w, err := e.remote.Watch(t.Context(), scheme.PodGVK, store.WatchOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	e.server.CloseClientConnections()
	select {
	case ev, ok := <-w.ResultChan():
		if ok {
			t.Fatalf("got %+v, want the end of the watch", ev)
		}
	case <-time.After(eventTimeout):
		t.Fatal("the watch outlived its connection")
	}
}

// TestInformer runs a shared informer over the remote client: the objects created through
// the client arrive in its cache and at its handlers.
func TestInformer(t *testing.T) {
	sch := scheme.NewBuiltin()
	e := newEnv(t, sch, remote.Config{}, quiet)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	if _, err := e.remote.Create(ctx, pod("before", nil), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}

	f := informer.NewFactory(e.remote, informer.FactoryOptions{Scheme: sch, Logger: logr.FromSlogHandler(slog.DiscardHandler)})
	defer f.Shutdown()
	pods := informer.For[*core.Pod](f)
	added := make(chan string, 10)
	deleted := make(chan string, 10)
	if _, err := pods.AddHandler(informer.HandlerFuncs[*core.Pod]{
		AddFunc:    func(p *core.Pod, _ bool) { added <- p.Name },
		DeleteFunc: func(p *core.Pod, _ bool) { deleted <- p.Name },
	}); err != nil {
		t.Fatal(err)
	}
	f.Start(ctx)
	if err := f.WaitForCacheSync(ctx); err != nil {
		t.Fatal(err)
	}
	wantName(t, added, "before")

	if _, err := e.remote.Create(ctx, pod("after", nil), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	wantName(t, added, "after")
	if p, err := pods.Lister().Namespace("default").Get("after"); err != nil || p.Name != "after" || p.Kind != "Pod" {
		t.Fatalf("lister: %v, %v", p, err)
	}
	if _, err := e.remote.Delete(ctx, scheme.PodGVK, "default", "before", store.DeleteOptions{}); err != nil {
		t.Fatal(err)
	}
	wantName(t, deleted, "before")
}

func wantName(t *testing.T, ch <-chan string, name string) {
	t.Helper()
	select {
	case got := <-ch:
		if got != name {
			t.Fatalf("got %s, want %s", got, name)
		}
	case <-time.After(eventTimeout):
		t.Fatalf("%s did not arrive within %v", name, eventTimeout)
	}
}

func TestToken(t *testing.T) {
	opts := quiet
	opts.Token = "s3cret"
	e := newEnv(t, scheme.NewBuiltin(), remote.Config{Token: "s3cret"}, opts)
	if _, err := e.remote.List(t.Context(), scheme.PodGVK, store.ListOptions{}); err != nil {
		t.Fatalf("list with the token: %v", err)
	}
	anon, err := remote.New(remote.Config{Server: e.server.URL})
	if err != nil {
		t.Fatal(err)
	}
	defer anon.Close()
	_, err = anon.List(t.Context(), scheme.PodGVK, store.ListOptions{})
	var se *store.StatusError
	if !errors.As(err, &se) || se.Code != http.StatusUnauthorized || se.Reason != "Unauthorized" {
		t.Fatalf("list without the token: %v", err)
	}
	if _, err := anon.Watch(t.Context(), scheme.PodGVK, store.WatchOptions{}); err == nil {
		t.Fatal("watch without the token succeeded")
	}
}

// TestTLS serves the API over HTTPS and trusts its certificate through CAFile.
func TestTLS(t *testing.T) {
	e := newEnv(t, scheme.NewBuiltin(), remote.Config{}, quiet)
	hs := httptest.NewUnstartedServer(e.server.Config.Handler)
	hs.Config.ErrorLog = log.New(io.Discard, "", 0) // the untrusted case's handshake error
	hs.StartTLS()
	defer hs.Close()
	caFile := filepath.Join(t.TempDir(), "ca.crt")
	if err := os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw}), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		cfg  remote.Config
		ok   bool
	}{
		{"CA file", remote.Config{Server: hs.URL, CAFile: caFile}, true},
		{"insecure", remote.Config{Server: hs.URL, Insecure: true}, true},
		{"untrusted", remote.Config{Server: hs.URL}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := remote.New(tc.cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			_, err = c.List(t.Context(), scheme.PodGVK, store.ListOptions{})
			if (err == nil) != tc.ok {
				t.Fatalf("list over TLS: %v", err)
			}
			if err != nil && !store.IsUnavailable(err) {
				t.Fatalf("TLS failure is %v, want ServiceUnavailable", err)
			}
		})
	}
}

// TestPathPrefix reaches a server mounted below a path prefix, as behind a proxy.
func TestPathPrefix(t *testing.T) {
	e := newEnv(t, scheme.NewBuiltin(), remote.Config{}, quiet)
	mux := http.NewServeMux()
	mux.Handle("/skiff/", http.StripPrefix("/skiff", e.server.Config.Handler))
	hs := httptest.NewServer(mux)
	defer hs.Close()
	c, err := remote.New(remote.Config{Server: hs.URL + "/skiff/"})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	p, err := c.Create(t.Context(), pod("p", nil), store.CreateOptions{})
	if err != nil || p.GetName() != "p" {
		t.Fatalf("create below a prefix: %v", err)
	}
}

func TestUnreachable(t *testing.T) {
	hs := httptest.NewServer(http.NotFoundHandler())
	url := hs.URL
	hs.Close()
	c, err := remote.New(remote.Config{Server: url})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Get(t.Context(), scheme.PodGVK, "default", "p")
	if !store.IsUnavailable(err) || !store.IsRetryable(err) {
		t.Fatalf("get from a closed server: %v (reason %q)", err, store.ReasonOf(err))
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	_, err = c.Get(ctx, scheme.PodGVK, "default", "p")
	if !store.IsTimeout(err) || !errors.Is(err, context.Canceled) {
		t.Fatalf("get with a done context: %v", err)
	}
}

// TestNonStatusErrors checks answers that carry no Status, as a proxy may send.
func TestNonStatusErrors(t *testing.T) {
	for _, tc := range []struct {
		code int
		body string
		is   func(error) bool
	}{
		{http.StatusBadGateway, "<html>bad gateway</html>", store.IsUnavailable},
		{http.StatusNotFound, "", store.IsNotFound},
		{http.StatusTooManyRequests, "slow down", store.IsTooManyRequests},
		{http.StatusInternalServerError, strings.Repeat("x", 1000), store.IsInternalError},
	} {
		hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "3")
			w.WriteHeader(tc.code)
			w.Write([]byte(tc.body))
		}))
		c, err := remote.New(remote.Config{Server: hs.URL})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Get(t.Context(), scheme.PodGVK, "default", "p")
		var se *store.StatusError
		if !tc.is(err) || !errors.As(err, &se) || se.Code != int32(tc.code) || se.Message == "" || len(se.Message) > 512 {
			t.Errorf("answer %d %q: %v", tc.code, tc.body, err)
		}
		c.Close()
		hs.Close()
	}
}

// TestWatchReadsStrangeStreams feeds the watch decoder streams no skiff server sends.
func TestWatchReadsStrangeStreams(t *testing.T) {
	for _, tc := range []struct {
		name, stream string
		want         store.EventType
		is           func(error) bool
	}{
		{"unknown type", `{"type":"SHRUG","object":{}}`, store.Error, store.IsInternalError},
		{"error without status", `{"type":"ERROR","object":{"kind":"Pod"}}`, store.Error, store.IsInternalError},
		{"bad object", `{"type":"ADDED","object":{"spec":"x"}}`, store.Error, store.IsInternalError},
		{"bad revision", `{"type":"ADDED","object":{"metadata":{"name":"p","resourceVersion":"x"}}}`, store.Error, store.IsInternalError},
		{"not JSON", `{"type":}`, store.Error, store.IsInternalError},
		{"no kind in object", `{"type":"ADDED","object":{"metadata":{"name":"p","resourceVersion":"7"}}}`, store.Added, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.Header().Set("Content-Type", "application/json")
				w.Write([]byte(tc.stream + "\n"))
			}))
			defer hs.Close()
			c, err := remote.New(remote.Config{Server: hs.URL})
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			w, err := c.Watch(t.Context(), scheme.PodGVK, store.WatchOptions{})
			if err != nil {
				t.Fatal(err)
			}
			defer w.Stop()
			ev := next(t, w)
			if ev.Type != tc.want || (tc.is != nil && !tc.is(ev.Err)) {
				t.Fatalf("event %+v", ev)
			}
			if ev.Type == store.Added && (ev.Object.GetTypeMeta().Kind != "Pod" || ev.Revision != 7) {
				t.Fatalf("event %+v", ev)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	for _, tc := range []struct {
		name string
		cfg  remote.Config
	}{
		{"no server", remote.Config{}},
		{"relative server", remote.Config{Server: "localhost:7070"}},
		{"ftp server", remote.Config{Server: "ftp://x"}},
		{"server with a query", remote.Config{Server: "http://x/?a=b"}},
		{"server with credentials", remote.Config{Server: "http://u:p@x"}},
		{"TLS with an HTTP client", remote.Config{Server: "https://x", Insecure: true, HTTPClient: http.DefaultClient}},
		{"negative timeout", remote.Config{Server: "http://x", Timeout: -1}},
		{"missing CA file", remote.Config{Server: "https://x", CAFile: filepath.Join(t.TempDir(), "nope")}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := remote.New(tc.cfg); err == nil {
				t.Fatalf("New(%+v) succeeded", tc.cfg)
			}
		})
	}
	c, err := remote.New(remote.Config{Server: "http://127.0.0.1:7070"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Scheme() == nil || c.Scheme().Kinds() == nil {
		t.Fatal("no default scheme")
	}
}

// TestTimeout checks Config.Timeout on a server that does not answer.
func TestTimeout(t *testing.T) {
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer hs.Close()
	defer close(release)
	c, err := remote.New(remote.Config{Server: hs.URL, Timeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	_, err = c.Get(t.Context(), scheme.PodGVK, "default", "p")
	if !store.IsTimeout(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("get from a silent server: %v", err)
	}
}

// TestUnstructured drives a kind without a Go type through the remote client.
func TestUnstructured(t *testing.T) {
	sch := scheme.NewBuiltin()
	gvk := scheme.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}
	if err := sch.RegisterUnstructured(scheme.UnstructuredKind{GVK: gvk, Plural: "widgets", Namespaced: true, HasStatus: true}); err != nil {
		t.Fatal(err)
	}
	e := newEnv(t, sch, remote.Config{}, quiet)
	ctx := t.Context()
	widgets := client.ForKind[*scheme.Unstructured](e.remote, gvk)
	w, err := widgets.Watch(ctx, store.WatchOptions{Namespace: "ns"})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()

	created, err := widgets.Create(ctx, &scheme.Unstructured{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "w"},
		Content: map[string]any{"spec": map[string]any{"size": 1.0}}})
	if err != nil || created.Kind != "Widget" || created.APIVersion != "example.com/v1" {
		t.Fatalf("create: %v %+v", err, created)
	}
	got, err := widgets.PatchStatus(ctx, "ns", "w", client.MergePatchType, []byte(`{"status":{"ok":true},"spec":{"size":9}}`))
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := got.Field("status", "ok"); ok != true {
		t.Fatalf("status after a status patch: %v", got.Content)
	}
	if size, _ := got.Field("spec", "size"); size != 1.0 {
		t.Fatalf("a status patch changed spec: %v", got.Content)
	}
	l, err := widgets.List(ctx, store.ListOptions{Namespace: "ns"})
	if err != nil || len(l.Items) != 1 || l.Items[0].Kind != "Widget" {
		t.Fatalf("list: %v %+v", err, l)
	}
	select {
	case ev := <-w.ResultChan():
		if ev.Type != store.Added || ev.Object.Name != "w" || ev.Object.Kind != "Widget" {
			t.Fatalf("event %+v", ev)
		}
	case <-time.After(eventTimeout):
		t.Fatal("no watch event")
	}
}
