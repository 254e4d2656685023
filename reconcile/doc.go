// Package reconcile defines the contract between a controller and the code that does its work:
// a Reconciler is called with a Request naming one object and returns a Result.
//
// Reconcilers are level-based: a Request says only "look at this object", never what changed,
// so a Reconciler reads the current state (from informer caches), compares it with the desired
// state and acts to close the gap. It must be idempotent: it may be called many times for one
// change, or once for many changes.
//
// What the controller does with the result of Reconcile:
//   - err == nil and Result.RequeueAfter == 0: done; the key's back-off history is forgotten.
//   - err == nil and Result.RequeueAfter > 0: forgotten, then requeued after that delay.
//   - err == nil and Result.Requeue: requeued at once through the rate limiter (back-off).
//   - err != nil: requeued through the rate limiter (exponential back-off per key); the
//     Result is ignored.
//   - a TerminalError: logged and counted, but not retried; the key is forgotten.
//
// Differences from controller-runtime, on purpose: the same shape (Request, Result, Func,
// TerminalError), but Result.Requeue is only a request for a rate-limited retry without an
// error and is documented as such — there is no Requeue/RequeueAfter ambiguity, because
// RequeueAfter wins when both are set.
package reconcile
