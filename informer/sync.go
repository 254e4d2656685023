package informer

import (
	"context"
	"fmt"

	"github.com/skiff-dev/skiff/api/meta"
)

// Syncer reports the end of an initial sync. *Informer and *Registration are Syncers.
type Syncer interface {
	// Synced returns a channel that is closed once the initial sync is done.
	Synced() <-chan struct{}
}

var (
	_ Syncer = (*Informer[meta.Object])(nil)
	_ Syncer = (*Registration)(nil)
)

// WaitForSync blocks until every Syncer has synced, or ctx is done. A controller calls it
// with its handlers' Registrations (which imply their informers) before starting workers.
// When ctx is done first, it returns an error wrapping ErrNotSynced and ctx.Err() that says
// how many had not synced.
func WaitForSync(ctx context.Context, syncers ...Syncer) error {
	for k, s := range syncers {
		select {
		case <-s.Synced():
		case <-ctx.Done():
			pending := 0
			for _, s := range syncers[k:] {
				select {
				case <-s.Synced():
				default:
					pending++
				}
			}
			return fmt.Errorf("%w: %d of %d: %w", ErrNotSynced, pending, len(syncers), ctx.Err())
		}
	}
	return nil
}
