package batch

import (
	"maps"
	"math"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// Default values of the batch/v1 kinds (../shared/spec/job.md and cronjob.md, §1).
const (
	// DefaultBackoffLimit is a Job's backoffLimit when neither it nor backoffLimitPerIndex is
	// set.
	DefaultBackoffLimit int32 = 6
	// DefaultSuccessfulJobsHistoryLimit is the number of completed Jobs a CronJob keeps.
	DefaultSuccessfulJobsHistoryLimit int32 = 3
	// DefaultFailedJobsHistoryLimit is the number of failed Jobs a CronJob keeps.
	DefaultFailedJobsHistoryLimit int32 = 1
)

// DefaultJob fills in the unset fields of j: completions and parallelism both 1 when both are
// unset (else parallelism 1 when unset), backoffLimit 6 (MaxInt32 when backoffLimitPerIndex is
// set), completionMode NonIndexed, suspend false, podReplacementPolicy Failed with a pod
// failure policy and TerminatingOrFailed without, status True for onPodConditions patterns,
// the Job's labels from the template's when it has none, and the pod template's defaults.
// manualSelector stays unset; the selector is generated on create by GenerateJobSelector.
// It is idempotent.
func DefaultJob(j *Job) {
	if len(j.Labels) == 0 && len(j.Spec.Template.Labels) > 0 {
		j.Labels = maps.Clone(j.Spec.Template.Labels)
	}
	s := &j.Spec
	if s.Completions == nil && s.Parallelism == nil {
		s.Completions = new(int32(1))
		s.Parallelism = new(int32(1))
	}
	if s.Parallelism == nil {
		s.Parallelism = new(int32(1))
	}
	if s.BackoffLimit == nil {
		if s.BackoffLimitPerIndex != nil {
			s.BackoffLimit = new(int32(math.MaxInt32))
		} else {
			s.BackoffLimit = new(DefaultBackoffLimit)
		}
	}
	if s.CompletionMode == nil {
		s.CompletionMode = new(NonIndexedCompletion)
	}
	if s.Suspend == nil {
		s.Suspend = new(false)
	}
	if s.PodFailurePolicy != nil {
		defaultPodFailurePolicy(s.PodFailurePolicy)
	}
	if s.PodReplacementPolicy == nil {
		if s.PodFailurePolicy != nil {
			s.PodReplacementPolicy = new(Failed)
		} else {
			s.PodReplacementPolicy = new(TerminatingOrFailed)
		}
	}
	core.DefaultPodTemplateSpec(&s.Template)
}

// defaultPodFailurePolicy sets the status of onPodConditions patterns to True when unset.
func defaultPodFailurePolicy(pfp *PodFailurePolicy) {
	for i := range pfp.Rules {
		conds := pfp.Rules[i].OnPodConditions
		for k := range conds {
			if conds[k].Status == "" {
				conds[k].Status = meta.ConditionTrue
			}
		}
	}
}

// DefaultCronJob fills in the unset fields of cj: concurrencyPolicy Allow, suspend false,
// successfulJobsHistoryLimit 3, failedJobsHistoryLimit 1, and the defaults of the job
// template's pod template. As in Kubernetes, the job template's own fields (parallelism,
// backoffLimit, ...) stay unset: each Job created from it is defaulted when it is created.
// The one exception is the status of onPodConditions patterns, defaulted to True so that
// the template validates as the Job will. It is idempotent.
func DefaultCronJob(cj *CronJob) {
	s := &cj.Spec
	if s.ConcurrencyPolicy == "" {
		s.ConcurrencyPolicy = AllowConcurrent
	}
	if s.Suspend == nil {
		s.Suspend = new(false)
	}
	if s.SuccessfulJobsHistoryLimit == nil {
		s.SuccessfulJobsHistoryLimit = new(DefaultSuccessfulJobsHistoryLimit)
	}
	if s.FailedJobsHistoryLimit == nil {
		s.FailedJobsHistoryLimit = new(DefaultFailedJobsHistoryLimit)
	}
	if pfp := s.JobTemplate.Spec.PodFailurePolicy; pfp != nil {
		defaultPodFailurePolicy(pfp)
	}
	core.DefaultPodTemplateSpec(&s.JobTemplate.Spec.Template)
}

// GenerateJobSelector gives a Job whose spec.manualSelector is not true the selector and pod
// labels that tie its pods to it alone (../shared/spec/job.md §1). It must run on create,
// after the store assigned metadata.uid and before validation:
//
//   - the template gets labels batch.kubernetes.io/controller-uid and controller-uid set to
//     the UID, and batch.kubernetes.io/job-name and job-name set to the name, except where
//     the user already set those keys (validation then rejects a wrong value);
//   - the selector gets matchLabels batch.kubernetes.io/controller-uid=<uid> unless that key
//     is already there;
//   - the Job's own labels, when empty or equal to the template's (that is, defaulted from
//     them), become a copy of the template's new labels, so a Job shows the labels its pods
//     get, as in Kubernetes.
//
// With manualSelector true it does nothing.
func GenerateJobSelector(j *Job) {
	if j.Spec.ManualSelector != nil && *j.Spec.ManualSelector {
		return
	}
	t := &j.Spec.Template
	followTemplate := len(j.Labels) == 0 || maps.Equal(j.Labels, t.Labels)
	if t.Labels == nil {
		t.Labels = map[string]string{}
	}
	uid := string(j.UID)
	for k, v := range map[string]string{
		LegacyJobNameLabel:       j.Name,
		JobNameLabel:             j.Name,
		LegacyControllerUIDLabel: uid,
		ControllerUIDLabel:       uid,
	} {
		if _, ok := t.Labels[k]; !ok {
			t.Labels[k] = v
		}
	}
	if j.Spec.Selector == nil {
		j.Spec.Selector = &meta.LabelSelector{}
	}
	if j.Spec.Selector.MatchLabels == nil {
		j.Spec.Selector.MatchLabels = map[string]string{}
	}
	if _, ok := j.Spec.Selector.MatchLabels[ControllerUIDLabel]; !ok {
		j.Spec.Selector.MatchLabels[ControllerUIDLabel] = uid
	}
	if followTemplate {
		j.Labels = maps.Clone(t.Labels)
	}
}
