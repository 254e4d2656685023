package core

import "github.com/skiff-dev/skiff/api/meta"

// Node is a worker that runs pods. Its kubelet creates it, keeps Status (capacity, conditions,
// heartbeats) up to date, and runs the pods bound to it. Nodes are cluster-scoped.
type Node struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the node's metadata; the name is usually the hostname.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the node's desired configuration.
	Spec NodeSpec `json:"spec,omitzero"`
	// Status is the node's observed state, reported by its kubelet.
	Status NodeStatus `json:"status,omitzero"`
}

// NodeList is a list of nodes.
type NodeList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the list's metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the nodes.
	Items []Node `json:"items"`
}

// NodeSpec is the desired configuration of a node.
type NodeSpec struct {
	// PodCIDR is the pod IP range assigned to the node.
	PodCIDR string `json:"podCIDR,omitempty"`
	// PodCIDRs are the pod IP ranges, one per IP family; the first equals PodCIDR.
	PodCIDRs []string `json:"podCIDRs,omitempty"`
	// ProviderID is the node's ID in its cloud provider: "<provider>://<id>".
	ProviderID string `json:"providerID,omitempty"`
	// Unschedulable keeps new pods off the node (kubectl cordon).
	Unschedulable bool `json:"unschedulable,omitempty"`
	// Taints repel pods that do not tolerate them.
	Taints []Taint `json:"taints,omitempty"`
	// ConfigSource is deprecated dynamic kubelet configuration; stored only.
	ConfigSource *NodeConfigSource `json:"configSource,omitempty"`
	// DoNotUseExternalID is deprecated; stored only.
	DoNotUseExternalID string `json:"externalID,omitempty"`
}

// Taint marks a node so that pods without a matching toleration are not scheduled there
// (NoSchedule, PreferNoSchedule) or are evicted (NoExecute).
type Taint struct {
	// Key of the taint.
	Key string `json:"key"`
	// Value of the taint.
	Value string `json:"value,omitempty"`
	// Effect on pods that do not tolerate the taint.
	Effect TaintEffect `json:"effect"`
	// TimeAdded is when a NoExecute taint was added.
	TimeAdded *meta.Time `json:"timeAdded,omitempty"`
}

// TaintEffect is what a taint does to pods that do not tolerate it.
type TaintEffect string

// The taint effects.
const (
	// TaintEffectNoSchedule: new pods are not scheduled onto the node.
	TaintEffectNoSchedule TaintEffect = "NoSchedule"
	// TaintEffectPreferNoSchedule: the scheduler avoids the node when it can.
	TaintEffectPreferNoSchedule TaintEffect = "PreferNoSchedule"
	// TaintEffectNoExecute: new pods are not scheduled and running ones are evicted.
	TaintEffectNoExecute TaintEffect = "NoExecute"
)

// NodeConfigSource is deprecated dynamic kubelet configuration.
type NodeConfigSource struct {
	// ConfigMap holding the configuration.
	ConfigMap *ConfigMapNodeConfigSource `json:"configMap,omitempty"`
}

// ConfigMapNodeConfigSource names a config map holding kubelet configuration.
type ConfigMapNodeConfigSource struct {
	// Namespace of the config map.
	Namespace string `json:"namespace"`
	// Name of the config map.
	Name string `json:"name"`
	// UID of the config map.
	UID meta.UID `json:"uid,omitempty"`
	// ResourceVersion of the config map.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// KubeletConfigKey is the key holding the configuration.
	KubeletConfigKey string `json:"kubeletConfigKey"`
}

// NodeStatus is the observed state of a node.
type NodeStatus struct {
	// Capacity is the node's total resources.
	Capacity ResourceList `json:"capacity,omitempty"`
	// Allocatable is what pods may use: capacity minus system reservations. The scheduler
	// fits pods against it.
	Allocatable ResourceList `json:"allocatable,omitempty"`
	// Phase is deprecated and unused.
	Phase NodePhase `json:"phase,omitempty"`
	// Conditions are the node's conditions (Ready, MemoryPressure, ...).
	Conditions []NodeCondition `json:"conditions,omitempty"`
	// Addresses are the node's addresses.
	Addresses []NodeAddress `json:"addresses,omitempty"`
	// DaemonEndpoints are the ports of the node's daemons.
	DaemonEndpoints NodeDaemonEndpoints `json:"daemonEndpoints,omitzero"`
	// NodeInfo describes the node's software.
	NodeInfo NodeSystemInfo `json:"nodeInfo,omitzero"`
	// Images are the container images present on the node.
	Images []ContainerImage `json:"images,omitempty"`
	// VolumesInUse are volumes attached and mounted on the node.
	VolumesInUse []UniqueVolumeName `json:"volumesInUse,omitempty"`
	// VolumesAttached are volumes attached to the node.
	VolumesAttached []AttachedVolume `json:"volumesAttached,omitempty"`
	// Config is the status of deprecated dynamic kubelet configuration.
	Config *NodeConfigStatus `json:"config,omitempty"`
	// RuntimeHandlers are the container runtime handlers available.
	RuntimeHandlers []NodeRuntimeHandler `json:"runtimeHandlers,omitempty"`
	// Features are optional features the node implements.
	Features *NodeFeatures `json:"features,omitempty"`
	// DeclaredFeatures are feature names the node declares.
	DeclaredFeatures []string `json:"declaredFeatures,omitempty"`
}

// NodePhase is deprecated.
type NodePhase string

// The node phases (deprecated).
const (
	NodePending    NodePhase = "Pending"
	NodeRunning    NodePhase = "Running"
	NodeTerminated NodePhase = "Terminated"
)

// NodeConditionType is the type of a node condition.
type NodeConditionType string

// The node condition types.
const (
	// NodeReady: the kubelet is healthy and ready to accept pods. Unknown when the node
	// stopped sending heartbeats.
	NodeReady NodeConditionType = "Ready"
	// NodeMemoryPressure: the node is low on memory.
	NodeMemoryPressure NodeConditionType = "MemoryPressure"
	// NodeDiskPressure: the node is low on disk.
	NodeDiskPressure NodeConditionType = "DiskPressure"
	// NodePIDPressure: the node is low on process IDs.
	NodePIDPressure NodeConditionType = "PIDPressure"
	// NodeNetworkUnavailable: the node's network is not configured.
	NodeNetworkUnavailable NodeConditionType = "NetworkUnavailable"
)

// NodeCondition is one condition of a node.
type NodeCondition struct {
	// Type of the condition.
	Type NodeConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// LastHeartbeatTime is when the kubelet last reported this condition.
	LastHeartbeatTime meta.Time `json:"lastHeartbeatTime,omitzero"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitzero"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable explanation.
	Message string `json:"message,omitempty"`
}

// NodeAddress is one address of a node.
type NodeAddress struct {
	// Type of the address.
	Type NodeAddressType `json:"type"`
	// Address itself.
	Address string `json:"address"`
}

// NodeAddressType is the kind of a node address.
type NodeAddressType string

// The node address types.
const (
	NodeHostName    NodeAddressType = "Hostname"
	NodeInternalIP  NodeAddressType = "InternalIP"
	NodeExternalIP  NodeAddressType = "ExternalIP"
	NodeInternalDNS NodeAddressType = "InternalDNS"
	NodeExternalDNS NodeAddressType = "ExternalDNS"
)

// NodeDaemonEndpoints are the ports of a node's daemons.
type NodeDaemonEndpoints struct {
	// KubeletEndpoint is the kubelet's port.
	KubeletEndpoint DaemonEndpoint `json:"kubeletEndpoint,omitzero"`
}

// DaemonEndpoint is a daemon's port.
type DaemonEndpoint struct {
	// Port number. The JSON name is capitalized, as in Kubernetes.
	Port int32 `json:"Port"`
}

// NodeSystemInfo describes a node's software.
type NodeSystemInfo struct {
	// MachineID is the machine's ID (/etc/machine-id).
	MachineID string `json:"machineID"`
	// SystemUUID is the hardware UUID.
	SystemUUID string `json:"systemUUID"`
	// BootID changes on every boot.
	BootID string `json:"bootID"`
	// KernelVersion is `uname -r`.
	KernelVersion string `json:"kernelVersion"`
	// OSImage is the operating system's pretty name.
	OSImage string `json:"osImage"`
	// ContainerRuntimeVersion is "<runtime>://<version>".
	ContainerRuntimeVersion string `json:"containerRuntimeVersion"`
	// KubeletVersion is the kubelet's version.
	KubeletVersion string `json:"kubeletVersion"`
	// KubeProxyVersion is deprecated.
	KubeProxyVersion string `json:"kubeProxyVersion"`
	// OperatingSystem is GOOS, e.g. "linux".
	OperatingSystem string `json:"operatingSystem"`
	// Architecture is GOARCH, e.g. "amd64".
	Architecture string `json:"architecture"`
	// Swap describes the node's swap memory.
	Swap *NodeSwapStatus `json:"swap,omitempty"`
}

// NodeSwapStatus describes swap memory.
type NodeSwapStatus struct {
	// Capacity of swap in bytes.
	Capacity *int64 `json:"capacity,omitempty"`
}

// ContainerImage is an image present on a node.
type ContainerImage struct {
	// Names are the image's names and digests.
	Names []string `json:"names"`
	// SizeBytes is the image's size.
	SizeBytes int64 `json:"sizeBytes,omitempty"`
}

// UniqueVolumeName identifies an attached volume.
type UniqueVolumeName string

// AttachedVolume is a volume attached to a node.
type AttachedVolume struct {
	// Name of the volume.
	Name UniqueVolumeName `json:"name"`
	// DevicePath where the volume is available.
	DevicePath string `json:"devicePath"`
}

// NodeConfigStatus is the status of deprecated dynamic kubelet configuration.
type NodeConfigStatus struct {
	// Assigned is the configuration the node should use.
	Assigned *NodeConfigSource `json:"assigned,omitempty"`
	// Active is the configuration in use.
	Active *NodeConfigSource `json:"active,omitempty"`
	// LastKnownGood is the fallback configuration.
	LastKnownGood *NodeConfigSource `json:"lastKnownGood,omitempty"`
	// Error describes a configuration problem.
	Error string `json:"error,omitempty"`
}

// NodeRuntimeHandler is a container runtime handler available on a node.
type NodeRuntimeHandler struct {
	// Name of the handler; empty for the default.
	Name string `json:"name"`
	// Features the handler supports.
	Features *NodeRuntimeHandlerFeatures `json:"features,omitempty"`
}

// NodeRuntimeHandlerFeatures are features of a runtime handler.
type NodeRuntimeHandlerFeatures struct {
	// RecursiveReadOnlyMounts is supported.
	RecursiveReadOnlyMounts *bool `json:"recursiveReadOnlyMounts,omitempty"`
	// UserNamespaces are supported.
	UserNamespaces *bool `json:"userNamespaces,omitempty"`
}

// NodeFeatures are optional features a node implements.
type NodeFeatures struct {
	// SupplementalGroupsPolicy is supported.
	SupplementalGroupsPolicy *bool `json:"supplementalGroupsPolicy,omitempty"`
}
