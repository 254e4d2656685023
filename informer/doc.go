// Package informer keeps read-only, indexed caches of stored objects up to date and tells
// controllers about every change: list-watch reflection, a thread-safe indexed cache, typed
// event handlers with resync, a shared informer factory and typed listers. Controllers read
// state from these caches, never from the store directly (../shared/spec/workqueue-informer.md
// §4–§7).
//
// # Basics
//
// A Factory hands out one Informer per kind, however many controllers ask:
//
//	f := informer.NewFactory(st, informer.FactoryOptions{DefaultResync: 10 * time.Minute})
//	pods := informer.For[*core.Pod](f)
//	_ = pods.AddIndexers(informer.Indexers[*core.Pod]{"nodeName": podsByNode})
//	reg, _ := pods.AddHandler(informer.HandlerFuncs[*core.Pod]{
//		AddFunc:    func(p *core.Pod, _ bool) { queue.Add(meta.Key(p)) },
//		UpdateFunc: func(_, p *core.Pod) { queue.Add(meta.Key(p)) },
//		DeleteFunc: func(p *core.Pod, _ bool) { queue.Add(meta.Key(p)) },
//	})
//	f.Start(ctx)
//	if err := f.WaitForCacheSync(ctx); err != nil { ... }
//	// reconcile with pods.Lister().Namespace(ns).Get(name) ...
//	f.Shutdown()
//
// Each informer runs a reflector: it lists the kind, applies the list to its Cache, then
// watches from the list's revision and applies each event. A watch that ends is resumed from
// the last revision seen; a revision the store has compacted (store.IsGone) makes it list
// again, and objects that vanished meanwhile are reported to OnDelete with
// finalStateUnknown=true and their last known state. Failed lists and watches back off on
// the clock (0.8 s doubling to 30 s, with jitter, reset after 2 min without failure).
//
// Each handler has its own goroutine and unbounded buffer: it sees every change of an object
// exactly once, in the order the informer applied them, and a slow handler delays nobody
// else. A handler added to a running informer first gets the cache replayed as OnAdd(obj,
// true). Its Registration tells when it has seen the initial list (HasSynced; WaitForSync
// waits for several) and removes it.
// A handler's resync period makes it get OnUpdate(obj, obj) for every cached object each
// period.
//
// # Caveats
//
// Objects from a cache — from Lister, Indexer and handler arguments — are shared with every
// other reader, and with the store when they came from a watch. Never modify one:
// DeepCopyObject first. With mutation detection on (MutationCheck; on by default in test
// binaries) a modification is reported by a panic naming the object's key.
//
// Transform functions must not modify their argument either; return a modified copy (see
// DropManagedFields).
//
// # Differences from client-go, on purpose
//
//   - Generic from the first line: Informer[T], Handler[T], Cache[T], Lister[T]. There is no
//     untyped twin, no interface{} to assert in handlers, and no DeletedFinalStateUnknown
//     wrapper: OnDelete gets the typed last state and a finalStateUnknown flag.
//   - No DeltaFIFO and no separate processing goroutine: the reflector applies each event to
//     the cache and queues it for the handlers in one step, which is what client-go's in-order
//     RealFIFO amounts to when handlers never block it. Replace (relist) and resync keep
//     client-go's semantics: listed objects that are cached become OnUpdate, vanished ones
//     tombstones.
//   - A handler's buffer is a slice swapped in batches by its one goroutine, not two
//     goroutines and two channels per handler.
//   - Each handler resyncs at its own period, even when added to a running informer with a
//     period shorter than the others' (client-go would raise it).
//   - A watch that fails with an error other than Gone is retried from the last revision
//     after a back-off, not by relisting: the store guarantees delivery from any retained
//     revision. Watches carry no client-side timeout.
//   - Informers stop with their Run context; Factory.Shutdown cancels them and waits.
//   - Mutation detection compares deep copies whenever an object is replaced or removed, at
//     every resync and when Run returns, rather than on a one-second timer; it is switched on
//     per cache (MutationCheck), by SKIFF_CACHE_MUTATION_DETECTOR, and by default in tests.
package informer
