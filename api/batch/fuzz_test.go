package batch

import (
	"strings"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/skiff-dev/skiff/api/validation"
)

// cronFuzzSeeds are schedules and time zones, valid and not, to start FuzzCronSchedule from.
var cronFuzzSeeds = []struct{ schedule, timeZone string }{
	{"*/5 * * * *", ""},
	{"0 0 * * *", "UTC"},
	{"30 6 1-15/2 JAN-MAR mon,wed,fri", "Europe/Paris"},
	{"@hourly", "America/New_York"},
	{"@every 90s", "Etc/GMT+5"},
	{"0 0 30 2 *", ""},
	{"TZ=UTC 0 0 * * *", "UTC"},
	{"CRON_TZ=Asia/Tokyo */15 * * * *", ""},
	{"TZ=UTC", "Local"},
	{"CRON_TZ=", ""},
	{"TZ= 0 0 * * *", "../etc/passwd"},
	{"TZ=Nowhere/City * * * * *", "Nowhere/City"},
	{"60 24 32 13 8", "-UTC"},
	{"* * * * * *", "UTC "},
	{"0 0 ? * *", "A/B/C/D"},
	{"5-1 * * * *", ""},
	{"*/0 * * * *", ""},
	{"@reboot", ""},
	{"", ""},
}

// FuzzCronSchedule checks the schedule and timeZone rules of CronJobs against the parser the
// CronJob controller uses (robfig/cron/v3's standard parser, which the controller feeds
// "TZ=<timeZone> <schedule>" when timeZone is set). The properties:
//   - neither validation nor the parser panics, whatever the schedule and time zone (the
//     parser's own panics on bare zone prefixes are turned into errors);
//   - a schedule validation accepts parses, contains no zone prefix, and still parses once the
//     controller prefixes it with any time zone validation accepts; that zone loads;
//   - the next run of an accepted schedule, from a fixed instant, is later than that instant
//     (or the zero time for a schedule that never runs), and asking twice gives the same
//     answer; a zoned schedule runs in its zone.
func FuzzCronSchedule(f *testing.F) {
	for _, s := range cronFuzzSeeds {
		f.Add(s.schedule, s.timeZone, s.timeZone != "")
	}
	from := time.Date(2024, time.February, 28, 23, 59, 30, 0, time.UTC)
	f.Fuzz(func(t *testing.T, schedule, timeZone string, withZone bool) {
		var tz *string
		if withZone {
			tz = &timeZone
		}
		p := validation.NewPath("spec", "schedule")
		createErrs := validateSchedule(schedule, false, tz, p)
		_ = validateSchedule(schedule, true, tz, p)
		zoneErrs := validateTimeZone(tz, validation.NewPath("spec", "timeZone"))

		cj := validCronJob()
		cj.Spec.Schedule, cj.Spec.TimeZone = schedule, tz
		all := ValidateCronJob(cj)
		_ = ValidateCronJobUpdate(cj, validCronJob())
		if len(createErrs) > 0 && len(all) == 0 {
			t.Fatalf("schedule %q: validateSchedule says %v, ValidateCronJob accepts it", schedule, createErrs)
		}
		if len(createErrs) > 0 {
			return
		}
		if strings.Contains(schedule, "TZ") {
			t.Fatalf("schedule %q with a zone prefix accepted on create", schedule)
		}
		sched, err := cron.ParseStandard(schedule)
		if err != nil {
			t.Fatalf("schedule %q accepted by validation, refused by the parser: %v", schedule, err)
		}
		checkNext(t, schedule, sched, from)

		if tz == nil || len(zoneErrs) > 0 {
			return
		}
		loc, err := time.LoadLocation(timeZone)
		if err != nil {
			t.Fatalf("time zone %q accepted by validation does not load: %v", timeZone, err)
		}
		// What the controller parses for a CronJob with a timeZone.
		zoned, err := parseZoned(timeZone, schedule)
		if err != nil {
			t.Fatalf("schedule %q in accepted zone %q: the controller's spec does not parse: %v", schedule, timeZone, err)
		}
		checkNext(t, schedule, zoned, from)
		if ss, ok := zoned.(*cron.SpecSchedule); ok && ss.Location.String() != loc.String() {
			t.Fatalf("schedule %q in zone %q runs in %s", schedule, timeZone, ss.Location)
		}
	})
}

// parseZoned parses schedule as the CronJob controller does for a CronJob whose timeZone is
// tz, with the parser's panics as errors.
func parseZoned(tz, schedule string) (s cron.Schedule, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errPanic{r}
		}
	}()
	return cron.ParseStandard("TZ=" + tz + " " + schedule)
}

// errPanic is a recovered panic of the parser.
type errPanic struct{ v any }

func (e errPanic) Error() string { return "parser panic" }

// checkNext checks the next run of sched after from.
func checkNext(t *testing.T, schedule string, sched cron.Schedule, from time.Time) {
	t.Helper()
	next := sched.Next(from)
	if !next.IsZero() && !next.After(from) {
		t.Fatalf("schedule %q: next run after %v is %v", schedule, from, next)
	}
	if again := sched.Next(from); !again.Equal(next) {
		t.Fatalf("schedule %q: next run after %v is %v, then %v", schedule, from, next, again)
	}
}
