package job

import (
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/reconcile"
)

// finalizerExpectations remembers, per Job, the pods whose tracking finalizer the controller
// removed but whose update the pod cache does not show yet (Kubernetes'
// uidTrackingExpectations). A sync treats those pods as already counted, so that a stale
// cache never makes it count a pod twice. It is safe for concurrent use: the pod event
// handler observes while workers expect.
//
// Unlike the shared expectations package, these never time out and never block a sync: they
// only hide pods from the counting, and every removal is observed (or given back when the
// write failed).
type finalizerExpectations struct {
	// mu guards uids.
	mu   sync.Mutex
	uids map[reconcile.Request]map[meta.UID]struct{}
}

func newFinalizerExpectations() *finalizerExpectations {
	return &finalizerExpectations{uids: map[reconcile.Request]map[meta.UID]struct{}{}}
}

// expectRemovals records that the finalizers of these pods of key are being removed.
func (e *finalizerExpectations) expectRemovals(key reconcile.Request, uids []meta.UID) {
	e.mu.Lock()
	defer e.mu.Unlock()
	set := e.uids[key]
	if set == nil {
		set = make(map[meta.UID]struct{}, len(uids))
		e.uids[key] = set
	}
	for _, u := range uids {
		set[u] = struct{}{}
	}
}

// removalObserved records that the pod's finalizer is seen removed (or that its removal
// failed).
func (e *finalizerExpectations) removalObserved(key reconcile.Request, uid meta.UID) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if set := e.uids[key]; set != nil {
		delete(set, uid)
		if len(set) == 0 {
			delete(e.uids, key)
		}
	}
}

// expected returns a copy of the UIDs of key whose removal is not observed yet.
func (e *finalizerExpectations) expected(key reconcile.Request) map[meta.UID]struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	set := e.uids[key]
	out := make(map[meta.UID]struct{}, len(set))
	for u := range set {
		out[u] = struct{}{}
	}
	return out
}

// forget drops key's record, for a deleted Job.
func (e *finalizerExpectations) forget(key reconcile.Request) {
	e.mu.Lock()
	defer e.mu.Unlock()
	delete(e.uids, key)
}
