package podcontrol

import "sync"

// SlowStartInitialBatchSize is the size of the first batch of SlowStartBatch in the workload
// controllers: one call, so that a write that cannot succeed fails once.
const SlowStartInitialBatchSize = 1

// SlowStartBatch calls fn count times, in batches that start at initialBatchSize and double
// each time (capped by what remains): 1, 2, 4, 8, ... The calls of a batch run concurrently;
// the next batch starts once they all returned, and only if none of them failed. It returns
// the number of calls that succeeded and the first error of the failing batch, if any. The
// calls never attempted (count minus the calls made) are for the caller to account for, as
// are the failed ones: successes tells how many creations to expect.
//
// This is Kubernetes' slowStartBatch (pkg/controller/replicaset): a controller whose every
// create fails (a quota, an admission hook) tries one pod, not hundreds, and the batches grow
// exponentially while creations succeed. count ≤ 0 or initialBatchSize ≤ 0 makes no call.
func SlowStartBatch(count, initialBatchSize int, fn func() error) (successes int, err error) {
	remaining := count
	for batch := min(remaining, initialBatchSize); batch > 0; batch = min(2*batch, remaining) {
		errs := make(chan error, batch)
		var wg sync.WaitGroup
		for range batch {
			wg.Go(func() {
				if err := fn(); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		failed := len(errs)
		successes += batch - failed
		if failed > 0 {
			return successes, <-errs
		}
		remaining -= batch
	}
	return successes, nil
}

// SlowStartBatchSizes returns the sizes of the batches SlowStartBatch makes for count calls
// that all succeed: for 500 and an initial size of 1, 1 2 4 8 16 32 64 128 245.
func SlowStartBatchSizes(count, initialBatchSize int) []int {
	var sizes []int
	remaining := count
	for batch := min(remaining, initialBatchSize); batch > 0; batch = min(2*batch, remaining) {
		sizes = append(sizes, batch)
		remaining -= batch
	}
	return sizes
}
