package apiserver

import (
	"bufio"
	"encoding/json"
	"net/http"
	"time"

	"github.com/skiff-dev/skiff/internal/jsonw"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// initialEventsEndAnnotation marks the bookmark that ends the initial events of a watch
// with sendInitialEvents=true (client-go's WatchList).
const initialEventsEndAnnotation = "k8s.io/initial-events-end"

// watchWriteTimeout bounds how long a write to a watch stream may block.
const watchWriteTimeout = time.Minute

// watchEvent is one line of a watch stream: {"type":"ADDED","object":{...}}.
type watchEvent struct {
	Type   store.EventType `json:"type"`
	Object any             `json:"object"`
}

// watch streams the changes of a collection as newline-delimited JSON watch events, flushed
// as they come, until the client goes away, timeoutSeconds pass, the server shuts down or
// the watch ends (after an ERROR event, or when the store closes).
//
// Where the stream starts:
//   - resourceVersion unset or "0": an ADDED event per current object, then changes (a
//     BOOKMARK after the ADDED events with allowWatchBookmarks);
//   - resourceVersion N: every change after N; a compacted N gives one ERROR event holding
//     a 410 Expired Status, as kube-apiserver sends;
//   - sendInitialEvents=true (with resourceVersionMatch=NotOlderThan): the current objects,
//     then a BOOKMARK annotated k8s.io/initial-events-end, then changes; a resourceVersion
//     newer than the store's ends the stream with a 504 Timeout Status instead;
//   - sendInitialEvents=false with resourceVersion unset or "0": changes from now on.
func (s *Server) watch(q *request, p listParams) {
	ctx := q.r.Context()
	rv, err := store.ParseResourceVersion(p.resourceVersion)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	opts := store.WatchOptions{
		Namespace:       q.rt.namespace,
		LabelSelector:   p.labelSelector,
		FieldSelector:   p.fieldSelector,
		ResourceVersion: rv,
		AllowBookmarks:  p.allowBookmarks,
	}
	initialEvents := p.sendInitialEvents != nil && *p.sendInitialEvents
	switch {
	case initialEvents:
		opts.ResourceVersion, opts.AllowBookmarks = 0, true
	case p.sendInitialEvents != nil && rv == 0:
		// "From now, without the current objects": from the current revision, which a
		// one-item list reads.
		res, err := s.c.List(ctx, q.info.GVK, store.ListOptions{Namespace: q.rt.namespace, Limit: 1})
		if err != nil {
			s.writeError(q.w, q.r, err)
			return
		}
		opts.ResourceVersion = res.ResourceVersion
	}

	var timeout <-chan time.Time
	if p.timeout > 0 {
		t := s.opts.Clock.NewTimer(p.timeout)
		defer t.Stop()
		timeout = t.C()
	}

	var events <-chan store.Event
	w, err := s.c.Watch(ctx, q.info.GVK, opts)
	switch {
	case err == nil:
		defer w.Stop()
		events = w.ResultChan()
	case store.IsGone(err):
		// Sent as the stream's only event, as kube-apiserver does.
		ch := make(chan store.Event, 1)
		ch <- store.Event{Type: store.Error, Err: err}
		close(ch)
		events = ch
	default:
		s.writeError(q.w, q.r, err)
		return
	}

	q.w.Header().Set("Content-Type", mediaJSON)
	q.w.Header().Set("Cache-Control", "no-cache, private")
	q.w.WriteHeader(http.StatusOK)
	rc := http.NewResponseController(q.w)
	bw := bufio.NewWriterSize(q.w, 16<<10)
	// A client that stops reading without closing its connection would otherwise hold this
	// handler forever: every write (bw writes through when full) gets a deadline. Network
	// deadlines are wall-clock instants, hence time.Now.
	// The deadline is lifted at the end, for the next request on the connection.
	extend := func() { _ = rc.SetWriteDeadline(time.Now().Add(watchWriteTimeout)) }
	flush := func() bool { return bw.Flush() == nil && rc.Flush() == nil }
	extend()
	defer func() { _ = rc.SetWriteDeadline(time.Time{}) }()
	if !flush() {
		return
	}
	stop := watchStop(q.r)
	var buf []byte // reused by every event's encoding
	for {
		select {
		case ev, ok := <-events:
			extend()
			if !ok {
				flush()
				return
			}
			if initialEvents && ev.Type == store.Bookmark {
				initialEvents = false
				ev = s.initialEventsEnd(q.info, ev, rv)
			}
			if !s.writeEvent(bw, &buf, q.info, ev) || ev.Type == store.Error {
				flush()
				return
			}
			if len(events) == 0 && !flush() {
				return
			}
		case <-ctx.Done():
			return
		case <-timeout:
			flush()
			return
		case <-stop:
			flush()
			return
		}
	}
}

// initialEventsEnd turns the bookmark that follows the initial ADDED events into the one
// client-go's WatchList waits for, or into an error when the store has not reached the
// revision the client has already seen (minRev).
func (s *Server) initialEventsEnd(info *scheme.KindInfo, ev store.Event, minRev uint64) store.Event {
	if ev.Revision < minRev {
		return store.Event{Type: store.Error, Err: store.NewTooLargeResourceVersion(minRev, ev.Revision)}
	}
	obj := info.New()
	m := obj.GetObjectMeta()
	m.ResourceVersion = store.FormatResourceVersion(ev.Revision)
	m.Annotations = map[string]string{initialEventsEndAnnotation: "true"}
	return store.Event{Type: store.Bookmark, Object: obj, Revision: ev.Revision}
}

// writeEvent writes one event line to bw. Event objects are shared with the store and
// every other watcher: they are copied, never modified, when their apiVersion and kind need
// filling in. It reports false when the stream cannot go on.
func (s *Server) writeEvent(bw *bufio.Writer, buf *[]byte, info *scheme.KindInfo, ev store.Event) bool {
	var (
		data []byte
		err  error
	)
	switch ev.Type {
	case store.Error:
		st := toStatusError(ev.Err).Status()
		data, err = json.Marshal(watchEvent{Type: ev.Type, Object: &st})
	case store.Added, store.Modified, store.Deleted, store.Bookmark:
		if ev.Object == nil {
			return true
		}
		// What json.Marshal writes for a watchEvent, with the object through its kind's
		// generated encoder.
		data = append((*buf)[:0], `{"type":`...)
		data = jsonw.EscapeHTML(jsonw.AppendString(data, string(ev.Type)), 0)
		data = append(data, `,"object":`...)
		if data, err = marshalObject(data, info, ev.Object); err == nil {
			data = append(data, '}')
			*buf = data
		}
	default:
		return true
	}
	if err != nil {
		s.log.Error(err, "Encoding a watch event failed", "kind", info.GVK.String(), "type", ev.Type)
		st := store.NewInternalError(err).Status()
		data, _ = json.Marshal(watchEvent{Type: store.Error, Object: &st})
		bw.Write(data)
		bw.WriteByte('\n')
		return false
	}
	bw.Write(data)
	_, err = bw.Write([]byte{'\n'})
	return err == nil
}
