package job

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// rankPod builds an active pod for the ranking tests.
type rankPod struct {
	name       string
	node       string
	phase      core.PodPhase
	readySince int // seconds after t0; 0 = not ready
	restarts   int32
	created    int // seconds after t0
	index      string
}

func (r rankPod) pod() *core.Pod {
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Name: r.name, UID: meta.UID(r.name), CreationTimestamp: meta.NewTime(t0.Add(time.Duration(r.created) * time.Second))},
		Spec:       core.PodSpec{NodeName: r.node},
		Status:     core.PodStatus{Phase: r.phase, ContainerStatuses: []core.ContainerStatus{{Name: "main", RestartCount: r.restarts}}},
	}
	if r.readySince > 0 {
		p.Status.Conditions = []core.PodCondition{{Type: core.PodReady, Status: core.ConditionTrue, LastTransitionTime: meta.NewTime(t0.Add(time.Duration(r.readySince) * time.Second))}}
	}
	if r.index != "" {
		p.Annotations = map[string]string{batch.JobCompletionIndexAnnotation: r.index}
	}
	return p
}

func names(pods []*core.Pod) []string {
	out := make([]string, len(pods))
	for i, p := range pods {
		out[i] = p.Name
	}
	return out
}

func TestComparePodsForDeletion(t *testing.T) {
	for _, tc := range []struct {
		name        string
		first, last rankPod
	}{
		{"unscheduled first", rankPod{name: "a", phase: core.PodPending}, rankPod{name: "b", node: "n", phase: core.PodPending}},
		{"pending before unknown", rankPod{name: "a", node: "n", phase: core.PodPending}, rankPod{name: "b", node: "n", phase: core.PodUnknown}},
		{"unknown before running", rankPod{name: "a", node: "n", phase: core.PodUnknown}, rankPod{name: "b", node: "n", phase: core.PodRunning}},
		{"not ready before ready", rankPod{name: "b", node: "n", phase: core.PodRunning}, rankPod{name: "a", node: "n", phase: core.PodRunning, readySince: 1}},
		{"ready more recently first", rankPod{name: "b", node: "n", phase: core.PodRunning, readySince: 9}, rankPod{name: "a", node: "n", phase: core.PodRunning, readySince: 1}},
		{"more restarts first", rankPod{name: "b", node: "n", phase: core.PodRunning, restarts: 3}, rankPod{name: "a", node: "n", phase: core.PodRunning, restarts: 1}},
		{"newer first", rankPod{name: "b", node: "n", phase: core.PodRunning, created: 9}, rankPod{name: "a", node: "n", phase: core.PodRunning, created: 1}},
		{"then by name", rankPod{name: "a", node: "n", phase: core.PodRunning}, rankPod{name: "b", node: "n", phase: core.PodRunning}},
	} {
		a, b := tc.first.pod(), tc.last.pod()
		if comparePodsForDeletion(a, b) >= 0 || comparePodsForDeletion(b, a) <= 0 {
			t.Errorf("%s: %s should sort before %s", tc.name, a.Name, b.Name)
		}
	}
}

func TestActivePodsForRemoval(t *testing.T) {
	nonIndexed := newJob("j")
	indexed := newJob("j", func(j *batch.Job) {
		j.Spec.CompletionMode = new(batch.IndexedCompletion)
		j.Spec.Completions = new(int32(4))
	})
	running := func(name, index string, readySince int) rankPod {
		return rankPod{name: name, node: "n", phase: core.PodRunning, readySince: readySince, index: index}
	}
	for _, tc := range []struct {
		name      string
		job       *batch.Job
		pods      []rankPod
		rmAtLeast int
		want      []string
	}{
		{"none", nonIndexed, []rankPod{running("a", "", 1)}, 0, nil},
		{"cheapest first", nonIndexed, []rankPod{running("a", "", 1), {name: "b", phase: core.PodPending}, running("c", "", 0)}, 2, []string{"b", "c"}},
		{"all", nonIndexed, []rankPod{running("a", "", 1), running("b", "", 2)}, 5, []string{"b", "a"}},
		{"repeated and invalid indexes go first", indexed, []rankPod{
			running("a", "0", 5), running("b", "0", 1), running("c", "7", 1), running("d", "", 1), running("e", "1", 1),
		}, 0, []string{"c", "d", "a"}},
		{"then the cheapest of the rest", indexed, []rankPod{
			running("a", "0", 5), running("b", "0", 1), running("e", "1", 2), running("f", "2", 0),
		}, 2, []string{"a", "f"}},
	} {
		pods := make([]*core.Pod, len(tc.pods))
		for i, rp := range tc.pods {
			pods[i] = rp.pod()
		}
		before := names(pods)
		got := names(activePodsForRemoval(tc.job, pods, tc.rmAtLeast))
		if !slices.Equal(got, tc.want) && !(len(got) == 0 && len(tc.want) == 0) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
		if !slices.Equal(names(pods), before) {
			t.Errorf("%s: the input was reordered", tc.name)
		}
	}
}

func TestIsPodFailed(t *testing.T) {
	deleting := &core.Pod{ObjectMeta: meta.ObjectMeta{DeletionTimestamp: new(meta.NewTime(t0))}, Status: core.PodStatus{Phase: core.PodRunning}}
	succeededDeleting := &core.Pod{ObjectMeta: meta.ObjectMeta{DeletionTimestamp: new(meta.NewTime(t0))}, Status: core.PodStatus{Phase: core.PodSucceeded}}
	failed := &core.Pod{Status: core.PodStatus{Phase: core.PodFailed}}
	replaceTerminating := newJob("j", func(j *batch.Job) { j.Spec.PodReplacementPolicy = new(batch.TerminatingOrFailed) })
	replaceFailed := newJob("j", func(j *batch.Job) { j.Spec.PodReplacementPolicy = new(batch.Failed) })
	withPolicy := newJob("j", func(j *batch.Job) { j.Spec.PodFailurePolicy = &batch.PodFailurePolicy{} })
	for _, tc := range []struct {
		name string
		pod  *core.Pod
		job  *batch.Job
		want bool
	}{
		{"failed", failed, replaceTerminating, true},
		{"failed, Failed policy", failed, replaceFailed, true},
		{"deleting counts with TerminatingOrFailed", deleting, replaceTerminating, true},
		{"deleting waits with Failed", deleting, replaceFailed, false},
		{"deleting waits with a pod failure policy", deleting, withPolicy, false},
		{"a succeeded pod being deleted did not fail", succeededDeleting, replaceTerminating, false},
	} {
		if got := isPodFailed(tc.pod, tc.job); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestIndexFailureCounts(t *testing.T) {
	job := newJob("j", func(j *batch.Job) {
		j.Spec.BackoffLimitPerIndex = new(int32(1))
		j.Spec.PodFailurePolicy = &batch.PodFailurePolicy{Rules: []batch.PodFailurePolicyRule{
			onExit(batch.PodFailurePolicyActionIgnore, batch.PodFailurePolicyOnExitCodesOpIn, "", 9),
			onExit(batch.PodFailurePolicyActionFailIndex, batch.PodFailurePolicyOnExitCodesOpIn, "", 8),
		}}
	})
	pod := func(code int32, counted, ignored int) *core.Pod {
		p := exited(false, code)
		p.Annotations = map[string]string{
			batch.JobIndexFailureCountAnnotation:        strconv.Itoa(counted),
			batch.JobIndexIgnoredFailureCountAnnotation: strconv.Itoa(ignored),
		}
		return p
	}
	for _, tc := range []struct {
		name                 string
		old                  *core.Pod
		wantCount, wantIgnor int32
		indexFailed          bool
	}{
		{"first failure", pod(1, 0, 0), 1, 0, false},
		{"second counted failure fails the index", pod(1, 1, 0), 2, 0, true},
		{"an ignored failure", pod(9, 1, 2), 1, 3, false},
		{"FailIndex", pod(8, 0, 0), 1, 0, true},
	} {
		c, i := replacementFailureCounts(job, tc.old)
		if c != tc.wantCount || i != tc.wantIgnor {
			t.Errorf("%s: replacement counts %d, %d; want %d, %d", tc.name, c, i, tc.wantCount, tc.wantIgnor)
		}
		if got := isIndexFailed(job, tc.old); got != tc.indexFailed {
			t.Errorf("%s: isIndexFailed = %v", tc.name, got)
		}
	}
	if c, i := replacementFailureCounts(job, nil); c != 0 || i != 0 {
		t.Errorf("no previous pod: %d, %d", c, i)
	}
	bad := &core.Pod{ObjectMeta: meta.ObjectMeta{Annotations: map[string]string{batch.JobIndexFailureCountAnnotation: "-3"}}}
	if c, _ := indexFailureCounts(bad); c != 0 {
		t.Errorf("a negative annotation counts %d", c)
	}
}

func TestPastBackoffLimitOnFailure(t *testing.T) {
	withRestarts := func(phase core.PodPhase, n ...int32) *core.Pod {
		p := &core.Pod{Status: core.PodStatus{Phase: phase}}
		for _, r := range n {
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, core.ContainerStatus{RestartCount: r})
		}
		return p
	}
	job := func(limit int32, policy core.RestartPolicy) *batch.Job {
		return newJob("j", func(j *batch.Job) {
			j.Spec.BackoffLimit = new(limit)
			j.Spec.Template.Spec.RestartPolicy = policy
		})
	}
	for _, tc := range []struct {
		name string
		job  *batch.Job
		pods []*core.Pod
		want bool
	}{
		{"Never ignores restarts", job(1, core.RestartPolicyNever), []*core.Pod{withRestarts(core.PodRunning, 5)}, false},
		{"below the limit", job(3, core.RestartPolicyOnFailure), []*core.Pod{withRestarts(core.PodRunning, 1, 1)}, false},
		{"at the limit", job(3, core.RestartPolicyOnFailure), []*core.Pod{withRestarts(core.PodRunning, 1), withRestarts(core.PodPending, 2)}, true},
		{"finished pods do not count", job(3, core.RestartPolicyOnFailure), []*core.Pod{withRestarts(core.PodFailed, 5)}, false},
		{"limit 0: any restart", job(0, core.RestartPolicyOnFailure), []*core.Pod{withRestarts(core.PodRunning, 1)}, true},
		{"limit 0: none", job(0, core.RestartPolicyOnFailure), []*core.Pod{withRestarts(core.PodRunning, 0)}, false},
	} {
		if got := pastBackoffLimitOnFailure(tc.job, tc.pods); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestFinalizerExpectations(t *testing.T) {
	e := newFinalizerExpectations()
	k := reqOf("ns", "j")
	e.expectRemovals(k, []meta.UID{"a", "b"})
	got := e.expected(k)
	if len(got) != 2 {
		t.Fatalf("expected = %v", got)
	}
	got["z"] = struct{}{} // a copy
	e.removalObserved(k, "a")
	e.removalObserved(k, "unknown")
	if got := e.expected(k); len(got) != 1 {
		t.Fatalf("after one observation: %v", got)
	}
	e.forget(k)
	if got := e.expected(k); len(got) != 0 {
		t.Fatalf("after forget: %v", got)
	}
}
