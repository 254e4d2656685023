package deployment

import (
	"maps"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/meta"
)

// maxRevHistoryLengthInChars bounds the revision-history annotation (about 100 revisions);
// the oldest entries are dropped first.
const maxRevHistoryLengthInChars = 2000

// annotationsToSkip are the Deployment annotations not copied to its ReplicaSets (and not
// copied back on a rollback): the controller's own, kubectl's last applied configuration and
// the legacy rollback request (../shared/spec/deployment.md §4).
var annotationsToSkip = map[string]bool{
	apps.LastAppliedConfigAnnotation: true,
	apps.RevisionAnnotation:          true,
	apps.RevisionHistoryAnnotation:   true,
	apps.DesiredReplicasAnnotation:   true,
	apps.MaxReplicasAnnotation:       true,
	apps.DeprecatedRollbackTo:        true,
}

// revision returns the revision annotation of obj: 0 when absent, an error when not an
// integer.
func revision(obj meta.Object) (int64, error) {
	v, ok := obj.GetObjectMeta().Annotations[apps.RevisionAnnotation]
	if !ok {
		return 0, nil
	}
	return strconv.ParseInt(v, 10, 64)
}

// maxRevision returns the highest revision of the ReplicaSets, skipping unreadable ones.
func maxRevision(rss []*apps.ReplicaSet) int64 {
	var highest int64
	for _, rs := range rss {
		if v, err := revision(rs); err == nil && v > highest {
			highest = v
		}
	}
	return highest
}

// lastRevision returns the second highest revision of the ReplicaSets (the one before the
// current), skipping unreadable ones; 0 if there is none.
func lastRevision(rss []*apps.ReplicaSet) int64 {
	var highest, second int64
	for _, rs := range rss {
		v, err := revision(rs)
		switch {
		case err != nil:
		case v >= highest:
			second, highest = highest, v
		case v > second:
			second = v
		}
	}
	return second
}

// intAnnotation reads an integer annotation of rs.
func intAnnotation(rs *apps.ReplicaSet, key string) (int32, bool) {
	v, ok := rs.Annotations[key]
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return 0, false
	}
	return int32(n), true
}

// setNewReplicaSetAnnotations brings the annotations of the Deployment's new ReplicaSet up to
// date on rs (a copy the caller owns) and reports whether they changed: the Deployment's
// annotations are copied (but for annotationsToSkip); the revision becomes newRevision if that
// is higher, the revision it replaces joining revision-history (a rollback made an old
// ReplicaSet new again); a ReplicaSet about to be created (!exists) also gets its
// desired-replicas and max-replicas. An unreadable revision on rs leaves it alone.
func setNewReplicaSetAnnotations(d *apps.Deployment, rs *apps.ReplicaSet, newRevision string, exists bool, limit int) bool {
	changed := copyDeploymentAnnotations(d, rs)
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	oldRevision, had := rs.Annotations[apps.RevisionAnnotation]
	oldRev, err := strconv.ParseInt(oldRevision, 10, 64)
	if err != nil {
		if oldRevision != "" {
			return false
		}
		oldRev = 0
	}
	newRev, err := strconv.ParseInt(newRevision, 10, 64)
	if err != nil {
		return false
	}
	if oldRev < newRev {
		rs.Annotations[apps.RevisionAnnotation] = newRevision
		changed = true
		if had {
			appendRevisionHistory(rs, oldRevision, limit)
		}
	}
	if !exists && setReplicasAnnotations(rs, desiredReplicas(d), desiredReplicas(d)+MaxSurge(d)) {
		changed = true
	}
	return changed
}

// appendRevisionHistory adds old to rs's revision-history, dropping the oldest entries to stay
// within limit characters.
func appendRevisionHistory(rs *apps.ReplicaSet, old string, limit int) {
	history := rs.Annotations[apps.RevisionHistoryAnnotation]
	if history == "" {
		rs.Annotations[apps.RevisionHistoryAnnotation] = old
		return
	}
	entries := strings.Split(history, ",")
	total := len(history) + len(old) + 1
	start := 0
	for total > limit && start < len(entries) {
		total -= len(entries[start]) + 1
		start++
	}
	if total <= limit {
		rs.Annotations[apps.RevisionHistoryAnnotation] = strings.Join(append(entries[start:], old), ",")
	}
}

// copyDeploymentAnnotations copies d's annotations but annotationsToSkip to rs (a copy the
// caller owns) and reports whether rs changed.
func copyDeploymentAnnotations(d *apps.Deployment, rs *apps.ReplicaSet) bool {
	changed := false
	for k, v := range d.Annotations {
		if annotationsToSkip[k] {
			continue
		}
		if rs.Annotations[k] == v {
			continue
		}
		if rs.Annotations == nil {
			rs.Annotations = map[string]string{}
		}
		rs.Annotations[k] = v
		changed = true
	}
	return changed
}

// setDeploymentAnnotationsTo replaces d's annotations (a copy the caller owns) with those of
// the ReplicaSet being rolled back to, keeping d's own annotationsToSkip.
func setDeploymentAnnotationsTo(d *apps.Deployment, rs *apps.ReplicaSet) {
	kept := map[string]string{}
	for k, v := range d.Annotations {
		if annotationsToSkip[k] {
			kept[k] = v
		}
	}
	for k, v := range rs.Annotations {
		if !annotationsToSkip[k] {
			kept[k] = v
		}
	}
	d.Annotations = kept
}

// setReplicasAnnotations records the Deployment's replicas and replicas + maxSurge on rs (a
// copy the caller owns) and reports whether they changed.
func setReplicasAnnotations(rs *apps.ReplicaSet, desired, maxReplicas int32) bool {
	want := map[string]string{
		apps.DesiredReplicasAnnotation: strconv.Itoa(int(desired)),
		apps.MaxReplicasAnnotation:     strconv.Itoa(int(maxReplicas)),
	}
	if rs.Annotations == nil {
		rs.Annotations = map[string]string{}
	}
	changed := false
	for k, v := range want {
		if rs.Annotations[k] != v {
			rs.Annotations[k] = v
			changed = true
		}
	}
	return changed
}

// replicasAnnotationsNeedUpdate reports whether setReplicasAnnotations would change rs.
func replicasAnnotationsNeedUpdate(rs *apps.ReplicaSet, desired, maxReplicas int32) bool {
	return rs.Annotations[apps.DesiredReplicasAnnotation] != strconv.Itoa(int(desired)) ||
		rs.Annotations[apps.MaxReplicasAnnotation] != strconv.Itoa(int(maxReplicas))
}

// withRevision returns d's annotations with the revision set to rev, and whether that changed
// anything; d is not modified.
func withRevision(d *apps.Deployment, rev string) (map[string]string, bool) {
	if d.Annotations[apps.RevisionAnnotation] == rev {
		return d.Annotations, false
	}
	out := maps.Clone(d.Annotations)
	if out == nil {
		out = map[string]string{}
	}
	out[apps.RevisionAnnotation] = rev
	return out, true
}
