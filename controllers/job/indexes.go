package job

import (
	"slices"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
)

// unknownCompletionIndex is the index of a pod without a valid completion index annotation.
const unknownCompletionIndex = -1

// completionIndexEnvName is the variable through which an Indexed Job's containers see their
// index.
const completionIndexEnvName = "JOB_COMPLETION_INDEX"

// maxGeneratedNameLength is how much of generateName the store keeps (63 minus the 5 random
// characters it appends).
const maxGeneratedNameLength = 63 - 5

// interval is the closed range of completion indexes [first, last].
type interval struct {
	first, last int
}

// orderedIntervals is a set of completion indexes as increasing, disjoint, non-adjacent
// intervals: the form of status.completedIndexes and status.failedIndexes. The zero value is
// the empty set.
type orderedIntervals []interval

// parseIndexes reads an interval list such as "1,3-5,7" leniently, as Kubernetes does for
// status it wrote itself: malformed intervals are skipped, indexes ≥ completions dropped, and
// adjacent intervals merged.
func parseIndexes(s string, completions int) orderedIntervals {
	if s == "" {
		return nil
	}
	var out orderedIntervals
	for part := range strings.SplitSeq(s, ",") {
		bounds := strings.Split(part, "-")
		first, err := strconv.Atoi(bounds[0])
		if err != nil || first < 0 || len(bounds) > 2 {
			continue
		}
		if first >= completions {
			break
		}
		last := first
		if len(bounds) == 2 {
			if last, err = strconv.Atoi(bounds[1]); err != nil || last < first {
				continue
			}
			last = min(last, completions-1)
		}
		if n := len(out); n > 0 && out[n-1].last >= first-1 {
			out[n-1].last = max(out[n-1].last, last)
			continue
		}
		out = append(out, interval{first, last})
	}
	return out
}

// withIndexes returns the set oi with the indexes ixs (in increasing order) added; oi is not
// modified.
func (oi orderedIntervals) withIndexes(ixs []int) orderedIntervals {
	add := make(orderedIntervals, len(ixs))
	for i, ix := range ixs {
		add[i] = interval{ix, ix}
	}
	return oi.merge(add)
}

// merge returns the union of oi and other; neither is modified.
func (oi orderedIntervals) merge(other orderedIntervals) orderedIntervals {
	out := make(orderedIntervals, 0, len(oi)+len(other))
	appendMerged := func(iv interval) {
		if n := len(out); n > 0 && iv.first <= out[n-1].last+1 {
			out[n-1].last = max(out[n-1].last, iv.last)
			return
		}
		out = append(out, iv)
	}
	i, j := 0, 0
	for i < len(oi) && j < len(other) {
		if oi[i].first < other[j].first {
			appendMerged(oi[i])
			i++
		} else {
			appendMerged(other[j])
			j++
		}
	}
	for ; i < len(oi); i++ {
		appendMerged(oi[i])
	}
	for ; j < len(other); j++ {
		appendMerged(other[j])
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// total returns the number of indexes in the set.
func (oi orderedIntervals) total() int {
	n := 0
	for _, iv := range oi {
		n += iv.last - iv.first + 1
	}
	return n
}

// has reports whether ix is in the set (binary search).
func (oi orderedIntervals) has(ix int) bool {
	i, _ := slices.BinarySearchFunc(oi, ix, func(iv interval, ix int) int {
		if iv.last < ix {
			return -1
		}
		if iv.first > ix {
			return 1
		}
		return 0
	})
	return i < len(oi) && oi[i].first <= ix && ix <= oi[i].last
}

// String renders the set in the status format: runs of three or more as "a-b", a run of two
// as "a,b", e.g. "0,1,3-5,7".
func (oi orderedIntervals) String() string {
	var b strings.Builder
	for _, iv := range oi {
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strconv.Itoa(iv.first))
		switch {
		case iv.last == iv.first+1:
			b.WriteByte(',')
			b.WriteString(strconv.Itoa(iv.last))
		case iv.last > iv.first:
			b.WriteByte('-')
			b.WriteString(strconv.Itoa(iv.last))
		}
	}
	return b.String()
}

// firstPendingIndexes returns up to count of the lowest indexes below completions that are
// not in taken.
func firstPendingIndexes(taken orderedIntervals, count, completions int) []int {
	if count <= 0 {
		return nil
	}
	out := make([]int, 0, min(count, completions))
	candidate := 0
	for _, iv := range taken {
		for ; candidate < completions && len(out) < count && candidate < iv.first; candidate++ {
			out = append(out, candidate)
		}
		candidate = max(candidate, iv.last+1)
	}
	for ; candidate < completions && len(out) < count; candidate++ {
		out = append(out, candidate)
	}
	return out
}

// indexSet returns the sorted, distinct known completion indexes of pods.
func indexSet(pods []*core.Pod) []int {
	var out []int
	for _, p := range pods {
		if ix := completionIndex(p); ix != unknownCompletionIndex {
			out = append(out, ix)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// completionIndex returns the pod's completion index annotation, or unknownCompletionIndex
// when it is missing, malformed or negative.
func completionIndex(p *core.Pod) int {
	v, ok := p.Annotations[batch.JobCompletionIndexAnnotation]
	if !ok {
		return unknownCompletionIndex
	}
	i, err := strconv.Atoi(v)
	if err != nil || i < 0 {
		return unknownCompletionIndex
	}
	return i
}

// validIndex returns the pod's completion index if it is in [0, completions), else
// unknownCompletionIndex.
func validIndex(p *core.Pod, completions int) int {
	if ix := completionIndex(p); ix < completions {
		return ix
	}
	return unknownCompletionIndex
}

// podGenerateNameWithIndex returns the generateName of the pods of index ix:
// "<job>-<ix>-", the job name cut so that the whole stays within what the store keeps while
// the index suffix is preserved.
func podGenerateNameWithIndex(jobName string, ix int) string {
	suffix := "-" + strconv.Itoa(ix) + "-"
	prefix := jobName + suffix
	if len(prefix) > maxGeneratedNameLength {
		prefix = jobName[:maxGeneratedNameLength-len(suffix)] + suffix
	}
	return prefix
}

// addCompletionIndexEnv gives every container and init container of template the
// JOB_COMPLETION_INDEX variable, read from the completion index label, unless it has one.
func addCompletionIndexEnv(template *core.PodTemplateSpec) {
	add := func(cs []core.Container) {
		for i := range cs {
			if slices.ContainsFunc(cs[i].Env, func(e core.EnvVar) bool { return e.Name == completionIndexEnvName }) {
				continue
			}
			cs[i].Env = append(cs[i].Env, core.EnvVar{
				Name: completionIndexEnvName,
				ValueFrom: &core.EnvVarSource{FieldRef: &core.ObjectFieldSelector{
					APIVersion: core.APIVersion,
					FieldPath:  "metadata.labels['" + batch.JobCompletionIndexAnnotation + "']",
				}},
			})
		}
	}
	add(template.Spec.InitContainers)
	add(template.Spec.Containers)
}

// setCompletionIndex gives template (a copy owned by the caller) index ix: the annotation and
// label of the same name, and the hostname "<job>-<ix>".
func setCompletionIndex(template *core.PodTemplateSpec, jobName string, ix int) {
	v := strconv.Itoa(ix)
	if template.Annotations == nil {
		template.Annotations = map[string]string{}
	}
	template.Annotations[batch.JobCompletionIndexAnnotation] = v
	if template.Labels == nil {
		template.Labels = map[string]string{}
	}
	template.Labels[batch.JobCompletionIndexAnnotation] = v
	template.Spec.Hostname = jobName + "-" + v
}
