package cronjob

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/skiff-dev/skiff/api/batch"
)

// nextScheduleDelta pads every requeue for the next schedule, so that the sync runs just
// after the scheduled instant rather than just before it (Kubernetes' value).
const nextScheduleDelta = 100 * time.Millisecond

// maxMissedSchedules is the number of missed schedules beyond which the controller warns
// (TooManyMissedTimes); the most recent one still runs.
const maxMissedSchedules = 100

// errScheduleTooTight is the error of a schedule whose two next runs are less than a second
// apart, which only an impossible schedule (Next returning the zero time) yields.
var errScheduleTooTight = errors.New("time difference between two schedules is less than 1 second")

// hasTZ reports whether the schedule carries its own TZ= or CRON_TZ= prefix, which the API
// rejects on new CronJobs but legacy objects may have.
func hasTZ(schedule string) bool { return strings.Contains(schedule, "TZ") }

// parseSchedule parses a CronJob's schedule with the cron standard parser (5 fields, or a
// descriptor such as @hourly), in the CronJob's timeZone when it has one, else in local (the
// controller's zone) unless the schedule names its own zone. A timeZone that does not load
// is an error; so is a malformed schedule (the parser's panics included).
func parseSchedule(cj *batch.CronJob, local *time.Location) (sched cron.Schedule, err error) {
	spec := cj.Spec.Schedule
	ownZone := hasTZ(spec)
	if tz := cj.Spec.TimeZone; tz != nil && !ownZone {
		if _, err := time.LoadLocation(*tz); err != nil {
			return nil, err
		}
		spec = "TZ=" + *tz + " " + spec
		ownZone = true
	}
	defer func() {
		if r := recover(); r != nil {
			sched, err = nil, fmt.Errorf("malformed schedule %q: %v", cj.Spec.Schedule, r)
		}
	}()
	sched, err = cron.ParseStandard(spec)
	if err != nil {
		return nil, err
	}
	if s, ok := sched.(*cron.SpecSchedule); ok && !ownZone {
		s.Location = local
	}
	return sched, nil
}

// missed says how many schedules were missed since the earliest time considered.
type missed int

const (
	noneMissed missed = iota
	fewMissed
	manyMissed // more than maxMissedSchedules
)

// mostRecentScheduleTime returns the earliest time considered (lastScheduleTime, else the
// CronJob's creation, moved up to now − startingDeadlineSeconds when that is later and
// withDeadline is set), the most recent schedule in (earliest, now] if there is one, and how
// many were missed (../shared/spec/cronjob.md §4). It never iterates over more than a couple
// of schedules: the number missed is estimated from the interval between the next two.
func mostRecentScheduleTime(cj *batch.CronJob, now time.Time, sched cron.Schedule, withDeadline bool) (time.Time, *time.Time, missed, error) {
	earliest := cj.CreationTimestamp.Time
	if cj.Status.LastScheduleTime != nil {
		earliest = cj.Status.LastScheduleTime.Time
	}
	if withDeadline && cj.Spec.StartingDeadlineSeconds != nil {
		if deadline := now.Add(-time.Duration(*cj.Spec.StartingDeadlineSeconds) * time.Second); deadline.After(earliest) {
			earliest = deadline
		}
	}
	t1 := sched.Next(earliest)
	t2 := sched.Next(t1)
	if now.Before(t1) {
		return earliest, nil, noneMissed, nil
	}
	if now.Before(t2) {
		return earliest, &t1, noneMissed, nil
	}
	interval := int64(t2.Sub(t1).Round(time.Second).Seconds())
	if interval < 1 {
		return earliest, nil, noneMissed, errScheduleTooTight
	}
	count := int64(now.Sub(t1).Seconds())/interval + 1
	// Start two intervals before the estimate and let the schedule find the real instants:
	// schedules need not be regular (30 6-16/4 * * 1-5), and @every ones are not aligned.
	var latest time.Time
	for t := sched.Next(t1.Add(time.Duration((count-2)*interval) * time.Second)); !t.After(now); t = sched.Next(t) {
		latest = t
	}
	m := fewMissed
	if count > maxMissedSchedules {
		m = manyMissed
	}
	if latest.IsZero() {
		return earliest, nil, m, nil
	}
	return earliest, &latest, m, nil
}

// nextScheduleTimeDuration returns how long until the sync after the next schedule: the next
// run after the most recent schedule (after now when schedules were missed or cannot be
// computed), padded by nextScheduleDelta. The starting deadline is ignored here.
func nextScheduleTimeDuration(cj *batch.CronJob, now time.Time, sched cron.Schedule) time.Duration {
	earliest, recent, m, err := mostRecentScheduleTime(cj, now, sched, false)
	from := now
	switch {
	case err != nil:
	case recent != nil:
		from = *recent
	case m == noneMissed:
		from = earliest
	}
	return sched.Next(from).Add(nextScheduleDelta).Sub(now)
}

// jobName returns the name of the Job for the run scheduled at t: the CronJob's name and the
// minutes since the epoch, so that a run is created at most once.
func jobName(cronJobName string, t time.Time) string {
	return fmt.Sprintf("%s-%d", cronJobName, t.Unix()/60)
}
