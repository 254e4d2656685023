package cronjob

import (
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/meta"
)

// FuzzParseSchedule runs the controller's schedule parsing and arithmetic on fuzzed CronJobs:
// schedule, timeZone (set or not), and the creation, last schedule and current times as
// offsets in seconds. The properties:
//   - nothing panics (the parser's own panics on bare zone prefixes are errors) or loops;
//   - a schedule and timeZone that the API's validation accepts always parse;
//   - the most recent schedule, when there is one, is after the earliest time considered and
//     not after now; the next sync is never more than its padding in the past.
func FuzzParseSchedule(f *testing.F) {
	for _, s := range []struct {
		schedule, tz string
	}{
		{"*/5 * * * *", ""}, {"0 0 * * *", "Europe/Paris"}, {"@every 90s", "UTC"}, {"0 0 30 2 *", ""},
		{"TZ=UTC 0 0 * * *", ""}, {"CRON_TZ=Asia/Tokyo 30 6 * * 1-5", "UTC"}, {"TZ=UTC", ""},
		{"0 0 29 2 1", "America/New_York"}, {"@every 1ns", ""}, {"@yearly", "Etc/GMT-14"},
		{"* * * * *", "Nowhere"}, {"0 2 * * *", "America/Sao_Paulo"},
	} {
		f.Add(s.schedule, s.tz, s.tz != "", int64(-3600), int64(-1), int64(86400), int64(-1))
	}
	base := time.Date(2025, time.March, 30, 0, 30, 0, 0, time.UTC) // a DST change in Europe
	f.Fuzz(func(t *testing.T, schedule, tz string, withZone bool, created, lastSchedule, now, deadline int64) {
		const span = 10 * 365 * 24 * 3600 // offsets stay within ten years of base
		clamp := func(s int64) time.Duration { return time.Duration(s%span) * time.Second }
		cj := newCronJob("fuzz", schedule, func(cj *batch.CronJob) {
			cj.Spec.ConcurrencyPolicy = batch.AllowConcurrent
			cj.CreationTimestamp = meta.NewTime(base.Add(clamp(created)))
			if withZone {
				cj.Spec.TimeZone = &tz
			}
			if lastSchedule >= 0 {
				cj.Status.LastScheduleTime = new(meta.NewTime(base.Add(clamp(lastSchedule))))
			}
			if deadline >= 0 {
				cj.Spec.StartingDeadlineSeconds = new(deadline % span)
			}
		})
		accepted := true
		for _, e := range batch.ValidateCronJob(cj) {
			if strings.HasPrefix(e.Field, "spec.schedule") || strings.HasPrefix(e.Field, "spec.timeZone") {
				accepted = false
			}
		}
		sched, err := parseSchedule(cj, time.UTC)
		if err != nil {
			if accepted {
				t.Fatalf("schedule %q, timeZone %v: valid, yet the controller cannot parse it: %v", schedule, cj.Spec.TimeZone, err)
			}
			return
		}
		n := base.Add(clamp(now))
		for _, withDeadline := range []bool{false, true} {
			earliest, recent, _, err := mostRecentScheduleTime(cj, n, sched, withDeadline)
			if err != nil || recent == nil {
				continue
			}
			if !recent.After(earliest) || recent.After(n) {
				t.Fatalf("schedule %q: most recent run %v outside (%v, %v]", schedule, recent, earliest, n)
			}
		}
		if d := nextScheduleTimeDuration(cj, n, sched); d < -nextScheduleDelta && !sched.Next(n).IsZero() {
			t.Fatalf("schedule %q at %v: next sync in %v", schedule, n, d)
		}
	})
}
