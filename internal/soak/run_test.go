package soak

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

// TestRunEveryFaultAndOperation runs a short soak in real time on a few nodes, with a
// schedule that has each fault and each operation once, and expects no violation and
// convergence.
func TestRunEveryFaultAndOperation(t *testing.T) {
	sec := func(x float64) time.Duration { return time.Duration(x * float64(time.Second)) }
	sched := Schedule{
		Faults: []Fault{
			{At: sec(2), Kind: FaultStoreWrites, For: sec(4), Rate: 0.2},
			{At: sec(3), Kind: FaultHeartbeats, For: sec(3), Pick: 1},
			{At: sec(4), Kind: FaultPodCrash, Pick: 3},
			{At: sec(5), Kind: FaultManagerRestart},
			{At: sec(7), Kind: FaultPlaneKill},
		},
	}
	for i := range numOpKinds {
		op := Op{At: sec(1 + 0.5*float64(i)), Kind: i, Target: uint64(i), Value: 2}
		sched.Ops = append(sched.Ops, op)
	}
	var progress bytes.Buffer
	cfg := Config{Duration: sec(10), Seed: 1, Nodes: 4, ConvergeTimeout: 2 * time.Minute, DataDir: t.TempDir(), Progress: &progress}.withDefaults()
	sum, err := runSchedule(context.Background(), cfg, sched)
	if err != nil {
		t.Fatalf("run: %v\n%s", err, progress.String())
	}
	var out bytes.Buffer
	sum.Print(&out)
	t.Log("\n" + out.String())
	if !sum.OK() || !sum.Converged {
		t.Fatalf("violations or no convergence:\n%s\n%s", out.String(), progress.String())
	}
	for k := range numFaultKinds {
		if sum.Faults[k.String()] != 1 {
			t.Errorf("fault %s injected %d times, want 1", k, sum.Faults[k.String()])
		}
	}
	if len(sum.Handovers) != 1 {
		t.Errorf("%d hand-overs, want 1", len(sum.Handovers))
	}
	if sum.Acked == 0 || sum.Events == 0 || sum.Checks == 0 {
		t.Errorf("acknowledged writes %d, events %d, checks %d: all should be positive", sum.Acked, sum.Events, sum.Checks)
	}
	if !strings.Contains(progress.String(), "ledger verified after reopen 1") {
		t.Errorf("the ledger was not verified after the reopen:\n%s", progress.String())
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	_, err := Run(context.Background(), Config{Duration: -time.Second, Nodes: -1})
	if err == nil || !strings.Contains(err.Error(), "Duration") || !strings.Contains(err.Error(), "Nodes") {
		t.Fatalf("Run: %v, want an error naming Duration and Nodes", err)
	}
}
