package statefulset

import (
	"errors"
	"sync"
)

// DefaultMaxBatch is the most pods a Parallel StatefulSet creates or deletes at once:
// Kubernetes' MaxBatchSize.
const DefaultMaxBatch = 500

// slowStartBatch calls fn(i) for every i in [0, n), in batches of initial, 2×initial, 4×…
// calls at once (never more than maxBatch), each batch starting once the previous one has
// returned and only if none of its calls failed. It returns the number of calls that
// succeeded and the errors of the failing batch, joined. This is the StatefulSet
// controller's slowStartBatch: a set whose every create fails tries one pod, not hundreds.
func slowStartBatch(n, initial, maxBatch int, fn func(i int) error) (int, error) {
	successes := 0
	next := 0
	for batch := min(n, initial, maxBatch); batch > 0; batch = min(2*batch, n-next, maxBatch) {
		errs := make([]error, batch)
		var wg sync.WaitGroup
		for j := range batch {
			i := next + j
			wg.Go(func() { errs[j] = fn(i) })
		}
		wg.Wait()
		next += batch
		if err := errors.Join(errs...); err != nil {
			for _, e := range errs {
				if e == nil {
					successes++
				}
			}
			return successes, err
		}
		successes += batch
	}
	return successes, nil
}
