package cronjob_test

import (
	"context"
	"log/slog"
	"slices"
	"testing"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/cronjob"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/controlplane/planetest"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/store/faultstore"
)

// TestFaultInjection runs CronJobs with a controller whose writes fail at random (20%
// conflicts, 10% transient errors): every run still creates exactly one Job, and the status
// records it.
func TestFaultInjection(t *testing.T) {
	p := planetest.Start(t, planetest.WithStartTime(midnight), planetest.WithConfig(func(c *controlplane.Config) {
		c.Nodes.Disabled, c.Scheduler.Disabled, c.Controllers.Disabled = true, true, true
	}))
	e := &env{Plane: p, t: t, ctx: context.Background(), cjs: client.For[*batch.CronJob](p.Client()), jobs: client.For[*batch.Job](p.Client())}
	fs := faultstore.New(p.Store(), faultstore.Options{Scheme: p.Scheme(), ConflictRate: 0.2, TransientRate: 0.1, Seed: 7})
	mgr, err := manager.New(manager.Options{Client: client.NewLocal(fs, p.Scheme()), Clock: p.Clock, Logger: logr.FromSlogHandler(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	if err := cronjob.Add(mgr, cronjob.Options{Location: time.UTC}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- mgr.Start(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("manager: %v", err)
		}
	})
	<-mgr.Ready()

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
	if c := fs.Counts(); c.Conflicts == 0 || c.Transients == 0 {
		t.Errorf("no faults injected: %+v", c)
	} else {
		t.Logf("%+v", c)
	}
}
