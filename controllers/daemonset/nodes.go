package daemonset

import (
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
)

// This file holds the pure functions that decide where a DaemonSet's pods belong
// (../shared/spec/daemonset.md §2–§3) and which of a node's pods come first.

// daemonTolerations are the tolerations every daemon pod gets on top of its template's
// (Operator Exists, no tolerationSeconds), so that it keeps running on nodes that are not
// ready, unreachable, under pressure or cordoned.
var daemonTolerations = []core.Toleration{
	{Key: core.TaintNodeNotReady, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoExecute},
	{Key: core.TaintNodeUnreachable, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoExecute},
	{Key: core.TaintNodeDiskPressure, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoSchedule},
	{Key: core.TaintNodeMemoryPressure, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoSchedule},
	{Key: core.TaintNodePIDPressure, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoSchedule},
	{Key: core.TaintNodeUnschedulable, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoSchedule},
}

// networkUnavailableToleration is added to the daemon pods of hostNetwork templates.
var networkUnavailableToleration = core.Toleration{Key: core.TaintNodeNetworkUnavailable, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoSchedule}

// withDaemonTolerations returns tols plus the daemon tolerations: one that matches an
// existing toleration (same key, effect, operator and value) replaces it, the others are
// appended, as Kubernetes' AddOrUpdateTolerationInPodSpec does. tols is not modified.
func withDaemonTolerations(tols []core.Toleration, hostNetwork bool) []core.Toleration {
	out := slices.Clone(tols)
	add := daemonTolerations
	if hostNetwork {
		add = append(slices.Clone(add), networkUnavailableToleration)
	}
	for _, t := range add {
		if i := slices.IndexFunc(out, func(o core.Toleration) bool { return o.MatchToleration(&t) }); i >= 0 {
			out[i] = t
			continue
		}
		out = append(out, t)
	}
	return out
}

// placement is what a sync knows about where ds's pods belong, computed once per sync.
type placement struct {
	ds   *apps.DaemonSet
	pod  *core.Pod         // the template as a pod, for the node selector and affinity
	tols []core.Toleration // the template's tolerations with the daemon tolerations
}

func newPlacement(ds *apps.DaemonSet) *placement {
	spec := &ds.Spec.Template.Spec
	return &placement{
		ds:   ds,
		pod:  &core.Pod{Spec: core.PodSpec{NodeSelector: spec.NodeSelector, Affinity: spec.Affinity}},
		tols: withDaemonTolerations(spec.Tolerations, spec.HostNetwork),
	}
}

// shouldRun is Kubernetes' NodeShouldRunDaemonPod: whether a daemon pod should be created on
// node (shouldRun) and whether an existing one may stay (shouldContinue). A template bound
// to another node, an unmatched node selector or required node affinity rule out both; an
// untolerated NoSchedule or NoExecute taint rules out a new pod, and an untolerated NoExecute
// taint an existing one too. Resources, ports and spec.unschedulable are not the
// controller's concern.
func (p *placement) shouldRun(node *core.Node) (shouldRun, shouldContinue bool) {
	if name := p.ds.Spec.Template.Spec.NodeName; name != "" && name != node.Name {
		return false, false
	}
	if !core.PodMatchesNodeSelectorAndAffinityTerms(p.pod, node) {
		return false, false
	}
	if _, bad := core.FindUntoleratedTaint(node.Spec.Taints, p.tols, func(t *core.Taint) bool {
		return t.Effect == core.TaintEffectNoSchedule || t.Effect == core.TaintEffectNoExecute
	}); !bad {
		return true, true
	}
	_, bad := core.FindUntoleratedTaint(node.Spec.Taints, p.tols, func(t *core.Taint) bool {
		return t.Effect == core.TaintEffectNoExecute
	})
	return false, !bad
}

// podTemplate returns the template ds's new pods are made from: ds's template with the daemon
// tolerations, labelled with the revision hash and, when known, the template generation.
// Each pod gets its node on top (see podTemplateFor).
func podTemplate(ds *apps.DaemonSet, tols []core.Toleration, hash string, generation *int64) *core.PodTemplateSpec {
	t := ds.Spec.Template.DeepCopy()
	t.Spec.Tolerations = slices.Clone(tols)
	t.Labels = maps.Clone(t.Labels)
	if t.Labels == nil {
		t.Labels = map[string]string{}
	}
	if generation != nil {
		t.Labels[apps.DaemonSetTemplateGenerationKey] = strconv.FormatInt(*generation, 10)
	}
	if hash != "" {
		t.Labels[apps.DefaultDaemonSetUniqueLabelKey] = hash
	}
	return t
}

// podTemplateFor returns a copy of template bound to node: skiff's DaemonSet pods are bound
// at creation, by spec.nodeName.
func podTemplateFor(template *core.PodTemplateSpec, node string) *core.PodTemplateSpec {
	t := *template // PodFromTemplate deep-copies the spec and metadata
	t.Spec.NodeName = node
	return &t
}

// templateGeneration returns the value of ds's template generation annotation, nil when it
// is missing or not a number.
func templateGeneration(ds *apps.DaemonSet) *int64 {
	v, ok := ds.Annotations[apps.DeprecatedTemplateGeneration]
	if !ok {
		return nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return nil
	}
	return &n
}

// isUpdated reports whether pod runs ds's current template: its revision hash label is hash,
// or its template generation label is generation.
func isUpdated(pod *core.Pod, hash string, generation *int64) bool {
	if hash != "" && pod.Labels[apps.DefaultDaemonSetUniqueLabelKey] == hash {
		return true
	}
	return generation != nil && pod.Labels[apps.DaemonSetTemplateGenerationKey] == strconv.FormatInt(*generation, 10)
}

// targetNode returns the node a daemon pod is for: spec.nodeName, or else the node its
// required node affinity names by a metadata.name matchFields term (how Kubernetes' daemon
// pods await the scheduler). "" when neither says.
func targetNode(pod *core.Pod) string {
	if pod.Spec.NodeName != "" {
		return pod.Spec.NodeName
	}
	a := pod.Spec.Affinity
	if a == nil || a.NodeAffinity == nil || a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution == nil {
		return ""
	}
	for _, term := range a.NodeAffinity.RequiredDuringSchedulingIgnoredDuringExecution.NodeSelectorTerms {
		for _, f := range term.MatchFields {
			if f.Key == core.NodeFieldSelectorKeyNodeName && f.Operator == core.NodeSelectorOpIn && len(f.Values) == 1 {
				return f.Values[0]
			}
		}
	}
	return ""
}

// comparePods orders a node's daemon pods oldest first: scheduled before unscheduled, then by
// creation time, then by name (Kubernetes' podByCreationTimestampAndPhase).
func comparePods(a, b *core.Pod) int {
	if (a.Spec.NodeName != "") != (b.Spec.NodeName != "") {
		if a.Spec.NodeName != "" {
			return -1
		}
		return 1
	}
	if c := a.CreationTimestamp.Time.Compare(b.CreationTimestamp.Time); c != 0 {
		return c
	}
	return strings.Compare(a.Name, b.Name)
}
