package nodelifecycle

import (
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// conditionTaint says that a node whose condition cond has status gets the taint key with
// effect: Kubernetes' nodeConditionToTaintKeyStatusMap (NoSchedule) and its NoExecute
// counterpart for Ready.
type conditionTaint struct {
	cond   core.NodeConditionType
	status core.ConditionStatus
	key    string
	effect core.TaintEffect
}

var conditionTaints = []conditionTaint{
	{core.NodeReady, core.ConditionFalse, core.TaintNodeNotReady, core.TaintEffectNoSchedule},
	{core.NodeReady, core.ConditionUnknown, core.TaintNodeUnreachable, core.TaintEffectNoSchedule},
	{core.NodeReady, core.ConditionFalse, core.TaintNodeNotReady, core.TaintEffectNoExecute},
	{core.NodeReady, core.ConditionUnknown, core.TaintNodeUnreachable, core.TaintEffectNoExecute},
	{core.NodeMemoryPressure, core.ConditionTrue, core.TaintNodeMemoryPressure, core.TaintEffectNoSchedule},
	{core.NodeDiskPressure, core.ConditionTrue, core.TaintNodeDiskPressure, core.TaintEffectNoSchedule},
	{core.NodePIDPressure, core.ConditionTrue, core.TaintNodePIDPressure, core.TaintEffectNoSchedule},
	{core.NodeNetworkUnavailable, core.ConditionTrue, core.TaintNodeNetworkUnavailable, core.TaintEffectNoSchedule},
}

// managed reports whether the controller owns taints with key and effect: it adds and
// removes them; other taints are left alone.
func managed(key string, effect core.TaintEffect) bool {
	if key == core.TaintNodeUnschedulable && effect == core.TaintEffectNoSchedule {
		return true
	}
	return slices.ContainsFunc(conditionTaints, func(c conditionTaint) bool { return c.key == key && c.effect == effect })
}

// desiredTaints returns the managed taints a node should have, from its conditions and
// spec.unschedulable, without values or timestamps.
func desiredTaints(node *core.Node) []core.Taint {
	var out []core.Taint
	for _, ct := range conditionTaints {
		if c := core.GetNodeCondition(&node.Status, ct.cond); c != nil && c.Status == ct.status {
			out = append(out, core.Taint{Key: ct.key, Effect: ct.effect})
		}
	}
	if node.Spec.Unschedulable {
		out = append(out, core.Taint{Key: core.TaintNodeUnschedulable, Effect: core.TaintEffectNoSchedule})
	}
	return out
}

// reconcileTaints returns the taints a node with taints has once the managed ones are
// exactly desired: taints that are not managed stay as they are, in place; managed taints
// that are still desired keep their value and timeAdded; missing ones are appended, the
// NoExecute ones with timeAdded now. It reports whether anything changed; taints is not
// modified.
func reconcileTaints(taints, desired []core.Taint, now time.Time) ([]core.Taint, bool) {
	out := make([]core.Taint, 0, len(taints)+len(desired))
	changed := false
	for _, t := range taints {
		if managed(t.Key, t.Effect) && !core.TaintExists(desired, &t) {
			changed = true
			continue
		}
		out = append(out, t)
	}
	for _, d := range desired {
		if core.TaintExists(out, &d) {
			continue
		}
		if d.Effect == core.TaintEffectNoExecute {
			d.TimeAdded = meta.NewTimePtr(now)
		}
		out = append(out, d)
		changed = true
	}
	if len(out) == 0 {
		out = nil
	}
	return out, changed
}

// noExecuteTaints returns the NoExecute taints of taints.
func noExecuteTaints(taints []core.Taint) []core.Taint {
	var out []core.Taint
	for _, t := range taints {
		if t.Effect == core.TaintEffectNoExecute {
			out = append(out, t)
		}
	}
	return out
}

// evictionTime says when a pod with tolerations must leave a node with the NoExecute taints,
// given when each taint was added (../shared/spec/pod-lifecycle.md §10; Kubernetes'
// taint eviction): with a taint that no toleration tolerates, at once (the zero time);
// otherwise, for each taint, the first toleration that tolerates it counts: without
// tolerationSeconds the taint is tolerated for ever, with it (negative read as 0) until
// added + tolerationSeconds; the earliest of these instants wins. ok is false when every
// taint is tolerated for ever: the pod stays.
func evictionTime(tolerations []core.Toleration, taints []core.Taint, added func(*core.Taint) time.Time) (at time.Time, ok bool) {
	for i := range taints {
		t := &taints[i]
		k := slices.IndexFunc(tolerations, func(tol core.Toleration) bool { return tol.ToleratesTaint(t) })
		if k < 0 {
			return time.Time{}, true
		}
		secs := tolerations[k].TolerationSeconds
		if secs == nil {
			continue
		}
		due := added(t).Add(time.Duration(max(*secs, 0)) * time.Second)
		if !ok || due.Before(at) {
			at, ok = due, true
		}
	}
	return at, ok
}
