package kubelet_test

import (
	"context"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/kubelet/sim"
)

// final returns the last version of a pod before it was deleted, and whether it was.
func (e *env) final(name string) (*core.Pod, bool) {
	vs := e.versions(name)
	if len(vs) < 2 || vs[len(vs)-1] != nil {
		return nil, false
	}
	return vs[len(vs)-2], true
}

func preStopSleep(p *core.Pod, seconds int64) *core.Pod {
	p.Spec.Containers[0].Lifecycle = &core.Lifecycle{PreStop: &core.LifecycleHandler{Sleep: &core.SleepAction{Seconds: seconds}}}
	return p
}

func gracePeriod(p *core.Pod, seconds int64) *core.Pod {
	p.Spec.TerminationGracePeriodSeconds = &seconds
	return p
}

// TestTermination deletes a running pod at 5s and checks the kill sequence
// (spec/pod-lifecycle.md §8): preStop, stop signal, SIGKILL at the end of the grace period
// (at least 2 s after the stop signal), the final status, and the pod's removal.
func TestTermination(t *testing.T) {
	const s = time.Second
	tests := []struct {
		name       string
		pod        *core.Pod
		grace      *int64        // for the delete; nil: the pod's
		regrace    *int64        // a second delete at 10s
		gone       time.Duration // when the pod must be gone
		exit       int32         // the container's final exit code
		finalPhase core.PodPhase
	}{{
		name: "stop signal, no preStop",
		pod:  newPod("web", core.RestartPolicyAlways),
		gone: 5 * s, exit: 143, finalPhase: core.PodFailed,
	}, {
		name: "grace period expiry",
		pod:  gracePeriod(newPod("web", core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true"), 30),
		gone: 35 * s, exit: 137, finalPhase: core.PodFailed,
	}, {
		name: "preStop, then the stop signal",
		pod:  preStopSleep(newPod("web", core.RestartPolicyAlways), 10),
		gone: 15 * s, exit: 143, finalPhase: core.PodFailed,
	}, {
		name: "preStop time comes out of the grace period",
		pod:  preStopSleep(gracePeriod(newPod("web", core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true"), 30), 10),
		gone: 35 * s, exit: 137, finalPhase: core.PodFailed,
	}, {
		name: "a preStop longer than the grace period leaves 2s after the stop signal",
		pod:  preStopSleep(gracePeriod(newPod("web", core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true"), 30), 60),
		gone: 37 * s, exit: 137, finalPhase: core.PodFailed,
	}, {
		name:  "delete with a grace period",
		pod:   newPod("web", core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true"),
		grace: new(int64(8)),
		gone:  13 * s, exit: 137, finalPhase: core.PodFailed,
	}, {
		name:    "a second delete shortens the grace period",
		pod:     gracePeriod(newPod("web", core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true"), 30),
		regrace: new(int64(5)),
		gone:    15 * s, exit: 137, finalPhase: core.PodFailed,
	}, {
		name: "a deleted batch pod ends Failed: the stop signal killed it",
		pod:  newPod("job", core.RestartPolicyNever, sim.AnnotationRunFor+"=1h", sim.AnnotationExitCode+"=0"),
		gone: 5 * s, exit: 143, finalPhase: core.PodFailed,
	}}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			e := newEnv(t, sim.Options{})
			e.create(tc.pod)
			e.waitSeen(tc.pod.Name)
			runStages(t, e, tc.pod.Name, []stage{{time.Second, "Running", nil}})
			e.at(5 * s)
			e.delete(tc.pod.Name, tc.grace)
			if tc.gone > 5*s {
				e.waitStatus(tc.pod.Name, "Terminating", nil)
				e.settle()
				if tc.regrace != nil {
					e.at(10 * s)
					e.delete(tc.pod.Name, tc.regrace)
					e.settle()
				}
				e.at(tc.gone - time.Second)
				e.waitStatus(tc.pod.Name, "Terminating", nil)
			}
			e.at(tc.gone)
			e.waitStatus(tc.pod.Name, "<gone>", nil)
			last, ok := e.final(tc.pod.Name)
			if !ok {
				t.Fatal("the pod was not deleted")
			}
			term := last.Status.ContainerStatuses[0].State.Terminated
			if term == nil || term.ExitCode != tc.exit || !term.FinishedAt.Time.Equal(epoch.Add(tc.gone)) {
				t.Errorf("final container state %s, want exit %d at %s", stateString(last.Status.ContainerStatuses[0].State), tc.exit, tc.gone)
			}
			if last.Status.Phase != tc.finalPhase {
				t.Errorf("final phase %s, want %s", last.Status.Phase, tc.finalPhase)
			}
			e.waitRuntimeEmpty()
		})
	}
}

// waitRuntimeEmpty waits until the runtime holds no pod (bounded polling: the runtime has
// no notifications).
func (e *env) waitRuntimeEmpty() {
	e.t.Helper()
	e.settle()
	if n := e.rt.Pods(); n != 0 {
		e.t.Errorf("the runtime still holds %d pods", n)
	}
}

// TestDeleteSpecialCases covers deletions that need no kill sequence.
func TestDeleteSpecialCases(t *testing.T) {
	t.Run("force delete removes the pod and its containers at once", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sim.Options{})
		e.create(newPod("web", core.RestartPolicyAlways, sim.AnnotationIgnoreSIGTERM+"=true"))
		e.waitSeen("web")
		e.at(time.Second)
		e.waitStatus("web", "Running", nil)
		e.delete("web", new(int64(0)))
		e.waitStatus("web", "<gone>", nil)
		e.waitRuntimeEmpty()
	})
	t.Run("a pod that never started ends Failed with ContainerStatusUnknown", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sim.Options{})
		p := newPod("pull", core.RestartPolicyAlways)
		p.Spec.Containers[0].Image = "nginx:doesnotexist"
		e.create(p)
		e.waitStatus("pull", "ErrImagePull", nil)
		e.delete("pull", nil)
		e.waitStatus("pull", "<gone>", nil)
		last, _ := e.final("pull")
		if term := last.Status.ContainerStatuses[0].State.Terminated; term == nil || term.Reason != "ContainerStatusUnknown" || term.ExitCode != 137 ||
			last.Status.Phase != core.PodFailed {
			t.Errorf("final status: %s", describe(last))
		}
	})
	t.Run("a completed pod is removed by the store", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sim.Options{})
		e.create(newPod("job", core.RestartPolicyNever, sim.AnnotationRunFor+"=1s"))
		e.waitSeen("job")
		e.at(2 * time.Second)
		e.waitStatus("job", "Completed", nil)
		e.waitRuntimeEmpty()
		e.delete("job", nil)
		e.waitStatus("job", "<gone>", nil)
		if last, _ := e.final("job"); last.DeletionTimestamp != nil {
			t.Errorf("the completed pod was marked for deletion instead of removed: %s", describe(last))
		}
	})
	t.Run("a pod with a finalizer is deleted once, then left to its finalizer", func(t *testing.T) {
		t.Parallel()
		e := newEnv(t, sim.Options{})
		p := newPod("job", core.RestartPolicyNever, sim.AnnotationRunFor+"=1h")
		p.Finalizers = []string{"batch.kubernetes.io/job-tracking"}
		e.create(p)
		e.waitSeen("job")
		e.at(time.Second)
		e.delete("job", nil)
		got := e.waitPod("job", "terminated, grace 0", func(p *core.Pod) bool {
			return p != nil && p.Status.Phase == core.PodFailed && p.DeletionGracePeriodSeconds != nil && *p.DeletionGracePeriodSeconds == 0
		})
		e.settle()
		before := len(e.versions("job"))
		e.at(time.Minute)
		if after := len(e.versions("job")); after != before {
			t.Errorf("the kubelet kept writing a pod left to its finalizer: %d versions, then %d", before, after)
		}
		got = got.DeepCopy() // versions are shared with the store's watchers
		got.Finalizers = nil
		if _, err := e.pods.Update(context.Background(), got); err != nil {
			t.Fatal(err)
		}
		e.waitStatus("job", "<gone>", nil)
		e.waitRuntimeEmpty()
	})
}
