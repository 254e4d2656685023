package core

import (
	"fmt"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/resource"
)

func TestValidatePodUpdate(t *testing.T) {
	const forbidden = "spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\nchanged: "
	tests := []struct {
		name   string
		old    func(*Pod)
		mutate func(*Pod)
		want   []string
	}{
		{"no change", nil, func(*Pod) {}, nil},
		{"labels may change", nil, func(p *Pod) { p.Labels = map[string]string{"a": "b"} }, nil},
		{"image may change", nil, func(p *Pod) { p.Spec.Containers[0].Image = "nginx:1.26" }, nil},
		{"image may not be emptied", nil, func(p *Pod) { p.Spec.Containers[0].Image = "" },
			[]string{"spec.containers[0].image: Required value"}},
		{"name is immutable", nil, func(p *Pod) { p.Name = "other" },
			[]string{`metadata.name: Invalid value: "other": field is immutable`}},
		{"restart policy is immutable", nil, func(p *Pod) { p.Spec.RestartPolicy = RestartPolicyNever },
			[]string{forbidden + "spec.restartPolicy"}},
		{"ports are immutable", nil, func(p *Pod) { p.Spec.Containers[0].Ports[0].ContainerPort = 81 },
			[]string{forbidden + "spec.containers[0].ports[0].containerPort"}},
		{"node name may be set once (binding)", nil, func(p *Pod) { p.Spec.NodeName = "node-1" }, nil},
		{"node name is immutable once set", func(p *Pod) { p.Spec.NodeName = "node-1" }, func(p *Pod) { p.Spec.NodeName = "node-2" },
			[]string{forbidden + "spec.nodeName"}},
		{"adding a container is forbidden", nil, func(p *Pod) {
			p.Spec.Containers = append(p.Spec.Containers, *p.Spec.Containers[0].DeepCopy())
			p.Spec.Containers[1].Name = "b"
			p.Spec.Containers[1].Ports = nil
		}, []string{forbidden + "spec.containers"}},
		{"equal quantities are no change", nil, func(p *Pod) {
			p.Spec.Containers[0].Resources.Limits[ResourceCPU] = resource.MustParse("1000m")
			p.Spec.Containers[0].Resources.Limits[ResourceMemory] = resource.MustParse("1073741824")
		}, nil},
		{"resources are immutable", nil, func(p *Pod) {
			p.Spec.Containers[0].Resources.Limits[ResourceCPU] = resource.MustParse("2")
		}, []string{forbidden + "spec.containers[0].resources.limits[cpu]"}},
		{"deadline may be set", nil, func(p *Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo[int64](60) }, nil},
		{"deadline may be lowered", func(p *Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo[int64](60) },
			func(p *Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo[int64](30) }, nil},
		{"deadline may not be raised", func(p *Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo[int64](60) },
			func(p *Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo[int64](90) },
			[]string{"spec.activeDeadlineSeconds: Invalid value: 90: must be less than or equal to previous value"}},
		{"deadline may not be removed", func(p *Pod) { p.Spec.ActiveDeadlineSeconds = ptrTo[int64](60) },
			func(p *Pod) { p.Spec.ActiveDeadlineSeconds = nil },
			[]string{"spec.activeDeadlineSeconds: Invalid value: null: must not update from a positive integer to nil value"}},
		{"tolerations may be added", nil, func(p *Pod) {
			p.Spec.Tolerations = append(p.Spec.Tolerations, Toleration{Key: "dedicated", Operator: TolerationOpExists, Effect: TaintEffectNoSchedule})
		}, nil},
		{"toleration seconds may change", nil, func(p *Pod) { *p.Spec.Tolerations[0].TolerationSeconds = 60 }, nil},
		{"tolerations may not be removed", nil, func(p *Pod) { p.Spec.Tolerations = p.Spec.Tolerations[1:] },
			[]string{"spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds"}},
		{"scheduling gates may be removed", func(p *Pod) { p.Spec.SchedulingGates = []PodSchedulingGate{{Name: "example.com/a"}} },
			func(p *Pod) { p.Spec.SchedulingGates = nil }, nil},
		{"scheduling gates may not be added", nil, func(p *Pod) { p.Spec.SchedulingGates = []PodSchedulingGate{{Name: "example.com/a"}} },
			[]string{"spec.schedulingGates: Forbidden: only deletion is allowed, but found new scheduling gate 'example.com/a'"}},
		{"gated pods may gain node selectors", func(p *Pod) {
			p.Spec.SchedulingGates = []PodSchedulingGate{{Name: "example.com/a"}}
			p.Spec.NodeSelector = map[string]string{"zone": "a"}
		}, func(p *Pod) { p.Spec.NodeSelector["disk"] = "ssd" }, nil},
		{"gated pods may not change node selectors", func(p *Pod) {
			p.Spec.SchedulingGates = []PodSchedulingGate{{Name: "example.com/a"}}
			p.Spec.NodeSelector = map[string]string{"zone": "a"}
		}, func(p *Pod) { p.Spec.NodeSelector["zone"] = "b" },
			[]string{"spec.nodeSelector: Invalid value: \"\": only additions to spec.nodeSelector are allowed (no mutations or deletions)",
				forbidden + "spec.nodeSelector[zone]"}},
		{"negative grace period may become 1", func(p *Pod) { p.Spec.TerminationGracePeriodSeconds = ptrTo[int64](-1) },
			func(p *Pod) { p.Spec.TerminationGracePeriodSeconds = ptrTo[int64](1) }, nil},
		{"grace period is otherwise immutable", nil, func(p *Pod) { p.Spec.TerminationGracePeriodSeconds = ptrTo[int64](1) },
			[]string{forbidden + "spec.terminationGracePeriodSeconds"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validPod()
			old.ResourceVersion = "1"
			if tt.old != nil {
				tt.old(old)
			}
			p := old.DeepCopy()
			tt.mutate(p)
			checkErrors(t, ValidatePodUpdate(p, old), tt.want)
		})
	}
}

func TestValidatePodStatusUpdate(t *testing.T) {
	tests := []struct {
		name   string
		phase  PodPhase
		mutate func(*Pod)
		want   []string
	}{
		{"running", PodPending, func(p *Pod) {
			p.Status.Phase = PodRunning
			p.Status.PodIP = "10.0.0.5"
			p.Status.PodIPs = []PodIP{{IP: "10.0.0.5"}}
			p.Status.Conditions = []PodCondition{{Type: PodReady, Status: ConditionTrue}}
			p.Status.ContainerStatuses = []ContainerStatus{{Name: "app", Ready: true, State: ContainerState{Running: &ContainerStateRunning{}}}}
		}, nil},
		{"unknown phase", PodPending, func(p *Pod) { p.Status.Phase = "Sleeping" },
			[]string{`status.phase: Unsupported value: "Sleeping": supported values: "Pending", "Running", "Succeeded", "Failed", "Unknown"`}},
		{"terminal phase is final", PodSucceeded, func(p *Pod) { p.Status.Phase = PodRunning },
			[]string{"status.phase: Forbidden: may not change from Succeeded to Running: the pod is terminated"}},
		{"bad statuses", PodPending, func(p *Pod) {
			p.Status.PodIP = "nope"
			p.Status.Conditions = []PodCondition{{Type: "", Status: "Maybe"}}
			p.Status.ContainerStatuses = []ContainerStatus{{Name: "ghost", RestartCount: -1,
				State: ContainerState{Running: &ContainerStateRunning{}, Waiting: &ContainerStateWaiting{}}}}
		}, []string{`status.podIP: Invalid value: "nope": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
			"status.conditions[0].type: Required value",
			`status.conditions[0].status: Unsupported value: "Maybe": supported values: "True", "False", "Unknown"`,
			`status.containerStatuses[0].name: Not found: "ghost"`,
			"status.containerStatuses[0].restartCount: Invalid value: -1: must be greater than or equal to 0",
			`status.containerStatuses[0].state: Invalid value: "": may not have more than one of waiting, running and terminated`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validPod()
			old.Status.Phase = tt.phase
			p := old.DeepCopy()
			tt.mutate(p)
			checkErrors(t, ValidatePodStatusUpdate(p, old), tt.want)
		})
	}
}

func TestPodUpdateDiffIsBounded(t *testing.T) {
	old := validPod()
	p := old.DeepCopy()
	for i := range 50 {
		p.Spec.Containers[0].Env = append(p.Spec.Containers[0].Env, EnvVar{Name: fmt.Sprintf("V%d", i)})
	}
	p.Spec.RestartPolicy = RestartPolicyNever
	p.Spec.Hostname = "h"
	errs := ValidatePodUpdate(p, old)
	if len(errs) != 1 || !strings.Contains(errs[0].Detail, "changed: spec.containers[0].env, spec.restartPolicy, spec.hostname") {
		t.Fatalf("got %v", errs)
	}
}
