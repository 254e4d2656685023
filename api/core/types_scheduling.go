package core

import "github.com/skiff-dev/skiff/api/meta"

// Affinity groups a pod's scheduling constraints relative to nodes and to other pods.
type Affinity struct {
	// NodeAffinity constrains which nodes the pod may run on, by node labels.
	NodeAffinity *NodeAffinity `json:"nodeAffinity,omitempty"`
	// PodAffinity asks for co-location with matching pods.
	PodAffinity *PodAffinity `json:"podAffinity,omitempty"`
	// PodAntiAffinity asks for separation from matching pods.
	PodAntiAffinity *PodAntiAffinity `json:"podAntiAffinity,omitempty"`
}

// NodeAffinity has required and preferred node constraints. "IgnoredDuringExecution" means a
// running pod is not evicted when the node's labels change.
type NodeAffinity struct {
	// RequiredDuringSchedulingIgnoredDuringExecution must match for the pod to be placed.
	RequiredDuringSchedulingIgnoredDuringExecution *NodeSelector `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	// PreferredDuringSchedulingIgnoredDuringExecution add weight to nodes they match.
	PreferredDuringSchedulingIgnoredDuringExecution []PreferredSchedulingTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// NodeSelector is a disjunction of terms: a node matches if any term matches.
type NodeSelector struct {
	// NodeSelectorTerms are ORed; at least one is required.
	NodeSelectorTerms []NodeSelectorTerm `json:"nodeSelectorTerms"`
}

// NodeSelectorTerm is a conjunction of requirements on node labels and fields. An empty term
// matches no node.
type NodeSelectorTerm struct {
	// MatchExpressions are requirements on node labels.
	MatchExpressions []NodeSelectorRequirement `json:"matchExpressions,omitempty"`
	// MatchFields are requirements on node fields; only metadata.name is supported.
	MatchFields []NodeSelectorRequirement `json:"matchFields,omitempty"`
}

// NodeSelectorRequirement relates a node label (or field) to a set of values.
type NodeSelectorRequirement struct {
	// Key is the label key (or field path).
	Key string `json:"key"`
	// Operator relates the key to the values.
	Operator NodeSelectorOperator `json:"operator"`
	// Values: non-empty for In and NotIn, empty for Exists and DoesNotExist, one integer for
	// Gt and Lt.
	Values []string `json:"values,omitempty"`
}

// NodeSelectorOperator is the operator of a NodeSelectorRequirement.
type NodeSelectorOperator string

// The node selector operators.
const (
	NodeSelectorOpIn           NodeSelectorOperator = "In"
	NodeSelectorOpNotIn        NodeSelectorOperator = "NotIn"
	NodeSelectorOpExists       NodeSelectorOperator = "Exists"
	NodeSelectorOpDoesNotExist NodeSelectorOperator = "DoesNotExist"
	NodeSelectorOpGt           NodeSelectorOperator = "Gt"
	NodeSelectorOpLt           NodeSelectorOperator = "Lt"
)

// NodeFieldSelectorKeyNodeName is the only field matchFields supports.
const NodeFieldSelectorKeyNodeName = "metadata.name"

// PreferredSchedulingTerm is a weighted node preference.
type PreferredSchedulingTerm struct {
	// Weight is 1-100.
	Weight int32 `json:"weight"`
	// Preference is the term nodes are matched against.
	Preference NodeSelectorTerm `json:"preference"`
}

// PodAffinity asks for the pod to be placed in the same topology domain as matching pods.
type PodAffinity struct {
	// RequiredDuringSchedulingIgnoredDuringExecution must all be satisfied.
	RequiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	// PreferredDuringSchedulingIgnoredDuringExecution add weight to nodes they match.
	PreferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// PodAntiAffinity asks for the pod to be kept out of topology domains holding matching pods.
type PodAntiAffinity struct {
	// RequiredDuringSchedulingIgnoredDuringExecution must all be satisfied.
	RequiredDuringSchedulingIgnoredDuringExecution []PodAffinityTerm `json:"requiredDuringSchedulingIgnoredDuringExecution,omitempty"`
	// PreferredDuringSchedulingIgnoredDuringExecution add weight to nodes they match.
	PreferredDuringSchedulingIgnoredDuringExecution []WeightedPodAffinityTerm `json:"preferredDuringSchedulingIgnoredDuringExecution,omitempty"`
}

// PodAffinityTerm selects a set of pods and a topology key: nodes whose value of that label
// equals that of a node running a selected pod are in the same domain.
type PodAffinityTerm struct {
	// LabelSelector selects the pods.
	LabelSelector *meta.LabelSelector `json:"labelSelector,omitempty"`
	// Namespaces the pods are looked for in; empty means the pod's own namespace.
	Namespaces []string `json:"namespaces,omitempty"`
	// TopologyKey is the node label that defines the domain, e.g. kubernetes.io/hostname.
	TopologyKey string `json:"topologyKey"`
	// NamespaceSelector selects further namespaces by label.
	NamespaceSelector *meta.LabelSelector `json:"namespaceSelector,omitempty"`
	// MatchLabelKeys adds "key in (pod's value)" requirements to LabelSelector.
	MatchLabelKeys []string `json:"matchLabelKeys,omitempty"`
	// MismatchLabelKeys adds "key notin (pod's value)" requirements to LabelSelector.
	MismatchLabelKeys []string `json:"mismatchLabelKeys,omitempty"`
}

// WeightedPodAffinityTerm is a weighted pod (anti-)affinity preference.
type WeightedPodAffinityTerm struct {
	// Weight is 1-100.
	Weight int32 `json:"weight"`
	// PodAffinityTerm is the preference.
	PodAffinityTerm PodAffinityTerm `json:"podAffinityTerm"`
}

// Toleration lets a pod be scheduled onto (or keep running on) a node with a matching taint.
type Toleration struct {
	// Key is the taint key; empty with operator Exists matches every taint.
	Key string `json:"key,omitempty"`
	// Operator is Equal (default) or Exists.
	Operator TolerationOperator `json:"operator,omitempty"`
	// Value must equal the taint's value for operator Equal; empty for Exists.
	Value string `json:"value,omitempty"`
	// Effect to match; empty matches all effects.
	Effect TaintEffect `json:"effect,omitempty"`
	// TolerationSeconds, for effect NoExecute only, is how long the pod stays bound after the
	// taint appears; nil means forever.
	TolerationSeconds *int64 `json:"tolerationSeconds,omitempty"`
}

// TolerationOperator is the operator of a Toleration.
type TolerationOperator string

// The toleration operators.
const (
	TolerationOpExists TolerationOperator = "Exists"
	TolerationOpEqual  TolerationOperator = "Equal"
)

// TopologySpreadConstraint says how matching pods spread across topology domains.
type TopologySpreadConstraint struct {
	// MaxSkew is the largest allowed difference in matching pods between two domains; > 0.
	MaxSkew int32 `json:"maxSkew"`
	// TopologyKey is the node label defining the domains.
	TopologyKey string `json:"topologyKey"`
	// WhenUnsatisfiable is DoNotSchedule or ScheduleAnyway.
	WhenUnsatisfiable UnsatisfiableConstraintAction `json:"whenUnsatisfiable"`
	// LabelSelector selects the pods counted in each domain.
	LabelSelector *meta.LabelSelector `json:"labelSelector,omitempty"`
	// MinDomains is the least number of eligible domains; only with DoNotSchedule.
	MinDomains *int32 `json:"minDomains,omitempty"`
	// NodeAffinityPolicy says whether node affinity limits the domains counted.
	NodeAffinityPolicy *NodeInclusionPolicy `json:"nodeAffinityPolicy,omitempty"`
	// NodeTaintsPolicy says whether node taints limit the domains counted.
	NodeTaintsPolicy *NodeInclusionPolicy `json:"nodeTaintsPolicy,omitempty"`
	// MatchLabelKeys adds "key in (pod's value)" requirements to LabelSelector.
	MatchLabelKeys []string `json:"matchLabelKeys,omitempty"`
}

// UnsatisfiableConstraintAction is what the scheduler does when a spread constraint cannot be
// met.
type UnsatisfiableConstraintAction string

// The unsatisfiable constraint actions.
const (
	DoNotSchedule  UnsatisfiableConstraintAction = "DoNotSchedule"
	ScheduleAnyway UnsatisfiableConstraintAction = "ScheduleAnyway"
)

// NodeInclusionPolicy says whether a node property limits the domains counted for spreading.
type NodeInclusionPolicy string

// The node inclusion policies.
const (
	NodeInclusionPolicyIgnore NodeInclusionPolicy = "Ignore"
	NodeInclusionPolicyHonor  NodeInclusionPolicy = "Honor"
)
