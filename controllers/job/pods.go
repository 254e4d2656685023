package job

import (
	"cmp"
	"math"
	"slices"
	"strconv"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// hasTrackingFinalizer reports whether the pod still carries the job-tracking finalizer: its
// result is not counted in the Job's status yet.
func hasTrackingFinalizer(p *core.Pod) bool {
	return meta.HasFinalizer(p, batch.JobTrackingFinalizer)
}

// onlyReplaceFailedPods reports whether replacements wait until a pod has failed
// (podReplacementPolicy Failed, which a pod failure policy implies) rather than only until it
// is terminating.
func onlyReplaceFailedPods(j *batch.Job) bool {
	return j.Spec.PodFailurePolicy != nil ||
		(j.Spec.PodReplacementPolicy != nil && *j.Spec.PodReplacementPolicy == batch.Failed)
}

// isPodFailed reports whether the Job counts the pod as failed (job.md §3): phase Failed, or,
// when terminating pods are replaced at once, being deleted without having succeeded (a pod
// deleted before it could finish never reaches phase Failed).
func isPodFailed(p *core.Pod, j *batch.Job) bool {
	if p.Status.Phase == core.PodFailed {
		return true
	}
	if onlyReplaceFailedPods(j) {
		return false
	}
	return p.DeletionTimestamp != nil && p.Status.Phase != core.PodSucceeded
}

// isTerminating reports whether the pod is being deleted and has not finished.
func isTerminating(p *core.Pod) bool {
	return p.DeletionTimestamp != nil && !core.IsPodTerminal(p)
}

// isIndexed reports whether the Job's completion mode is Indexed.
func isIndexed(j *batch.Job) bool {
	return j.Spec.CompletionMode != nil && *j.Spec.CompletionMode == batch.IndexedCompletion
}

// hasBackoffLimitPerIndex reports whether failures are limited per index.
func hasBackoffLimitPerIndex(j *batch.Job) bool {
	return j.Spec.BackoffLimitPerIndex != nil
}

// isSuspended reports whether spec.suspend is true.
func isSuspended(j *batch.Job) bool {
	return j.Spec.Suspend != nil && *j.Spec.Suspend
}

// indexFailureCounts returns the pod's counted and ignored index failure annotations; values
// that are missing, malformed or out of range count as 0.
func indexFailureCounts(p *core.Pod) (counted, ignored int32) {
	return annotationInt32(p, batch.JobIndexFailureCountAnnotation), annotationInt32(p, batch.JobIndexIgnoredFailureCountAnnotation)
}

func annotationInt32(p *core.Pod, key string) int32 {
	v, ok := p.Annotations[key]
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 || n > math.MaxInt32 {
		return 0
	}
	return int32(n)
}

// isIndexFailed reports whether a pod (of backoffLimitPerIndex Job j) fails its index: a
// FailIndex rule matched, or it is a counted failure and its index had already failed
// backoffLimitPerIndex times before it.
func isIndexFailed(j *batch.Job, p *core.Pod) bool {
	if !isPodFailed(p, j) {
		return false
	}
	m := matchPodFailurePolicy(j.Spec.PodFailurePolicy, p)
	if m.action == batch.PodFailurePolicyActionFailIndex {
		return true
	}
	counted, _ := indexFailureCounts(p)
	return m.count && counted >= *j.Spec.BackoffLimitPerIndex
}

// replacementFailureCounts returns the index failure annotations for the pod that replaces
// failed pod old (nil: the index never failed).
func replacementFailureCounts(j *batch.Job, old *core.Pod) (counted, ignored int32) {
	if old == nil {
		return 0, 0
	}
	counted, ignored = indexFailureCounts(old)
	if matchPodFailurePolicy(j.Spec.PodFailurePolicy, old).count {
		counted++
	} else {
		ignored++
	}
	return counted, ignored
}

// restartCountOfLivePods sums the restart counts of the containers (init containers included)
// of Pending and Running pods: what backoffLimit limits with restartPolicy OnFailure.
func restartCountOfLivePods(pods []*core.Pod) int32 {
	var n int32
	for _, p := range pods {
		if p.Status.Phase != core.PodPending && p.Status.Phase != core.PodRunning {
			continue
		}
		for _, cs := range p.Status.InitContainerStatuses {
			n += cs.RestartCount
		}
		for _, cs := range p.Status.ContainerStatuses {
			n += cs.RestartCount
		}
	}
	return n
}

// pastBackoffLimitOnFailure reports whether the restarts of an OnFailure Job's live pods
// reached backoffLimit (any restart, for a limit of 0).
func pastBackoffLimitOnFailure(j *batch.Job, pods []*core.Pod) bool {
	if j.Spec.Template.Spec.RestartPolicy != core.RestartPolicyOnFailure {
		return false
	}
	n := restartCountOfLivePods(pods)
	if *j.Spec.BackoffLimit == 0 {
		return n > 0
	}
	return n >= *j.Spec.BackoffLimit
}

// phaseRank orders phases for deletion: Pending, then Unknown, then Running.
func phaseRank(p core.PodPhase) int {
	switch p {
	case core.PodUnknown:
		return 1
	case core.PodRunning:
		return 2
	}
	return 0
}

// comparePodsForDeletion orders active pods so that the cheapest to lose come first, as
// Kubernetes' ActivePods does for Jobs: unscheduled before scheduled, Pending before Unknown
// before Running, not ready before ready, ready for less time before ready for longer, more
// container restarts before fewer, newer before older (then by name, for a total order).
func comparePodsForDeletion(a, b *core.Pod) int {
	if as, bs := a.Spec.NodeName != "", b.Spec.NodeName != ""; as != bs {
		return boolFirst(!as, !bs)
	}
	if c := cmp.Compare(phaseRank(a.Status.Phase), phaseRank(b.Status.Phase)); c != 0 {
		return c
	}
	ar, br := core.IsPodReady(a), core.IsPodReady(b)
	if ar != br {
		return boolFirst(!ar, !br)
	}
	if ar && br {
		at, bt := core.GetPodReadyCondition(&a.Status).LastTransitionTime, core.GetPodReadyCondition(&b.Status).LastTransitionTime
		if !at.Equal(&bt) {
			return -at.Compare(bt.Time) // more recently ready first
		}
	}
	if c := cmp.Compare(maxRestarts(b), maxRestarts(a)); c != 0 {
		return c // more restarts first
	}
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		return -a.CreationTimestamp.Compare(b.CreationTimestamp.Time) // newer first
	}
	return cmp.Compare(a.Name, b.Name)
}

// boolFirst orders by a boolean: true first.
func boolFirst(a, b bool) int {
	if a == b {
		return 0
	}
	if a {
		return -1
	}
	return 1
}

// maxRestarts returns the largest restart count of the pod's containers.
func maxRestarts(p *core.Pod) int32 {
	var n int32
	for _, cs := range p.Status.ContainerStatuses {
		n = max(n, cs.RestartCount)
	}
	return n
}

// activePodsForRemoval returns the active pods to delete so that at least rmAtLeast go: for
// an Indexed Job first the pods without a valid index and all but one pod of each repeated
// index (the one kept being the most expensive to lose), then, if more must go, the cheapest
// of the rest. active is not modified.
func activePodsForRemoval(j *batch.Job, active []*core.Pod, rmAtLeast int) []*core.Pod {
	var rm []*core.Pod
	left := active
	if isIndexed(j) {
		rm, left = duplicateIndexPods(active, int(*j.Spec.Completions))
	}
	if len(rm) >= rmAtLeast {
		return rm
	}
	left = slices.Clone(left)
	slices.SortFunc(left, comparePodsForDeletion)
	return append(rm, left[:min(len(left), rmAtLeast-len(rm))]...)
}

// duplicateIndexPods splits active pods into those to remove (no valid index, or a repeat of
// an index) and the rest.
func duplicateIndexPods(active []*core.Pod, completions int) (rm, left []*core.Pod) {
	byIndex := map[int][]*core.Pod{}
	for _, p := range active {
		ix := validIndex(p, completions)
		if ix == unknownCompletionIndex {
			rm = append(rm, p)
			continue
		}
		byIndex[ix] = append(byIndex[ix], p)
	}
	ixs := make([]int, 0, len(byIndex))
	for ix := range byIndex {
		ixs = append(ixs, ix)
	}
	slices.Sort(ixs)
	for _, ix := range ixs {
		pods := byIndex[ix]
		if len(pods) > 1 {
			pods = slices.Clone(pods)
			slices.SortFunc(pods, comparePodsForDeletion)
			rm = append(rm, pods[:len(pods)-1]...)
		}
		left = append(left, pods[len(pods)-1])
	}
	return rm, left
}

// podsWithDelayedDeletion returns, per index of a backoffLimitPerIndex Job, the failed pod
// whose finalizer is kept until its replacement exists, so that the replacement can carry
// the index's failure count: the latest failed pod of each index that has no active pod and
// has neither succeeded nor failed for good. candidates are the pods not yet counted.
func podsWithDelayedDeletion(j *batch.Job, candidates, active []*core.Pod, succeeded, failed orderedIntervals) map[int]*core.Pod {
	completions := int(*j.Spec.Completions)
	activeIxs := indexSet(active)
	out := map[int]*core.Pod{}
	for _, p := range candidates {
		if !isPodFailed(p, j) {
			continue
		}
		ix := validIndex(p, completions)
		if ix == unknownCompletionIndex || succeeded.has(ix) || failed.has(ix) {
			continue
		}
		if _, ok := slices.BinarySearch(activeIxs, ix); ok {
			continue
		}
		prev, ok := out[ix]
		if !ok {
			out[ix] = p
			continue
		}
		pc, pi := indexFailureCounts(prev)
		c, i := indexFailureCounts(p)
		if pc+pi <= c+i && !finishedTime(p).Before(finishedTime(prev)) {
			out[ix] = p
		}
	}
	return out
}
