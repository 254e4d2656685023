package informer

import (
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/scheme"
)

// MinResyncPeriod is the shortest resync period: shorter positive periods are raised to it.
const MinResyncPeriod = time.Second

// Options configure an Informer. The zero value is ready to use and means the defaults.
type Options[T meta.Object] struct {
	// Resource names the informer's kind in log messages and in the NotFound errors of its
	// Lister, e.g. {Resource: "pods"} or {Group: "apps", Resource: "deployments"}. Optional.
	Resource scheme.GroupResource

	// Clock drives resync and back-off. Default: clock.Real{}.
	Clock clock.Clock

	// Logger receives list and watch failures. Default: a logger writing to slog.Default().
	Logger logr.Logger

	// DefaultResync is the resync period of handlers added with AddHandler: every period,
	// such a handler gets OnUpdate(obj, obj) for every cached object. 0 means no resync;
	// positive periods below MinResyncPeriod are raised to it.
	DefaultResync time.Duration

	// Indexers are index functions to add besides NamespaceIndex. More can be added later
	// with AddIndexers.
	Indexers Indexers[T]

	// Transform, if set, is applied to every listed or watched object before it is cached
	// and handed to handlers, typically to drop fields no reader needs (see
	// DropManagedFields). Its argument may be shared with the source (a store hands the same
	// object to every watcher): it must not modify it, but return a modified copy, or the
	// argument itself when there is nothing to change. It runs on the informer's goroutine
	// with the informer's lock held: it must not call back into the informer.
	Transform func(T) T

	// MutationCheck says whether the cache detects modifications of cached objects.
	// Default: MutationCheckAuto (on in tests).
	MutationCheck MutationCheck
}

// Validate reports options that cannot work. Zero values are valid.
func (o Options[T]) Validate() error {
	if o.DefaultResync < 0 {
		return errors.New("informer: DefaultResync must not be negative")
	}
	for name, fn := range o.Indexers {
		if name == NamespaceIndex {
			return fmt.Errorf("%w: %q is built in", ErrIndexExists, name)
		}
		if fn == nil {
			return fmt.Errorf("informer: index %q has a nil IndexFunc", name)
		}
	}
	return nil
}

// withDefaults returns o with every zero field replaced by its default; the one place
// defaults are decided. It panics if o does not validate.
func (o Options[T]) withDefaults() Options[T] {
	if err := o.Validate(); err != nil {
		panic(fmt.Sprintf("informer.New: %v", err))
	}
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	if o.Logger.GetSink() == nil {
		o.Logger = logr.FromSlogHandler(slog.Default().Handler())
	}
	if o.Resource.Resource != "" {
		o.Logger = o.Logger.WithValues("resource", o.Resource.String())
	}
	o.DefaultResync = resyncPeriod(o.DefaultResync)
	return o
}

// resyncPeriod applies MinResyncPeriod.
func resyncPeriod(d time.Duration) time.Duration {
	if d > 0 && d < MinResyncPeriod {
		return MinResyncPeriod
	}
	return max(d, 0)
}
