package batch

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

const testUID = "6f1c0c1e-2a3b-4c5d-8e9f-0a1b2c3d4e5f"

// checkErrors fails unless errs has exactly len(want) errors and, for each entry of want, one
// error starting with it. A nil want means errs must be empty.
func checkErrors(t *testing.T, errs validation.ErrorList, want []string) {
	t.Helper()
	got := make([]string, len(errs))
	for i, e := range errs {
		got[i] = e.Error()
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n got %q\nwant %q", len(got), len(want), got, want)
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("no error starts with %q; got %q", w, got)
		}
	}
}

// jobTemplate returns a defaulted pod template for a Job's pods.
func jobTemplate() core.PodTemplateSpec {
	t := core.PodTemplateSpec{Spec: core.PodSpec{
		Containers:    []core.Container{{Name: "pi", Image: "perl:5.34.0", Command: []string{"perl", "-e", "print 1"}}},
		RestartPolicy: core.RestartPolicyNever,
	}}
	core.DefaultPodTemplateSpec(&t)
	return t
}

// validJob returns the pi Job as the store would validate it on create: defaulted, with a UID
// and a generated selector.
func validJob() *Job {
	j := &Job{
		ObjectMeta: meta.ObjectMeta{Name: "pi", Namespace: "default", UID: testUID},
		Spec:       JobSpec{Template: jobTemplate()},
	}
	DefaultJob(j)
	GenerateJobSelector(j)
	return j
}

// regenerate renames j and generates its selector and labels again.
func regenerate(j *Job, name string) {
	j.Name = name
	j.Labels = nil
	j.Spec.Template.Labels = nil
	j.Spec.Selector = nil
	GenerateJobSelector(j)
}

func indexed(j *Job, completions int32) {
	j.Spec.CompletionMode = new(IndexedCompletion)
	j.Spec.Completions = new(completions)
}

func TestValidateJob(t *testing.T) {
	ignoreDisruption := func() *PodFailurePolicy {
		return &PodFailurePolicy{Rules: []PodFailurePolicyRule{{
			Action:          PodFailurePolicyActionIgnore,
			OnPodConditions: []PodFailurePolicyOnPodConditionsPattern{{Type: "DisruptionTarget", Status: meta.ConditionTrue}},
		}}}
	}
	exitCodes := func(op PodFailurePolicyOnExitCodesOperator, values ...int32) *PodFailurePolicy {
		return &PodFailurePolicy{Rules: []PodFailurePolicyRule{{
			Action: PodFailurePolicyActionFailJob, OnExitCodes: &PodFailurePolicyOnExitCodesRequirement{Operator: op, Values: values},
		}}}
	}
	withPolicy := func(p *PodFailurePolicy) func(*Job) {
		return func(j *Job) {
			j.Spec.PodFailurePolicy = p
			j.Spec.PodReplacementPolicy = new(Failed)
		}
	}
	success := func(rules ...SuccessPolicyRule) func(*Job) {
		return func(j *Job) {
			indexed(j, 5)
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: rules}
		}
	}
	tests := []struct {
		name   string
		mutate func(*Job)
		want   []string
	}{
		{"valid", func(*Job) {}, nil},
		{"manual selector", func(j *Job) {
			j.Spec.ManualSelector = new(true)
			j.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"app": "pi"}}
			j.Spec.Template.Labels = map[string]string{"app": "pi"}
		}, nil},
		{"manual selector does not match", func(j *Job) {
			j.Spec.ManualSelector = new(true)
			j.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"app": "pi"}}
			j.Spec.Template.Labels = map[string]string{"app": "e"}
		}, []string{"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"e\"}: `selector` does not match template `labels`"}},
		{"manual without selector", func(j *Job) {
			j.Spec.ManualSelector = new(true)
			j.Spec.Selector = nil
		}, []string{"spec.selector: Required value"}},
		{"no uid", func(j *Job) {
			j.UID = ""
			regenerate(j, "pi")
		}, []string{"metadata.uid: Required value"}},
		{"selector not generated", func(j *Job) {
			j.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{ControllerUIDLabel: "other"}}
		}, []string{
			"spec.selector: Invalid value: batch.kubernetes.io/controller-uid=other: `selector` not auto-generated",
			"spec.template.metadata.labels: Invalid value:",
		}},
		{"wrong job-name label", func(j *Job) { j.Spec.Template.Labels[LegacyJobNameLabel] = "e" },
			[]string{`spec.template.metadata.labels[job-name]: Invalid value: "e": must be 'pi'`}},
		{"missing controller-uid label", func(j *Job) { delete(j.Spec.Template.Labels, ControllerUIDLabel) }, []string{
			"spec.template.metadata.labels[batch.kubernetes.io/controller-uid]: Required value: " + testUID,
			"spec.template.metadata.labels: Invalid value:",
		}},
		{"name too long for the job-name label", func(j *Job) { regenerate(j, strings.Repeat("a", 64)) },
			[]string{
				"metadata.labels[batch.kubernetes.io/job-name]: Invalid value:", "metadata.labels[job-name]: Invalid value:",
				"spec.template.metadata.labels[batch.kubernetes.io/job-name]: Invalid value:", "spec.template.metadata.labels[job-name]: Invalid value:",
			}},
		{"negative counts", func(j *Job) {
			j.Spec.Parallelism, j.Spec.Completions, j.Spec.BackoffLimit = new(int32(-1)), new(int32(-1)), new(int32(-1))
			j.Spec.ActiveDeadlineSeconds, j.Spec.TTLSecondsAfterFinished = new(int64(-1)), new(int32(-1))
		}, []string{
			"spec.parallelism: Invalid value: -1", "spec.completions: Invalid value: -1", "spec.backoffLimit: Invalid value: -1",
			"spec.activeDeadlineSeconds: Invalid value: -1", "spec.ttlSecondsAfterFinished: Invalid value: -1",
		}},
		{"zero counts", func(j *Job) {
			j.Spec.Parallelism, j.Spec.Completions, j.Spec.BackoffLimit = new(int32(0)), new(int32(0)), new(int32(0))
			j.Spec.ActiveDeadlineSeconds, j.Spec.TTLSecondsAfterFinished = new(int64(0)), new(int32(0))
		}, nil},
		{"restartPolicy Always", func(j *Job) { j.Spec.Template.Spec.RestartPolicy = core.RestartPolicyAlways },
			[]string{`spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"`}},
		{"restartPolicy OnFailure", func(j *Job) { j.Spec.Template.Spec.RestartPolicy = core.RestartPolicyOnFailure }, nil},
		{"OnFailure with a pod failure policy", func(j *Job) {
			withPolicy(ignoreDisruption())(j)
			j.Spec.Template.Spec.RestartPolicy = core.RestartPolicyOnFailure
		}, []string{`spec.template.spec.restartPolicy: Invalid value: "OnFailure": only "Never" is supported when podFailurePolicy is specified`}},
		{"unknown completion mode", func(j *Job) { j.Spec.CompletionMode = new(CompletionMode("Sparse")) },
			[]string{`spec.completionMode: Unsupported value: "Sparse": supported values: "NonIndexed", "Indexed"`}},
		{"indexed", func(j *Job) { indexed(j, 10) }, nil},
		{"indexed without completions", func(j *Job) { indexed(j, 1); j.Spec.Completions = nil },
			[]string{"spec.completions: Required value: when completion mode is Indexed"}},
		{"indexed parallelism too high", func(j *Job) { indexed(j, 10); j.Spec.Parallelism = new(int32(100001)) },
			[]string{"spec.parallelism: Invalid value: 100001: must be less than or equal to 100000 when completion mode is Indexed"}},
		{"indexed name too long for the hostname", func(j *Job) { regenerate(j, strings.Repeat("a", 62)); indexed(j, 10) },
			[]string{`metadata.name: Invalid value: "` + strings.Repeat("a", 62) + `": will not able to create pod with invalid DNS label: ` + strings.Repeat("a", 62) + "-9"}},
		{"indexed name fits with one digit", func(j *Job) { regenerate(j, strings.Repeat("a", 61)); indexed(j, 10) }, nil},
		{"backoffLimitPerIndex", func(j *Job) {
			indexed(j, 10)
			j.Spec.BackoffLimitPerIndex, j.Spec.MaxFailedIndexes = new(int32(1)), new(int32(5))
		}, nil},
		{"backoffLimitPerIndex needs indexed", func(j *Job) { j.Spec.BackoffLimitPerIndex = new(int32(1)) },
			[]string{"spec.backoffLimitPerIndex: Forbidden: requires indexed completion mode"}},
		{"maxFailedIndexes needs backoffLimitPerIndex", func(j *Job) { indexed(j, 10); j.Spec.MaxFailedIndexes = new(int32(1)) },
			[]string{"spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified"}},
		{"maxFailedIndexes above completions", func(j *Job) {
			indexed(j, 3)
			j.Spec.BackoffLimitPerIndex, j.Spec.MaxFailedIndexes = new(int32(1)), new(int32(4))
		}, []string{"spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions"}},
		{"many completions need maxFailedIndexes", func(j *Job) {
			indexed(j, 200000)
			j.Spec.BackoffLimitPerIndex, j.Spec.Parallelism = new(int32(1)), new(int32(20000))
		}, []string{
			"spec.maxFailedIndexes: Required value: must be specified when completions is above 100000",
			"spec.parallelism: Invalid value: 20000: must be less than or equal to 10000 when completions are above 100000",
		}},
		{"pod failure policy", withPolicy(ignoreDisruption()), nil},
		{"exit code rule", withPolicy(exitCodes(PodFailurePolicyOnExitCodesOpIn, 1, 2, 42)), nil},
		{"NotIn with 0", withPolicy(exitCodes(PodFailurePolicyOnExitCodesOpNotIn, 0)), nil},
		{"In with 0", withPolicy(exitCodes(PodFailurePolicyOnExitCodesOpIn, 0, 1)),
			[]string{"spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator"}},
		{"duplicate and unordered exit codes", withPolicy(exitCodes(PodFailurePolicyOnExitCodesOpIn, 3, 1, 3)), []string{
			"spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
			"spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: [3,1,3]: must be ordered",
		}},
		{"no exit codes", withPolicy(exitCodes(PodFailurePolicyOnExitCodesOpIn)),
			[]string{"spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: null: at least one value is required"}},
		{"no operator", withPolicy(exitCodes("", 1)),
			[]string{`spec.podFailurePolicy.rules[0].onExitCodes.operator: Required value: valid values: ["In" "NotIn"]`}},
		{"unknown container", func(j *Job) {
			p := exitCodes(PodFailurePolicyOnExitCodesOpIn, 1)
			p.Rules[0].OnExitCodes.ContainerName = new("sidecar")
			withPolicy(p)(j)
		}, []string{`spec.podFailurePolicy.rules[0].onExitCodes.containerName: Invalid value: "sidecar": must be one of the container or initContainer names in the pod template`}},
		{"no action", func(j *Job) {
			p := ignoreDisruption()
			p.Rules[0].Action = ""
			withPolicy(p)(j)
		}, []string{`spec.podFailurePolicy.rules[0].action: Required value: valid values: ["Count" "FailIndex" "FailJob" "Ignore"]`}},
		{"unknown action", func(j *Job) {
			p := ignoreDisruption()
			p.Rules[0].Action = "Retry"
			withPolicy(p)(j)
		}, []string{`spec.podFailurePolicy.rules[0].action: Unsupported value: "Retry"`}},
		{"FailIndex without backoffLimitPerIndex", func(j *Job) {
			p := ignoreDisruption()
			p.Rules[0].Action = PodFailurePolicyActionFailIndex
			withPolicy(p)(j)
		}, []string{`spec.podFailurePolicy.rules[0].action: Invalid value: "FailIndex": requires the backoffLimitPerIndex to be set`}},
		{"both requirements", func(j *Job) {
			p := ignoreDisruption()
			p.Rules[0].OnExitCodes = &PodFailurePolicyOnExitCodesRequirement{Operator: PodFailurePolicyOnExitCodesOpIn, Values: []int32{1}}
			withPolicy(p)(j)
		}, []string{"spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported"}},
		{"no requirement", withPolicy(&PodFailurePolicy{Rules: []PodFailurePolicyRule{{Action: PodFailurePolicyActionCount}}}),
			[]string{"spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required"}},
		{"bad condition status", func(j *Job) {
			p := ignoreDisruption()
			p.Rules[0].OnPodConditions[0].Status = "Maybe"
			withPolicy(p)(j)
		}, []string{`spec.podFailurePolicy.rules[0].onPodConditions[0].status: Unsupported value: "Maybe"`}},
		{"bad condition type", func(j *Job) {
			p := ignoreDisruption()
			p.Rules[0].OnPodConditions[0].Type = "not a type"
			withPolicy(p)(j)
		}, []string{`spec.podFailurePolicy.rules[0].onPodConditions[0].type: Invalid value: "not a type"`}},
		{"too many rules", func(j *Job) {
			p := &PodFailurePolicy{}
			for range 21 {
				p.Rules = append(p.Rules, ignoreDisruption().Rules[0])
			}
			withPolicy(p)(j)
		}, []string{"spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items"}},
		{"replacement TerminatingOrFailed with a pod failure policy", func(j *Job) {
			j.Spec.PodFailurePolicy = ignoreDisruption()
		}, []string{`spec.podReplacementPolicy: Unsupported value: "TerminatingOrFailed": supported values: "Failed"`}},
		{"unknown replacement policy", func(j *Job) { j.Spec.PodReplacementPolicy = new(PodReplacementPolicy("Never")) },
			[]string{`spec.podReplacementPolicy: Unsupported value: "Never"`}},
		{"success policy", success(SuccessPolicyRule{SucceededIndexes: new("0,2-4"), SucceededCount: new(int32(2))}), nil},
		{"success policy needs indexed", func(j *Job) {
			j.Spec.SuccessPolicy = &SuccessPolicy{Rules: []SuccessPolicyRule{{SucceededCount: new(int32(1))}}}
		}, []string{"spec.successPolicy: Invalid value: requires indexed completion mode"}},
		{"success policy without rules", success(), []string{"spec.successPolicy.rules: Required value"}},
		{"empty success rule", success(SuccessPolicyRule{}),
			[]string{"spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified"}},
		{"decreasing indexes", success(SuccessPolicyRule{SucceededIndexes: new("3-1")}),
			[]string{`spec.successPolicy.rules[0].succeededIndexes: Invalid value: "3-1": error parsing succeededIndexes: non-increasing order, previous: 3, current: 1`}},
		{"index out of range", success(SuccessPolicyRule{SucceededIndexes: new("1,5")}),
			[]string{`spec.successPolicy.rules[0].succeededIndexes: Invalid value: "1,5": error parsing succeededIndexes: too large index: "5"`}},
		{"count above completions", success(SuccessPolicyRule{SucceededCount: new(int32(6))}),
			[]string{"spec.successPolicy.rules[0].succeededCount: Invalid value: 6: must be less than or equal to 5 (the number of specified completions)"}},
		{"count above listed indexes", success(SuccessPolicyRule{SucceededIndexes: new("0-1"), SucceededCount: new(int32(3))}),
			[]string{"spec.successPolicy.rules[0].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)"}},
		{"managedBy built-in", func(j *Job) { j.Spec.ManagedBy = new(JobControllerName) }, nil},
		{"managedBy not a path", func(j *Job) { j.Spec.ManagedBy = new("kueue") },
			[]string{`spec.managedBy: Invalid value: "kueue": must be a domain-prefixed path (such as "acme.io/foo")`}},
		{"managedBy too long", func(j *Job) { j.Spec.ManagedBy = new("example.com/" + strings.Repeat("x", 60)) },
			[]string{"spec.managedBy: Too long"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			j := validJob()
			tt.mutate(j)
			checkErrors(t, ValidateJob(j), tt.want)
		})
	}
}

func TestParseIndexes(t *testing.T) {
	tests := []struct {
		in      string
		total   int32
		wantErr string
	}{
		{"", 0, ""},
		{"0", 1, ""},
		{"0,2-4,7", 5, ""},
		{"1-2,3", 3, ""},
		{"2,1", 0, "non-increasing order"},
		{"1-1", 0, "non-increasing order"},
		{"1-2-3", 0, "at most two parts"},
		{"a", 0, "cannot convert"},
		{"-1", 0, "cannot convert"},
		{"10", 0, "too large index"},
	}
	for _, tt := range tests {
		total, err := parseIndexes(tt.in, 10)
		if tt.wantErr == "" && (err != nil || total != tt.total) {
			t.Errorf("parseIndexes(%q) = %d, %v; want %d", tt.in, total, err, tt.total)
		}
		if tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)) {
			t.Errorf("parseIndexes(%q) error = %v, want %q", tt.in, err, tt.wantErr)
		}
	}
}

func TestValidateJobUpdate(t *testing.T) {
	suspendedNeverStarted := func(j *Job) { j.Spec.Suspend = new(true) }
	tests := []struct {
		name   string
		old    func(*Job)
		mutate func(*Job)
		want   []string
	}{
		{"parallelism, suspend, backoffLimit, deadline, ttl", nil, func(j *Job) {
			j.Spec.Parallelism, j.Spec.Suspend, j.Spec.BackoffLimit = new(int32(4)), new(true), new(int32(1))
			j.Spec.ActiveDeadlineSeconds, j.Spec.TTLSecondsAfterFinished = new(int64(60)), new(int32(100))
		}, nil},
		{"completions", nil, func(j *Job) { j.Spec.Completions = new(int32(3)) },
			[]string{"spec.completions: Invalid value: 3: field is immutable"}},
		{"indexed completions with parallelism", func(j *Job) { indexed(j, 4); j.Spec.Parallelism = new(int32(4)) },
			func(j *Job) { j.Spec.Completions, j.Spec.Parallelism = new(int32(2)), new(int32(2)) }, nil},
		{"indexed completions alone", func(j *Job) { indexed(j, 4); j.Spec.Parallelism = new(int32(4)) },
			func(j *Job) { j.Spec.Completions = new(int32(2)) },
			[]string{"spec.completions: Invalid value: 2: can only be modified in tandem with spec.parallelism"}},
		{"selector", nil, func(j *Job) { j.Spec.Selector.MatchLabels[LegacyJobNameLabel] = "pi" },
			[]string{"spec.selector: Invalid value: batch.kubernetes.io/controller-uid=" + testUID + ",job-name=pi: field is immutable"}},
		{"template", nil, func(j *Job) { j.Spec.Template.Spec.Containers[0].Image = "perl:5.36" },
			[]string{"spec.template: Invalid value: {"}},
		{"scheduling directives of a suspended job that never ran", suspendedNeverStarted, func(j *Job) {
			j.Spec.Template.Spec.NodeSelector = map[string]string{"zone": "a"}
			j.Spec.Template.Spec.Tolerations = []core.Toleration{{Key: "gpu", Operator: core.TolerationOpExists}}
			j.Spec.Template.Labels["queue"] = "batch"
			j.Spec.Template.Annotations = map[string]string{"note": "x"}
			j.Spec.Template.Spec.SchedulingGates = []core.PodSchedulingGate{{Name: "example.com/gate"}}
			j.Spec.Template.Spec.Affinity = &core.Affinity{NodeAffinity: &core.NodeAffinity{}}
		}, nil},
		{"image of a suspended job that never ran", suspendedNeverStarted, func(j *Job) {
			j.Spec.Template.Spec.Containers[0].Image = "perl:5.36"
		}, []string{"spec.template: Invalid value:"}},
		{"scheduling directives of a suspended job that ran", func(j *Job) {
			j.Spec.Suspend = new(true)
			j.Status.StartTime = new(meta.NewTime(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)))
		}, func(j *Job) { j.Spec.Template.Spec.NodeSelector = map[string]string{"zone": "a"} },
			[]string{"spec.template: Invalid value:"}},
		{"completion mode", nil, func(j *Job) { indexed(j, 1) }, []string{`spec.completionMode: Invalid value: "Indexed": field is immutable`}},
		{"backoffLimitPerIndex", func(j *Job) { indexed(j, 2) }, func(j *Job) { j.Spec.BackoffLimitPerIndex = new(int32(1)) },
			[]string{"spec.backoffLimitPerIndex: Invalid value: 1: field is immutable"}},
		{"managedBy", nil, func(j *Job) { j.Spec.ManagedBy = new("example.com/queue") },
			[]string{`spec.managedBy: Invalid value: "example.com/queue": field is immutable`}},
		{"pod failure policy", func(j *Job) { j.Spec.PodReplacementPolicy = new(Failed) }, func(j *Job) {
			j.Spec.PodFailurePolicy = &PodFailurePolicy{Rules: []PodFailurePolicyRule{{Action: PodFailurePolicyActionIgnore,
				OnPodConditions: []PodFailurePolicyOnPodConditionsPattern{{Type: "DisruptionTarget", Status: meta.ConditionTrue}}}}}
		}, []string{"spec.podFailurePolicy: Invalid value:"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validJob()
			old.ResourceVersion = "1"
			if tt.old != nil {
				tt.old(old)
			}
			j := old.DeepCopy()
			tt.mutate(j)
			checkErrors(t, ValidateJobUpdate(j, old), tt.want)
		})
	}
}

func TestValidateJobStatusUpdate(t *testing.T) {
	at := func(s int) *meta.Time { return new(meta.NewTime(time.Date(2024, 1, 1, 0, 0, s, 0, time.UTC))) }
	cond := func(typ JobConditionType, s meta.ConditionStatus) JobCondition {
		return JobCondition{Type: typ, Status: s}
	}
	tests := []struct {
		name        string
		indexed     bool
		old, status JobStatus
		want        []string
	}{
		{"valid progress", false, JobStatus{Active: 1}, JobStatus{Active: 0, Succeeded: 1, Ready: new(int32(0)), Terminating: new(int32(0)),
			Conditions: []JobCondition{cond(JobSuccessCriteriaMet, meta.ConditionTrue)}}, nil},
		{"complete", false, JobStatus{Succeeded: 1, Conditions: []JobCondition{cond(JobSuccessCriteriaMet, meta.ConditionTrue)}},
			JobStatus{Succeeded: 1, CompletionTime: at(5), Conditions: []JobCondition{cond(JobSuccessCriteriaMet, meta.ConditionTrue), cond(JobComplete, meta.ConditionTrue)}}, nil},
		{"negative", false, JobStatus{}, JobStatus{Active: -1, Ready: new(int32(-1))},
			[]string{"status.active: Invalid value: -1", "status.ready: Invalid value: -1"}},
		{"failed decreased", false, JobStatus{Failed: 2}, JobStatus{Failed: 1},
			[]string{"status.failed: Invalid value: 1: cannot decrease the failed counter"}},
		{"succeeded decreased", false, JobStatus{Succeeded: 2}, JobStatus{Succeeded: 1},
			[]string{"status.succeeded: Invalid value: 1: cannot decrease the succeeded counter"}},
		{"succeeded decreased for an indexed job", true, JobStatus{Succeeded: 2}, JobStatus{Succeeded: 1}, nil},
		{"terminal condition removed", false, JobStatus{Conditions: []JobCondition{cond(JobFailureTarget, meta.ConditionTrue)}}, JobStatus{},
			[]string{`status.conditions: Invalid value: "FailureTarget": cannot disable the FailureTarget=True condition`}},
		{"terminal condition turned off", false, JobStatus{Conditions: []JobCondition{cond(JobComplete, meta.ConditionTrue)}},
			JobStatus{Conditions: []JobCondition{cond(JobComplete, meta.ConditionFalse)}},
			[]string{`status.conditions: Invalid value: "Complete": cannot disable the Complete=True condition`}},
		{"complete and failed", false, JobStatus{},
			JobStatus{Conditions: []JobCondition{cond(JobComplete, meta.ConditionTrue), cond(JobFailed, meta.ConditionTrue)}},
			[]string{"status.conditions: Invalid value: \"Failed\": cannot set both Complete=True and Failed=True conditions"}},
		{"completion time changed", false, JobStatus{CompletionTime: at(1)}, JobStatus{CompletionTime: at(2)},
			[]string{`status.completionTime: Invalid value: "2024-01-01T00:00:02Z": field is immutable`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validJob()
			if tt.indexed {
				indexed(old, 3)
			}
			old.Status = tt.old
			j := old.DeepCopy()
			j.Status = tt.status
			checkErrors(t, ValidateJobStatusUpdate(j, old), tt.want)
		})
	}
}
