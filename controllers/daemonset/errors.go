package daemonset

import "errors"

// errReplaced aborts a write to an object that was deleted and created again under the same
// name since it was read: the new object gets its own sync. It is logged and retried, never
// returned to a caller.
var errReplaced = errors.New("daemonset: the object was replaced")
