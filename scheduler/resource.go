package scheduler

import (
	"maps"

	"github.com/skiff-dev/skiff/api/core"
)

// Resource is an amount of every resource as plain integers, so that fitting a pod on a node
// costs a few comparisons and no allocation: CPU in millicores, memory and ephemeral storage
// in bytes, the pod count, and any other resource (extended resources, huge pages) by name
// in Scalar, in whole units.
type Resource struct {
	// MilliCPU is CPU in thousandths of a core.
	MilliCPU int64
	// Memory is memory in bytes.
	Memory int64
	// EphemeralStorage is local ephemeral storage in bytes.
	EphemeralStorage int64
	// AllowedPodNumber is the "pods" resource: how many pods a node may run. Only node
	// allocatable amounts set it.
	AllowedPodNumber int64
	// Scalar holds every other resource, such as "example.com/gpu" or "hugepages-2Mi"; nil
	// when there is none.
	Scalar map[core.ResourceName]int64
}

// NewResource converts a ResourceList.
func NewResource(rl core.ResourceList) Resource {
	var r Resource
	r.Add(rl)
	return r
}

// Add adds every amount of rl to r.
func (r *Resource) Add(rl core.ResourceList) {
	for name, q := range rl {
		switch name {
		case core.ResourceCPU:
			r.MilliCPU += q.MilliValue()
		case core.ResourceMemory:
			r.Memory += q.Value()
		case core.ResourceEphemeralStorage:
			r.EphemeralStorage += q.Value()
		case core.ResourcePods:
			r.AllowedPodNumber += q.Value()
		default:
			if r.Scalar == nil {
				r.Scalar = map[core.ResourceName]int64{}
			}
			r.Scalar[name] += q.Value()
		}
	}
}

// Plus adds o to r.
func (r *Resource) Plus(o *Resource) { r.addScaled(o, 1) }

// Minus subtracts o from r.
func (r *Resource) Minus(o *Resource) { r.addScaled(o, -1) }

func (r *Resource) addScaled(o *Resource, sign int64) {
	r.MilliCPU += sign * o.MilliCPU
	r.Memory += sign * o.Memory
	r.EphemeralStorage += sign * o.EphemeralStorage
	r.AllowedPodNumber += sign * o.AllowedPodNumber
	for name, v := range o.Scalar {
		if r.Scalar == nil {
			r.Scalar = map[core.ResourceName]int64{}
		}
		r.Scalar[name] += sign * v
	}
}

// IsZero reports whether r asks for nothing.
func (r *Resource) IsZero() bool {
	if r.MilliCPU != 0 || r.Memory != 0 || r.EphemeralStorage != 0 || r.AllowedPodNumber != 0 {
		return false
	}
	for _, v := range r.Scalar {
		if v != 0 {
			return false
		}
	}
	return true
}

// Clone returns a copy of r that shares no memory with it.
func (r Resource) Clone() Resource {
	r.Scalar = maps.Clone(r.Scalar)
	return r
}

// Defaults the scheduler assumes, for scoring only, for a container that requests no CPU or
// no memory, so that pods without requests still spread (../shared/spec/pod-lifecycle.md §10).
const (
	// DefaultMilliCPURequest is 100m.
	DefaultMilliCPURequest int64 = 100
	// DefaultMemoryRequest is 200 MiB.
	DefaultMemoryRequest int64 = 200 << 20
)

// nonZeroRequests returns the CPU and memory a pod is counted as using for scoring: its
// effective request computed as core.PodRequests does, except that a container which requests
// no CPU (or memory) counts as DefaultMilliCPURequest (or DefaultMemoryRequest).
func nonZeroRequests(pod *core.Pod) (milliCPU, memory int64) {
	spec := &pod.Spec
	one := func(c *core.Container) (int64, int64) {
		cpu, mem := DefaultMilliCPURequest, DefaultMemoryRequest
		if q, ok := c.Resources.Requests[core.ResourceCPU]; ok {
			cpu = q.MilliValue()
		}
		if q, ok := c.Resources.Requests[core.ResourceMemory]; ok {
			mem = q.Value()
		}
		return cpu, mem
	}
	for i := range spec.Containers {
		c, m := one(&spec.Containers[i])
		milliCPU += c
		memory += m
	}
	var sideCPU, sideMem, peakCPU, peakMem int64
	for i := range spec.InitContainers {
		c, m := one(&spec.InitContainers[i])
		if core.IsRestartableInitContainer(&spec.InitContainers[i]) {
			milliCPU += c
			memory += m
			sideCPU += c
			sideMem += m
			peakCPU, peakMem = max(peakCPU, sideCPU), max(peakMem, sideMem)
			continue
		}
		peakCPU, peakMem = max(peakCPU, c+sideCPU), max(peakMem, m+sideMem)
	}
	milliCPU, memory = max(milliCPU, peakCPU), max(memory, peakMem)
	if r := spec.Resources; r != nil {
		if q, ok := r.Requests[core.ResourceCPU]; ok {
			milliCPU = q.MilliValue()
		}
		if q, ok := r.Requests[core.ResourceMemory]; ok {
			memory = q.Value()
		}
	}
	if q, ok := spec.Overhead[core.ResourceCPU]; ok {
		milliCPU += q.MilliValue()
	}
	if q, ok := spec.Overhead[core.ResourceMemory]; ok {
		memory += q.Value()
	}
	return milliCPU, memory
}
