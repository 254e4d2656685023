package cronjob_test

import (
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/cronjob"
	"github.com/skiff-dev/skiff/controlplane/planetest"
)

var midnight = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// TestEveryFiveMinutesForAnHour: "*/5 * * * *" over one hour creates exactly 12 Jobs, one per
// run, named after the scheduled minute, each at its run and not before. The controller does
// not poll: it syncs a handful of times per run, requeued for the next one.
func TestEveryFiveMinutesForAnHour(t *testing.T) {
	e := newEnv(t, midnight)
	e.create(newCronJob("five", "*/5 * * * *"))
	e.settle()
	reconcilesBefore := e.reconciles()
	var want []string
	for i := 1; i <= 12; i++ {
		run := midnight.Add(time.Duration(5*i) * time.Minute)
		e.moveTo(run.Add(-time.Millisecond))
		if got := e.jobNames("five"); !slices.Equal(got, want) {
			t.Fatalf("just before run %d: jobs %v, want %v", i, got, want)
		}
		e.moveTo(run.Add(cronjob.NextScheduleDelta))
		want = append(want, cronjob.JobName("five", run))
		e.waitJobs("five", want...)
	}
	if len(want) != 12 || want[0] != "five-28928165" || want[11] != "five-28928220" {
		t.Errorf("job names %v", want)
	}
	if n := e.reconciles() - reconcilesBefore; n > 12*5 {
		t.Errorf("%v reconciles for 12 runs: the controller polls", n)
	}
	var cj *batch.CronJob
	e.Eventually(func() bool {
		cj = e.getCronJob("five")
		return cj.Status.LastScheduleTime.Equal(new(meta.NewTime(midnight.Add(time.Hour)))) && len(cj.Status.Active) == 12
	}, e.tick(), planetest.Message("lastScheduleTime 01:00 and 12 active jobs"))
	j, err := e.jobs.Get(e.ctx, "default", "five-28928220")
	if err != nil {
		t.Fatal(err)
	}
	if j.Annotations[batch.CronJobScheduledTimestampAnnotation] != "2025-01-01T01:00:00Z" || j.Annotations["note"] != "from five" ||
		j.Labels["app"] != "five" || !meta.IsControlledBy(j, cj) {
		t.Errorf("job metadata %+v", j.ObjectMeta)
	}
}

// TestForbid: with concurrencyPolicy Forbid no run starts while a Job is active; once it
// finishes, the most recent missed run starts at once.
func TestForbid(t *testing.T) {
	e := newEnv(t, midnight)
	e.create(newCronJob("solo", "* * * * *", func(cj *batch.CronJob) { cj.Spec.ConcurrencyPolicy = batch.ForbidConcurrent }))
	minute := func(n int) time.Time { return midnight.Add(time.Duration(n) * time.Minute) }
	first := cronjob.JobName("solo", minute(1))
	e.moveTo(minute(1).Add(cronjob.NextScheduleDelta))
	e.waitJobs("solo", first)
	e.moveTo(minute(2).Add(cronjob.NextScheduleDelta))
	e.moveTo(minute(3).Add(cronjob.NextScheduleDelta))
	e.waitJobs("solo", first)
	// Events are written by the recorder's own goroutine, possibly after the store went
	// quiet: wait for this one (the clock stays put).
	e.Eventually(func() bool { return slices.Contains(e.events("solo"), "JobAlreadyActive") },
		planetest.Message("a JobAlreadyActive event"))
	e.finishJob(first, minute(1), true)
	e.waitJobs("solo", first, cronjob.JobName("solo", minute(3)))
	e.Eventually(func() bool {
		a := e.getCronJob("solo").Status.Active
		return len(a) == 1 && a[0].Name == cronjob.JobName("solo", minute(3))
	}, e.tick())
}

// TestReplace: with concurrencyPolicy Replace each run deletes the active Job first.
func TestReplace(t *testing.T) {
	e := newEnv(t, midnight)
	e.create(newCronJob("swap", "* * * * *", func(cj *batch.CronJob) { cj.Spec.ConcurrencyPolicy = batch.ReplaceConcurrent }))
	for n := 1; n <= 3; n++ {
		e.moveTo(midnight.Add(time.Duration(n)*time.Minute + cronjob.NextScheduleDelta))
		want := cronjob.JobName("swap", midnight.Add(time.Duration(n)*time.Minute))
		e.waitJobs("swap", want)
		e.Eventually(func() bool {
			a := e.getCronJob("swap").Status.Active
			return len(a) == 1 && a[0].Name == want
		}, e.tick())
	}
}

// TestHistoryLimits: finished Jobs beyond successfulJobsHistoryLimit and
// failedJobsHistoryLimit are deleted, oldest first.
func TestHistoryLimits(t *testing.T) {
	e := newEnv(t, midnight)
	e.create(newCronJob("hist", "* * * * *", func(cj *batch.CronJob) {
		cj.Spec.SuccessfulJobsHistoryLimit = new(int32(2))
		cj.Spec.FailedJobsHistoryLimit = new(int32(1))
	}))
	var names []string
	for n := 1; n <= 7; n++ {
		run := midnight.Add(time.Duration(n) * time.Minute)
		e.moveTo(run.Add(cronjob.NextScheduleDelta))
		name := cronjob.JobName("hist", run)
		names = append(names, name)
		e.Eventually(func() bool { return slices.Contains(e.jobNames("hist"), name) }, e.tick())
		e.finishJob(name, run, n%2 == 1) // minutes 1, 3, 5, 7 succeed; 2, 4, 6 fail
	}
	// Kept: the two newest successes (5, 7) and the newest failure (6).
	e.waitJobs("hist", names[4], names[5], names[6])
	e.Eventually(func() bool {
		cj := e.getCronJob("hist")
		return len(cj.Status.Active) == 0 && cj.Status.LastSuccessfulTime != nil
	}, e.tick(), planetest.Message("no active job and a lastSuccessfulTime"))
}

// TestStartingDeadline: a run missed by more than startingDeadlineSeconds is skipped; without
// a deadline, resuming runs the most recent missed schedule at once.
func TestStartingDeadline(t *testing.T) {
	e := newEnv(t, midnight)
	suspended := func(cj *batch.CronJob) { cj.Spec.Suspend = new(true) }
	e.create(newCronJob("strict", "0 * * * *", suspended, func(cj *batch.CronJob) { cj.Spec.StartingDeadlineSeconds = new(int64(300)) }))
	e.create(newCronJob("lax", "0 * * * *", suspended))
	e.moveTo(midnight.Add(time.Hour + 10*time.Minute)) // 01:00 was missed by 10 minutes
	for _, name := range []string{"strict", "lax"} {
		if _, err := client.GuaranteedUpdate(e.ctx, e.cjs, "default", name, func(cj *batch.CronJob) error {
			cj.Spec.Suspend = new(false)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	e.waitJobs("lax", cronjob.JobName("lax", midnight.Add(time.Hour)))
	e.settle()
	if got := e.jobNames("strict"); len(got) != 0 {
		t.Fatalf("strict: jobs %v for a run missed beyond its deadline", got)
	}
	e.moveTo(midnight.Add(2*time.Hour + cronjob.NextScheduleDelta))
	e.waitJobs("strict", cronjob.JobName("strict", midnight.Add(2*time.Hour)))
}

// TestRestartAfterOutage: a controller down for three hours starts only the most recent of
// the runs it missed when it comes back.
func TestRestartAfterOutage(t *testing.T) {
	e := newEnv(t, midnight)
	e.create(newCronJob("outage", "*/10 * * * *"))
	e.moveTo(midnight.Add(10*time.Minute + cronjob.NextScheduleDelta))
	e.waitJobs("outage", cronjob.JobName("outage", midnight.Add(10*time.Minute)))
	e.stopController()
	e.moveTo(midnight.Add(3*time.Hour + 15*time.Minute))
	e.startController()
	latest := midnight.Add(3*time.Hour + 10*time.Minute)
	e.waitJobs("outage", cronjob.JobName("outage", midnight.Add(10*time.Minute)), cronjob.JobName("outage", latest))
	e.Eventually(func() bool {
		return e.getCronJob("outage").Status.LastScheduleTime.Equal(new(meta.NewTime(latest)))
	}, planetest.Message("lastScheduleTime %v", latest), e.tick())
}

// TestTimeZoneAcrossDST: "0 9 * * *" in America/New_York fires at 14:00 UTC before the change
// to daylight saving time and at 13:00 UTC after it.
func TestTimeZoneAcrossDST(t *testing.T) {
	start := time.Date(2025, time.March, 8, 0, 0, 0, 0, time.UTC)
	e := newEnv(t, start)
	e.create(newCronJob("ny", "0 9 * * *", func(cj *batch.CronJob) { cj.Spec.TimeZone = new("America/New_York") }))
	before := time.Date(2025, time.March, 8, 14, 0, 0, 0, time.UTC)
	after := time.Date(2025, time.March, 9, 13, 0, 0, 0, time.UTC)
	e.moveTo(before.Add(-time.Second))
	if got := e.jobNames("ny"); len(got) != 0 {
		t.Fatalf("jobs %v before 09:00 EST", got)
	}
	e.moveTo(before.Add(cronjob.NextScheduleDelta))
	e.waitJobs("ny", cronjob.JobName("ny", before))
	e.moveTo(after.Add(-time.Second))
	e.waitJobs("ny", cronjob.JobName("ny", before))
	e.moveTo(after.Add(cronjob.NextScheduleDelta))
	e.waitJobs("ny", cronjob.JobName("ny", before), cronjob.JobName("ny", after))
	for name, want := range map[string]string{
		cronjob.JobName("ny", before): "2025-03-08T09:00:00-05:00",
		cronjob.JobName("ny", after):  "2025-03-09T09:00:00-04:00",
	} {
		j, err := e.jobs.Get(e.ctx, "default", name)
		if err != nil {
			t.Fatal(err)
		}
		if got := j.Annotations[batch.CronJobScheduledTimestampAnnotation]; got != want {
			t.Errorf("%s: scheduled timestamp %q, want %q", name, got, want)
		}
	}
}

// TestSuspendedCreatesNothing: a suspended CronJob creates nothing, however long.
func TestSuspendedCreatesNothing(t *testing.T) {
	e := newEnv(t, midnight)
	e.create(newCronJob("idle", "* * * * *", func(cj *batch.CronJob) { cj.Spec.Suspend = new(true) }))
	e.moveTo(midnight.Add(time.Hour))
	if got := e.jobNames("idle"); len(got) != 0 {
		t.Fatalf("a suspended CronJob created %v", got)
	}
}

// TestManualJob: a Job made by JobFromCronJob is created, left out of the active list and
// reported as unexpected, as in Kubernetes.
func TestManualJob(t *testing.T) {
	e := newEnv(t, midnight)
	cj := e.create(newCronJob("manual", "@yearly"))
	if _, err := e.jobs.Create(e.ctx, cronjob.JobFromCronJob(cj, "manual-now")); err != nil {
		t.Fatal(err)
	}
	e.waitJobs("manual", "manual-now")
	e.Eventually(func() bool { return slices.Contains(e.events("manual"), "UnexpectedJob") }, e.tick())
	if a := e.getCronJob("manual").Status.Active; len(a) != 0 {
		t.Errorf("active %v", a)
	}
}
