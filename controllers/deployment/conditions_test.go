package deployment_test

import (
	"context"
	"fmt"
	"math"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/store"
)

// conditionLog records, from a watch of one Deployment, every change of its Progressing and
// Available conditions ("Progressing=True/NewReplicaSetCreated", "Progressing=absent"), in
// store order: every status the controller wrote, not samples of them.
type conditionLog struct {
	stop context.CancelFunc
	done chan struct{}

	mu          sync.Mutex // guards progressing, available and seen
	progressing []string
	available   []string
	seen        uint64 // the revision of the last event
}

func watchConditions(t *testing.T, p *plane, name string) *conditionLog {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	w, err := p.deployments.Watch(ctx, store.WatchOptions{Namespace: ns})
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	l := &conditionLog{stop: cancel, done: make(chan struct{})}
	go func() {
		defer close(l.done)
		for ev := range w.ResultChan() {
			if ev.Type != store.Added && ev.Type != store.Modified || ev.Object.Name != name {
				continue
			}
			l.mu.Lock()
			l.seen = ev.Revision
			l.progressing = appendChange(l.progressing, describe(ev.Object, apps.DeploymentProgressing))
			l.available = appendChange(l.available, describe(ev.Object, apps.DeploymentAvailable))
			l.mu.Unlock()
		}
	}()
	t.Cleanup(l.close)
	return l
}

func (l *conditionLog) close() {
	l.stop()
	<-l.done
}

// result waits until the log has seen the Deployment as the store has it now, stops the log
// and returns the changes seen.
func (l *conditionLog) result(p *plane, name string) (progressing, available []string) {
	p.t.Helper()
	rev, err := store.ParseResourceVersion(p.get(name).ResourceVersion)
	if err != nil {
		p.t.Fatal(err)
	}
	p.eventuallyStep("the watch caught up", 0, func() bool {
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.seen >= rev
	})
	l.close()
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.progressing), slices.Clone(l.available)
}

func describe(d *apps.Deployment, t apps.DeploymentConditionType) string {
	c := condition(d, t)
	if c == nil {
		return string(t) + "=absent"
	}
	return fmt.Sprintf("%s=%s/%s", t, c.Status, c.Reason)
}

// appendChange appends s unless it repeats the last entry.
func appendChange(log []string, s string) []string {
	if len(log) > 0 && log[len(log)-1] == s {
		return log
	}
	return append(log, s)
}

// isSubsequence reports whether want appears in got in order, other entries between.
func isSubsequence(want, got []string) bool {
	i := 0
	for _, g := range got {
		if i < len(want) && g == want[i] {
			i++
		}
	}
	return i == len(want)
}

// TestProgressingReasons takes a Deployment through its life — creation, a rollout, pause,
// resume, dropping and restoring the progress deadline — and checks, on every status the
// controller wrote, that the conditions go through Kubernetes' reasons in order: a created
// ReplicaSet, progress, availability; paused and resumed; no condition without a deadline;
// an existing new ReplicaSet found again once it returns.
func TestProgressingReasons(t *testing.T) {
	p := startPlane(t, planeOptions{})
	log := watchConditions(t, p, "web")
	p.create(newDeployment("web", 3, "nginx:1.27")) // 25%/25% of 3: surge 1, unavailable 0
	p.waitComplete("web")
	oldRS := p.replicaSetNames("web")[0]

	p.update("web", setImage("nginx:1.28"))
	p.waitComplete("web")

	p.update("web", func(d *apps.Deployment) { d.Spec.Paused = true })
	p.eventually("paused", func() bool {
		return conditionReason(p.get("web"), apps.DeploymentProgressing) == apps.PausedDeployReason
	})
	p.update("web", func(d *apps.Deployment) { d.Spec.Paused = false })
	p.eventually("resumed and complete again", func() bool {
		return conditionReason(p.get("web"), apps.DeploymentProgressing) == apps.NewRSAvailableReason
	})

	p.update("web", func(d *apps.Deployment) { d.Spec.ProgressDeadlineSeconds = new(int32(math.MaxInt32)) })
	p.eventually("no Progressing condition without a deadline", func() bool {
		return condition(p.get("web"), apps.DeploymentProgressing) == nil
	})
	p.update("web", func(d *apps.Deployment) { d.Spec.ProgressDeadlineSeconds = new(int32(600)) })
	p.eventually("complete with a deadline again", func() bool {
		return conditionReason(p.get("web"), apps.DeploymentProgressing) == apps.NewRSAvailableReason
	})

	progressing, available := log.result(p, "web")
	t.Logf("Progressing: %s", strings.Join(progressing, " → "))
	t.Logf("Available: %s", strings.Join(available, " → "))
	wantProgressing := []string{
		// Creation: a sync may see all three pods available at once, and skip ReplicaSetUpdated.
		"Progressing=True/NewReplicaSetCreated", "Progressing=True/NewReplicaSetAvailable",
		// The rollout takes steps: the new ReplicaSet grows while the old one still runs.
		"Progressing=True/NewReplicaSetCreated", "Progressing=True/ReplicaSetUpdated", "Progressing=True/NewReplicaSetAvailable",
		"Progressing=Unknown/DeploymentPaused", "Progressing=Unknown/DeploymentResumed", "Progressing=True/NewReplicaSetAvailable",
		"Progressing=absent", "Progressing=True/FoundNewReplicaSet", "Progressing=True/NewReplicaSetAvailable",
	}
	if !isSubsequence(wantProgressing, progressing) {
		t.Errorf("Progressing went %v,\nwant in order %v", progressing, wantProgressing)
	}
	for _, c := range progressing {
		if strings.Contains(c, "False") {
			t.Errorf("Progressing was %s in a rollout that never stalled", c)
		}
	}
	// 3 replicas with no unavailability allowed: unavailable until all three are, and never
	// again during the rollout (maxUnavailable 0).
	wantAvailable := []string{"Available=False/MinimumReplicasUnavailable", "Available=True/MinimumReplicasAvailable"}
	if !slices.Equal(available[1:], wantAvailable) {
		t.Errorf("Available went %v, want absent then %v", available, wantAvailable)
	}

	// The old ReplicaSet went down one pod at a time, each step an event like Kubernetes'.
	msgs := p.events("web", "ScalingReplicaSet")
	for _, want := range []string{
		"Scaled down replica set " + oldRS + " to 2 from 3",
		"Scaled down replica set " + oldRS + " to 1 from 2",
		"Scaled down replica set " + oldRS + " to 0 from 1",
	} {
		if !slices.Contains(msgs, want) {
			t.Errorf("no event %q in %q", want, msgs)
		}
	}
}

// replicaSetNames returns the names of the ReplicaSets the named Deployment controls, sorted.
func (p *plane) replicaSetNames(name string) []string {
	p.t.Helper()
	var out []string
	for n := range p.replicaSets(name) {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}
