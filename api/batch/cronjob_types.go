package batch

import (
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// CronJob creates Jobs on a cron schedule (../shared/spec/cronjob.md).
type CronJob struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata. On create the name may have at most 52
	// characters, since Job names append 11 more.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the desired behaviour of the CronJob.
	Spec CronJobSpec `json:"spec,omitzero"`
	// Status is the most recently observed state, written by the cronjob controller.
	Status CronJobStatus `json:"status,omitzero"`
}

// CronJobList is a list of CronJobs.
type CronJobList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the CronJobs.
	Items []CronJob `json:"items"`
}

// ConcurrencyPolicy says what a CronJob does when a run is due while an earlier Job is still
// active.
type ConcurrencyPolicy string

// The concurrency policies.
const (
	// AllowConcurrent starts the new Job anyway.
	AllowConcurrent ConcurrencyPolicy = "Allow"
	// ForbidConcurrent skips the run.
	ForbidConcurrent ConcurrencyPolicy = "Forbid"
	// ReplaceConcurrent deletes the active Jobs and starts the new one.
	ReplaceConcurrent ConcurrencyPolicy = "Replace"
)

// CronJobSpec is the desired state of a CronJob.
type CronJobSpec struct {
	// Schedule is a five-field cron expression or a descriptor such as @hourly.
	Schedule string `json:"schedule"`
	// TimeZone is the IANA zone the schedule is evaluated in; nil means the controller's
	// local zone.
	TimeZone *string `json:"timeZone,omitempty"`
	// StartingDeadlineSeconds is how late a run may start; a run missed by more is skipped.
	StartingDeadlineSeconds *int64 `json:"startingDeadlineSeconds,omitempty"`
	// ConcurrencyPolicy is Allow (default), Forbid or Replace.
	ConcurrencyPolicy ConcurrencyPolicy `json:"concurrencyPolicy,omitempty"`
	// Suspend, when true, stops future runs; running Jobs are left alone. Defaults to false.
	Suspend *bool `json:"suspend,omitempty"`
	// JobTemplate is the Job created for each run.
	JobTemplate JobTemplateSpec `json:"jobTemplate"`
	// SuccessfulJobsHistoryLimit is the number of completed Jobs kept. Defaults to 3.
	SuccessfulJobsHistoryLimit *int32 `json:"successfulJobsHistoryLimit,omitempty"`
	// FailedJobsHistoryLimit is the number of failed Jobs kept. Defaults to 1.
	FailedJobsHistoryLimit *int32 `json:"failedJobsHistoryLimit,omitempty"`
}

// JobTemplateSpec is the metadata and spec of the Jobs a CronJob creates.
type JobTemplateSpec struct {
	// ObjectMeta holds the labels and annotations copied to each Job.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the spec of each Job.
	Spec JobSpec `json:"spec,omitzero"`
}

// CronJobStatus is the observed state of a CronJob.
type CronJobStatus struct {
	// Active references the Jobs this CronJob started that have not finished.
	Active []core.ObjectReference `json:"active,omitempty"`
	// LastScheduleTime is the scheduled time of the last Job created.
	LastScheduleTime *meta.Time `json:"lastScheduleTime,omitempty"`
	// LastSuccessfulTime is the completion time of the last Job that succeeded.
	LastSuccessfulTime *meta.Time `json:"lastSuccessfulTime,omitempty"`
}
