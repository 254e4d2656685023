package core

import "github.com/skiff-dev/skiff/api/resource"

// ResourceName names a resource such as "cpu", "memory" or an extended resource
// "example.com/gpu".
type ResourceName string

// ResourceList maps resource names to amounts, as in requests, limits, capacity and
// allocatable. Quantities are values, so a ResourceList copied with maps.Clone shares no
// memory worth worrying about.
type ResourceList map[ResourceName]resource.Quantity

// Well-known resource names.
const (
	// ResourceCPU is CPU in cores ("500m" is half a core).
	ResourceCPU ResourceName = "cpu"
	// ResourceMemory is memory in bytes.
	ResourceMemory ResourceName = "memory"
	// ResourceStorage is volume size in bytes.
	ResourceStorage ResourceName = "storage"
	// ResourceEphemeralStorage is local ephemeral storage in bytes.
	ResourceEphemeralStorage ResourceName = "ephemeral-storage"
	// ResourcePods is the number of pods a node can run.
	ResourcePods ResourceName = "pods"
	// ResourceHugePagesPrefix prefixes huge page resources, e.g. "hugepages-2Mi".
	ResourceHugePagesPrefix = "hugepages-"
)

// Cpu returns the CPU amount, zero when absent.
func (rl ResourceList) Cpu() *resource.Quantity { return rl.Name(ResourceCPU, resource.DecimalSI) }

// Memory returns the memory amount, zero when absent.
func (rl ResourceList) Memory() *resource.Quantity {
	return rl.Name(ResourceMemory, resource.BinarySI)
}

// Storage returns the storage amount, zero when absent.
func (rl ResourceList) Storage() *resource.Quantity {
	return rl.Name(ResourceStorage, resource.BinarySI)
}

// Pods returns the pod count, zero when absent.
func (rl ResourceList) Pods() *resource.Quantity { return rl.Name(ResourcePods, resource.DecimalSI) }

// StorageEphemeral returns the ephemeral storage amount, zero when absent.
func (rl ResourceList) StorageEphemeral() *resource.Quantity {
	return rl.Name(ResourceEphemeralStorage, resource.BinarySI)
}

// Name returns a copy of the amount of resource name, or a zero Quantity in format
// defaultFormat when absent. The result is the caller's to modify.
func (rl ResourceList) Name(name ResourceName, defaultFormat resource.Format) *resource.Quantity {
	if q, ok := rl[name]; ok {
		q = q.DeepCopy()
		return &q
	}
	return &resource.Quantity{Format: defaultFormat}
}
