// Package controller is skiff's controller runtime: a Controller runs a reconcile.Reconciler
// over a rate-limited work queue fed by informer events; a Builder wires one up the way
// controller-runtime's builder does; typed event handlers and predicates decide which events
// become which requests; Metrics exports controller-runtime's Prometheus metrics; an
// EventWriter records Kubernetes-style Events. It is what every built-in controller is made
// of, and what users write their own controllers with.
//
// # Basics
//
// A reconciler reads the state of one object from informer caches (listers) and writes
// through the client (see package reconcile for the contract). A Builder, given a manager,
// makes the controller that calls it:
//
//	c, err := controller.NewBuilder[*Website](mgr).
//		WithPredicates(controller.GenerationChanged[*Website]{}). // ignore status-only updates
//		Watch(controller.Owns[*apps.Deployment]()).                // a Deployment's changes reconcile its owner
//		Watch(controller.Watches(sitesUsingConfigMap)).            // map related objects to requests
//		WithWorkers(4).
//		Build(&WebsiteReconciler{...})
//
// Build registers one Source per kind on the manager's shared informers and adds the
// controller to the manager, which starts it (at once if it is running). Without a builder,
// New makes a controller and Watch adds its sources: Kind (an informer's events through an
// EventHandler and predicates), Channel (requests from outside the cluster) or any Source. Start registers the
// sources' handlers, waits for their initial lists (CacheSyncTimeout, on the clock: a kind
// that cannot sync fails Start with an error naming it), then runs the workers. Each worker
// takes a request from the queue and reconciles it; the outcome decides what happens next
// (see Controller): success forgets the request's back-off, RequeueAfter forgets and
// requeues after the delay, Requeue and errors requeue through the rate limiter, terminal
// errors are dropped, panics are recovered, logged with the stack, counted and retried. The
// queue never hands one request to two workers. Each reconcile gets a context that is
// cancelled when the controller stops and carries a logger with the keys controller,
// namespace, name and reconcileID (logr.FromContextOrDiscard). Stopping waits for the
// reconciles in flight.
//
// Controllers record events through an EventRecorder (a manager hands one out per
// component): Event(obj, core.EventTypeNormal, "Created", "Created deployment web"). The
// EventWriter behind it writes core.Event objects on its own goroutine, aggregating repeats
// into one object's count and lastTimestamp; recording never blocks, and events are dropped
// and counted when its buffer is full.
//
// # Caveats
//
// Objects handed to handlers, predicates and map functions, and those read from listers,
// are the informer cache's, shared with every other controller: never modify one;
// DeepCopyObject first, or change a fresh copy with client.GuaranteedUpdate.
//
// A zero logr.Logger in Options (which logr.Discard() also is) means the default logger;
// to silence a controller, pass a logger whose sink discards, such as
// logr.FromSlogHandler(slog.DiscardHandler).
//
// # Differences from controller-runtime, on purpose
//
//   - Typed from the first line: Builder[T], EventHandler[T], Predicate[T], MapFunc[T].
//     Owned and watched kinds are type parameters (Owns[*apps.Deployment]()), not object
//     values, so there are no type assertions in handlers. There are no untyped twins and
//     no "generic" events.
//   - One package instead of builder, controller, handler, predicate, source, metrics and
//     record; the builder declares the small Manager interface it needs instead of
//     importing the manager.
//   - Requests still queued when a controller stops are dropped rather than reconciled with
//     a cancelled context; the next run lists every object again.
//   - A Controller can be started again after it stopped (a manager does so when it regains
//     leadership, or when a removed controller is added back); its queue is made per run.
//   - What a panic does is one enum, Options.OnPanic (retry — the default —, forget or
//     crash), instead of controller-runtime's *bool RecoverPanic.
//   - Everything that waits — queue delays, back-off, the cache sync timeout, reconcile
//     durations — reads Options.Clock, so tests step a fake clock.
//   - Event aggregation is by identical event (object, type, reason, message, component),
//     with repeats merged before writing; client-go's similar-event grouping ("combined from
//     similar events") and spam filter are not reproduced.
//   - Metrics are registered per manager, never on the global Prometheus registry.
package controller
