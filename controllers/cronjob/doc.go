// Package cronjob is the CronJob controller: it creates a Job for each run of a CronJob's
// cron schedule, keeps a bounded history of finished Jobs and reports the active ones
// (../shared/spec/cronjob.md). It is Kubernetes' CronJob controller v2, built on skiff's
// controller runtime.
//
// # Basics
//
//	if err := cronjob.Add(mgr, cronjob.Options{}); err != nil { ... }
//	job := cronjob.JobFromCronJob(cj, "backup-now") // a run by hand, as kubectl create job --from
//
// Schedules use the cron standard syntax of github.com/robfig/cron/v3 (schedule.go): five
// fields — minute, hour, day of month, month (1–12 or jan–dec), day of week (0–6 or sun–sat)
// — each "*", "?", a value, a range "a-b", a step "*/n" or "a-b/n", or a list of these; and
// the descriptors @yearly (@annually), @monthly, @weekly, @daily (@midnight), @hourly and
// @every <duration>. They are evaluated in spec.timeZone (an IANA name) when set, else in
// Options.Location. A TZ= or CRON_TZ= prefix, which the API refuses on new CronJobs, is still
// honoured on legacy ones, with a Warning UnsupportedSchedule.
//
// # Events to requests (controller.go)
//
//   - A CronJob's creation, deletion, or change other than of its schedule or timeZone syncs
//     it at once; a new schedule or timeZone requeues it for its next run.
//   - A Job's change syncs the CronJob its controller reference names (found by name, checked
//     by UID), and the former one if the reference changed.
//   - Each sync asks to run again just after the next scheduled instant (100 ms after it): the
//     controller never polls.
//
// # The sync (sync.go), in the spec's terms
//
//  1. The Jobs whose controller reference names the CronJob are read from the cache.
//  2. The active list is reconciled with them: an unfinished Job missing from the list is
//     looked up in a fresh read of the CronJob (the cache may lag behind its own status
//     write), else reported (Warning UnexpectedJob); a listed Job that finished is dropped
//     (Normal SawCompletedJob); a Job that completed moves lastSuccessfulTime forward; a listed
//     Job that is gone from the cache is looked up in the store and dropped if it is gone
//     there too (Normal MissingJob).
//  3. A CronJob being deleted, with a timeZone that does not load (UnknownTimeZone), suspended,
//     or with a schedule that does not parse (UnparseableSchedule) starts nothing and is not
//     requeued; a change wakes it.
//  4. The most recent missed schedule is computed (schedule.go): from lastScheduleTime (else
//     the creation time), moved up to now − startingDeadlineSeconds when that is later, the
//     number of runs missed is estimated from the interval between the next two, and the
//     latest run not after now is found from two intervals before that estimate. Only that
//     one run is ever started; more than 100 missed give a Warning TooManyMissedTimes. A
//     schedule with no two runs a second apart is invalid (InvalidSchedule).
//  5. No run due: requeue for the next one. A run later than startingDeadlineSeconds: Warning
//     MissSchedule, requeue; lastScheduleTime does not move, so every sync until the next run
//     repeats the event. A run already started (its Job is active, or lastScheduleTime is its
//     time): requeue.
//  6. concurrencyPolicy Forbid with an active Job: Normal JobAlreadyActive, requeue. Replace:
//     every active Job is read (Warning FailedGet, and a retry, when that fails) and deleted
//     (Background propagation; Normal SuccessfulDelete, or Warning FailedDelete and a retry),
//     leaving the active list.
//  7. The Job is created: named <cronjob>-<scheduled minutes since the epoch>, so that a run
//     is created at most once; the template's labels, annotations and spec; the
//     batch.kubernetes.io/cronjob-scheduled-timestamp annotation in the CronJob's zone; a
//     controller reference. Normal SuccessfulCreate; a refusal is a Warning FailedCreate and a
//     retry, and a terminating namespace a retry without the event. AlreadyExists means an
//     earlier sync created it and lost its status write: it is taken as created if this
//     CronJob controls it and does not list it yet, else the sync stops there.
//     The Job joins the active list and lastScheduleTime becomes its scheduled time.
//  8. When nothing failed, the history is trimmed: finished Jobs beyond
//     successfulJobsHistoryLimit (Complete) and failedJobsHistoryLimit (Failed) are deleted,
//     oldest startTime first, Jobs without one last, ties by name (Background propagation,
//     Normal SuccessfulDelete). A nil limit keeps that kind; both nil skip the step.
//  9. The status is written if it changed, and the CronJob requeued for its next run.
//
// # Differences from Kubernetes, on purpose
//
//   - The zone of schedules without timeZone is Options.Location (the local zone by default),
//     so that a program embedding skiff chooses it.
//   - A Job is the CronJob's when its controller reference names a batch/v1 CronJob of that
//     name (Kubernetes compares the name only); Jobs are found through an index of the Job
//     cache instead of by listing the namespace.
//   - Deleting a Job that is already gone counts as deleted (no FailedDelete event).
//   - lastSuccessfulTime moves forward in the sync that sees the Job complete, not in the
//     following one.
//   - No cronjob_job_creation_skew metric beyond the controller runtime's.
package cronjob
