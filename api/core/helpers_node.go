package core

import (
	"slices"
	"strconv"
)

// GetNodeCondition returns the condition of type t in status, or nil. The result points into
// status.
func GetNodeCondition(status *NodeStatus, t NodeConditionType) *NodeCondition {
	if status == nil {
		return nil
	}
	for i := range status.Conditions {
		if status.Conditions[i].Type == t {
			return &status.Conditions[i]
		}
	}
	return nil
}

// IsNodeReady reports whether the node's Ready condition is True.
func IsNodeReady(node *Node) bool {
	c := GetNodeCondition(&node.Status, NodeReady)
	return c != nil && c.Status == ConditionTrue
}

// ToleratesTaint reports whether t tolerates taint: the effects match (or t has none), the
// keys match (or t has none), and with operator Exists any value matches while with Equal
// (or no operator) the values must be equal.
func (t *Toleration) ToleratesTaint(taint *Taint) bool {
	if t.Effect != "" && t.Effect != taint.Effect {
		return false
	}
	if t.Key != "" && t.Key != taint.Key {
		return false
	}
	switch t.Operator {
	case "", TolerationOpEqual:
		return t.Value == taint.Value
	case TolerationOpExists:
		return true
	}
	return false
}

// MatchToleration reports whether t and other are the same toleration apart from
// tolerationSeconds.
func (t *Toleration) MatchToleration(other *Toleration) bool {
	return t.Key == other.Key && t.Effect == other.Effect && t.Operator == other.Operator &&
		t.Value == other.Value
}

// TolerationsTolerateTaint reports whether any of tols tolerates taint.
func TolerationsTolerateTaint(tols []Toleration, taint *Taint) bool {
	for i := range tols {
		if tols[i].ToleratesTaint(taint) {
			return true
		}
	}
	return false
}

// FindUntoleratedTaint returns the first taint for which filter (nil means all) is true that
// none of tols tolerates.
func FindUntoleratedTaint(taints []Taint, tols []Toleration, filter func(*Taint) bool) (*Taint, bool) {
	for i := range taints {
		t := &taints[i]
		if filter != nil && !filter(t) {
			continue
		}
		if !TolerationsTolerateTaint(tols, t) {
			return t, true
		}
	}
	return nil, false
}

// MatchTaint reports whether t and other have the same key and effect, which makes them the
// same taint on a node (the value may differ).
func (t *Taint) MatchTaint(other *Taint) bool {
	return t.Key == other.Key && t.Effect == other.Effect
}

// String renders the taint as kubectl does: "key=value:effect", "key:effect" without a value.
func (t Taint) String() string {
	if t.Value == "" {
		return t.Key + ":" + string(t.Effect)
	}
	return t.Key + "=" + t.Value + ":" + string(t.Effect)
}

// TaintExists reports whether taints has one matching t by key and effect.
func TaintExists(taints []Taint, t *Taint) bool {
	return slices.ContainsFunc(taints, func(x Taint) bool { return x.MatchTaint(t) })
}

// NodeSelectorRequirementsMatch reports whether labels satisfy every requirement. An empty
// list matches nothing, and so does any malformed requirement (unknown operator, wrong number
// of values, a non-integer for Gt or Lt).
func NodeSelectorRequirementsMatch(reqs []NodeSelectorRequirement, labels map[string]string) bool {
	if len(reqs) == 0 {
		return false
	}
	for i := range reqs {
		if !nodeSelectorRequirementMatches(&reqs[i], labels) {
			return false
		}
	}
	return true
}

func nodeSelectorRequirementMatches(r *NodeSelectorRequirement, labels map[string]string) bool {
	v, has := labels[r.Key]
	switch r.Operator {
	case NodeSelectorOpIn:
		return len(r.Values) > 0 && has && slices.Contains(r.Values, v)
	case NodeSelectorOpNotIn:
		return len(r.Values) > 0 && (!has || !slices.Contains(r.Values, v))
	case NodeSelectorOpExists:
		return len(r.Values) == 0 && has
	case NodeSelectorOpDoesNotExist:
		return len(r.Values) == 0 && !has
	case NodeSelectorOpGt, NodeSelectorOpLt:
		if len(r.Values) != 1 || !has {
			return false
		}
		want, err1 := strconv.ParseInt(r.Values[0], 10, 64)
		got, err2 := strconv.ParseInt(v, 10, 64)
		if err1 != nil || err2 != nil {
			return false
		}
		if r.Operator == NodeSelectorOpGt {
			return got > want
		}
		return got < want
	}
	return false
}

// MatchNodeSelectorTerm reports whether node satisfies one term: all its label expressions and
// all its field requirements (only metadata.name exists). A term with neither matches nothing.
func MatchNodeSelectorTerm(node *Node, term *NodeSelectorTerm) bool {
	if len(term.MatchExpressions) == 0 && len(term.MatchFields) == 0 {
		return false
	}
	if len(term.MatchExpressions) > 0 && !NodeSelectorRequirementsMatch(term.MatchExpressions, node.Labels) {
		return false
	}
	if len(term.MatchFields) > 0 {
		for _, f := range term.MatchFields {
			if f.Key != NodeFieldSelectorKeyNodeName {
				return false
			}
		}
		fields := map[string]string{NodeFieldSelectorKeyNodeName: node.Name}
		if !NodeSelectorRequirementsMatch(term.MatchFields, fields) {
			return false
		}
	}
	return true
}

// MatchNodeSelectorTerms reports whether node satisfies any of terms (they are ORed). No
// terms match nothing.
func MatchNodeSelectorTerms(node *Node, terms []NodeSelectorTerm) bool {
	for i := range terms {
		if MatchNodeSelectorTerm(node, &terms[i]) {
			return true
		}
	}
	return false
}

// PodMatchesNodeSelectorAndAffinityTerms reports whether node satisfies the pod's hard node
// constraints: every spec.nodeSelector pair is one of the node's labels, and the required
// node affinity, when set, matches.
func PodMatchesNodeSelectorAndAffinityTerms(pod *Pod, node *Node) bool {
	for k, v := range pod.Spec.NodeSelector {
		if lv, ok := node.Labels[k]; !ok || lv != v {
			return false
		}
	}
	a := pod.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return true
	}
	return MatchNodeSelectorTerms(node, a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms)
}
