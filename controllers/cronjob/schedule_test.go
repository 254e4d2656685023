package cronjob

import (
	"errors"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/meta"
)

var base = time.Date(2025, time.January, 1, 10, 0, 0, 0, time.UTC) // a Wednesday

func at(hhmm string) time.Time {
	d, err := time.ParseDuration(hhmm)
	if err != nil {
		panic(err)
	}
	return base.Add(d)
}

func cronJob(schedule string, edits ...func(*batch.CronJob)) *batch.CronJob {
	cj := &batch.CronJob{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "cj", CreationTimestamp: meta.NewTime(base)},
		Spec:       batch.CronJobSpec{Schedule: schedule},
	}
	for _, e := range edits {
		e(cj)
	}
	return cj
}

func lastScheduled(t time.Time) func(*batch.CronJob) {
	return func(cj *batch.CronJob) { cj.Status.LastScheduleTime = new(meta.NewTime(t)) }
}

func deadline(sec int64) func(*batch.CronJob) {
	return func(cj *batch.CronJob) { cj.Spec.StartingDeadlineSeconds = new(sec) }
}

func TestParseSchedule(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	for _, tc := range []struct {
		name     string
		cj       *batch.CronJob
		from     time.Time
		wantNext time.Time
		wantErr  bool
	}{
		{"every five minutes", cronJob("*/5 * * * *"), at("2m"), at("5m"), false},
		{"a list and a range", cronJob("7,9-10 * * * *"), at("8m"), at("9m"), false},
		{"month and day names", cronJob("0 12 * jan mon-fri"), at("0s"), at("2h"), false},
		{"@hourly", cronJob("@hourly"), at("1s"), at("1h"), false},
		{"@daily", cronJob("@daily"), at("0s"), at("14h"), false},
		{"@weekly is Sunday midnight", cronJob("@weekly"), at("0s"), at("86h"), false},
		{"@monthly", cronJob("@monthly"), at("0s"), time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), false},
		{"@yearly", cronJob("@yearly"), at("0s"), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), false},
		{"in the local zone", cronJob("0 9 * * *"), base, time.Date(2025, 1, 1, 9, 0, 0, 0, ny), false},
		{"timeZone overrides the local zone", cronJob("0 9 * * *", func(cj *batch.CronJob) { cj.Spec.TimeZone = new("Europe/Paris") }),
			base, time.Date(2025, 1, 2, 8, 0, 0, 0, time.UTC), false},
		{"a legacy TZ= prefix", cronJob("TZ=UTC 0 9 * * *"), base, time.Date(2025, 1, 2, 9, 0, 0, 0, time.UTC), false},
		{"six fields", cronJob("0 */5 * * * *"), base, time.Time{}, true},
		{"day of week 7", cronJob("0 0 * * 7"), base, time.Time{}, true},
		{"out of range", cronJob("61 * * * *"), base, time.Time{}, true},
		{"unknown zone", cronJob("@hourly", func(cj *batch.CronJob) { cj.Spec.TimeZone = new("Mars/Olympus") }), base, time.Time{}, true},
		{"a TZ prefix without a schedule", cronJob("TZ=UTC"), base, time.Time{}, true},
	} {
		local := time.UTC
		if tc.name == "in the local zone" {
			local = ny
		}
		sched, err := parseSchedule(tc.cj, local)
		if (err != nil) != tc.wantErr {
			t.Errorf("%s: error %v, want error %v", tc.name, err, tc.wantErr)
			continue
		}
		if err != nil {
			continue
		}
		if got := sched.Next(tc.from); !got.Equal(tc.wantNext) {
			t.Errorf("%s: Next(%v) = %v, want %v", tc.name, tc.from, got, tc.wantNext)
		}
	}
}

// TestScheduleAcrossDST: 09:00 in New York is 14:00 UTC before the change to daylight saving
// time on 9 March 2025 and 13:00 UTC after it.
func TestScheduleAcrossDST(t *testing.T) {
	cj := cronJob("0 9 * * *", func(cj *batch.CronJob) { cj.Spec.TimeZone = new("America/New_York") })
	sched, err := parseSchedule(cj, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2025, 3, 7, 15, 0, 0, 0, time.UTC)
	for _, want := range []time.Time{
		time.Date(2025, 3, 8, 14, 0, 0, 0, time.UTC),
		time.Date(2025, 3, 9, 13, 0, 0, 0, time.UTC),
		time.Date(2025, 3, 10, 13, 0, 0, 0, time.UTC),
	} {
		from = sched.Next(from)
		if !from.Equal(want) {
			t.Fatalf("next run %v, want %v", from.UTC(), want)
		}
	}
}

func TestMostRecentScheduleTime(t *testing.T) {
	for _, tc := range []struct {
		name         string
		cj           *batch.CronJob
		now          time.Time
		withDeadline bool
		want         time.Time // zero: none
		wantMissed   missed
		wantErr      error
	}{
		{"before the first run", cronJob("*/5 * * * *"), at("4m59s"), true, time.Time{}, noneMissed, nil},
		{"the first run", cronJob("*/5 * * * *"), at("5m"), true, at("5m"), noneMissed, nil},
		{"just after it", cronJob("*/5 * * * *"), at("7m"), true, at("5m"), noneMissed, nil},
		{"two missed", cronJob("*/5 * * * *"), at("12m"), true, at("10m"), fewMissed, nil},
		{"already ran", cronJob("*/5 * * * *", lastScheduled(at("5m"))), at("9m"), true, time.Time{}, noneMissed, nil},
		{"three hours later", cronJob("*/5 * * * *", lastScheduled(at("5m"))), at("3h2m"), true, at("3h"), fewMissed, nil},
		{"too many missed", cronJob("*/5 * * * *", lastScheduled(at("5m"))), at("10h3m"), true, at("10h"), manyMissed, nil},
		{"the deadline moves the earliest time", cronJob("*/5 * * * *", lastScheduled(at("5m")), deadline(60)), at("12m30s"), true, time.Time{}, noneMissed, nil},
		{"unless asked not to", cronJob("*/5 * * * *", lastScheduled(at("5m")), deadline(60)), at("12m30s"), false, at("10m"), noneMissed, nil},
		{"within the deadline", cronJob("*/5 * * * *", lastScheduled(at("5m")), deadline(300)), at("12m30s"), true, at("10m"), noneMissed, nil},
		{"@every is not aligned", cronJob("@every 90m"), at("4h"), true, at("3h"), fewMissed, nil},
		{"irregular schedules", cronJob("30 6-16/4 * * 1-5", lastScheduled(time.Date(2025, 1, 3, 14, 30, 0, 0, time.UTC))),
			time.Date(2025, 1, 7, 12, 0, 0, 0, time.UTC), true, time.Date(2025, 1, 7, 10, 30, 0, 0, time.UTC), fewMissed, nil},
		{"an impossible schedule", cronJob("0 0 30 2 *"), at("1h"), true, time.Time{}, noneMissed, errScheduleTooTight},
	} {
		sched, err := parseSchedule(tc.cj, time.UTC)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		_, got, m, err := mostRecentScheduleTime(tc.cj, tc.now, sched, tc.withDeadline)
		if !errors.Is(err, tc.wantErr) {
			t.Errorf("%s: error %v, want %v", tc.name, err, tc.wantErr)
		}
		switch {
		case tc.want.IsZero() && got != nil:
			t.Errorf("%s: %v, want none", tc.name, got)
		case !tc.want.IsZero() && (got == nil || !got.Equal(tc.want)):
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if err == nil && m != tc.wantMissed {
			t.Errorf("%s: missed %v, want %v", tc.name, m, tc.wantMissed)
		}
	}
}

func TestNextScheduleTimeDuration(t *testing.T) {
	for _, tc := range []struct {
		name string
		cj   *batch.CronJob
		now  time.Time
		want time.Duration
	}{
		{"before the first run", cronJob("*/5 * * * *"), at("2m"), 3*time.Minute + nextScheduleDelta},
		{"after a run", cronJob("*/5 * * * *", lastScheduled(at("5m"))), at("6m"), 4*time.Minute + nextScheduleDelta},
		{"runs missed", cronJob("*/5 * * * *"), at("2h3m"), 2*time.Minute + nextScheduleDelta},
		{"exactly at a run", cronJob("@hourly", lastScheduled(at("1h"))), at("1h"), time.Hour + nextScheduleDelta},
		{"the deadline is ignored", cronJob("*/5 * * * *", lastScheduled(at("5m")), deadline(10)), at("7m"), 3*time.Minute + nextScheduleDelta},
	} {
		sched, err := parseSchedule(tc.cj, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		if got := nextScheduleTimeDuration(tc.cj, tc.now, sched); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestJobName(t *testing.T) {
	if got := jobName("backup", time.Date(2025, 1, 1, 0, 5, 0, 0, time.UTC)); got != "backup-28928165" {
		t.Errorf("jobName = %q, want backup-28928165", got)
	}
	if a, b := jobName("x", at("5m")), jobName("x", at("5m59s")); a != b {
		t.Errorf("two instants of one minute name different Jobs: %q, %q", a, b)
	}
}
