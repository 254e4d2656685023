package batch

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// defaultedTemplate is what core's defaulting makes of an empty pod template.
func defaultedTemplate() core.PodTemplateSpec {
	var t core.PodTemplateSpec
	core.DefaultPodTemplateSpec(&t)
	return t
}

// checkDefaulted compares got with want and checks that defaulting again changes nothing.
func checkDefaulted[T any](t *testing.T, got, want *T, again func(*T)) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("defaulted:\n got %s\nwant %s", g, w)
	}
	before, _ := json.Marshal(got)
	again(got)
	after, _ := json.Marshal(got)
	if string(before) != string(after) {
		t.Errorf("defaulting is not idempotent:\n%s\n%s", before, after)
	}
}

func TestDefaultJob(t *testing.T) {
	pfp := func(status meta.ConditionStatus) *PodFailurePolicy {
		return &PodFailurePolicy{Rules: []PodFailurePolicyRule{{
			Action:          PodFailurePolicyActionIgnore,
			OnPodConditions: []PodFailurePolicyOnPodConditionsPattern{{Type: "DisruptionTarget", Status: status}},
		}}}
	}
	tests := []struct {
		name string
		in   JobSpec
		want JobSpec
	}{
		{"bare", JobSpec{}, JobSpec{
			Completions: new(int32(1)), Parallelism: new(int32(1)), BackoffLimit: new(int32(6)),
			CompletionMode: new(NonIndexedCompletion), Suspend: new(false), PodReplacementPolicy: new(TerminatingOrFailed),
		}},
		{"work queue keeps completions nil", JobSpec{Parallelism: new(int32(3))}, JobSpec{
			Parallelism: new(int32(3)), BackoffLimit: new(int32(6)),
			CompletionMode: new(NonIndexedCompletion), Suspend: new(false), PodReplacementPolicy: new(TerminatingOrFailed),
		}},
		{"completions alone gets parallelism 1", JobSpec{Completions: new(int32(5))}, JobSpec{
			Completions: new(int32(5)), Parallelism: new(int32(1)), BackoffLimit: new(int32(6)),
			CompletionMode: new(NonIndexedCompletion), Suspend: new(false), PodReplacementPolicy: new(TerminatingOrFailed),
		}},
		{"backoffLimitPerIndex makes backoffLimit unlimited", JobSpec{Completions: new(int32(3)), BackoffLimitPerIndex: new(int32(1)), CompletionMode: new(IndexedCompletion)}, JobSpec{
			Completions: new(int32(3)), Parallelism: new(int32(1)), BackoffLimit: new(int32(math.MaxInt32)), BackoffLimitPerIndex: new(int32(1)),
			CompletionMode: new(IndexedCompletion), Suspend: new(false), PodReplacementPolicy: new(TerminatingOrFailed),
		}},
		{"pod failure policy: status True, replacement Failed", JobSpec{PodFailurePolicy: pfp("")}, JobSpec{
			Completions: new(int32(1)), Parallelism: new(int32(1)), BackoffLimit: new(int32(6)), PodFailurePolicy: pfp(meta.ConditionTrue),
			CompletionMode: new(NonIndexedCompletion), Suspend: new(false), PodReplacementPolicy: new(Failed),
		}},
		{"set values kept", JobSpec{
			Completions: new(int32(0)), Parallelism: new(int32(0)), BackoffLimit: new(int32(0)), Suspend: new(true),
			PodReplacementPolicy: new(Failed), ManualSelector: new(true), PodFailurePolicy: pfp(meta.ConditionFalse),
		}, JobSpec{
			Completions: new(int32(0)), Parallelism: new(int32(0)), BackoffLimit: new(int32(0)), Suspend: new(true),
			PodReplacementPolicy: new(Failed), ManualSelector: new(true), PodFailurePolicy: pfp(meta.ConditionFalse),
			CompletionMode: new(NonIndexedCompletion),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &Job{Spec: tt.in}
			DefaultJob(j)
			want := &Job{Spec: tt.want}
			want.Spec.Template = defaultedTemplate()
			checkDefaulted(t, j, want, DefaultJob)
		})
	}
}

func TestDefaultJobLabels(t *testing.T) {
	tests := []struct {
		name             string
		labels, template map[string]string
		want             map[string]string
	}{
		{"copied from template", nil, map[string]string{"app": "pi"}, map[string]string{"app": "pi"}},
		{"own labels kept", map[string]string{"team": "x"}, map[string]string{"app": "pi"}, map[string]string{"team": "x"}},
		{"none anywhere", nil, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &Job{}
			j.Labels, j.Spec.Template.Labels = tt.labels, tt.template
			DefaultJob(j)
			if !reflect.DeepEqual(j.Labels, tt.want) {
				t.Errorf("labels = %v, want %v", j.Labels, tt.want)
			}
			if j.Labels != nil && j.Spec.Template.Labels != nil {
				j.Labels["new"] = "x"
				if _, shared := j.Spec.Template.Labels["new"]; shared {
					t.Error("job labels share the template's map")
				}
			}
		})
	}
}

func TestDefaultCronJob(t *testing.T) {
	tests := []struct {
		name string
		in   CronJobSpec
		want CronJobSpec
	}{
		{"bare", CronJobSpec{Schedule: "@hourly"}, CronJobSpec{
			Schedule: "@hourly", ConcurrencyPolicy: AllowConcurrent, Suspend: new(false),
			SuccessfulJobsHistoryLimit: new(int32(3)), FailedJobsHistoryLimit: new(int32(1)),
		}},
		{"set values kept", CronJobSpec{
			ConcurrencyPolicy: ForbidConcurrent, Suspend: new(true),
			SuccessfulJobsHistoryLimit: new(int32(0)), FailedJobsHistoryLimit: new(int32(0)),
		}, CronJobSpec{
			ConcurrencyPolicy: ForbidConcurrent, Suspend: new(true),
			SuccessfulJobsHistoryLimit: new(int32(0)), FailedJobsHistoryLimit: new(int32(0)),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cj := &CronJob{Spec: tt.in}
			DefaultCronJob(cj)
			want := &CronJob{Spec: tt.want}
			// Only the pod template of the job template is defaulted; the Job fields are
			// defaulted on each Job the CronJob creates.
			want.Spec.JobTemplate.Spec.Template = defaultedTemplate()
			checkDefaulted(t, cj, want, DefaultCronJob)
		})
	}
}

func TestGenerateJobSelector(t *testing.T) {
	const uid = "0d3b5f7e-1111-4222-8333-444455556666"
	tests := []struct {
		name         string
		manual       *bool
		labels       map[string]string
		jobLabels    map[string]string
		selector     *meta.LabelSelector
		wantTemplate map[string]string
		wantSelector *meta.LabelSelector
		wantJob      map[string]string
	}{
		{
			name: "generated",
			wantTemplate: map[string]string{
				ControllerUIDLabel: uid, JobNameLabel: "pi", LegacyControllerUIDLabel: uid, LegacyJobNameLabel: "pi",
			},
			wantSelector: &meta.LabelSelector{MatchLabels: map[string]string{ControllerUIDLabel: uid}},
			wantJob: map[string]string{
				ControllerUIDLabel: uid, JobNameLabel: "pi", LegacyControllerUIDLabel: uid, LegacyJobNameLabel: "pi",
			},
		},
		{
			name:      "user labels kept, job labels defaulted from the template follow",
			labels:    map[string]string{"app": "pi", JobNameLabel: "mine"},
			jobLabels: map[string]string{"app": "pi", JobNameLabel: "mine"},
			wantTemplate: map[string]string{
				"app": "pi", ControllerUIDLabel: uid, JobNameLabel: "mine", LegacyControllerUIDLabel: uid, LegacyJobNameLabel: "pi",
			},
			wantSelector: &meta.LabelSelector{MatchLabels: map[string]string{ControllerUIDLabel: uid}},
			wantJob: map[string]string{
				"app": "pi", ControllerUIDLabel: uid, JobNameLabel: "mine", LegacyControllerUIDLabel: uid, LegacyJobNameLabel: "pi",
			},
		},
		{
			name:      "own job labels kept",
			jobLabels: map[string]string{"team": "x"},
			selector:  &meta.LabelSelector{MatchLabels: map[string]string{ControllerUIDLabel: "other"}},
			wantTemplate: map[string]string{
				ControllerUIDLabel: uid, JobNameLabel: "pi", LegacyControllerUIDLabel: uid, LegacyJobNameLabel: "pi",
			},
			wantSelector: &meta.LabelSelector{MatchLabels: map[string]string{ControllerUIDLabel: "other"}},
			wantJob:      map[string]string{"team": "x"},
		},
		{
			name:         "manual selector untouched",
			manual:       new(true),
			labels:       map[string]string{"app": "pi"},
			selector:     &meta.LabelSelector{MatchLabels: map[string]string{"app": "pi"}},
			wantTemplate: map[string]string{"app": "pi"},
			wantSelector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "pi"}},
		},
		{
			name:   "manualSelector false generates",
			manual: new(false),
			wantTemplate: map[string]string{
				ControllerUIDLabel: uid, JobNameLabel: "pi", LegacyControllerUIDLabel: uid, LegacyJobNameLabel: "pi",
			},
			wantSelector: &meta.LabelSelector{MatchLabels: map[string]string{ControllerUIDLabel: uid}},
			wantJob: map[string]string{
				ControllerUIDLabel: uid, JobNameLabel: "pi", LegacyControllerUIDLabel: uid, LegacyJobNameLabel: "pi",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := &Job{ObjectMeta: meta.ObjectMeta{Name: "pi", UID: uid, Labels: tt.jobLabels}}
			j.Spec.ManualSelector = tt.manual
			j.Spec.Template.Labels = tt.labels
			j.Spec.Selector = tt.selector
			GenerateJobSelector(j)
			if !reflect.DeepEqual(j.Spec.Template.Labels, tt.wantTemplate) {
				t.Errorf("template labels = %v, want %v", j.Spec.Template.Labels, tt.wantTemplate)
			}
			if !reflect.DeepEqual(j.Spec.Selector, tt.wantSelector) {
				t.Errorf("selector = %+v, want %+v", j.Spec.Selector, tt.wantSelector)
			}
			if !reflect.DeepEqual(j.Labels, tt.wantJob) {
				t.Errorf("job labels = %v, want %v", j.Labels, tt.wantJob)
			}
		})
	}
}
