package deployment

import (
	"maps"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
)

func withAnnotations(rs *apps.ReplicaSet, kv ...string) *apps.ReplicaSet {
	rs.Annotations = map[string]string{}
	for i := 0; i < len(kv); i += 2 {
		rs.Annotations[kv[i]] = kv[i+1]
	}
	return rs
}

func TestRevisions(t *testing.T) {
	rss := []*apps.ReplicaSet{
		withAnnotations(testRS("a", 0, 0, t0), apps.RevisionAnnotation, "3"),
		withAnnotations(testRS("b", 0, 0, t0), apps.RevisionAnnotation, "7"),
		withAnnotations(testRS("c", 0, 0, t0), apps.RevisionAnnotation, "x"), // unreadable: skipped
		withAnnotations(testRS("d", 0, 0, t0), apps.RevisionAnnotation, "5"),
		testRS("e", 0, 0, t0), // none: 0
	}
	if got := maxRevision(rss); got != 7 {
		t.Errorf("maxRevision = %d, want 7", got)
	}
	if got := lastRevision(rss); got != 5 {
		t.Errorf("lastRevision = %d, want 5", got)
	}
	if got := lastRevision(rss[:1]); got != 0 {
		t.Errorf("lastRevision of one = %d, want 0", got)
	}
}

func TestSetNewReplicaSetAnnotations(t *testing.T) {
	d := testDeployment(4, ptrIS("1"), nil)
	d.Annotations = map[string]string{
		"kubernetes.io/change-cause":     "deploy v2",
		apps.LastAppliedConfigAnnotation: "{...}",
		apps.RevisionAnnotation:          "9",
		apps.DeprecatedRollbackTo:        "1",
		apps.DesiredReplicasAnnotation:   "99",
		apps.RevisionHistoryAnnotation:   "1,2",
		apps.MaxReplicasAnnotation:       "99",
	}
	t.Run("created", func(t *testing.T) {
		rs := testRS("new", 0, 0, t0)
		if !setNewReplicaSetAnnotations(d, rs, "3", false, maxRevHistoryLengthInChars) {
			t.Fatal("no change reported")
		}
		want := map[string]string{
			"kubernetes.io/change-cause":   "deploy v2",
			apps.RevisionAnnotation:        "3",
			apps.DesiredReplicasAnnotation: "4",
			apps.MaxReplicasAnnotation:     "5",
		}
		if !maps.Equal(rs.Annotations, want) {
			t.Fatalf("annotations %v, want %v", rs.Annotations, want)
		}
	})
	t.Run("made new again by a rollback", func(t *testing.T) {
		rs := withAnnotations(testRS("old", 0, 0, t0), apps.RevisionAnnotation, "1", "kubernetes.io/change-cause", "deploy v2")
		setNewReplicaSetAnnotations(d, rs, "4", true, maxRevHistoryLengthInChars)
		if rs.Annotations[apps.RevisionAnnotation] != "4" || rs.Annotations[apps.RevisionHistoryAnnotation] != "1" {
			t.Fatalf("annotations %v", rs.Annotations)
		}
		if _, ok := rs.Annotations[apps.DesiredReplicasAnnotation]; ok {
			t.Error("an existing ReplicaSet got replicas annotations")
		}
		setNewReplicaSetAnnotations(d, rs, "6", true, maxRevHistoryLengthInChars)
		if rs.Annotations[apps.RevisionHistoryAnnotation] != "1,4" {
			t.Fatalf("history %q, want 1,4", rs.Annotations[apps.RevisionHistoryAnnotation])
		}
		if setNewReplicaSetAnnotations(d, rs, "6", true, maxRevHistoryLengthInChars) {
			t.Error("no change reported as one")
		}
		if setNewReplicaSetAnnotations(d, rs, "5", true, maxRevHistoryLengthInChars) || rs.Annotations[apps.RevisionAnnotation] != "6" {
			t.Error("a revision moved down")
		}
	})
	t.Run("history bounded, oldest dropped", func(t *testing.T) {
		rs := withAnnotations(testRS("old", 0, 0, t0), apps.RevisionAnnotation, "12", apps.RevisionHistoryAnnotation, "10,11")
		setNewReplicaSetAnnotations(d, rs, "13", true, 6)
		if got := rs.Annotations[apps.RevisionHistoryAnnotation]; got != "11,12" {
			t.Fatalf("history %q, want 11,12", got)
		}
	})
	t.Run("unreadable revision left alone", func(t *testing.T) {
		rs := withAnnotations(testRS("old", 0, 0, t0), apps.RevisionAnnotation, "x", "kubernetes.io/change-cause", "deploy v2")
		if setNewReplicaSetAnnotations(d, rs, "4", true, maxRevHistoryLengthInChars) || rs.Annotations[apps.RevisionAnnotation] != "x" {
			t.Fatalf("annotations %v", rs.Annotations)
		}
	})
}

func TestSetDeploymentAnnotationsTo(t *testing.T) {
	d := testDeployment(1, nil, nil)
	d.Annotations = map[string]string{"change-cause": "v3", apps.RevisionAnnotation: "3", "only-current": "x"}
	rs := withAnnotations(testRS("old", 0, 0, t0), "change-cause", "v1", apps.RevisionAnnotation, "1", apps.DesiredReplicasAnnotation, "1")
	setDeploymentAnnotationsTo(d, rs)
	want := map[string]string{"change-cause": "v1", apps.RevisionAnnotation: "3"}
	if !maps.Equal(d.Annotations, want) {
		t.Fatalf("annotations %v, want %v", d.Annotations, want)
	}
}

func TestReplicasAnnotations(t *testing.T) {
	rs := testRS("rs", 1, 0, t0)
	if !replicasAnnotationsNeedUpdate(rs, 3, 4) || !setReplicasAnnotations(rs, 3, 4) {
		t.Fatal("missing annotations not set")
	}
	if replicasAnnotationsNeedUpdate(rs, 3, 4) || setReplicasAnnotations(rs, 3, 4) {
		t.Fatal("unchanged annotations reported as changed")
	}
	if n, ok := intAnnotation(rs, apps.MaxReplicasAnnotation); !ok || n != 4 {
		t.Fatalf("max-replicas %d %v", n, ok)
	}
	if _, ok := intAnnotation(withAnnotations(rs, apps.MaxReplicasAnnotation, "four"), apps.MaxReplicasAnnotation); ok {
		t.Fatal("an unreadable annotation was read")
	}
}
