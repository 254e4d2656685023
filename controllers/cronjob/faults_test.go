package cronjob_test

import (
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/cronjob"
	"github.com/skiff-dev/skiff/controllers/internal/managertest"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/store/faultstore"
)

// TestFaultInjection runs CronJobs with a controller whose writes fail at random (20%
// conflicts, 10% transient errors): every run still creates exactly one Job, and the status
// records it.
func TestFaultInjection(t *testing.T) {
	e := envOn(t, planetest.Start(t, planeOptions(midnight)...))
	f := managertest.NewFaulty(t, e.Store(), e.Clock, faultstore.Options{Scheme: e.Scheme(), ConflictRate: 0.2, TransientRate: 0.1, Seed: 7})
	if err := cronjob.Add(f.Manager, cronjob.Options{Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	f.Start(t)
	e.faulty = f.Manager

	names := []string{"a", "b", "c", "d", "e"}
	for _, n := range names {
		e.create(newCronJob(n, "* * * * *"))
	}
	want := map[string][]string{}
	for m := 1; m <= 10; m++ {
		run := midnight.Add(time.Duration(m) * time.Minute)
		e.moveTo(run.Add(cronjob.NextScheduleDelta))
		for _, n := range names {
			want[n] = append(want[n], cronjob.JobName(n, run))
			e.waitJobs(n, want[n]...)
			e.Eventually(func() bool {
				cj := e.getCronJob(n)
				return cj.Status.LastScheduleTime.Equal(new(meta.NewTime(run))) && len(cj.Status.Active) == m
			}, e.tick(), planetest.Message("%s recorded the run of minute %d", n, m))
		}
	}
	for _, n := range names {
		var active []string
		for _, r := range e.getCronJob(n).Status.Active {
			active = append(active, r.Name)
		}
		slices.Sort(active)
		if !slices.Equal(active, want[n]) {
			t.Errorf("%s: active %v, want %v", n, active, want[n])
		}
	}
	if c := f.Faults.Counts(); c.Conflicts == 0 || c.Transients == 0 {
		t.Errorf("no faults injected: %+v", c)
	} else {
		t.Logf("%+v", c)
	}
}
