package remote

import "errors"

// ErrInvalidConfig is wrapped by the error of New (and Config.Validate) for a configuration
// that cannot work.
var ErrInvalidConfig = errors.New("remote: invalid config")
