package deployment_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

// checker watches every event of the pods of one Deployment (label app=<name>) — not samples:
// each change the store makes to them, in revision order — and checks the rollout invariants
// against the pods themselves after every event:
//
//   - surge: the active pods (not terminal, not terminating) are at most replicas + maxSurge;
//   - availability: the available pods (active and ready for minReadySeconds) are at least
//     replicas − maxUnavailable;
//   - no mixing (Recreate): never a pod of the old template alive (terminating included)
//     while one of the new template exists.
//
// Bounds are set by arm; until then only the extremes are recorded.
type checker struct {
	t    testing.TB
	p    *plane
	name string
	done chan struct{}
	stop context.CancelFunc

	// mu guards every field below.
	mu         sync.Mutex
	pods       map[meta.UID]*core.Pod
	events     int
	armed      bool
	maxTotal   int32 // active pods allowed (replicas + maxSurge); -1: unchecked
	minAvail   int32 // available pods required (replicas − maxUnavailable); -1: unchecked
	minReady   int32 // the Deployment's minReadySeconds
	noMixing   bool
	newHash    string // with noMixing: the new template's pod-template-hash, once known
	peakTotal  int32
	lowAvail   int32
	mixed      int // events at which old and new pods coexisted
	violations []string
	lastRev    uint64
	outOfOrder bool
}

// watchPods starts a checker of the named Deployment's pods from the store's current state.
func watchPods(t testing.TB, p *plane, name string) *checker {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	c := &checker{t: t, p: p, name: name, done: make(chan struct{}), stop: cancel,
		pods: map[meta.UID]*core.Pod{}, maxTotal: -1, minAvail: -1, lowAvail: 1 << 30}
	l, err := p.pods.List(ctx, store.ListOptions{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	for _, pod := range l.Items {
		if pod.Labels["app"] == name {
			c.pods[pod.UID] = pod
		}
	}
	w, err := p.pods.Watch(ctx, store.WatchOptions{Namespace: ns, ResourceVersion: l.ResourceVersion})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer close(c.done)
		for ev := range w.ResultChan() {
			switch ev.Type {
			case store.Error:
				c.mu.Lock()
				c.violations = append(c.violations, fmt.Sprintf("watch error: %v", ev.Err))
				c.mu.Unlock()
				return
			case store.Added, store.Modified, store.Deleted:
				if ev.Object.Labels["app"] == name {
					c.observe(ev.Type, ev.Revision, ev.Object)
				}
			}
		}
	}()
	t.Cleanup(c.close)
	return c
}

// arm sets the bounds checked from now on, for a Deployment of replicas with the given surge
// and unavailability, and checks the current state at once.
func (c *checker) arm(replicas, maxSurge, maxUnavailable, minReadySeconds int32) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.armed = true
	c.maxTotal, c.minAvail, c.minReady = replicas+maxSurge, replicas-maxUnavailable, minReadySeconds
	c.peakTotal, c.lowAvail = 0, 1<<30
	c.checkLocked("arm")
}

// armNoMixing checks, from now on, that pods of the template with pod-template-hash newHash
// never coexist with pods of another template.
func (c *checker) armNoMixing(newHash string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.armed, c.noMixing, c.newHash = true, true, newHash
	c.checkLocked("arm")
}

func (c *checker) observe(typ store.EventType, rev uint64, pod *core.Pod) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.events++
	if rev <= c.lastRev {
		c.outOfOrder = true
	}
	c.lastRev = rev
	if typ == store.Deleted {
		delete(c.pods, pod.UID)
	} else {
		c.pods[pod.UID] = pod
	}
	c.checkLocked(fmt.Sprintf("%s %s (rv %s)", typ, pod.Name, pod.ResourceVersion))
}

// checkLocked checks the invariants on the current pods.
func (c *checker) checkLocked(at string) {
	var total, available int32
	var oldAlive, newAlive int
	now := c.p.clock.Now()
	for _, pod := range c.pods {
		if core.IsPodActive(pod) {
			total++
			if core.IsPodAvailable(pod, c.minReady, now) {
				available++
			}
		}
		if c.noMixing && !core.IsPodTerminal(pod) {
			if pod.Labels[apps.DefaultDeploymentUniqueLabelKey] == c.newHash {
				newAlive++
			} else {
				oldAlive++
			}
		}
	}
	if !c.armed {
		return
	}
	c.peakTotal = max(c.peakTotal, total)
	c.lowAvail = min(c.lowAvail, available)
	if c.maxTotal >= 0 && total > c.maxTotal && len(c.violations) < 20 {
		c.violations = append(c.violations, fmt.Sprintf("at %s: %d active pods > %d", at, total, c.maxTotal))
	}
	if c.minAvail >= 0 && available < c.minAvail && len(c.violations) < 20 {
		c.violations = append(c.violations, fmt.Sprintf("at %s: %d available pods < %d", at, available, c.minAvail))
	}
	if c.noMixing && oldAlive > 0 && newAlive > 0 {
		c.mixed++
		if len(c.violations) < 20 {
			c.violations = append(c.violations, fmt.Sprintf("at %s: %d old and %d new pods at once", at, oldAlive, newAlive))
		}
	}
}

// result stops the checker and returns the violations seen, the number of events, the peak of
// active pods and the low of available pods while armed.
func (c *checker) result() (violations []string, events int, peak, low int32) {
	c.close()
	c.mu.Lock()
	defer c.mu.Unlock()
	violations = append(violations, c.violations...)
	if c.outOfOrder {
		violations = append(violations, "pod events arrived out of revision order")
	}
	return violations, c.events, c.peakTotal, c.lowAvail
}

// report is result for a test: each violation fails it.
func (c *checker) report() (events int, peak, low int32) {
	c.t.Helper()
	violations, events, peak, low := c.result()
	for _, v := range violations {
		c.t.Error(v)
	}
	return events, peak, low
}

func (c *checker) close() {
	c.stop()
	<-c.done
}
