package history

import "errors"

// ErrNilCollisionCount is returned by History.Create without a collision count to bump.
var ErrNilCollisionCount = errors.New("history: collisionCount must not be nil")
