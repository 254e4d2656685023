package scheduler_test

import (
	"fmt"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/scheduler"
)

// A pod that fits no node gets kube-scheduler's message, counting the nodes per reason.
func ExampleFitError() {
	err := &scheduler.FitError{NumAllNodes: 3, Reasons: map[string]int{
		scheduler.ReasonNodeUnschedulable: 1,
		"Insufficient cpu":                2,
	}}
	fmt.Println(err)
	// Output: 0/3 nodes are available: 1 node(s) were unschedulable, 2 Insufficient cpu.
}

// Plugins are plain values; tests of plugins build NodeInfos with NewNodeInfo.
func ExampleNodeResourcesFit() {
	n := &core.Node{
		ObjectMeta: meta.ObjectMeta{Name: "n1"},
		Status: core.NodeStatus{Allocatable: core.ResourceList{
			core.ResourceCPU:  resource.MustParse("2"),
			core.ResourcePods: resource.MustParse("110"),
		}},
	}
	running := &core.Pod{Spec: core.PodSpec{Containers: []core.Container{{
		Resources: core.ResourceRequirements{Requests: core.ResourceList{core.ResourceCPU: resource.MustParse("1500m")}},
	}}}}
	pending := &core.Pod{Spec: core.PodSpec{Containers: []core.Container{{
		Resources: core.ResourceRequirements{Requests: core.ResourceList{core.ResourceCPU: resource.MustParse("1")}},
	}}}}
	st := scheduler.NodeResourcesFit{}.Filter(scheduler.NewPodInfo(pending), scheduler.NewNodeInfo(n, running))
	fmt.Println(st.Reasons())
	// Output: [Insufficient cpu]
}

// zoneFilter is a custom filter: only nodes of one zone.
type zoneFilter struct{ zone string }

func (zoneFilter) Name() string { return "Zone" }

func (f zoneFilter) Filter(_ *scheduler.PodInfo, n *scheduler.NodeInfo) *scheduler.Status {
	if n.Node().Labels[core.LabelTopologyZone] == f.zone {
		return nil
	}
	return scheduler.Unschedulable("node(s) not in zone " + f.zone)
}

// Options.Plugins replaces the default plugins: here, the defaults plus a filter of one's own.
func ExamplePlugins() {
	plugins := scheduler.DefaultPlugins()
	plugins.Filters = append(plugins.Filters, zoneFilter{zone: "eu-1"})
	opts := scheduler.Options{Plugins: plugins}
	fmt.Println(opts.Validate(), len(opts.Plugins.Filters))
	// Output: <nil> 5
}
