package job

import (
	"testing"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/reconcile"
)

func reqOf(namespace, name string) reconcile.Request {
	return reconcile.Request{Namespace: namespace, Name: name}
}

// exited returns a failed pod whose containers exited with the given codes, in order, the
// first being an init container when init is set.
func exited(init bool, codes ...int32) *core.Pod {
	p := &core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "ns", Name: "p"}, Status: core.PodStatus{Phase: core.PodFailed}}
	for i, c := range codes {
		cs := core.ContainerStatus{Name: []string{"a", "b", "c"}[i], State: core.ContainerState{Terminated: &core.ContainerStateTerminated{ExitCode: c}}}
		if init && i == 0 {
			p.Status.InitContainerStatuses = append(p.Status.InitContainerStatuses, cs)
			continue
		}
		p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, cs)
	}
	return p
}

func withCondition(p *core.Pod, t core.PodConditionType, s meta.ConditionStatus) *core.Pod {
	p.Status.Conditions = append(p.Status.Conditions, core.PodCondition{Type: t, Status: s})
	return p
}

func onExit(action batch.PodFailurePolicyAction, op batch.PodFailurePolicyOnExitCodesOperator, container string, values ...int32) batch.PodFailurePolicyRule {
	r := batch.PodFailurePolicyRule{Action: action, OnExitCodes: &batch.PodFailurePolicyOnExitCodesRequirement{Operator: op, Values: values}}
	if container != "" {
		r.OnExitCodes.ContainerName = new(container)
	}
	return r
}

func onCondition(action batch.PodFailurePolicyAction, t core.PodConditionType, s meta.ConditionStatus) batch.PodFailurePolicyRule {
	return batch.PodFailurePolicyRule{Action: action, OnPodConditions: []batch.PodFailurePolicyOnPodConditionsPattern{{Type: t, Status: s}}}
}

func TestMatchPodFailurePolicy(t *testing.T) {
	const (
		in    = batch.PodFailurePolicyOnExitCodesOpIn
		notIn = batch.PodFailurePolicyOnExitCodesOpNotIn
	)
	for _, tc := range []struct {
		name  string
		rules []batch.PodFailurePolicyRule
		pod   *core.Pod
		want  failureMatch
	}{
		{"no rules: counted", nil, exited(false, 1), failureMatch{count: true}},
		{"In matches", []batch.PodFailurePolicyRule{onExit(batch.PodFailurePolicyActionFailJob, in, "", 42)}, exited(false, 42),
			failureMatch{action: batch.PodFailurePolicyActionFailJob, count: true,
				failJobMessage: "Container a for pod ns/p failed with exit code 42 matching FailJob rule at index 0"}},
		{"In does not match", []batch.PodFailurePolicyRule{onExit(batch.PodFailurePolicyActionFailJob, in, "", 42)}, exited(false, 1), failureMatch{count: true}},
		{"NotIn matches another code", []batch.PodFailurePolicyRule{onExit(batch.PodFailurePolicyActionIgnore, notIn, "", 1, 2)}, exited(false, 3),
			failureMatch{action: batch.PodFailurePolicyActionIgnore}},
		{"exit code 0 never matches NotIn", []batch.PodFailurePolicyRule{onExit(batch.PodFailurePolicyActionIgnore, notIn, "", 1)}, exited(false, 0), failureMatch{count: true}},
		{"any container", []batch.PodFailurePolicyRule{onExit(batch.PodFailurePolicyActionCount, in, "", 5)}, exited(false, 0, 5),
			failureMatch{action: batch.PodFailurePolicyActionCount, count: true}},
		{"named container", []batch.PodFailurePolicyRule{onExit(batch.PodFailurePolicyActionIgnore, in, "a", 5)}, exited(false, 0, 5), failureMatch{count: true}},
		{"init containers after regular ones", []batch.PodFailurePolicyRule{onExit(batch.PodFailurePolicyActionFailJob, in, "", 3, 4)}, exited(true, 3, 4),
			failureMatch{action: batch.PodFailurePolicyActionFailJob, count: true,
				failJobMessage: "Container b for pod ns/p failed with exit code 4 matching FailJob rule at index 0"}},
		{"first matching rule wins", []batch.PodFailurePolicyRule{
			onExit(batch.PodFailurePolicyActionIgnore, in, "", 7),
			onExit(batch.PodFailurePolicyActionFailIndex, in, "", 1),
			onExit(batch.PodFailurePolicyActionFailJob, in, "", 1),
		}, exited(false, 1), failureMatch{action: batch.PodFailurePolicyActionFailIndex, count: true}},
		{"condition Ignore", []batch.PodFailurePolicyRule{onCondition(batch.PodFailurePolicyActionIgnore, core.DisruptionTarget, meta.ConditionTrue)},
			withCondition(exited(false, 143), core.DisruptionTarget, meta.ConditionTrue), failureMatch{action: batch.PodFailurePolicyActionIgnore}},
		{"condition status must match", []batch.PodFailurePolicyRule{onCondition(batch.PodFailurePolicyActionIgnore, core.DisruptionTarget, meta.ConditionTrue)},
			withCondition(exited(false, 143), core.DisruptionTarget, meta.ConditionFalse), failureMatch{count: true}},
		{"condition FailJob", []batch.PodFailurePolicyRule{
			onExit(batch.PodFailurePolicyActionIgnore, in, "", 9),
			onCondition(batch.PodFailurePolicyActionFailJob, core.DisruptionTarget, meta.ConditionTrue),
		}, withCondition(exited(false, 143), core.DisruptionTarget, meta.ConditionTrue),
			failureMatch{action: batch.PodFailurePolicyActionFailJob, count: true,
				failJobMessage: "Pod ns/p has condition DisruptionTarget matching FailJob rule at index 1"}},
	} {
		var pfp *batch.PodFailurePolicy
		if tc.rules != nil {
			pfp = &batch.PodFailurePolicy{Rules: tc.rules}
		}
		if got := matchPodFailurePolicy(pfp, tc.pod); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestMatchSuccessPolicy(t *testing.T) {
	idx := func(s string) *string { return &s }
	count := func(n int32) *int32 { return &n }
	for _, tc := range []struct {
		name      string
		rules     []batch.SuccessPolicyRule
		succeeded string
		wantMsg   string
	}{
		{"no policy", nil, "0-9", ""},
		{"nothing succeeded", []batch.SuccessPolicyRule{{SucceededCount: count(0)}}, "", ""},
		{"indexes met", []batch.SuccessPolicyRule{{SucceededIndexes: idx("0,2-3")}}, "0-3", "Matched rules at index 0"},
		{"indexes not met", []batch.SuccessPolicyRule{{SucceededIndexes: idx("0,2-3")}}, "0,2", ""},
		{"count met", []batch.SuccessPolicyRule{{SucceededCount: count(3)}}, "1,5,7", "Matched rules at index 0"},
		{"count not met", []batch.SuccessPolicyRule{{SucceededCount: count(4)}}, "1,5,7", ""},
		{"count of listed indexes", []batch.SuccessPolicyRule{{SucceededIndexes: idx("0-4"), SucceededCount: count(2)}}, "3,4,8,9", "Matched rules at index 0"},
		{"count of listed indexes not met", []batch.SuccessPolicyRule{{SucceededIndexes: idx("0-4"), SucceededCount: count(3)}}, "3,4,8,9", ""},
		{"second rule", []batch.SuccessPolicyRule{{SucceededIndexes: idx("9")}, {SucceededCount: count(1)}}, "0", "Matched rules at index 1"},
	} {
		var sp *batch.SuccessPolicy
		if tc.rules != nil {
			sp = &batch.SuccessPolicy{Rules: tc.rules}
		}
		msg, ok := matchSuccessPolicy(sp, 10, parseIndexes(tc.succeeded, 10))
		if msg != tc.wantMsg || ok != (tc.wantMsg != "") {
			t.Errorf("%s: %q, %v; want %q", tc.name, msg, ok, tc.wantMsg)
		}
	}
}

func TestOverlap(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "0-9", 0},
		{"0-9", "0-9", 10},
		{"0-4", "3-7", 2},
		{"0,2,4,6", "1-5", 2},
		{"1-3,10-20", "0,2,15-30", 7},
	} {
		if got := overlap(parseIndexes(tc.a, 100), parseIndexes(tc.b, 100)); got != tc.want {
			t.Errorf("overlap(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
