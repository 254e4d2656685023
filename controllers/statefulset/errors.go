package statefulset

import "errors"

// Errors of the controller's syncs. They are unexported: they are logged and retried, never
// returned to a caller.
var (
	// errReplaced aborts a write to an object that was deleted and created again under the
	// same name since it was read: the new object gets its own sync.
	errReplaced = errors.New("statefulset: the object was replaced")
	// errClaimDeleting means a claim a pod needs is being deleted: the pod waits for it to
	// go, then gets a new one.
	errClaimDeleting = errors.New("statefulset: claim is being deleted")
)
