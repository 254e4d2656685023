package scheduler

import (
	"context"
	"errors"
	"strings"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// task is a write for a worker: binding pod to node, or, when node is "", setting its
// PodScheduled condition to False with reason and message.
type task struct {
	key             string
	pod             *core.Pod
	node            string
	reason, message string
}

// scheduleLoop makes one scheduling attempt at a time, in queue order, and hands the
// resulting writes to the workers. Attempts are serial, as in kube-scheduler, so that each
// sees the pods placed by the previous ones; the writes, which wait for the disk, overlap.
func (s *Scheduler) scheduleLoop(ctx context.Context, tasks chan<- task) {
	for {
		key, ok := s.queue.pop()
		if !ok {
			return
		}
		if ctx.Err() != nil {
			s.queue.done(key)
			return
		}
		t, ok := s.scheduleOne(key)
		s.queue.done(key)
		if !ok {
			continue
		}
		select {
		case tasks <- t:
		case <-ctx.Done():
			if t.node != "" {
				s.cache.forget(t.pod.UID)
			}
			return
		}
	}
}

// scheduleOne is one attempt to place the pod of key. It reads only the informer cache and
// the scheduler's cache. On success the pod is assumed on the chosen node and the returned
// task binds it; when it fits nowhere it is parked, and the task, if any, records why.
func (s *Scheduler) scheduleOne(key string) (task, bool) {
	ns, name, _ := strings.Cut(key, "/")
	pod, err := s.podInf.Lister().Namespace(ns).Get(name)
	if err != nil || !s.responsibleFor(pod) {
		return task{}, false // deleted, bound or otherwise not ours any more
	}
	pi := NewPodInfo(pod)

	c := s.cache
	c.mu.Lock()
	if _, assumed := c.pods[pod.UID]; assumed {
		c.mu.Unlock()
		return task{}, false // being bound
	}
	node, fitErr := s.findNodeLocked(pi)
	if fitErr == nil {
		c.assumeLocked(pi, node)
	}
	c.mu.Unlock()

	if fitErr != nil {
		s.queue.park(key)
		msg := fitErr.Error()
		s.opts.Logger.V(2).Info("pod is unschedulable", "namespace", ns, "name", name, "message", msg)
		if !conditionDiffers(pod, core.PodReasonUnschedulable, msg) {
			return task{}, false
		}
		return task{key: key, pod: pod, reason: core.PodReasonUnschedulable, message: msg}, true
	}
	return task{key: key, pod: pod, node: node}, true
}

// findNodeLocked runs the filters on every node, scores the feasible ones and returns the
// best, or a FitError saying why none fits. Ties are broken at random, as in kube-scheduler.
// The caller holds cache.mu.
func (s *Scheduler) findNodeLocked(pi *PodInfo) (string, *FitError) {
	nodes := s.cache.list
	feasible := s.feasible[:0]
	var reasons map[string]int
	for _, n := range nodes {
		st := s.filterLocked(pi, n)
		if st == nil {
			feasible = append(feasible, n)
			continue
		}
		if reasons == nil {
			reasons = map[string]int{}
		}
		for _, r := range st.reasons {
			reasons[r]++
		}
	}
	s.feasible = feasible
	defer clear(feasible) // drop the references until the next attempt
	switch len(feasible) {
	case 0:
		return "", &FitError{NumAllNodes: len(nodes), Reasons: reasons}
	case 1:
		return feasible[0].node.Name, nil
	}

	total := resize(&s.total, len(feasible))
	clear(total)
	raw := resize(&s.raw, len(feasible))
	for k, sp := range s.scores {
		for i, n := range feasible {
			raw[i] = sp.Plugin.Score(pi, n)
		}
		if norm := s.normalizers[k]; norm != nil {
			norm.NormalizeScores(pi, raw)
		}
		for i, v := range raw {
			total[i] += v * sp.Weight
		}
	}
	best, ties := 0, 1
	for i := 1; i < len(total); i++ {
		switch {
		case total[i] > total[best]:
			best, ties = i, 1
		case total[i] == total[best]:
			ties++
			if s.rng.IntN(ties) == 0 {
				best = i
			}
		}
	}
	return feasible[best].node.Name, nil
}

// filterLocked runs the filters in order and returns the first rejection.
func (s *Scheduler) filterLocked(pi *PodInfo, n *NodeInfo) *Status {
	for _, f := range s.filters {
		if st := f.Filter(pi, n); st != nil {
			return st
		}
	}
	return nil
}

// resize returns *buf with length n, growing it if needed.
func resize(buf *[]int64, n int) []int64 {
	if cap(*buf) < n {
		*buf = make([]int64, n)
	}
	*buf = (*buf)[:n]
	return *buf
}

// run performs a task on a worker.
func (s *Scheduler) run(ctx context.Context, t task) {
	if t.node == "" {
		s.writeCondition(ctx, t.pod, t.reason, t.message)
		return
	}
	log := s.opts.Logger.WithValues("namespace", t.pod.Namespace, "name", t.pod.Name, "node", t.node)
	err := s.binder.Bind(ctx, t.pod, t.node)
	switch {
	case err == nil:
		s.queue.succeeded(t.key)
		log.V(4).Info("pod bound")
		return
	case errors.Is(err, ErrConditionNotSet):
		s.queue.succeeded(t.key)
		log.Error(err, "pod bound")
		return
	}
	// Not bound: give the room back, which may let parked pods fit.
	s.cache.forget(t.pod.UID)
	s.queue.moveAll()
	if ctx.Err() != nil || store.IsNotFound(err) || errors.Is(err, ErrAlreadyBound) || errors.Is(err, ErrPodDeleting) {
		log.V(2).Info("pod not bound", "reason", err.Error())
		return // the informer will tell what became of the pod
	}
	log.Error(err, "binding pod")
	s.queue.retry(t.key)
	if msg := err.Error(); conditionDiffers(t.pod, core.PodReasonSchedulerError, msg) {
		s.writeCondition(ctx, t.pod, core.PodReasonSchedulerError, msg)
	}
}

// conditionDiffers reports whether pod's PodScheduled condition is not already False with
// reason and message: only then is it written, so that retries do not rewrite it.
func conditionDiffers(pod *core.Pod, reason, message string) bool {
	c := core.GetPodCondition(&pod.Status, core.PodScheduled)
	return c == nil || c.Status != core.ConditionFalse || c.Reason != reason || c.Message != message
}

// writeCondition sets the pod's PodScheduled condition to False with reason and message, from
// the informer's copy and resourceVersion; on Conflict it reads the pod again and writes only
// if it is still the same pending pod.
func (s *Scheduler) writeCondition(ctx context.Context, pod *core.Pod, reason, message string) {
	cond := core.PodCondition{
		Type:               core.PodScheduled,
		Status:             core.ConditionFalse,
		Reason:             reason,
		Message:            message,
		LastTransitionTime: meta.NewTime(s.opts.Clock.Now()),
	}
	p := pod.DeepCopy()
	if !core.UpdatePodCondition(&p.Status, &cond) {
		return
	}
	_, err := s.pods.UpdateStatus(ctx, p)
	if store.IsConflict(err) {
		_, err = client.GuaranteedUpdateStatus(ctx, s.pods, pod.Namespace, pod.Name, func(cur *core.Pod) error {
			if cur.UID != pod.UID || !s.responsibleFor(cur) {
				return errSkipWrite
			}
			core.UpdatePodCondition(&cur.Status, &cond)
			return nil
		})
	}
	if err != nil && !errors.Is(err, errSkipWrite) && !store.IsNotFound(err) && ctx.Err() == nil {
		s.opts.Logger.Error(err, "writing PodScheduled condition", "namespace", pod.Namespace, "name", pod.Name)
	}
}
