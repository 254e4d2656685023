package soak

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// step is one entry of the timeline play follows: an operation, or a fault's start or end.
type step struct {
	at    time.Duration
	op    *Op
	fault *Fault
	index int  // the fault's index in the schedule
	end   bool // the end of a fault that lasts
}

// timeline merges the schedule's operations, fault starts and fault ends in time order.
func timeline(s Schedule) []step {
	var steps []step
	for i := range s.Ops {
		steps = append(steps, step{at: s.Ops[i].At, op: &s.Ops[i]})
	}
	for i := range s.Faults {
		f := &s.Faults[i]
		steps = append(steps, step{at: f.At, fault: f, index: i})
		if f.For > 0 {
			steps = append(steps, step{at: f.At + f.For, fault: f, index: i, end: true})
		}
	}
	slices.SortStableFunc(steps, func(a, b step) int { return int(a.at - b.at) })
	return steps
}

// play follows the timeline in real time until its end or ctx is done. An entry that comes
// due while an earlier one still runs (a reopen takes seconds) runs late.
func (r *runner) play(ctx context.Context) {
	begin := time.Now()
	nodes := map[int]string{} // heartbeat fault → its node
	for _, s := range timeline(r.sched) {
		if wait := time.Until(begin.Add(s.at)); wait > 0 {
			select {
			case <-ctx.Done():
				return
			case <-time.After(wait):
			}
		}
		if ctx.Err() != nil {
			return
		}
		if s.op != nil {
			err := r.runOp(ctx, *s.op)
			r.mu.Lock()
			switch {
			case errors.Is(err, errSkipped):
				r.skipped++
			case err != nil:
				r.opErrors++
				r.log.Info("Operation failed", "op", s.op.Kind.String(), "err", err.Error())
			default:
				r.ops[s.op.Kind]++
			}
			r.mu.Unlock()
			continue
		}
		r.runFault(ctx, s, nodes)
		if r.fatal != nil {
			return
		}
	}
	if wait := time.Until(begin.Add(r.cfg.Duration)); wait > 0 {
		select {
		case <-ctx.Done():
		case <-time.After(wait):
		}
	}
}

// runFault starts or ends one fault.
func (r *runner) runFault(ctx context.Context, s step, nodes map[int]string) {
	f := s.fault
	defer func() {
		r.mu.Lock()
		r.lastFault = time.Now()
		r.mu.Unlock()
	}()
	if !s.end {
		r.mu.Lock()
		r.faults[f.Kind]++
		r.mu.Unlock()
	}
	switch f.Kind {
	case FaultStoreWrites:
		r.mu.Lock()
		if s.end {
			delete(r.rates, s.index)
		} else {
			r.rates[s.index] = f.Rate
		}
		r.applyRatesLocked()
		r.mu.Unlock()
		if !s.end {
			r.progress("fault: %.0f%% of controller writes fail for %v", 100*f.Rate, f.For)
		}

	case FaultHeartbeats:
		r.mu.Lock()
		host := r.plane.Kubelets()
		r.mu.Unlock()
		if s.end {
			node, ok := nodes[s.index]
			if !ok {
				return
			}
			delete(nodes, s.index)
			r.mu.Lock()
			r.silenced[node]--
			resume := r.silenced[node] <= 0
			if resume {
				delete(r.silenced, node)
			}
			r.mu.Unlock()
			if resume {
				_ = host.ResumeHeartbeats(node)
			}
			r.endDisruption()
			return
		}
		names := host.Nodes()
		slices.Sort(names)
		node, ok := pick(names, f.Pick)
		if !ok {
			return
		}
		r.startDisruption()
		if err := host.StopHeartbeats(node); err != nil {
			r.endDisruption()
			return
		}
		nodes[s.index] = node
		r.mu.Lock()
		r.silenced[node]++
		r.mu.Unlock()
		r.progress("fault: node %s stops its heartbeats for %v", node, f.For)

	case FaultPodCrash:
		c, err := r.client(ctx)
		if err != nil {
			return
		}
		l, err := client.For[*core.Pod](c).List(ctx, store.ListOptions{Namespace: Namespace})
		if err != nil {
			return
		}
		p, ok := pickPod(l.Items, f.Pick)
		if !ok {
			return
		}
		r.startDisruption()
		_, err = client.For[*core.Pod](c).Delete(ctx, p.Namespace, p.Name, client.GracePeriod(0))
		r.endDisruption()
		if err == nil {
			r.progress("fault: pod %s crashed", p.Name)
		}

	case FaultManagerRestart:
		if _, ok := r.waitLeader(ctx, 2*leaseDuration); !ok {
			r.progress("fault: no manager leads; nothing to restart")
			return
		}
		r.mu.Lock()
		leader := r.leaderLocked()
		r.managers = slices.DeleteFunc(r.managers, func(m *managerRun) bool { return m == leader })
		r.mu.Unlock()
		start := time.Now()
		if err := stopManager(leader); err != nil {
			r.log.Error(err, "Stopping the leading manager", "manager", leader.id)
		}
		_, ok := r.waitLeader(ctx, 3*leaseDuration)
		took := time.Since(start) // from the stop's start
		r.mu.Lock()
		if ok {
			r.handovers = append(r.handovers, took)
		}
		r.mu.Unlock()
		r.progress("fault: leading manager %s restarted; hand-over in %v", leader.id, took.Round(time.Millisecond))
		if err := r.addManager(ctx); err != nil {
			r.log.Error(err, "Starting a manager")
		}

	case FaultPlaneKill:
		r.startDisruption()
		r.progress("fault: plane killed")
		start := time.Now()
		r.kill()
		r.mu.Lock()
		clear(r.silenced) // the new kubelets send heartbeats
		r.mu.Unlock()
		if err := r.reopen(ctx); err != nil {
			r.fatal = fmt.Errorf("soak: reopening the plane: %w", err)
			return
		}
		took, _ := r.waitLeader(ctx, 3*leaseDuration)
		r.endDisruption()
		r.progress("plane reopened in %v; a manager leads after %v more", time.Since(start).Round(time.Millisecond)-took.Round(time.Millisecond), took.Round(time.Millisecond))
	}
}

// startDisruption disarms the Deployment checks until the disruption ends.
func (r *runner) startDisruption() {
	r.checkMu.Lock()
	r.checker.StartDisruption()
	r.checkMu.Unlock()
}

// endDisruption ends a disruption at the store's current revision.
func (r *runner) endDisruption() {
	rev := r.currentRevision()
	r.checkMu.Lock()
	r.checker.EndDisruption(rev, time.Now())
	r.checkMu.Unlock()
}
