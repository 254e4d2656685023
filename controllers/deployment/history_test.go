package deployment_test

import (
	"context"
	"maps"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/deployment"
)

// rolloutImages rolls the Deployment out through each image in turn, waiting for each.
func (p *plane) rolloutImages(name string, images ...string) {
	p.t.Helper()
	for _, image := range images {
		p.update(name, setImage(image))
		p.waitComplete(name)
	}
}

// revisions returns the ReplicaSets of the Deployment by revision annotation.
func (p *plane) revisions(name string) map[string]*apps.ReplicaSet {
	p.t.Helper()
	out := map[string]*apps.ReplicaSet{}
	for _, rs := range p.replicaSets(name) {
		out[rs.Annotations[apps.RevisionAnnotation]] = rs
	}
	return out
}

// TestRollbackToRevision rolls back by applying an old template, as `rollout undo
// --to-revision` does: the old ReplicaSet is reused, and its revision moves to the top, the
// old number kept in its revision-history.
func TestRollbackToRevision(t *testing.T) {
	p := startPlane(t, planeOptions{})
	d := newDeployment("web", 4, "nginx:1.25")
	d.Annotations = map[string]string{"kubernetes.io/change-cause": "v1"}
	p.create(d)
	p.waitComplete("web")
	p.rolloutImages("web", "nginx:1.26", "nginx:1.27")
	revs := p.revisions("web")
	if len(revs) != 3 || revs["1"] == nil || revs["3"] == nil {
		t.Fatalf("revisions %v", keys(revs))
	}
	first := revs["1"]
	if first.Annotations["kubernetes.io/change-cause"] != "v1" {
		t.Errorf("the Deployment's annotations were not copied to its ReplicaSet: %v", first.Annotations)
	}

	// rollout undo --to-revision=1: the template of revision 1, without its hash label.
	p.update("web", func(d *apps.Deployment) {
		d.Spec.Template = *first.Spec.Template.DeepCopy()
		delete(d.Spec.Template.Labels, apps.DefaultDeploymentUniqueLabelKey)
	})
	d = p.waitComplete("web")
	revs = p.revisions("web")
	if len(revs) != 3 {
		t.Fatalf("revisions %v: a ReplicaSet was created instead of reusing revision 1's", keys(revs))
	}
	reused := revs["4"]
	if reused == nil || reused.UID != first.UID {
		t.Fatalf("revision 4 is %v, want the ReplicaSet of revision 1 (%s)", reused, first.Name)
	}
	if reused.Annotations[apps.RevisionHistoryAnnotation] != "1" || d.Annotations[apps.RevisionAnnotation] != "4" {
		t.Errorf("history %q, deployment revision %q", reused.Annotations[apps.RevisionHistoryAnnotation], d.Annotations[apps.RevisionAnnotation])
	}
	for _, pod := range p.activePods("web") {
		if pod.Spec.Containers[0].Image != "nginx:1.25" || !meta.IsControlledBy(pod, reused) {
			t.Errorf("pod %s runs %s", pod.Name, pod.Spec.Containers[0].Image)
		}
	}
}

// TestLegacyRollback uses the deprecated.deployment.rollback.to annotation: 0 rolls back to
// the previous revision; an unknown revision only removes the request, with a warning.
func TestLegacyRollback(t *testing.T) {
	p := startPlane(t, planeOptions{})
	p.create(newDeployment("web", 2, "nginx:1.25"))
	p.waitComplete("web")
	p.rolloutImages("web", "nginx:1.26")

	p.update("web", func(d *apps.Deployment) { d.Annotations = map[string]string{apps.DeprecatedRollbackTo: "0"} })
	d := p.waitComplete("web")
	if d.Spec.Template.Spec.Containers[0].Image != "nginx:1.25" || d.Annotations[apps.DeprecatedRollbackTo] != "" {
		t.Fatalf("image %s, annotations %v", d.Spec.Template.Spec.Containers[0].Image, d.Annotations)
	}
	p.eventually("rollback event", func() bool {
		msgs := p.events("web", deployment.RollbackDone)
		return len(msgs) == 1 && msgs[0] == `Rolled back deployment "web" to revision 1`
	})
	if revs := p.revisions("web"); revs["3"] == nil || revs["3"].Annotations[apps.RevisionHistoryAnnotation] != "1" {
		t.Errorf("revisions %v", keys(revs))
	}

	p.update("web", func(d *apps.Deployment) { d.Annotations = map[string]string{apps.DeprecatedRollbackTo: "42"} })
	p.eventually("request removed with a warning", func() bool {
		return p.get("web").Annotations[apps.DeprecatedRollbackTo] == "" && len(p.events("web", deployment.RollbackRevisionNotFound)) == 1
	})
}

// TestRevisionHistoryLimit keeps only revisionHistoryLimit old ReplicaSets once rollouts
// complete, deleting the lowest revisions.
func TestRevisionHistoryLimit(t *testing.T) {
	p := startPlane(t, planeOptions{})
	d := newDeployment("web", 2, "nginx:1.21")
	d.Spec.RevisionHistoryLimit = new(int32(2))
	p.create(d)
	p.waitComplete("web")
	p.rolloutImages("web", "nginx:1.22", "nginx:1.23", "nginx:1.24", "nginx:1.25")
	p.eventually("history trimmed to 2 old ReplicaSets", func() bool {
		revs := p.revisions("web")
		return len(revs) == 3 && revs["5"] != nil && revs["4"] != nil && revs["3"] != nil
	})
}

// TestHashCollision: a foreign ReplicaSet already has the name the Deployment's new
// ReplicaSet would get. The Deployment raises status.collisionCount, which changes the hash.
func TestHashCollision(t *testing.T) {
	p := startPlane(t, planeOptions{quiet: true})
	d := newDeployment("web", 2, "nginx:1.27")
	stored := d.DeepCopy()
	apps.DefaultDeployment(stored) // the hash is of the template as stored, defaults included
	hash := deployment.ComputeHash(&stored.Spec.Template, nil)
	squatter := &apps.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: "web-" + hash},
		Spec: apps.ReplicaSetSpec{
			Replicas: new(int32(0)),
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "other"}},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "other"}},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: "busybox"}}},
			},
		},
	}
	if _, err := p.rss.Create(context.Background(), squatter); err != nil {
		t.Fatal(err)
	}
	p.create(d)
	d = p.waitComplete("web")
	if d.Status.CollisionCount == nil || *d.Status.CollisionCount != 1 {
		t.Fatalf("collisionCount %v, want 1", d.Status.CollisionCount)
	}
	want := "web-" + deployment.ComputeHash(&d.Spec.Template, new(int32(1)))
	if _, ok := p.replicaSets("web")[want]; !ok {
		t.Fatalf("ReplicaSets %v, want %s", keys(p.replicaSets("web")), want)
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range maps.Keys(m) {
		out = append(out, k)
	}
	return out
}
