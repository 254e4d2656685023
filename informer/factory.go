package informer

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
)

// FactoryOptions configure a Factory. The zero value is ready to use and means the defaults.
type FactoryOptions struct {
	// Scheme maps Go types to kinds. Default: scheme.NewBuiltin().
	Scheme *scheme.Scheme
	// Clock drives every informer's resync and back-off. Default: clock.Real{}.
	Clock clock.Clock
	// Logger receives the informers' list and watch failures. Default: slog.Default().
	Logger logr.Logger
	// DefaultResync is every informer's Options.DefaultResync.
	DefaultResync time.Duration
	// Namespace restricts the informers of namespaced kinds to one namespace; "" means all.
	Namespace string
	// Transform, if set, is every informer's Options.Transform. It must return an object of
	// the type it was given, and must not modify its argument (see Options.Transform).
	Transform func(meta.Object) meta.Object
	// MutationCheck is every informer's Options.MutationCheck.
	MutationCheck MutationCheck
}

// Factory hands out one shared Informer per kind, however many controllers ask for it, and
// runs them. Get informers with For before Start; informers asked for after Start run from
// the next Start.
//
// A Factory is safe for concurrent use.
type Factory struct {
	src  Source
	opts FactoryOptions

	// mu guards informers, order, shutdown and cancels.
	mu        sync.Mutex
	informers map[reflect.Type]*factoryInformer
	order     []*factoryInformer // creation order, for stable messages
	shutdown  bool
	cancels   []context.CancelFunc

	// running tracks the informers' Run calls.
	running sync.WaitGroup
}

// factoryInformer is one of a Factory's informers, without its type parameter.
type factoryInformer struct {
	name    string // the kind, e.g. "Pod.v1"
	inf     runner
	started bool // guarded by Factory.mu
}

// runner is the untyped part of an *Informer[T] a Factory needs.
type runner interface {
	Run(ctx context.Context) error
	Synced() <-chan struct{}
}

// NewFactory returns a factory of informers over src. It starts nothing.
func NewFactory(src Source, opts FactoryOptions) *Factory {
	if opts.Scheme == nil {
		opts.Scheme = scheme.NewBuiltin()
	}
	if opts.Clock == nil {
		opts.Clock = clock.Real{}
	}
	return &Factory{src: src, opts: opts, informers: map[reflect.Type]*factoryInformer{}}
}

// For returns f's informer of T (for example *core.Pod), creating it on first use. T must be
// registered in the factory's scheme; For panics otherwise, as a wiring mistake. Unstructured
// kinds share one Go type and cannot be told apart by it: build their informers with New and
// FromSource.
func For[T meta.Object](f *Factory) *Informer[T] {
	rt := reflect.TypeFor[T]()
	f.mu.Lock()
	defer f.mu.Unlock()
	if fi, ok := f.informers[rt]; ok {
		return fi.inf.(*Informer[T])
	}
	if rt == reflect.TypeFor[*scheme.Unstructured]() {
		panic("informer.For: *scheme.Unstructured names no kind; use New with FromSource")
	}
	var zero T
	info, err := f.opts.Scheme.ForObject(zero)
	if err != nil {
		panic(fmt.Sprintf("informer.For[%v]: %v", rt, err))
	}
	sel := Selection{}
	if info.Namespaced {
		sel.Namespace = f.opts.Namespace
	}
	opts := Options[T]{
		Resource:      info.GroupResource(),
		Clock:         f.opts.Clock,
		Logger:        f.opts.Logger,
		DefaultResync: f.opts.DefaultResync,
		MutationCheck: f.opts.MutationCheck,
	}
	if tf := f.opts.Transform; tf != nil {
		opts.Transform = func(o T) T { return tf(o).(T) }
	}
	inf := New(FromSource[T](f.src, info.GVK, sel), opts)
	fi := &factoryInformer{name: info.GVK.String(), inf: inf}
	f.informers[rt] = fi
	f.order = append(f.order, fi)
	return inf
}

// Start runs every informer not yet running, each until ctx is done or Shutdown. It does
// not block. After Shutdown it does nothing.
func (f *Factory) Start(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.shutdown {
		return
	}
	ctx, cancel := context.WithCancel(ctx)
	f.cancels = append(f.cancels, cancel)
	for _, fi := range f.order {
		if fi.started {
			continue
		}
		fi.started = true
		f.running.Go(func() { _ = fi.inf.Run(ctx) })
	}
}

// WaitForCacheSync blocks until every started informer has synced, or ctx is done. In the
// latter case it returns an error wrapping ErrNotSynced and ctx.Err() that names the kinds
// that had not synced.
func (f *Factory) WaitForCacheSync(ctx context.Context) error {
	f.mu.Lock()
	var started []*factoryInformer
	for _, fi := range f.order {
		if fi.started {
			started = append(started, fi)
		}
	}
	f.mu.Unlock()
	for k, fi := range started {
		select {
		case <-fi.inf.Synced():
		case <-ctx.Done():
			var names []string
			for _, fi := range started[k:] {
				select {
				case <-fi.inf.Synced():
				default:
					names = append(names, fi.name)
				}
			}
			slices.Sort(names)
			return fmt.Errorf("%w: %s: %w", ErrNotSynced, strings.Join(names, ", "), ctx.Err())
		}
	}
	return nil
}

// Shutdown stops every informer and waits for their goroutines to return. Later Starts do
// nothing. It is safe to call more than once.
func (f *Factory) Shutdown() {
	f.mu.Lock()
	f.shutdown = true
	for _, cancel := range f.cancels {
		cancel()
	}
	f.cancels = nil
	f.mu.Unlock()
	f.running.Wait()
}

// DropManagedFields is a Transform that drops metadata.managedFields, which skiff stores
// for compatibility but no controller reads. It returns obj itself when there is nothing to
// drop, and otherwise a shallow copy (sharing everything else with obj, which stays
// untouched). T must be a pointer to a struct.
func DropManagedFields[T meta.Object](obj T) T {
	if len(obj.GetObjectMeta().ManagedFields) == 0 {
		return obj
	}
	v := reflect.ValueOf(obj)
	cp := reflect.New(v.Elem().Type())
	cp.Elem().Set(v.Elem())
	out := cp.Interface().(T)
	out.GetObjectMeta().ManagedFields = nil
	return out
}
