package scheduler

import (
	"fmt"
	"slices"
	"strings"
)

// Status is a filter's verdict on a node. A nil *Status means the pod fits; otherwise its
// reasons say why not, in the words of Kubernetes' plugins ("Insufficient cpu", "node(s) were
// unschedulable"), and are counted into the pod's Unschedulable message. A Status is
// immutable, so plugins may return shared ones.
type Status struct {
	reasons []string
}

// Unschedulable returns a Status rejecting a node for the given reasons (at least one).
func Unschedulable(reasons ...string) *Status {
	if len(reasons) == 0 {
		panic("scheduler.Unschedulable: no reason given")
	}
	return &Status{reasons: reasons}
}

// IsSuccess reports whether s lets the pod onto the node: s is nil.
func (s *Status) IsSuccess() bool { return s == nil }

// Reasons returns why the node was rejected; nil for success. The slice is shared: do not
// modify it.
func (s *Status) Reasons() []string {
	if s == nil {
		return nil
	}
	return s.reasons
}

// String returns the reasons joined by ", ", or "Success".
func (s *Status) String() string {
	if s == nil {
		return "Success"
	}
	return strings.Join(s.reasons, ", ")
}

// FilterPlugin decides whether a pod may run on a node. Filter must be safe for concurrent
// use, must not modify its arguments or keep them after it returns, and should not allocate
// when the node passes: it runs for every node in every scheduling attempt. The scheduler
// only passes nodes whose Node() is not nil.
type FilterPlugin interface {
	// Name identifies the plugin in logs.
	Name() string
	// Filter returns nil if pod fits node, or the reasons it does not.
	Filter(pod *PodInfo, node *NodeInfo) *Status
}

// ScorePlugin ranks the nodes that passed every filter. Score must be safe for concurrent use
// and must not modify its arguments or keep them after it returns. Scores of one attempt are
// normalized to 0..MaxNodeScore, by the plugin's NormalizeScores when it implements
// ScoreNormalizer, and are otherwise expected in that range already; then each is multiplied
// by the plugin's weight and the node with the highest sum wins.
type ScorePlugin interface {
	// Name identifies the plugin in logs.
	Name() string
	// Score returns the raw score of node for pod; higher is better.
	Score(pod *PodInfo, node *NodeInfo) int64
}

// ScoreNormalizer is implemented by score plugins whose raw scores are not in
// 0..MaxNodeScore (counts, sums of weights): NormalizeScores rewrites the scores of all the
// feasible nodes of one attempt in place, typically with DefaultNormalizeScore.
type ScoreNormalizer interface {
	// NormalizeScores rewrites scores, the raw scores of the feasible nodes, in place.
	NormalizeScores(pod *PodInfo, scores []int64)
}

// MaxNodeScore is the highest normalized score a plugin gives a node.
const MaxNodeScore int64 = 100

// DefaultNormalizeScore scales scores to 0..MaxNodeScore in proportion to the highest of
// them, as Kubernetes' helper of the same name does; with reverse, a node with the highest raw
// score gets 0 and one with raw score 0 gets MaxNodeScore. When every score is 0 they stay 0
// (MaxNodeScore with reverse).
func DefaultNormalizeScore(scores []int64, reverse bool) {
	var top int64
	for _, s := range scores {
		top = max(top, s)
	}
	if top == 0 {
		if reverse {
			for i := range scores {
				scores[i] = MaxNodeScore
			}
		}
		return
	}
	for i, s := range scores {
		s = MaxNodeScore * s / top
		if reverse {
			s = MaxNodeScore - s
		}
		scores[i] = s
	}
}

// WeightedScorePlugin is a score plugin with the weight its normalized scores are multiplied
// by.
type WeightedScorePlugin struct {
	// Plugin scores nodes.
	Plugin ScorePlugin
	// Weight multiplies the plugin's normalized scores; at least 1.
	Weight int64
}

// Plugins are the filters and scores a Scheduler runs. The zero value means DefaultPlugins.
type Plugins struct {
	// Filters run in order for each node; the first that rejects a node decides its reasons.
	Filters []FilterPlugin
	// Scores rank the nodes that passed every filter.
	Scores []WeightedScorePlugin
}

// DefaultPlugins returns the filters and scores of Kubernetes' default profile that skiff
// implements, in Kubernetes' order and with its weights (../shared/spec/pod-lifecycle.md §10):
// filters NodeUnschedulable, TaintToleration, NodeAffinity, NodeResourcesFit; scores
// TaintToleration ×3, NodeAffinity ×2, OwnerSpread ×2 (for PodTopologySpread's default
// spreading) and LeastAllocated ×1.
func DefaultPlugins() Plugins {
	return Plugins{
		Filters: []FilterPlugin{NodeUnschedulable{}, TaintToleration{}, NodeAffinity{}, NodeResourcesFit{}},
		Scores: []WeightedScorePlugin{
			{Plugin: TaintToleration{}, Weight: 3},
			{Plugin: NodeAffinity{}, Weight: 2},
			{Plugin: OwnerSpread{}, Weight: 2},
			{Plugin: LeastAllocated{}, Weight: 1},
		},
	}
}

// Validate reports plugins that cannot work: nil plugins and weights below 1.
func (p Plugins) Validate() error {
	for i, f := range p.Filters {
		if f == nil {
			return fmt.Errorf("%w: filter %d is nil", ErrInvalidOptions, i)
		}
	}
	for i, s := range p.Scores {
		if s.Plugin == nil {
			return fmt.Errorf("%w: score plugin %d is nil", ErrInvalidOptions, i)
		}
		if s.Weight < 1 {
			return fmt.Errorf("%w: score plugin %s has weight %d, want at least 1", ErrInvalidOptions, s.Plugin.Name(), s.Weight)
		}
	}
	return nil
}

// FitError says why a pod fits no node: how many nodes were considered and, for each reason
// a filter gave, on how many nodes. Its Error is the message of the pod's PodScheduled=False
// condition.
type FitError struct {
	// NumAllNodes is the number of nodes considered.
	NumAllNodes int
	// Reasons counts the nodes rejected for each reason.
	Reasons map[string]int
}

// Error renders the message exactly as kube-scheduler does: "0/3 nodes are available: 1
// node(s) were unschedulable, 2 Insufficient cpu." — each reason prefixed with its count,
// sorted as strings (so "10 ..." sorts before "2 ..."), joined by ", " and ended by ".".
// With no nodes at all it is "no nodes available to schedule pods".
func (e *FitError) Error() string {
	if e.NumAllNodes == 0 {
		return "no nodes available to schedule pods"
	}
	hist := make([]string, 0, len(e.Reasons))
	for reason, n := range e.Reasons {
		hist = append(hist, fmt.Sprintf("%d %s", n, reason))
	}
	slices.Sort(hist)
	msg := fmt.Sprintf("0/%d nodes are available:", e.NumAllNodes)
	if len(hist) > 0 {
		msg += " " + strings.Join(hist, ", ") + "."
	}
	return msg
}
