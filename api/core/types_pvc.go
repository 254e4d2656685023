package core

import "github.com/skiff-dev/skiff/api/meta"

// PersistentVolumeClaim is a request for storage, bound to a PersistentVolume. StatefulSets
// create one per replica from their volumeClaimTemplates.
type PersistentVolumeClaim struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the claim's metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the storage requested.
	Spec PersistentVolumeClaimSpec `json:"spec,omitzero"`
	// Status is the claim's observed state.
	Status PersistentVolumeClaimStatus `json:"status,omitzero"`
}

// PersistentVolumeClaimList is a list of claims.
type PersistentVolumeClaimList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the list's metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the claims.
	Items []PersistentVolumeClaim `json:"items"`
}

// PersistentVolumeClaimSpec is the storage a claim asks for. It is immutable after creation
// except for growing resources.requests and the volume attributes class.
type PersistentVolumeClaimSpec struct {
	// AccessModes the volume must support; at least one.
	AccessModes []PersistentVolumeAccessMode `json:"accessModes,omitempty"`
	// Selector restricts the volumes the claim may bind to.
	Selector *meta.LabelSelector `json:"selector,omitempty"`
	// Resources hold the requested storage size.
	Resources VolumeResourceRequirements `json:"resources,omitzero"`
	// VolumeName binds the claim to one PersistentVolume.
	VolumeName string `json:"volumeName,omitempty"`
	// StorageClassName is the class of storage; nil means the default class, "" none.
	StorageClassName *string `json:"storageClassName,omitempty"`
	// VolumeMode is Filesystem (default) or Block.
	VolumeMode *PersistentVolumeMode `json:"volumeMode,omitempty"`
	// DataSource populates the volume from a snapshot or another claim.
	DataSource *TypedLocalObjectReference `json:"dataSource,omitempty"`
	// DataSourceRef populates the volume from any populator object.
	DataSourceRef *TypedObjectReference `json:"dataSourceRef,omitempty"`
	// VolumeAttributesClassName names a VolumeAttributesClass.
	VolumeAttributesClassName *string `json:"volumeAttributesClassName,omitempty"`
}

// PersistentVolumeAccessMode is how a volume can be mounted.
type PersistentVolumeAccessMode string

// The access modes.
const (
	// ReadWriteOnce: read-write by one node.
	ReadWriteOnce PersistentVolumeAccessMode = "ReadWriteOnce"
	// ReadOnlyMany: read-only by many nodes.
	ReadOnlyMany PersistentVolumeAccessMode = "ReadOnlyMany"
	// ReadWriteMany: read-write by many nodes.
	ReadWriteMany PersistentVolumeAccessMode = "ReadWriteMany"
	// ReadWriteOncePod: read-write by one pod.
	ReadWriteOncePod PersistentVolumeAccessMode = "ReadWriteOncePod"
)

// PersistentVolumeMode is how a volume is presented.
type PersistentVolumeMode string

// The volume modes.
const (
	// PersistentVolumeBlock: a raw block device.
	PersistentVolumeBlock PersistentVolumeMode = "Block"
	// PersistentVolumeFilesystem: a mounted filesystem.
	PersistentVolumeFilesystem PersistentVolumeMode = "Filesystem"
)

// VolumeResourceRequirements are the storage requests and limits of a claim.
type VolumeResourceRequirements struct {
	// Limits cap the volume's size.
	Limits ResourceList `json:"limits,omitempty"`
	// Requests hold the minimum size under "storage".
	Requests ResourceList `json:"requests,omitempty"`
}

// PersistentVolumeClaimStatus is the observed state of a claim.
type PersistentVolumeClaimStatus struct {
	// Phase is Pending, Bound or Lost.
	Phase PersistentVolumeClaimPhase `json:"phase,omitempty"`
	// AccessModes the bound volume has.
	AccessModes []PersistentVolumeAccessMode `json:"accessModes,omitempty"`
	// Capacity of the bound volume.
	Capacity ResourceList `json:"capacity,omitempty"`
	// Conditions report resizing and modification.
	Conditions []PersistentVolumeClaimCondition `json:"conditions,omitempty"`
	// AllocatedResources are what the storage system allocated.
	AllocatedResources ResourceList `json:"allocatedResources,omitempty"`
	// AllocatedResourceStatuses report the progress of resizes.
	AllocatedResourceStatuses map[ResourceName]ClaimResourceStatus `json:"allocatedResourceStatuses,omitempty"`
	// CurrentVolumeAttributesClassName is the class applied now.
	CurrentVolumeAttributesClassName *string `json:"currentVolumeAttributesClassName,omitempty"`
	// ModifyVolumeStatus reports a volume attributes class change.
	ModifyVolumeStatus *ModifyVolumeStatus `json:"modifyVolumeStatus,omitempty"`
}

// PersistentVolumeClaimPhase is the phase of a claim.
type PersistentVolumeClaimPhase string

// The claim phases.
const (
	// ClaimPending: not yet bound.
	ClaimPending PersistentVolumeClaimPhase = "Pending"
	// ClaimBound: bound to a volume.
	ClaimBound PersistentVolumeClaimPhase = "Bound"
	// ClaimLost: the bound volume disappeared.
	ClaimLost PersistentVolumeClaimPhase = "Lost"
)

// PersistentVolumeClaimConditionType is the type of a claim condition.
type PersistentVolumeClaimConditionType string

// The claim condition types.
const (
	PersistentVolumeClaimResizing                PersistentVolumeClaimConditionType = "Resizing"
	PersistentVolumeClaimFileSystemResizePending PersistentVolumeClaimConditionType = "FileSystemResizePending"
	PersistentVolumeClaimControllerResizeError   PersistentVolumeClaimConditionType = "ControllerResizeError"
	PersistentVolumeClaimNodeResizeError         PersistentVolumeClaimConditionType = "NodeResizeError"
	PersistentVolumeClaimVolumeModifyVolumeError PersistentVolumeClaimConditionType = "ModifyVolumeError"
	PersistentVolumeClaimVolumeModifyingVolume   PersistentVolumeClaimConditionType = "ModifyingVolume"
)

// PersistentVolumeClaimCondition is one condition of a claim.
type PersistentVolumeClaimCondition struct {
	// Type of the condition.
	Type PersistentVolumeClaimConditionType `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// LastProbeTime is when the condition was last probed.
	LastProbeTime meta.Time `json:"lastProbeTime,omitzero"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime meta.Time `json:"lastTransitionTime,omitzero"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable explanation.
	Message string `json:"message,omitempty"`
}

// ClaimResourceStatus is the progress of a claim resize.
type ClaimResourceStatus string

// The resize states.
const (
	PersistentVolumeClaimControllerResizeInProgress ClaimResourceStatus = "ControllerResizeInProgress"
	PersistentVolumeClaimControllerResizeInfeasible ClaimResourceStatus = "ControllerResizeInfeasible"
	PersistentVolumeClaimNodeResizePending          ClaimResourceStatus = "NodeResizePending"
	PersistentVolumeClaimNodeResizeInProgress       ClaimResourceStatus = "NodeResizeInProgress"
	PersistentVolumeClaimNodeResizeInfeasible       ClaimResourceStatus = "NodeResizeInfeasible"
)

// ModifyVolumeStatus reports a volume attributes class change.
type ModifyVolumeStatus struct {
	// TargetVolumeAttributesClassName is the class being applied.
	TargetVolumeAttributesClassName string `json:"targetVolumeAttributesClassName,omitempty"`
	// Status is Pending, InProgress or Infeasible.
	Status PersistentVolumeClaimModifyVolumeStatus `json:"status"`
}

// PersistentVolumeClaimModifyVolumeStatus is the state of a modification.
type PersistentVolumeClaimModifyVolumeStatus string

// The modification states.
const (
	PersistentVolumeClaimModifyVolumePending    PersistentVolumeClaimModifyVolumeStatus = "Pending"
	PersistentVolumeClaimModifyVolumeInProgress PersistentVolumeClaimModifyVolumeStatus = "InProgress"
	PersistentVolumeClaimModifyVolumeInfeasible PersistentVolumeClaimModifyVolumeStatus = "Infeasible"
)
