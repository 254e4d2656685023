package deployment

import (
	"bytes"
	"encoding/json"
	"maps"
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
)

// This file holds the pure questions the controller asks about a Deployment's ReplicaSets
// (Kubernetes' deployment/util and controller_utils): which one is new, which are old and
// active, their sums and orders. None of them modifies its arguments.

// replicasOf returns a ReplicaSet's spec.replicas (1 when unset, as defaulting makes it).
func replicasOf(rs *apps.ReplicaSet) int32 {
	if rs.Spec.Replicas == nil {
		return 1
	}
	return *rs.Spec.Replicas
}

// desiredReplicas returns a Deployment's spec.replicas (1 when unset).
func desiredReplicas(d *apps.Deployment) int32 {
	if d.Spec.Replicas == nil {
		return 1
	}
	return *d.Spec.Replicas
}

// EqualIgnoreHash reports whether two pod templates are the same apart from the
// pod-template-hash label: how the Deployment's template is recognised in a ReplicaSet. The
// templates are compared in their JSON form, so that nil and empty collections, which the API
// cannot tell apart, are equal.
func EqualIgnoreHash(a, b *core.PodTemplateSpec) bool {
	return bytes.Equal(templateJSON(a), templateJSON(b))
}

// templateJSON encodes t without the pod-template-hash label, leaving t untouched.
func templateJSON(t *core.PodTemplateSpec) []byte {
	_, hashed := t.Labels[apps.DefaultDeploymentUniqueLabelKey]
	if hashed || (t.Labels != nil && len(t.Labels) == 0) || (t.Annotations != nil && len(t.Annotations) == 0) {
		c := *t // shallow: only the maps are replaced
		c.Labels = maps.Clone(t.Labels)
		delete(c.Labels, apps.DefaultDeploymentUniqueLabelKey)
		if len(c.Labels) == 0 {
			c.Labels = nil // an empty map would still write "metadata": {}
		}
		if len(c.Annotations) == 0 {
			c.Annotations = nil
		}
		t = &c
	}
	b, err := json.Marshal(t)
	if err != nil {
		panic("deployment: a pod template does not encode: " + err.Error())
	}
	return b
}

// byCreation orders ReplicaSets oldest first, by creationTimestamp then name.
func byCreation(a, b *apps.ReplicaSet) int {
	if !a.CreationTimestamp.Equal(&b.CreationTimestamp) {
		if a.CreationTimestamp.Before(&b.CreationTimestamp) {
			return -1
		}
		return 1
	}
	return strings.Compare(a.Name, b.Name)
}

// bySizeOlder orders ReplicaSets largest first, older first among equals: the order in which
// proportional scaling removes replicas.
func bySizeOlder(a, b *apps.ReplicaSet) int {
	if ra, rb := replicasOf(a), replicasOf(b); ra != rb {
		return int(rb) - int(ra)
	}
	return byCreation(a, b)
}

// bySizeNewer orders ReplicaSets largest first, newer first among equals: the order in which
// proportional scaling adds replicas.
func bySizeNewer(a, b *apps.ReplicaSet) int {
	if ra, rb := replicasOf(a), replicasOf(b); ra != rb {
		return int(rb) - int(ra)
	}
	return byCreation(b, a)
}

// byRevision orders ReplicaSets lowest revision first, by creation among equal or unreadable
// revisions: the order in which old ReplicaSets are cleaned up.
func byRevision(a, b *apps.ReplicaSet) int {
	ra, errA := revision(a)
	rb, errB := revision(b)
	if errA != nil || errB != nil || ra == rb {
		return byCreation(a, b)
	}
	if ra < rb {
		return -1
	}
	return 1
}

// FindNewReplicaSet returns the ReplicaSet whose template is the Deployment's (apart from the
// pod-template-hash), the oldest if several are, or nil.
func FindNewReplicaSet(d *apps.Deployment, rsList []*apps.ReplicaSet) *apps.ReplicaSet {
	sorted := slices.SortedFunc(slices.Values(rsList), byCreation)
	want := templateJSON(&d.Spec.Template)
	for _, rs := range sorted {
		if bytes.Equal(templateJSON(&rs.Spec.Template), want) {
			return rs
		}
	}
	return nil
}

// findOldReplicaSets returns every ReplicaSet but newRS (nil: none is new), in the order of
// rsList.
func findOldReplicaSets(rsList []*apps.ReplicaSet, newRS *apps.ReplicaSet) []*apps.ReplicaSet {
	var old []*apps.ReplicaSet
	for _, rs := range rsList {
		if newRS != nil && rs.UID == newRS.UID {
			continue
		}
		old = append(old, rs)
	}
	return old
}

// withNew returns old followed by newRS when newRS is not nil: "all ReplicaSets". The result
// is a new slice.
func withNew(old []*apps.ReplicaSet, newRS *apps.ReplicaSet) []*apps.ReplicaSet {
	all := slices.Clip(old)
	if newRS != nil {
		all = append(all, newRS)
	}
	return all
}

// filterActive returns the ReplicaSets with spec.replicas > 0.
func filterActive(rss []*apps.ReplicaSet) []*apps.ReplicaSet {
	var out []*apps.ReplicaSet
	for _, rs := range rss {
		if rs != nil && replicasOf(rs) > 0 {
			out = append(out, rs)
		}
	}
	return out
}

// specReplicas sums spec.replicas.
func specReplicas(rss []*apps.ReplicaSet) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += replicasOf(rs)
		}
	}
	return n
}

// statusSum sums a status field of the ReplicaSets.
func statusSum(rss []*apps.ReplicaSet, field func(*apps.ReplicaSetStatus) int32) int32 {
	var n int32
	for _, rs := range rss {
		if rs != nil {
			n += field(&rs.Status)
		}
	}
	return n
}

// Fields for statusSum.
func statusReplicas(s *apps.ReplicaSetStatus) int32 { return s.Replicas }
func readyReplicas(s *apps.ReplicaSetStatus) int32  { return s.ReadyReplicas }
func availReplicas(s *apps.ReplicaSetStatus) int32  { return s.AvailableReplicas }

// findActiveOrLatest returns the only active ReplicaSet, or — when none is active — the new
// one, else the newest old one; nil when several are active (proportional scaling applies).
func findActiveOrLatest(newRS *apps.ReplicaSet, oldRSs []*apps.ReplicaSet) *apps.ReplicaSet {
	if newRS == nil && len(oldRSs) == 0 {
		return nil
	}
	newestFirst := slices.SortedFunc(slices.Values(oldRSs), func(a, b *apps.ReplicaSet) int { return byCreation(b, a) })
	active := filterActive(withNew(newestFirst, newRS))
	switch len(active) {
	case 0:
		if newRS != nil {
			return newRS
		}
		return newestFirst[0]
	case 1:
		return active[0]
	}
	return nil
}

// isSaturated reports whether the new ReplicaSet holds all the Deployment's replicas, by its
// spec, its desired-replicas annotation and its available pods.
func isSaturated(d *apps.Deployment, rs *apps.ReplicaSet) bool {
	if rs == nil {
		return false
	}
	desired, ok := intAnnotation(rs, apps.DesiredReplicasAnnotation)
	if !ok {
		return false
	}
	want := desiredReplicas(d)
	return replicasOf(rs) == want && desired == want && rs.Status.AvailableReplicas == want
}
