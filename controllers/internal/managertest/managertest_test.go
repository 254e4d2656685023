package managertest_test

import (
	"context"
	"fmt"
	"testing"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/store/faultstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func configMap(name string) *core.ConfigMap {
	return &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name}}
}

// TestStartAndStop runs a manager and stops it early: Stop waits for it, may be repeated,
// and the cleanup that stops it again finds nothing wrong.
func TestStartAndStop(t *testing.T) {
	env := managertest.New(t, managertest.Options{Quiet: true})
	r := managertest.Run(t, env.Manager)
	select {
	case <-env.Manager.Ready():
	default:
		t.Fatal("Run returned before the manager was ready")
	}
	if err := r.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := r.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
}

// TestFaultyInjectsFaults writes through a faulty manager that fails every write, and
// through the store under it, which does not.
func TestFaultyInjectsFaults(t *testing.T) {
	env := managertest.New(t, managertest.Options{Quiet: true})
	f := managertest.NewFaulty(t, env.Store, env.Clock, faultstore.Options{Scheme: env.Manager.Scheme(), TransientRate: 1})
	f.ExpectFaults(t)
	f.Start(t)
	ctx := context.Background()
	if _, err := client.For[*core.ConfigMap](f.Manager.Client()).Create(ctx, configMap("a")); err == nil {
		t.Fatal("a write through the faulty manager succeeded at a transient rate of 1")
	}
	if n := f.Faults.Counts(); n.Transients != 1 || n.Passed != 0 {
		t.Errorf("counts %+v, want one transient error and nothing passed", n)
	}
	if _, err := client.For[*core.ConfigMap](env.Client).Create(ctx, configMap("b")); err != nil {
		t.Fatalf("a write under the faults failed: %v", err)
	}
	f.Faults.SetRates(0, 0)
	if _, err := client.For[*core.ConfigMap](f.Manager.Client()).Create(ctx, configMap("c")); err != nil {
		t.Fatalf("a write through the calmed faulty manager failed: %v", err)
	}
	if err := f.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
}

// TestFaultyFailsEarly checks that a faulty manager without a seed fails one of its first
// three writes even at a low rate, and that the schedule is the same for the same test.
func TestFaultyFailsEarly(t *testing.T) {
	env := managertest.New(t, managertest.Options{Quiet: true})
	var first []error
	for round := range 2 {
		f := managertest.NewFaulty(t, env.Store, env.Clock, faultstore.Options{Scheme: env.Manager.Scheme(), TransientRate: 0.01})
		var errs []error
		for i := range 3 {
			name := fmt.Sprintf("early-%d-%d", round, i)
			_, err := client.For[*core.ConfigMap](client.NewLocal(f.Faults, env.Manager.Scheme())).Create(context.Background(), configMap(name))
			errs = append(errs, err)
		}
		if n := f.Faults.Counts(); n.Transients == 0 {
			t.Fatalf("round %d: no fault in the first three writes at 1%%: %+v", round, n)
		}
		if round == 0 {
			first = errs
			continue
		}
		for i := range errs {
			if (errs[i] == nil) != (first[i] == nil) {
				t.Errorf("write %d: %v, the first schedule gave %v", i, errs[i], first[i])
			}
		}
	}
}

// TestSettle checks that Revision moves with every write and that Settle returns once the
// writes stop.
func TestSettle(t *testing.T) {
	env := managertest.New(t, managertest.Options{Quiet: true})
	before := managertest.Revision(t, env.Client)
	if _, err := client.For[*core.ConfigMap](env.Client).Create(context.Background(), configMap("a")); err != nil {
		t.Fatal(err)
	}
	after := managertest.Revision(t, env.Client)
	if after <= before {
		t.Fatalf("revision %d after a write, %d before", after, before)
	}
	managertest.Settle(t, env.Client, env.Manager)
	if got := managertest.Revision(t, env.Client); got != after {
		t.Errorf("revision %d after Settle, want %d: nothing else writes", got, after)
	}
}
