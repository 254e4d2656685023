package core

// APIVersion is the apiVersion of every kind in this package (the core group has no name).
const APIVersion = "v1"

// Well-known node labels, set by the kubelet (or a cloud provider) on every node.
const (
	LabelHostname           = "kubernetes.io/hostname"
	LabelOSStable           = "kubernetes.io/os"
	LabelArchStable         = "kubernetes.io/arch"
	LabelTopologyZone       = "topology.kubernetes.io/zone"
	LabelTopologyRegion     = "topology.kubernetes.io/region"
	LabelInstanceTypeStable = "node.kubernetes.io/instance-type"
	LabelWindowsBuild       = "node.kubernetes.io/windows-build"
	// LabelNodeExcludeBalancers keeps a node out of load balancer target pools.
	LabelNodeExcludeBalancers = "node.kubernetes.io/exclude-from-external-load-balancers"
	// LabelMetadataName is set on every namespace to its own name.
	LabelMetadataName = "kubernetes.io/metadata.name"
)

// Well-known taint keys, added by the node lifecycle controller and the kubelet.
const (
	// TaintNodeNotReady: the node's Ready condition is False.
	TaintNodeNotReady = "node.kubernetes.io/not-ready"
	// TaintNodeUnreachable: the node's Ready condition is Unknown (no heartbeats).
	TaintNodeUnreachable = "node.kubernetes.io/unreachable"
	// TaintNodeUnschedulable: spec.unschedulable is true (cordoned).
	TaintNodeUnschedulable = "node.kubernetes.io/unschedulable"
	// TaintNodeMemoryPressure: the MemoryPressure condition is True.
	TaintNodeMemoryPressure = "node.kubernetes.io/memory-pressure"
	// TaintNodeDiskPressure: the DiskPressure condition is True.
	TaintNodeDiskPressure = "node.kubernetes.io/disk-pressure"
	// TaintNodePIDPressure: the PIDPressure condition is True.
	TaintNodePIDPressure = "node.kubernetes.io/pid-pressure"
	// TaintNodeNetworkUnavailable: the NetworkUnavailable condition is True.
	TaintNodeNetworkUnavailable = "node.kubernetes.io/network-unavailable"
	// TaintNodeOutOfService: an administrator declared the node out of service.
	TaintNodeOutOfService = "node.kubernetes.io/out-of-service"
	// TaintNodeUninitialized: a cloud provider has not initialized the node yet.
	TaintNodeUninitialized = "node.cloudprovider.kubernetes.io/uninitialized"
)

// DefaultNotReadyTolerationSeconds is how long pods tolerate the not-ready and unreachable
// NoExecute taints by default (admission adds these tolerations to every pod).
const DefaultNotReadyTolerationSeconds int64 = 300

// Well-known annotations.
const (
	// MirrorPodAnnotationKey marks a static pod's mirror in the API.
	MirrorPodAnnotationKey = "kubernetes.io/config.mirror"
	// PodDeletionCost ranks pods of a ReplicaSet for deletion on scale-down (lower first).
	PodDeletionCost = "controller.kubernetes.io/pod-deletion-cost"
	// LastAppliedConfigAnnotation holds the manifest of the last client-side apply.
	LastAppliedConfigAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
)
