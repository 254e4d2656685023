package garbagecollector

import (
	"context"
	"reflect"
	"sync"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/scheme"
)

// source feeds the graph the changes of one kind.
type source interface {
	// start adds the graph's handler for the kind, running whatever informer it needs until
	// ctx is done (tracked by wg), and returns the handler's registration.
	start(ctx context.Context, g *graph, wg *sync.WaitGroup) (*informer.Registration, error)
}

// sharedSource watches a kind through the manager's shared informer of its Go type.
type sharedSource[T meta.Object] struct {
	gvk scheme.GroupVersionKind
	inf *informer.Informer[T]
}

func (s *sharedSource[T]) start(_ context.Context, g *graph, _ *sync.WaitGroup) (*informer.Registration, error) {
	return s.inf.AddHandler(handler[T]{g: g, gvk: s.gvk})
}

// privateSource watches a kind the factory cannot serve (no Go type known to this package:
// an Unstructured kind, or a user's own type) through an informer of its own, made anew for
// every run.
type privateSource struct {
	gvk   scheme.GroupVersionKind
	res   scheme.GroupResource
	src   informer.Source
	clock clock.Clock
	log   logr.Logger
}

func (s *privateSource) start(ctx context.Context, g *graph, wg *sync.WaitGroup) (*informer.Registration, error) {
	inf := informer.New(informer.FromSource[meta.Object](s.src, s.gvk, informer.Selection{}),
		informer.Options[meta.Object]{Resource: s.res, Clock: s.clock, Logger: s.log})
	reg, err := inf.AddHandler(handler[meta.Object]{g: g, gvk: s.gvk})
	if err != nil {
		return nil, err
	}
	wg.Go(func() { _ = inf.Run(ctx) })
	return reg, nil
}

// handler feeds one kind's changes to the graph. Resyncs (same resourceVersion) are skipped.
type handler[T meta.Object] struct {
	g   *graph
	gvk scheme.GroupVersionKind
}

func (h handler[T]) OnAdd(obj T, _ bool) { h.g.observe(h.gvk, obj) }

func (h handler[T]) OnUpdate(oldObj, newObj T) {
	if oldObj.GetResourceVersion() == newObj.GetResourceVersion() {
		return
	}
	h.g.observe(h.gvk, newObj)
}

func (h handler[T]) OnDelete(obj T, _ bool) { h.g.forget(obj) }

// sharedKinds are the Go types whose informers come from the manager's shared factory, so
// that the collector adds no cache of its own for them: the built-in kinds.
var sharedKinds = map[reflect.Type]func(f *informer.Factory, gvk scheme.GroupVersionKind) source{
	reflect.TypeFor[*core.Pod]():                   shared[*core.Pod],
	reflect.TypeFor[*core.Node]():                  shared[*core.Node],
	reflect.TypeFor[*core.Namespace]():             shared[*core.Namespace],
	reflect.TypeFor[*core.PersistentVolumeClaim](): shared[*core.PersistentVolumeClaim],
	reflect.TypeFor[*core.ConfigMap]():             shared[*core.ConfigMap],
	reflect.TypeFor[*core.Secret]():                shared[*core.Secret],
	reflect.TypeFor[*core.Service]():               shared[*core.Service],
	reflect.TypeFor[*core.Event]():                 shared[*core.Event],
	reflect.TypeFor[*apps.Deployment]():            shared[*apps.Deployment],
	reflect.TypeFor[*apps.ReplicaSet]():            shared[*apps.ReplicaSet],
	reflect.TypeFor[*apps.StatefulSet]():           shared[*apps.StatefulSet],
	reflect.TypeFor[*apps.DaemonSet]():             shared[*apps.DaemonSet],
	reflect.TypeFor[*apps.ControllerRevision]():    shared[*apps.ControllerRevision],
	reflect.TypeFor[*batch.Job]():                  shared[*batch.Job],
	reflect.TypeFor[*batch.CronJob]():              shared[*batch.CronJob],
	reflect.TypeFor[*coordination.Lease]():         shared[*coordination.Lease],
}

func shared[T meta.Object](f *informer.Factory, gvk scheme.GroupVersionKind) source {
	return &sharedSource[T]{gvk: gvk, inf: informer.For[T](f)}
}
