package controller

import (
	"container/list"
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// EventRecorder records Kubernetes-style events about objects: what `skiff describe` and
// `skiff events` show. Reconcilers hold this interface; a manager's recorders (Recorder)
// implement it, and tests may pass their own.
type EventRecorder interface {
	// Event records that something of type eventType (core.EventTypeNormal or
	// core.EventTypeWarning) happened to obj, for a short CamelCase reason ("Created",
	// "FailedCreate") with a human-readable message. It never blocks.
	Event(obj meta.Object, eventType, reason, message string)
	// Eventf is Event with a message formatted as by fmt.Sprintf.
	Eventf(obj meta.Object, eventType, reason, messageFmt string, args ...any)
}

var _ EventRecorder = (*Recorder)(nil)

// Defaults for the zero fields of EventWriterOptions.
const (
	DefaultEventBufferSize = 1000
	DefaultEventCacheSize  = 4096
)

// maxEventMessage is the longest message kept; longer ones are cut, as Kubernetes' recorder
// does.
const maxEventMessage = 1024

// maxEventBatch bounds the events one write round takes from the buffer.
const maxEventBatch = 256

// EventWriterOptions configure an EventWriter. The zero value is ready to use and means the
// defaults.
type EventWriterOptions struct {
	// Clock stamps the events. Default clock.Real{}.
	Clock clock.Clock
	// Logger receives write failures and dropped events. Default slog.Default().
	Logger logr.Logger
	// Host is the events' source.host and reportingInstance. Default os.Hostname().
	Host string
	// BufferSize is how many recorded events may wait to be written; beyond that they are
	// dropped (and counted by Dropped). Default DefaultEventBufferSize.
	BufferSize int
	// CacheSize is how many distinct events are remembered for aggregation (least recently
	// used first out). Default DefaultEventCacheSize.
	CacheSize int
}

// EventWriter writes the events its Recorders record as core.Event objects through a
// client, on a goroutine of its own (Start), so that recording never blocks a reconciler.
//
// An event is named "<object name>.<hex timestamp>" and lives in the object's namespace
// ("default" for cluster-scoped objects). Repeats of an event — same involved object, type,
// reason, message and component — are aggregated as Kubernetes does: the existing Event's
// count is raised and its lastTimestamp moved, instead of a new object being written. Repeats
// recorded close together are merged before writing, so a burst costs one write.
//
// Events recorded before Start wait in the buffer; when the buffer is full, new events are
// dropped and counted. When Start's context is done it writes what is buffered, then returns.
type EventWriter struct {
	events *client.Typed[*core.Event]
	sch    *scheme.Scheme
	clock  clock.Clock
	log    logr.Logger
	host   string
	ch     chan pendingEvent

	dropped atomic.Uint64
	written atomic.Uint64
	running atomic.Bool

	// cache and lru remember the events written, for aggregation; lastNano keeps event names
	// unique. They are used only by the goroutine running Start.
	cache     map[eventKey]*list.Element
	lru       *list.List // of *cachedEvent, most recently used first
	cacheSize int
	lastNano  int64
}

// pendingEvent is one recorded occurrence waiting to be written.
type pendingEvent struct {
	key eventKey
	ref core.ObjectReference
	at  time.Time
}

// eventKey identifies the events that aggregate into one Event object.
type eventKey struct {
	component, kind, apiVersion, namespace, name string
	uid                                          meta.UID
	eventType, reason, message                   string
}

// cachedEvent is the Event object an eventKey was last written to.
type cachedEvent struct {
	key             eventKey
	namespace, name string
}

// NewEventWriter returns a writer of events through c (whose scheme must register
// core.Event). It starts nothing: run Start.
func NewEventWriter(c client.Client, opts EventWriterOptions) (*EventWriter, error) {
	if opts.BufferSize < 0 || opts.CacheSize < 0 {
		return nil, fmt.Errorf("controller: invalid event writer options: sizes must not be negative")
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	if opts.Logger.GetSink() == nil {
		opts.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	if opts.Host == "" {
		opts.Host, _ = os.Hostname()
	}
	if opts.BufferSize == 0 {
		opts.BufferSize = DefaultEventBufferSize
	}
	if opts.CacheSize == 0 {
		opts.CacheSize = DefaultEventCacheSize
	}
	if _, err := c.Scheme().ForGVK(scheme.EventGVK); err != nil {
		return nil, fmt.Errorf("controller: event writer: %w", err)
	}
	return &EventWriter{
		events:    client.ForKind[*core.Event](c, scheme.EventGVK),
		sch:       c.Scheme(),
		clock:     opts.Clock,
		log:       opts.Logger.WithName("events"),
		host:      opts.Host,
		ch:        make(chan pendingEvent, opts.BufferSize),
		cache:     map[eventKey]*list.Element{},
		lru:       list.New(),
		cacheSize: opts.CacheSize,
	}, nil
}

// Recorder returns the recorder of component (the events' source.component and
// reportingComponent, e.g. "deployment-controller").
func (w *EventWriter) Recorder(component string) *Recorder {
	return &Recorder{w: w, component: component}
}

// Dropped returns how many events were dropped because the buffer was full.
func (w *EventWriter) Dropped() uint64 { return w.dropped.Load() }

// Written returns how many event occurrences were written (created or aggregated).
func (w *EventWriter) Written() uint64 { return w.written.Load() }

// Start writes events until ctx is done, then writes those still buffered and returns nil.
// Writes are not cancelled by ctx (a store that is still open receives them all).
// It fails with ErrAlreadyRunning if the writer is running.
func (w *EventWriter) Start(ctx context.Context) error {
	if !w.running.CompareAndSwap(false, true) {
		return fmt.Errorf("%w: event writer", ErrAlreadyRunning)
	}
	defer w.running.Store(false)
	// Writes are not cancelled with ctx: a write in progress completes, and so do the writes
	// of what is buffered when ctx is done.
	wctx := context.WithoutCancel(ctx)
	batch := make([]pendingEvent, 0, maxEventBatch)
	for {
		select {
		case <-ctx.Done():
			for {
				batch = w.take(batch[:0])
				if len(batch) == 0 {
					return nil
				}
				w.writeBatch(wctx, batch)
			}
		case e := <-w.ch:
			batch = w.take(append(batch[:0], e))
			w.writeBatch(wctx, batch)
		}
	}
}

// take appends to batch the buffered events, up to maxEventBatch in all, without waiting.
func (w *EventWriter) take(batch []pendingEvent) []pendingEvent {
	for len(batch) < maxEventBatch {
		select {
		case e := <-w.ch:
			batch = append(batch, e)
		default:
			return batch
		}
	}
	return batch
}

// writeBatch writes a batch, merging the repeats in it: each distinct event is written once,
// with the number of its occurrences and the time of the last.
func (w *EventWriter) writeBatch(ctx context.Context, batch []pendingEvent) {
	type group struct {
		first, last pendingEvent
		n           int32
	}
	groups := make([]*group, 0, len(batch))
	index := make(map[eventKey]*group, len(batch))
	for _, e := range batch {
		if g := index[e.key]; g != nil {
			g.last, g.n = e, g.n+1
			continue
		}
		g := &group{first: e, last: e, n: 1}
		index[e.key] = g
		groups = append(groups, g)
	}
	for _, g := range groups {
		if err := w.write(ctx, g.first, g.last, g.n); err != nil {
			w.log.Error(err, "Could not write event; dropping it", "kind", g.first.key.kind,
				"namespace", g.first.key.namespace, "name", g.first.key.name, "reason", g.first.key.reason)
			continue
		}
		w.written.Add(uint64(g.n))
	}
}

// write records n occurrences of an event, from first to last: on the Event object it was
// written to before if there is one, else on a new one.
func (w *EventWriter) write(ctx context.Context, first, last pendingEvent, n int32) error {
	k := first.key
	if el, ok := w.cache[k]; ok {
		ce := el.Value.(*cachedEvent)
		_, err := client.GuaranteedUpdate(ctx, w.events, ce.namespace, ce.name, func(e *core.Event) error {
			e.Count += n
			e.LastTimestamp = meta.NewTime(last.at)
			return nil
		})
		if err == nil {
			w.lru.MoveToFront(el)
			return nil
		}
		w.lru.Remove(el)
		delete(w.cache, k)
		if !store.IsNotFound(err) {
			return err
		}
		// The Event was deleted meanwhile: start a new one.
	}
	ns := k.namespace
	if ns == "" {
		ns = core.NamespaceDefault
	}
	ev := &core.Event{
		ObjectMeta:          meta.ObjectMeta{Namespace: ns},
		InvolvedObject:      last.ref,
		Reason:              k.reason,
		Message:             k.message,
		Source:              core.EventSource{Component: k.component, Host: w.host},
		FirstTimestamp:      meta.NewTime(first.at),
		LastTimestamp:       meta.NewTime(last.at),
		Count:               n,
		Type:                k.eventType,
		ReportingController: k.component,
		ReportingInstance:   w.host,
	}
	var err error
	for range 3 { // another writer may have taken the name
		ev.Name = w.eventName(k.name, first.at)
		var created *core.Event
		if created, err = w.events.Create(ctx, ev); err == nil {
			w.remember(k, created.Namespace, created.Name)
			return nil
		}
		if !store.IsAlreadyExists(err) {
			return err
		}
	}
	return err
}

// eventName returns "<name>.<hex nanoseconds>", unique among the names this writer made even
// when the clock stands still (a fake clock).
func (w *EventWriter) eventName(name string, at time.Time) string {
	n := max(at.UnixNano(), w.lastNano+1)
	w.lastNano = n
	return fmt.Sprintf("%s.%x", name, n)
}

// remember caches where an event was written, evicting the least recently used entry when
// the cache is full.
func (w *EventWriter) remember(k eventKey, namespace, name string) {
	w.cache[k] = w.lru.PushFront(&cachedEvent{key: k, namespace: namespace, name: name})
	for w.lru.Len() > w.cacheSize {
		old := w.lru.Back()
		w.lru.Remove(old)
		delete(w.cache, old.Value.(*cachedEvent).key)
	}
}

// enqueue buffers an event without blocking, dropping it when the buffer is full.
func (w *EventWriter) enqueue(e pendingEvent) {
	select {
	case w.ch <- e:
	default:
		if n := w.dropped.Add(1); n&(n-1) == 0 { // log the 1st, 2nd, 4th, 8th... drop
			w.log.Info("Event buffer full; dropping events", "dropped", n, "reason", e.key.reason,
				"namespace", e.key.namespace, "name", e.key.name)
		}
	}
}

// Recorder records the events of one component through an EventWriter. It is safe for
// concurrent use and never blocks.
type Recorder struct {
	w         *EventWriter
	component string

	// warnOnce guards logging an invalid event type once per recorder.
	warnOnce sync.Once
}

// Event records an event about obj; see EventRecorder. An eventType other than Normal or
// Warning is logged and dropped.
func (r *Recorder) Event(obj meta.Object, eventType, reason, message string) {
	if eventType != core.EventTypeNormal && eventType != core.EventTypeWarning {
		r.warnOnce.Do(func() {
			r.w.log.Error(fmt.Errorf("unsupported event type %q", eventType), "Dropping event",
				"component", r.component, "reason", reason)
		})
		return
	}
	ref := r.w.reference(obj)
	r.w.enqueue(pendingEvent{
		key: eventKey{
			component: r.component, kind: ref.Kind, apiVersion: ref.APIVersion,
			namespace: ref.Namespace, name: ref.Name, uid: ref.UID,
			eventType: eventType, reason: reason, message: truncate(message, maxEventMessage),
		},
		ref: ref,
		at:  r.w.clock.Now(),
	})
}

// Eventf records an event with a formatted message; see EventRecorder.
func (r *Recorder) Eventf(obj meta.Object, eventType, reason, messageFmt string, args ...any) {
	r.Event(obj, eventType, reason, fmt.Sprintf(messageFmt, args...))
}

// reference returns the involvedObject of an event about obj, reading obj only.
func (w *EventWriter) reference(obj meta.Object) core.ObjectReference {
	m := obj.GetObjectMeta()
	ref := core.ObjectReference{Namespace: m.Namespace, Name: m.Name, UID: m.UID, ResourceVersion: m.ResourceVersion}
	if info, err := w.sch.ForObject(obj); err == nil {
		ref.APIVersion, ref.Kind = info.GVK.APIVersion(), info.GVK.Kind
	} else {
		tm := obj.GetTypeMeta()
		ref.APIVersion, ref.Kind = tm.APIVersion, tm.Kind
	}
	return ref
}

// truncate cuts s to at most n bytes without splitting a UTF-8 sequence.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
