package statefulset_test

import (
	"fmt"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/garbagecollector"
	"github.com/skiff-dev/skiff/kubelet/sim"
	"github.com/skiff-dev/skiff/store"
)

// TestOrderedReady runs a 3-replica OrderedReady set through creation, a pod deletion, a
// scale-down and a scale-up, with an invariant checker on every pod event.
func TestOrderedReady(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			e := startEnv(t, m)
			var scaleDown atomic.Bool
			w := e.watchPods(orderedReadyCheck("web", 0, &scaleDown))

			e.create(newSet("web", 3))
			e.eventually("3 pods Running and Ready", func() bool { return e.settled("web", 0, 3, "") })
			w.waitFor(t, 3)
			if got, want := w.entries(0), []string{"create web-0", "create web-1", "create web-2"}; !slices.Equal(got, want) {
				t.Errorf("pod events %v, want %v", got, want)
			}
			set := e.get("web")
			claims := map[string]meta.UID{}
			for i := range 3 {
				name := fmt.Sprintf("web-%d", i)
				p, err := e.pods.Get(e.ctx, "default", name)
				if err != nil {
					t.Fatal(err)
				}
				checkIdentity(t, set, p, i)
				c, err := e.pvcs.Get(e.ctx, "default", "data-"+name)
				if err != nil {
					t.Fatalf("claim of %s: %v", name, err)
				}
				if c.Labels["app"] != "web" || len(c.OwnerReferences) != 0 {
					t.Errorf("claim %s: labels %v, owners %v", c.Name, c.Labels, c.OwnerReferences)
				}
				claims[c.Name] = c.UID
			}

			// A deleted pod comes back under its name, on its claim.
			old, _ := e.pods.Get(e.ctx, "default", "web-1")
			if _, err := e.pods.Delete(e.ctx, "default", "web-1"); err != nil {
				t.Fatal(err)
			}
			e.eventually("web-1 re-created", func() bool {
				p, err := e.pods.Get(e.ctx, "default", "web-1")
				return err == nil && p.UID != old.UID && e.settled("web", 0, 3, "")
			})
			w.waitFor(t, 5) // the deletion and the re-creation of web-1
			checkClaims(t, e, claims)

			// Scale down: highest ordinal first, one at a time; claims stay.
			e.calmFaults()
			mark := w.mark()
			scaleDown.Store(true)
			e.update("web", func(s *apps.StatefulSet) { s.Spec.Replicas = new(int32(1)) })
			e.eventually("scaled down to 1", func() bool { return e.settled("web", 0, 1, "") })
			w.waitFor(t, mark+2)
			scaleDown.Store(false)
			if got, want := w.entries(mark), []string{"delete web-2", "delete web-1"}; !slices.Equal(got, want) {
				t.Errorf("scale-down pod events %v, want %v", got, want)
			}
			checkClaims(t, e, claims)

			// Scale up again: the pods get their claims back by name.
			e.update("web", func(s *apps.StatefulSet) { s.Spec.Replicas = new(int32(3)) })
			e.eventually("scaled up to 3", func() bool { return e.settled("web", 0, 3, "") })
			checkClaims(t, e, claims)
		})
	}
}

// checkIdentity checks a pod's stable identity: hostname, subdomain, labels, claim volume,
// controller reference.
func checkIdentity(t *testing.T, set *apps.StatefulSet, p *core.Pod, ord int) {
	t.Helper()
	want := fmt.Sprintf("%s-%d", set.Name, ord)
	if p.Spec.Hostname != want || p.Spec.Subdomain != set.Spec.ServiceName {
		t.Errorf("%s: hostname %q subdomain %q", p.Name, p.Spec.Hostname, p.Spec.Subdomain)
	}
	if p.Labels[apps.StatefulSetPodNameLabel] != want || p.Labels[apps.PodIndexLabel] != fmt.Sprint(ord) ||
		p.Labels[apps.StatefulSetRevisionLabel] != set.Status.UpdateRevision {
		t.Errorf("%s: labels %v (update revision %s)", p.Name, p.Labels, set.Status.UpdateRevision)
	}
	var claim string
	for _, v := range p.Spec.Volumes {
		if v.Name == "data" && v.PersistentVolumeClaim != nil {
			claim = v.PersistentVolumeClaim.ClaimName
		}
	}
	if claim != "data-"+want {
		t.Errorf("%s: data volume claims %q", p.Name, claim)
	}
	if !meta.IsControlledBy(p, set) {
		t.Errorf("%s: owners %v", p.Name, p.OwnerReferences)
	}
}

// checkClaims checks that the claims still exist with the same UIDs.
func checkClaims(t *testing.T, e *env, uids map[string]meta.UID) {
	t.Helper()
	for name, uid := range uids {
		c, err := e.pvcs.Get(e.ctx, "default", name)
		if err != nil || c.UID != uid {
			t.Errorf("claim %s: %v (uid %v, want %v)", name, err, c, uid)
		}
	}
}

// TestParallel creates all pods without waiting for any to run: the containers take two
// minutes to start, and all three pods exist while none runs.
func TestParallel(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			e := startEnv(t, m)
			e.create(newSet("db", 3, func(s *apps.StatefulSet) {
				s.Spec.PodManagementPolicy = apps.ParallelPodManagement
				s.Spec.Template.Annotations = map[string]string{sim.AnnotationStartup: "2m"}
			}))
			e.eventually("3 pods created", func() bool { return len(e.podsOf("db")) == 3 })
			for _, p := range e.podsOf("db") {
				if p.Status.Phase == core.PodRunning {
					t.Errorf("%s is already running: the pods were not created at once", p.Name)
				}
			}
			e.eventually("3 pods running", func() bool { return e.settled("db", 0, 3, "") })

			// Scale-down deletes every condemned pod at once.
			e.update("db", func(s *apps.StatefulSet) { s.Spec.Replicas = new(int32(0)) })
			e.eventually("no pods", func() bool { return e.settled("db", 0, 0, "") })
		})
	}
}

// TestRollingUpdatePartition updates only ordinals ≥ partition, highest first, then the rest
// once the partition is lowered; a rollback restores the old revision.
func TestRollingUpdatePartition(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			e := startEnv(t, m)
			w := e.watchPods(nil)
			e.create(newSet("web", 3))
			e.eventually("3 pods", func() bool { return e.settled("web", 0, 3, "") })
			rev1 := e.get("web").Status.UpdateRevision

			e.update("web", func(s *apps.StatefulSet) {
				s.Spec.UpdateStrategy.RollingUpdate = &apps.RollingUpdateStatefulSetStrategy{Partition: new(int32(2))}
				s.Spec.Template.Spec.Containers[0].Image = "nginx:2.0"
			})
			var rev2 string
			e.eventually("web-2 updated", func() bool {
				s := e.get("web")
				rev2 = s.Status.UpdateRevision
				pods := e.podsOf("web")
				return rev2 != rev1 && len(pods) == 3 && pods["web-2"].Labels[apps.StatefulSetRevisionLabel] == rev2 &&
					running(pods["web-2"]) && s.Status.UpdatedReplicas == 1 && s.Status.CurrentReplicas == 2 && s.Status.ReadyReplicas == 3
			})
			mark := w.mark()
			e.advance(time.Minute) // ordinals 0 and 1 stay at the old revision, whatever happens
			pods := e.podsOf("web")
			for _, n := range []string{"web-0", "web-1"} {
				if pods[n].Labels[apps.StatefulSetRevisionLabel] != rev1 || pods[n].Spec.Containers[0].Image != "nginx:1.0" {
					t.Errorf("%s was updated below the partition: %v", n, pods[n].Labels)
				}
			}
			if s := e.get("web").Status; s.CurrentRevision != rev1 || s.UpdateRevision != rev2 {
				t.Errorf("revisions current %s update %s, want %s %s", s.CurrentRevision, s.UpdateRevision, rev1, rev2)
			}

			// Lowering the partition finishes the rollout, from the highest ordinal down.
			e.update("web", func(s *apps.StatefulSet) { s.Spec.UpdateStrategy.RollingUpdate.Partition = new(int32(0)) })
			e.eventually("all updated", func() bool { return e.settled("web", 0, 3, rev2) })
			if got := deletions(w.entries(mark)); !slices.Equal(got, []string{"delete web-1", "delete web-0"}) {
				t.Errorf("update deletions %v, want [delete web-1 delete web-0]", got)
			}
			for _, p := range e.podsOf("web") {
				if p.Spec.Containers[0].Image != "nginx:2.0" {
					t.Errorf("%s runs %s", p.Name, p.Spec.Containers[0].Image)
				}
			}

			// Rollback: the old template again reuses the old revision, renumbered newest.
			e.update("web", func(s *apps.StatefulSet) { s.Spec.Template.Spec.Containers[0].Image = "nginx:1.0" })
			e.eventually("rolled back", func() bool { return e.settled("web", 0, 3, rev1) })
			r1, err := e.revs.Get(e.ctx, "default", rev1)
			if err != nil {
				t.Fatal(err)
			}
			r2, _ := e.revs.Get(e.ctx, "default", rev2)
			if r1.Revision <= r2.Revision {
				t.Errorf("rolled-back revision %s is number %d, not above %s's %d", rev1, r1.Revision, rev2, r2.Revision)
			}
			for _, p := range e.podsOf("web") {
				if p.Spec.Containers[0].Image != "nginx:1.0" {
					t.Errorf("%s runs %s after the rollback", p.Name, p.Spec.Containers[0].Image)
				}
			}
		})
	}
}

func deletions(log []string) []string {
	var out []string
	for _, l := range log {
		if len(l) > 7 && l[:7] == "delete " {
			out = append(out, l)
		}
	}
	return out
}

// TestOnDelete replaces only the pods the user deletes.
func TestOnDelete(t *testing.T) {
	for _, m := range modes {
		t.Run(m.name, func(t *testing.T) {
			e := startEnv(t, m)
			e.create(newSet("web", 3, func(s *apps.StatefulSet) {
				s.Spec.UpdateStrategy = apps.StatefulSetUpdateStrategy{Type: apps.OnDeleteStatefulSetStrategyType}
			}))
			e.eventually("3 pods", func() bool { return e.settled("web", 0, 3, "") })
			rev1 := e.get("web").Status.UpdateRevision
			e.update("web", func(s *apps.StatefulSet) { s.Spec.Template.Spec.Containers[0].Image = "nginx:2.0" })
			e.eventually("new update revision", func() bool {
				s := e.get("web")
				return s.Status.UpdateRevision != rev1 && s.Status.ObservedGeneration == s.Generation
			})
			rev2 := e.get("web").Status.UpdateRevision
			e.advance(time.Minute)
			if _, err := e.pods.Delete(e.ctx, "default", "web-1"); err != nil {
				t.Fatal(err)
			}
			e.eventually("web-1 replaced at the update revision", func() bool {
				p := e.podsOf("web")["web-1"]
				return p != nil && running(p) && p.Labels[apps.StatefulSetRevisionLabel] == rev2
			})
			e.eventually("status", func() bool {
				s := e.get("web").Status
				return s.UpdatedReplicas == 1 && s.CurrentReplicas == 2 && s.ReadyReplicas == 3 && s.CurrentRevision == rev1
			})
			for _, n := range []string{"web-0", "web-2"} {
				if p := e.podsOf("web")[n]; p.Labels[apps.StatefulSetRevisionLabel] != rev1 {
					t.Errorf("%s was replaced without being deleted", n)
				}
			}
		})
	}
}

// TestFailedPodRecreated replaces a pod that failed (as after an eviction) under its name.
func TestFailedPodRecreated(t *testing.T) {
	e := startEnv(t, modes[0])
	e.create(newSet("web", 2))
	e.eventually("2 pods", func() bool { return e.settled("web", 0, 2, "") })
	old := e.podsOf("web")["web-0"]
	failed := old.DeepCopyObject().(*core.Pod)
	failed.Status.Phase = core.PodFailed
	failed.Status.Reason = "Evicted"
	if _, err := e.pods.UpdateStatus(e.ctx, failed); err != nil {
		t.Fatal(err)
	}
	e.eventually("web-0 re-created", func() bool {
		p := e.podsOf("web")["web-0"]
		return p != nil && p.UID != old.UID && e.settled("web", 0, 2, "")
	})
}

// TestOrdinalsStartAndMaxUnavailable numbers pods from ordinals.start and rolls out two pods
// at a time with maxUnavailable 2.
func TestOrdinalsStartAndMaxUnavailable(t *testing.T) {
	e := startEnv(t, modes[0])
	// No deletion may leave more than 2 of the 4 ordinals without a Running and Ready pod.
	w := e.watchPods(func(before map[string]*core.Pod, ev client.Event[*core.Pod]) string {
		if !startsDeletion(ev, before[ev.Object.Name]) {
			return ""
		}
		up := 0
		for n, p := range before {
			if n != ev.Object.Name && running(p) {
				up++
			}
		}
		if 4-up > 2 {
			return fmt.Sprintf("deleting %s leaves %d pods unavailable", ev.Object.Name, 4-up)
		}
		return ""
	})
	e.create(newSet("web", 4, func(s *apps.StatefulSet) {
		s.Spec.Ordinals = &apps.StatefulSetOrdinals{Start: 5}
		s.Spec.PodManagementPolicy = apps.ParallelPodManagement
		s.Spec.UpdateStrategy.RollingUpdate = &apps.RollingUpdateStatefulSetStrategy{MaxUnavailable: new(intstr.FromInt(2))}
	}))
	e.eventually("pods 5..8", func() bool { return e.settled("web", 5, 4, "") })
	mark := w.mark()
	e.update("web", func(s *apps.StatefulSet) { s.Spec.Template.Spec.Containers[0].Image = "nginx:2.0" })
	e.eventually("updated", func() bool { return e.settled("web", 5, 4, e.get("web").Status.UpdateRevision) })
	got := deletions(w.entries(mark))
	if len(got) != 4 || !slices.Contains(got[:2], "delete web-8") || !slices.Contains(got[:2], "delete web-7") {
		t.Errorf("update deletions %v, want web-8 and web-7 first", got)
	}
}

// TestRetentionPolicy checks the owner references that carry out whenDeleted and whenScaled,
// and, with a garbage collector running, that the claims go with the pod and the set.
func TestRetentionPolicy(t *testing.T) {
	e := startEnv(t, modes[0])
	if _, err := garbagecollector.Add(e.p.Manager(), garbagecollector.Options{}); err != nil {
		t.Fatal(err)
	}
	e.create(newSet("web", 3, func(s *apps.StatefulSet) {
		s.Spec.PersistentVolumeClaimRetentionPolicy = &apps.StatefulSetPersistentVolumeClaimRetentionPolicy{
			WhenDeleted: apps.DeletePersistentVolumeClaimRetentionPolicyType,
			WhenScaled:  apps.DeletePersistentVolumeClaimRetentionPolicyType,
		}
	}))
	e.eventually("3 pods", func() bool { return e.settled("web", 0, 3, "") })
	set := e.get("web")
	for i := range 3 {
		n := fmt.Sprintf("data-web-%d", i)
		c, _ := e.pvcs.Get(e.ctx, "default", n)
		if len(c.OwnerReferences) != 1 || c.OwnerReferences[0].UID != set.UID || c.OwnerReferences[0].IsController() {
			t.Errorf("%s owners %v, want a plain reference to the set", n, c.OwnerReferences)
		}
	}

	// Scaled down: the condemned pod's claim references the pod, and goes with it.
	e.update("web", func(s *apps.StatefulSet) { s.Spec.Replicas = new(int32(2)) })
	e.eventually("scaled down, claim collected", func() bool {
		_, err := e.pvcs.Get(e.ctx, "default", "data-web-2")
		return e.settled("web", 0, 2, "") && store.IsNotFound(err)
	})

	// Scaled up again: a fresh claim.
	e.update("web", func(s *apps.StatefulSet) { s.Spec.Replicas = new(int32(3)) })
	e.eventually("scaled up", func() bool { return e.settled("web", 0, 3, "") })

	// Deleted: the pods and the claims go with the set.
	if _, err := e.sets.Delete(e.ctx, "default", "web"); err != nil {
		t.Fatal(err)
	}
	e.eventually("claims collected", func() bool {
		l, err := e.pvcs.List(e.ctx, store.ListOptions{Namespace: "default"})
		return err == nil && len(l.Items) == 0 && len(e.podsOf("web")) == 0
	})
}

// TestRevisionHistoryLimit keeps at most revisionHistoryLimit unused revisions.
func TestRevisionHistoryLimit(t *testing.T) {
	e := startEnv(t, modes[0])
	e.create(newSet("web", 1, func(s *apps.StatefulSet) { s.Spec.RevisionHistoryLimit = new(int32(1)) }))
	for i := 2; i <= 4; i++ {
		img := fmt.Sprintf("nginx:%d.0", i)
		e.update("web", func(s *apps.StatefulSet) { s.Spec.Template.Spec.Containers[0].Image = img })
		e.eventually("rolled out "+img, func() bool { return e.settled("web", 0, 1, e.get("web").Status.UpdateRevision) })
	}
	e.eventually("history truncated", func() bool {
		l, _ := e.revs.List(e.ctx, store.ListOptions{Namespace: "default"})
		return len(l.Items) == 2 // the live revision and one more
	})
}

// TestEvents checks the events recorded on the set, Kubernetes' wording.
func TestEvents(t *testing.T) {
	e := startEnv(t, modes[0])
	e.create(newSet("web", 1))
	e.eventually("1 pod", func() bool { return e.settled("web", 0, 1, "") })
	want := map[string]string{
		"create Pod web-0 in StatefulSet web successful":               "SuccessfulCreate",
		"create Claim data-web-0 Pod web-0 in StatefulSet web success": "SuccessfulCreate",
	}
	events := client.For[*core.Event](e.c)
	e.eventually("events", func() bool {
		l, err := events.List(e.ctx, store.ListOptions{Namespace: "default"})
		if err != nil {
			return false
		}
		found := 0
		for _, ev := range l.Items {
			if ev.InvolvedObject.Kind == "StatefulSet" && ev.InvolvedObject.Name == "web" && want[ev.Message] == ev.Reason {
				found++
			}
		}
		return found == len(want)
	})
}

// TestMinReadySeconds makes each pod wait until its predecessor has been Ready for
// minReadySeconds, and counts pods available only then.
func TestMinReadySeconds(t *testing.T) {
	e := startEnv(t, modes[0])
	e.create(newSet("web", 2, func(s *apps.StatefulSet) { s.Spec.MinReadySeconds = 10 }))
	e.eventually("2 pods available", func() bool { return e.settled("web", 0, 2, "") })
	pods := e.podsOf("web")
	readySince := core.GetPodReadyCondition(&pods["web-0"].Status).LastTransitionTime.Time
	if created := pods["web-1"].CreationTimestamp.Time; created.Sub(readySince) < 10*time.Second {
		t.Errorf("web-1 created %v after web-0 was ready, before minReadySeconds", created.Sub(readySince))
	}
}
