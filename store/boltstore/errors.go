package boltstore

import "errors"

// ErrLocked is returned (wrapped) by Open when another process, or another Open in this
// process, has the data directory open: bbolt's file lock could not be taken within
// Options.LockTimeout.
var ErrLocked = errors.New("boltstore: data directory is locked")

// ErrCorrupt is returned (wrapped) by Open when the data file does not hold what this package
// writes: an unknown format version, a malformed record, or a gap in the revision log.
var ErrCorrupt = errors.New("boltstore: corrupt data")
