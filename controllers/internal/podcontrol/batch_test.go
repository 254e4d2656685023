package podcontrol_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
)

// TestSlowStartBatch is Kubernetes' TestSlowStartBatch (pkg/controller/replicaset): the calls
// made, the successes and the error when the calls past a limit fail.
func TestSlowStartBatch(t *testing.T) {
	errFake := errors.New("fake error")
	tests := []struct {
		name          string
		count, limit  int
		wantSuccesses int
		wantErr       error
		wantCalls     int
	}{
		{"all fail", 10, 0, 0, errFake, 1},     // the first batch only
		{"all succeed", 10, 10, 10, nil, 10},   // 1 + 2 + 4 + 3
		{"some succeed", 10, 5, 5, errFake, 7}, // 1 + 2 + 4: the third batch has failures
		{"nothing to do", 0, 0, 0, nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			calls := 0
			fn := func() error {
				mu.Lock()
				defer mu.Unlock()
				calls++
				if calls > tt.limit {
					return errFake
				}
				return nil
			}
			got, err := podcontrol.SlowStartBatch(tt.count, podcontrol.SlowStartInitialBatchSize, fn)
			if got != tt.wantSuccesses || !errors.Is(err, tt.wantErr) || calls != tt.wantCalls {
				t.Fatalf("SlowStartBatch = %d, %v after %d calls; want %d, %v after %d", got, err, calls, tt.wantSuccesses, tt.wantErr, tt.wantCalls)
			}
		})
	}
}

func TestSlowStartBatchSizes(t *testing.T) {
	tests := []struct {
		count, initial int
		want           string
	}{
		{500, 1, "[1 2 4 8 16 32 64 128 245]"}, // one ReplicaSet sync at burstReplicas
		{10, 1, "[1 2 4 3]"},
		{1, 1, "[1]"},
		{0, 1, "[]"},
		{7, 2, "[2 4 1]"},
		{5, 0, "[]"},
	}
	for _, tt := range tests {
		if got := fmt.Sprint(podcontrol.SlowStartBatchSizes(tt.count, tt.initial)); got != tt.want {
			t.Errorf("SlowStartBatchSizes(%d, %d) = %s, want %s", tt.count, tt.initial, got, tt.want)
		}
	}
}

// TestSlowStartBatchConcurrency checks that the calls of a batch run at once (each waits for
// the whole batch to have started) and that a batch starts only once the previous one has
// returned.
func TestSlowStartBatchConcurrency(t *testing.T) {
	const count = 15
	sizes := podcontrol.SlowStartBatchSizes(count, 1) // 1 2 4 8
	var ends []int                                    // cumulative calls at the end of each batch
	for i, s := range sizes {
		prev := 0
		if i > 0 {
			prev = ends[i-1]
		}
		ends = append(ends, prev+s)
	}
	var (
		mu              sync.Mutex
		cond            = sync.NewCond(&mu)
		started, ended  int
		failures        []string
		deadline        = time.Now().Add(10 * time.Second)
		timedOutWaiting bool
	)
	fn := func() error {
		mu.Lock()
		defer mu.Unlock()
		started++
		b := 0
		for started > ends[b] {
			b++
		}
		if b > 0 && ended != ends[b-1] {
			failures = append(failures, fmt.Sprintf("call %d of batch %d started with %d calls ended, want %d", started, b, ended, ends[b-1]))
		}
		cond.Broadcast()
		for started < ends[b] && !timedOutWaiting {
			if time.Now().After(deadline) {
				timedOutWaiting = true
				break
			}
			// Wake up regularly to check the deadline: a serial batch would never fill up.
			wake := time.AfterFunc(10*time.Millisecond, cond.Broadcast)
			cond.Wait()
			wake.Stop()
		}
		ended++
		return nil
	}
	if n, err := podcontrol.SlowStartBatch(count, 1, fn); n != count || err != nil {
		t.Fatalf("SlowStartBatch = %d, %v", n, err)
	}
	if timedOutWaiting {
		t.Fatal("the calls of a batch did not run concurrently")
	}
	for _, f := range failures {
		t.Error(f)
	}
}
