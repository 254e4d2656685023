package batch

import (
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func validCronJob() *CronJob {
	t := jobTemplate()
	t.Spec.RestartPolicy = core.RestartPolicyOnFailure
	cj := &CronJob{
		ObjectMeta: meta.ObjectMeta{Name: "hello", Namespace: "default"},
		Spec: CronJobSpec{
			Schedule:    "*/5 * * * *",
			JobTemplate: JobTemplateSpec{Spec: JobSpec{Template: t}},
		},
	}
	DefaultCronJob(cj)
	return cj
}

func TestValidateCronJob(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*CronJob)
		want   []string
	}{
		{"valid", func(*CronJob) {}, nil},
		{"descriptor", func(cj *CronJob) { cj.Spec.Schedule = "@hourly" }, nil},
		{"every", func(cj *CronJob) { cj.Spec.Schedule = "@every 1h30m" }, nil},
		{"names and ranges", func(cj *CronJob) { cj.Spec.Schedule = "0 9-17/2 1,15 jan-jun mon-fri" }, nil},
		{"no schedule", func(cj *CronJob) { cj.Spec.Schedule = "" }, []string{"spec.schedule: Required value"}},
		{"minute out of range", func(cj *CronJob) { cj.Spec.Schedule = "61 * * * *" },
			[]string{`spec.schedule: Invalid value: "61 * * * *": end of range (61) above maximum (59): 61`}},
		{"four fields", func(cj *CronJob) { cj.Spec.Schedule = "* * * *" },
			[]string{`spec.schedule: Invalid value: "* * * *": expected exactly 5 fields, found 4: [* * * *]`}},
		{"seconds field", func(cj *CronJob) { cj.Spec.Schedule = "0 * * * * *" },
			[]string{`spec.schedule: Invalid value: "0 * * * * *": expected exactly 5 fields, found 6`}},
		{"day of week 7", func(cj *CronJob) { cj.Spec.Schedule = "0 0 * * 7" },
			[]string{`spec.schedule: Invalid value: "0 0 * * 7": end of range (7) above maximum (6)`}},
		{"reboot", func(cj *CronJob) { cj.Spec.Schedule = "@reboot" }, []string{`spec.schedule: Invalid value: "@reboot"`}},
		{"TZ in schedule", func(cj *CronJob) { cj.Spec.Schedule = "TZ=UTC 0 0 * * *" },
			[]string{`spec.schedule: Invalid value: "TZ=UTC 0 0 * * *": cannot use TZ or CRON_TZ in schedule, use timeZone field instead`}},
		{"CRON_TZ in schedule", func(cj *CronJob) { cj.Spec.Schedule = "CRON_TZ=Europe/Paris 0 0 * * *" },
			[]string{`spec.schedule: Invalid value: "CRON_TZ=Europe/Paris 0 0 * * *": cannot use TZ or CRON_TZ in schedule`}},
		{"time zone", func(cj *CronJob) { cj.Spec.TimeZone = new("America/New_York") }, nil},
		{"legacy time zone name", func(cj *CronJob) { cj.Spec.TimeZone = new("Etc/GMT+5") }, nil},
		{"unknown time zone", func(cj *CronJob) { cj.Spec.TimeZone = new("Mars/Olympus_Mons") },
			[]string{`spec.timeZone: Invalid value: "Mars/Olympus_Mons": unknown time zone Mars/Olympus_Mons`}},
		{"empty time zone", func(cj *CronJob) { cj.Spec.TimeZone = new("") },
			[]string{`spec.timeZone: Invalid value: "": timeZone must be nil or non-empty string`}},
		{"Local", func(cj *CronJob) { cj.Spec.TimeZone = new("Local") },
			[]string{`spec.timeZone: Invalid value: "Local": timeZone must be an explicit time zone`}},
		{"path in time zone", func(cj *CronJob) { cj.Spec.TimeZone = new("../etc/passwd") },
			[]string{`spec.timeZone: Invalid value: "../etc/passwd": unknown time zone ../etc/passwd`}},
		{"name of 52 characters", func(cj *CronJob) { cj.Name = strings.Repeat("c", 52) }, nil},
		{"name of 53 characters", func(cj *CronJob) { cj.Name = strings.Repeat("c", 53) },
			[]string{`metadata.name: Invalid value: "` + strings.Repeat("c", 53) + `": must be no more than 52 characters`}},
		{"negative starting deadline", func(cj *CronJob) { cj.Spec.StartingDeadlineSeconds = new(int64(-1)) },
			[]string{"spec.startingDeadlineSeconds: Invalid value: -1"}},
		{"no concurrency policy", func(cj *CronJob) { cj.Spec.ConcurrencyPolicy = "" }, []string{"spec.concurrencyPolicy: Required value"}},
		{"unknown concurrency policy", func(cj *CronJob) { cj.Spec.ConcurrencyPolicy = "Queue" },
			[]string{`spec.concurrencyPolicy: Unsupported value: "Queue": supported values: "Allow", "Forbid", "Replace"`}},
		{"negative history limits", func(cj *CronJob) {
			cj.Spec.SuccessfulJobsHistoryLimit, cj.Spec.FailedJobsHistoryLimit = new(int32(-1)), new(int32(-1))
		}, []string{"spec.successfulJobsHistoryLimit: Invalid value: -1", "spec.failedJobsHistoryLimit: Invalid value: -1"}},
		{"job template selector", func(cj *CronJob) {
			cj.Spec.JobTemplate.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"a": "b"}}
		}, []string{"spec.jobTemplate.spec.selector: Invalid value: a=b: `selector` will be auto-generated"}},
		{"job template manual selector", func(cj *CronJob) { cj.Spec.JobTemplate.Spec.ManualSelector = new(true) },
			[]string{`spec.jobTemplate.spec.manualSelector: Unsupported value: "true": supported values: "nil", "false"`}},
		{"job template restartPolicy Always", func(cj *CronJob) { cj.Spec.JobTemplate.Spec.Template.Spec.RestartPolicy = core.RestartPolicyAlways },
			[]string{"spec.jobTemplate.spec.template.spec.restartPolicy: Required value"}},
		{"job template negative parallelism", func(cj *CronJob) { cj.Spec.JobTemplate.Spec.Parallelism = new(int32(-1)) },
			[]string{"spec.jobTemplate.spec.parallelism: Invalid value: -1"}},
		{"job template bad label", func(cj *CronJob) { cj.Spec.JobTemplate.Labels = map[string]string{"a": "-"} },
			[]string{`spec.jobTemplate.metadata.labels[a]: Invalid value: "-"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cj := validCronJob()
			tt.mutate(cj)
			checkErrors(t, ValidateCronJob(cj), tt.want)
		})
	}
}

func TestValidateCronJobUpdate(t *testing.T) {
	tests := []struct {
		name   string
		old    func(*CronJob)
		mutate func(*CronJob)
		want   []string
	}{
		{"schedule and policy", nil, func(cj *CronJob) {
			cj.Spec.Schedule, cj.Spec.ConcurrencyPolicy, cj.Spec.Suspend = "@daily", ForbidConcurrent, new(true)
		}, nil},
		{"long name allowed on update", func(cj *CronJob) { cj.Name = strings.Repeat("c", 60) },
			func(cj *CronJob) { cj.Spec.Suspend = new(true) }, nil},
		{"TZ kept from an old schedule", func(cj *CronJob) { cj.Spec.Schedule = "TZ=UTC 0 0 * * *" },
			func(cj *CronJob) { cj.Spec.Schedule = "TZ=UTC 0 1 * * *" }, nil},
		{"TZ added", nil, func(cj *CronJob) { cj.Spec.Schedule = "TZ=UTC 0 1 * * *" },
			[]string{"spec.schedule: Invalid value: \"TZ=UTC 0 1 * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"}},
		{"TZ kept together with timeZone", func(cj *CronJob) { cj.Spec.Schedule = "TZ=UTC 0 0 * * *" },
			func(cj *CronJob) { cj.Spec.TimeZone = new("UTC") },
			[]string{"spec.schedule: Invalid value: \"TZ=UTC 0 0 * * *\": cannot use both timeZone field and TZ or CRON_TZ in schedule"}},
		{"unchanged time zone not revalidated", func(cj *CronJob) { cj.Spec.TimeZone = new("Gone/Zone") },
			func(cj *CronJob) { cj.Spec.Suspend = new(true) }, nil},
		{"changed time zone validated", nil, func(cj *CronJob) { cj.Spec.TimeZone = new("Gone/Zone") },
			[]string{`spec.timeZone: Invalid value: "Gone/Zone": unknown time zone Gone/Zone`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validCronJob()
			if tt.old != nil {
				tt.old(old)
			}
			cj := old.DeepCopy()
			tt.mutate(cj)
			checkErrors(t, ValidateCronJobUpdate(cj, old), tt.want)
			checkErrors(t, ValidateCronJobStatusUpdate(cj, old), nil)
		})
	}
}

func TestScheduleParserPanicIsAnError(t *testing.T) {
	for _, s := range []string{"TZ=UTC", "CRON_TZ=UTC", "TZ="} {
		if err := parseSchedule(s); err == nil {
			t.Errorf("%q: want an error", s)
		}
	}
}
