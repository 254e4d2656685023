package job

import (
	"fmt"
	"slices"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
)

// failureMatch is what the pod failure policy says about one failed pod (job.md §5).
type failureMatch struct {
	// action is the action of the first matching rule; "" when no rule matched.
	action batch.PodFailurePolicyAction
	// count tells whether the failure counts toward backoffLimit (and backoffLimitPerIndex):
	// false only for Ignore.
	count bool
	// failJobMessage explains a FailJob match; "" otherwise.
	failJobMessage string
}

// matchPodFailurePolicy evaluates the rules of pfp in order against a failed pod; the first
// rule that matches decides. Without a policy, or when no rule matches, the failure counts.
// A FailIndex rule matches only with backoffLimitPerIndex (validation guarantees it).
func matchPodFailurePolicy(pfp *batch.PodFailurePolicy, pod *core.Pod) failureMatch {
	if pfp == nil {
		return failureMatch{count: true}
	}
	for i, rule := range pfp.Rules {
		var msg string
		switch {
		case rule.OnExitCodes != nil:
			cs := matchOnExitCodes(&pod.Status, rule.OnExitCodes)
			if cs == nil {
				continue
			}
			msg = fmt.Sprintf("Container %s for pod %s/%s failed with exit code %d matching %s rule at index %d",
				cs.Name, pod.Namespace, pod.Name, cs.State.Terminated.ExitCode, rule.Action, i)
		case len(rule.OnPodConditions) > 0:
			c := matchOnPodConditions(&pod.Status, rule.OnPodConditions)
			if c == nil {
				continue
			}
			msg = fmt.Sprintf("Pod %s/%s has condition %s matching %s rule at index %d",
				pod.Namespace, pod.Name, c.Type, rule.Action, i)
		default:
			continue
		}
		switch rule.Action {
		case batch.PodFailurePolicyActionIgnore:
			return failureMatch{action: rule.Action}
		case batch.PodFailurePolicyActionFailJob:
			return failureMatch{action: rule.Action, count: true, failJobMessage: msg}
		case batch.PodFailurePolicyActionFailIndex, batch.PodFailurePolicyActionCount:
			return failureMatch{action: rule.Action, count: true}
		}
		// An unknown action (which validation rejects) lets the next rules decide.
	}
	return failureMatch{count: true}
}

// matchOnExitCodes returns the first terminated container (regular containers first, then
// init containers) whose non-zero exit code satisfies req, or nil.
func matchOnExitCodes(st *core.PodStatus, req *batch.PodFailurePolicyOnExitCodesRequirement) *core.ContainerStatus {
	if cs := matchingContainer(st.ContainerStatuses, req); cs != nil {
		return cs
	}
	return matchingContainer(st.InitContainerStatuses, req)
}

func matchingContainer(statuses []core.ContainerStatus, req *batch.PodFailurePolicyOnExitCodesRequirement) *core.ContainerStatus {
	for i := range statuses {
		cs := &statuses[i]
		t := cs.State.Terminated
		if t == nil || t.ExitCode == 0 {
			continue
		}
		if req.ContainerName != nil && *req.ContainerName != cs.Name {
			continue
		}
		in := slices.Contains(req.Values, t.ExitCode)
		switch req.Operator {
		case batch.PodFailurePolicyOnExitCodesOpIn:
			if in {
				return cs
			}
		case batch.PodFailurePolicyOnExitCodesOpNotIn:
			if !in {
				return cs
			}
		}
	}
	return nil
}

// matchOnPodConditions returns the first condition of the pod that one of the patterns
// matches (type and status), or nil.
func matchOnPodConditions(st *core.PodStatus, patterns []batch.PodFailurePolicyOnPodConditionsPattern) *core.PodCondition {
	for i := range st.Conditions {
		c := &st.Conditions[i]
		for _, p := range patterns {
			if c.Type == p.Type && c.Status == p.Status {
				return c
			}
		}
	}
	return nil
}

// matchSuccessPolicy evaluates the rules of sp, in order, against the succeeded indexes of an
// Indexed Job (job.md §7). It returns the message of the first rule met.
func matchSuccessPolicy(sp *batch.SuccessPolicy, completions int, succeeded orderedIntervals) (string, bool) {
	if sp == nil || len(succeeded) == 0 {
		return "", false
	}
	for i, rule := range sp.Rules {
		met := false
		switch {
		case rule.SucceededIndexes != nil:
			required := parseIndexes(*rule.SucceededIndexes, completions)
			if len(required) == 0 {
				continue
			}
			n := overlap(required, succeeded)
			met = n == required.total() || (rule.SucceededCount != nil && n >= int(*rule.SucceededCount))
		case rule.SucceededCount != nil:
			met = succeeded.total() >= int(*rule.SucceededCount)
		}
		if met {
			return fmt.Sprintf("Matched rules at index %d", i), true
		}
	}
	return "", false
}

// overlap returns the number of indexes that a and b have in common.
func overlap(a, b orderedIntervals) int {
	n, i, j := 0, 0, 0
	for i < len(a) && j < len(b) {
		if o := min(a[i].last, b[j].last) - max(a[i].first, b[j].first) + 1; o > 0 {
			n += o
		}
		switch {
		case b[j].last < a[i].last:
			j++
		case b[j].last > a[i].last:
			i++
		default:
			i++
			j++
		}
	}
	return n
}
