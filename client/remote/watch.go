package remote

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// watchBuffer is the capacity of a watch's result channel.
const watchBuffer = 64

// Watch streams the changes to objects of kind gvk that match opts; see client.Client. A
// resourceVersion the server has compacted is reported as the stream's only event, an Error
// whose error is Gone (store.IsGone), as kube-apiserver sends it, rather than as Watch's
// error; other refusals (a resourceVersion in the future, a bad selector) are Watch's error.
// The watch ends, and its channel closes, when it is stopped, when ctx ends, when the server
// ends the stream (timeout, shutdown) or after an Error event. The events' objects are
// decoded for this watch alone.
func (c *Client) Watch(ctx context.Context, gvk scheme.GroupVersionKind, opts store.WatchOptions) (store.Watcher, error) {
	info, err := c.kind(gvk)
	if err != nil {
		return nil, err
	}
	q := url.Values{"watch": {"true"}}
	selectorQuery(q, opts.LabelSelector, opts.FieldSelector)
	if opts.ResourceVersion != 0 {
		q.Set("resourceVersion", store.FormatResourceVersion(opts.ResourceVersion))
	}
	if opts.AllowBookmarks {
		q.Set("allowWatchBookmarks", "true")
	}
	wctx, cancel := context.WithCancel(ctx)
	req, err := c.newRequest(wctx, call{method: http.MethodGet, path: c.resourcePath(info, opts.Namespace, "", ""), query: q})
	if err != nil {
		cancel()
		return nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		cancel()
		return nil, transportError(wctx, err)
	}
	if resp.StatusCode != http.StatusOK {
		err := responseError(resp)
		resp.Body.Close()
		cancel()
		return nil, err
	}
	w := &watcher{ch: make(chan store.Event, watchBuffer), cancel: cancel}
	go w.run(wctx, info, resp.Body)
	return w, nil
}

// watcher is a running watch: one goroutine reading the stream into ch.
type watcher struct {
	ch     chan store.Event
	cancel context.CancelFunc // ends the request, and so the stream
}

var _ store.Watcher = (*watcher)(nil)

// ResultChan returns the channel of events, closed when the watch ends.
func (w *watcher) ResultChan() <-chan store.Event { return w.ch }

// Stop ends the watch. It may be called more than once, from any goroutine.
func (w *watcher) Stop() { w.cancel() }

// line is one event of the stream as sent.
type line struct {
	Type   store.EventType `json:"type"`
	Object json.RawMessage `json:"object"`
}

// run reads the stream until it ends. A stream that ends (the server closed it, the
// connection went away, the watch was stopped) just closes the channel; a stream that
// cannot be read ends with an Error event.
func (w *watcher) run(ctx context.Context, info *scheme.KindInfo, body io.ReadCloser) {
	defer close(w.ch)
	defer body.Close()
	defer w.cancel()
	dec := json.NewDecoder(body)
	for {
		var l line
		if err := dec.Decode(&l); err != nil {
			if ctx.Err() == nil && !isStreamEnd(err) {
				w.send(ctx, store.Event{Type: store.Error, Err: store.NewInternalError(fmt.Errorf("remote: unreadable watch stream: %w", err))})
			}
			return
		}
		ev := decodeEvent(info, l)
		if !w.send(ctx, ev) || ev.Type == store.Error {
			return
		}
	}
}

// send delivers ev unless the watch ends first.
func (w *watcher) send(ctx context.Context, ev store.Event) bool {
	select {
	case w.ch <- ev:
		return true
	case <-ctx.Done():
		return false
	}
}

// decodeEvent turns a line of the stream into a store.Event: the object decoded into the
// kind's type with its resourceVersion as the revision, or for ERROR the error the Status
// stands for.
func decodeEvent(info *scheme.KindInfo, l line) store.Event {
	switch l.Type {
	case store.Added, store.Modified, store.Deleted, store.Bookmark:
		obj, err := decodeObject(info, l.Object)
		if err != nil {
			return store.Event{Type: store.Error, Err: store.NewInternalError(fmt.Errorf("remote: decode a %s event of %s: %w", l.Type, info.GVK, err))}
		}
		rev, err := store.ParseResourceVersion(obj.GetResourceVersion())
		if err != nil {
			return store.Event{Type: store.Error, Err: store.NewInternalError(fmt.Errorf("remote: %s event of %s: %w", l.Type, meta.Key(obj), err))}
		}
		return store.Event{Type: l.Type, Object: obj, Revision: rev}
	case store.Error:
		var st meta.Status
		if err := json.Unmarshal(l.Object, &st); err != nil || st.Kind != "Status" {
			return store.Event{Type: store.Error, Err: store.NewInternalError(fmt.Errorf("remote: an ERROR event without a Status: %s", l.Object))}
		}
		return store.Event{Type: store.Error, Err: statusError(st, http.StatusInternalServerError)}
	}
	return store.Event{Type: store.Error, Err: store.NewInternalError(fmt.Errorf("remote: unknown watch event type %q", l.Type))}
}
