package podcontrol

import (
	"math"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// RankedPods orders active pods for deletion, as Kubernetes' ActivePodsWithRanks does: the
// pods that sort first are the cheapest to lose. It implements sort.Interface; Less gives the
// order. Pods and Ranks are parallel slices; Now is the time ages are measured from.
type RankedPods struct {
	// Pods are the candidates, all active (not terminal, not being deleted).
	Pods []*core.Pod
	// Ranks holds, for each pod, how many related active pods share its node (see
	// RanksByNode); pods on crowded nodes go first.
	Ranks []int
	// Now is the reference time for the logarithmic comparison of ages. A zero Now
	// compares times directly.
	Now time.Time
}

var _ sort.Interface = RankedPods{}

// Len returns the number of pods.
func (s RankedPods) Len() int { return len(s.Pods) }

// Swap swaps two pods and their ranks.
func (s RankedPods) Swap(i, j int) {
	s.Pods[i], s.Pods[j] = s.Pods[j], s.Pods[i]
	s.Ranks[i], s.Ranks[j] = s.Ranks[j], s.Ranks[i]
}

// podPhaseOrdinal orders phases for deletion: Pending, then Unknown, then Running. Other
// phases (and none) rank with Pending.
var podPhaseOrdinal = map[core.PodPhase]int{core.PodPending: 0, core.PodUnknown: 1, core.PodRunning: 2}

// Less reports whether pod i should be deleted before pod j (../shared/spec/replicaset.md §3,
// "Victim ranking"):
//
//  1. unassigned (no spec.nodeName) before assigned;
//  2. Pending before Unknown before Running;
//  3. not ready before ready;
//  4. lower controller.kubernetes.io/pod-deletion-cost before higher (missing or invalid: 0);
//  5. higher rank (more related pods on the same node) before lower;
//  6. if both are ready, more recently ready before longer ready, comparing the power-of-two
//     buckets of their ready ages (a zero ready time first; a tie in the bucket goes to the
//     smaller UID);
//  7. more container restarts before fewer (regular containers, then sidecars);
//  8. newer before older creation, again by power-of-two buckets of age (a zero creation time
//     first; a tie in the bucket goes to the smaller UID).
func (s RankedPods) Less(i, j int) bool {
	pi, pj := s.Pods[i], s.Pods[j]
	// 1. Unassigned < assigned.
	if pi.Spec.NodeName != pj.Spec.NodeName && (pi.Spec.NodeName == "" || pj.Spec.NodeName == "") {
		return pi.Spec.NodeName == ""
	}
	// 2. Pending < Unknown < Running.
	if oi, oj := podPhaseOrdinal[pi.Status.Phase], podPhaseOrdinal[pj.Status.Phase]; oi != oj {
		return oi < oj
	}
	// 3. Not ready < ready.
	ri, rj := core.IsPodReady(pi), core.IsPodReady(pj)
	if ri != rj {
		return !ri
	}
	// 4. Lower deletion cost < higher.
	if ci, cj := DeletionCost(pi), DeletionCost(pj); ci != cj {
		return ci < cj
	}
	// 5. Doubled up < not doubled up.
	if s.Ranks[i] != s.Ranks[j] {
		return s.Ranks[i] > s.Ranks[j]
	}
	// 6. Ready for a shorter time < longer.
	if ri && rj {
		ti, tj := readyTime(pi), readyTime(pj)
		if !ti.Equal(tj) {
			return s.newerFirst(ti, tj, pi, pj)
		}
	}
	// 7. More restarts < fewer.
	if moreRestarts, differ := compareMaxContainerRestarts(pi, pj); differ {
		return moreRestarts
	}
	// 8. Newer < older.
	if ci, cj := pi.CreationTimestamp.Time, pj.CreationTimestamp.Time; !ci.Equal(cj) {
		return s.newerFirst(ci, cj, pi, pj)
	}
	return false
}

// newerFirst compares two different times of pi and pj: the zero time first, then the more
// recent, in power-of-two buckets of age before Now, ties going to the smaller UID.
func (s RankedPods) newerFirst(ti, tj time.Time, pi, pj *core.Pod) bool {
	if s.Now.IsZero() || ti.IsZero() || tj.IsZero() {
		return afterOrZero(ti, tj)
	}
	if d := logarithmicRankDiff(ti, tj, s.Now); d != 0 {
		return d < 0
	}
	return pi.UID < pj.UID
}

// afterOrZero reports whether t1 is after t2, a zero time counting as after any other.
func afterOrZero(t1, t2 time.Time) bool {
	if t1.IsZero() || t2.IsZero() {
		return t1.IsZero()
	}
	return t1.After(t2)
}

// logarithmicRankDiff returns the difference of the base-2 logarithms of the ages (in
// nanoseconds) of t1 and t2 at now, an age of zero or less counting as -1.
func logarithmicRankDiff(t1, t2, now time.Time) int64 {
	rank := func(t time.Time) int64 {
		if d := now.Sub(t); d > 0 {
			return int64(math.Log2(float64(d)))
		}
		return -1
	}
	return rank(t1) - rank(t2)
}

// readyTime returns when the pod's Ready condition last turned True (zero if it is not
// True).
func readyTime(p *core.Pod) time.Time {
	if c := core.GetPodReadyCondition(&p.Status); c != nil && c.Status == core.ConditionTrue {
		return c.LastTransitionTime.Time
	}
	return time.Time{}
}

// compareMaxContainerRestarts compares the largest restart count of the regular containers of
// two pods, then that of their sidecars: moreRestarts tells whether pi restarted more, differ
// whether they differ at all.
func compareMaxContainerRestarts(pi, pj *core.Pod) (moreRestarts, differ bool) {
	regI, sideI := maxContainerRestarts(pi)
	regJ, sideJ := maxContainerRestarts(pj)
	if regI != regJ {
		return regI > regJ, true
	}
	if sideI != sideJ {
		return sideI > sideJ, true
	}
	return false, false
}

// maxContainerRestarts returns the largest restart count among a pod's regular containers and
// among its sidecars (init containers with restartPolicy Always).
func maxContainerRestarts(p *core.Pod) (regular, sidecar int32) {
	for _, c := range p.Status.ContainerStatuses {
		regular = max(regular, c.RestartCount)
	}
	for _, c := range p.Status.InitContainerStatuses {
		k := slices.IndexFunc(p.Spec.InitContainers, func(ic core.Container) bool { return ic.Name == c.Name })
		if k >= 0 && core.IsRestartableInitContainer(&p.Spec.InitContainers[k]) {
			sidecar = max(sidecar, c.RestartCount)
		}
	}
	return regular, sidecar
}

// DeletionCost returns the pod's controller.kubernetes.io/pod-deletion-cost annotation: an
// int32 in canonical decimal form (no "+", no leading zeros). A missing or invalid value is 0.
func DeletionCost(p *core.Pod) int32 {
	v, ok := p.Annotations[core.PodDeletionCost]
	if !ok || v == "" {
		return 0
	}
	if !(v[0] == '-' || v == "0" || ('1' <= v[0] && v[0] <= '9')) {
		return 0
	}
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		return 0
	}
	return int32(n)
}

// RanksByNode returns, for each of pods, the number of active pods in related on the same
// node (unscheduled pods share the node ""). related are the pods of every controller that
// shares the owner of the pods' controller (for a ReplicaSet of a Deployment: the pods of all
// the Deployment's ReplicaSets); it usually includes pods.
func RanksByNode(pods, related []*core.Pod) []int {
	onNode := make(map[string]int)
	for _, p := range related {
		if core.IsPodActive(p) {
			onNode[p.Spec.NodeName]++
		}
	}
	ranks := make([]int, len(pods))
	for i, p := range pods {
		ranks[i] = onNode[p.Spec.NodeName]
	}
	return ranks
}

// PodsToDelete returns the n pods of pods to delete first, by Less with RanksByNode(pods,
// related) at now, as Kubernetes' getPodsToDelete: when every pod goes, they are not sorted.
// pods is not modified; n must not exceed len(pods).
func PodsToDelete(pods, related []*core.Pod, n int, now time.Time) []*core.Pod {
	out := slices.Clone(pods)
	if n < len(out) {
		sort.Sort(RankedPods{Pods: out, Ranks: RanksByNode(out, related), Now: now})
	}
	return out[:n]
}

// UIDs returns the UIDs of pods, for expectations.
func UIDs(pods []*core.Pod) []meta.UID {
	out := make([]meta.UID, len(pods))
	for i, p := range pods {
		out[i] = p.UID
	}
	return out
}
