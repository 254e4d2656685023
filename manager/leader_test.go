package manager_test

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/manager/leaderelection"
)

// TestLeaderElection runs two managers with leader election on one store: exactly one runs
// the runnables that need a leader (both run the others); when the leader stops, the other
// takes over within the lease duration, and at no moment do both lead.
func TestLeaderElection(t *testing.T) {
	clk := clock.NewFake(epoch)
	c := openStore(t, nil, clock.NewFake(epoch))
	var leading, violations atomic.Int32
	type member struct {
		m        *manager.Manager
		r        *running
		ctrl     *probe // needs a leader
		anywhere *probe // runs without one
	}
	var ms []*member
	for i := range 2 {
		m := newManager(t, c, clk, func(o *manager.Options) {
			o.Identity = fmt.Sprint("manager-", i)
			o.LeaderElection = manager.LeaderElection{Enabled: true}
		})
		mb := &member{m: m, ctrl: &probe{name: "ctrl", leader: true, shared: &leading, violations: &violations},
			anywhere: &probe{name: "anywhere"}}
		_ = m.Add(mb.ctrl)
		_ = m.Add(mb.anywhere)
		mb.r = start(t, m)
		waitFor(t, "ready", m.Ready())
		ms = append(ms, mb)
	}
	// settled: every running manager is asleep on its election timer (the leader also on
	// its renew deadline) and runs the leader's runnables exactly while it says it leads.
	// The fake clock moves only then, as a real one would not run ahead of them.
	settled := func() bool {
		want := 0
		for _, mb := range ms {
			select {
			case <-mb.r.done:
				continue
			default:
			}
			leads := mb.m.IsLeader()
			if leads != (mb.ctrl.running.Load() == 1) {
				return false
			}
			want++
			if leads {
				want++
			}
		}
		return clk.Waiters() == want
	}
	eventually(t, "one leader", func() bool { return leading.Load() == 1 && settled() })
	for range 10 { // renewals: still exactly one
		clk.Step(leaderelection.DefaultRetryPeriod)
		eventually(t, "the managers to settle", settled)
		if leading.Load() != 1 {
			t.Fatalf("%d leaders", leading.Load())
		}
	}
	var leader, follower *member
	for _, mb := range ms {
		if mb.anywhere.running.Load() != 1 {
			t.Fatalf("%s does not run the runnable that needs no leader", mb.m.Identity())
		}
		if mb.m.IsLeader() {
			leader = mb
		} else {
			follower = mb
		}
	}
	if leader == nil || follower == nil || leader.ctrl.running.Load() != 1 || follower.ctrl.running.Load() != 0 {
		t.Fatal("not exactly one leader running the leader's runnables")
	}

	// The leader stops: its runnables stop, then it releases the lease.
	if err := leader.r.stop(); err != nil {
		t.Fatal(err)
	}
	var waited time.Duration
	for follower.ctrl.running.Load() == 0 {
		if waited >= leaderelection.DefaultLeaseDuration {
			t.Fatalf("no hand-over within the lease duration")
		}
		clk.Step(time.Second)
		waited += time.Second
		eventually(t, "the follower to settle", settled)
	}
	if !follower.m.IsLeader() {
		t.Fatal("the new leader does not say it leads")
	}
	t.Logf("hand-over after %v of fake time", waited)
	if violations.Load() != 0 {
		t.Fatal("both managers led at once")
	}
}
