package core

// This file holds the in-tree network and cloud volume sources. Kubernetes has deprecated most
// of them in favour of CSI drivers; skiff stores them unchanged so that older manifests decode.

// GCEPersistentDiskVolumeSource is a Google Compute Engine persistent disk.
type GCEPersistentDiskVolumeSource struct {
	// PDName is the disk's name in GCE.
	PDName string `json:"pdName"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// Partition to mount; 0 mounts the whole disk.
	Partition int32 `json:"partition,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// AWSElasticBlockStoreVolumeSource is an AWS EBS volume.
type AWSElasticBlockStoreVolumeSource struct {
	// VolumeID is the EBS volume ID.
	VolumeID string `json:"volumeID"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// Partition to mount; 0 mounts the whole volume.
	Partition int32 `json:"partition,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// GitRepoVolumeSource is a git repository cloned into an empty directory.
type GitRepoVolumeSource struct {
	// Repository URL.
	Repository string `json:"repository"`
	// Revision to check out.
	Revision string `json:"revision,omitempty"`
	// Directory to clone into, relative to the volume root.
	Directory string `json:"directory,omitempty"`
}

// ISCSIVolumeSource is an iSCSI disk.
type ISCSIVolumeSource struct {
	// TargetPortal is "ip:port" of the target.
	TargetPortal string `json:"targetPortal"`
	// IQN is the target's iSCSI qualified name.
	IQN string `json:"iqn"`
	// Lun is the target's logical unit number.
	Lun int32 `json:"lun"`
	// ISCSIInterface is the iSCSI transport; defaults to "default".
	ISCSIInterface string `json:"iscsiInterface,omitempty"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// Portals are additional target portals.
	Portals []string `json:"portals,omitempty"`
	// DiscoveryCHAPAuth enables CHAP authentication for discovery.
	DiscoveryCHAPAuth bool `json:"chapAuthDiscovery,omitempty"`
	// SessionCHAPAuth enables CHAP authentication for sessions.
	SessionCHAPAuth bool `json:"chapAuthSession,omitempty"`
	// SecretRef names the CHAP secret.
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// InitiatorName is a custom initiator name.
	InitiatorName *string `json:"initiatorName,omitempty"`
}

// GlusterfsVolumeSource is a GlusterFS volume.
type GlusterfsVolumeSource struct {
	// EndpointsName names the Endpoints object with the cluster's addresses.
	EndpointsName string `json:"endpoints"`
	// Path is the Glusterfs volume name.
	Path string `json:"path"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// RBDVolumeSource is a Ceph RADOS block device.
type RBDVolumeSource struct {
	// CephMonitors are the Ceph monitor addresses.
	CephMonitors []string `json:"monitors"`
	// RBDImage is the image name.
	RBDImage string `json:"image"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// RBDPool is the pool; defaults to "rbd".
	RBDPool string `json:"pool,omitempty"`
	// RadosUser is the RADOS user; defaults to "admin".
	RadosUser string `json:"user,omitempty"`
	// Keyring is the keyring path; defaults to /etc/ceph/keyring.
	Keyring string `json:"keyring,omitempty"`
	// SecretRef names the authentication secret, overriding Keyring.
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// FlexVolumeSource is a volume mounted by an exec-based flex driver.
type FlexVolumeSource struct {
	// Driver is the driver name.
	Driver string `json:"driver"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// SecretRef names a secret passed to the driver.
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// Options are passed to the driver.
	Options map[string]string `json:"options,omitempty"`
}

// CinderVolumeSource is an OpenStack Cinder volume.
type CinderVolumeSource struct {
	// VolumeID identifies the volume in Cinder.
	VolumeID string `json:"volumeID"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// SecretRef names the secret with OpenStack credentials.
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
}

// CephFSVolumeSource is a Ceph filesystem mount.
type CephFSVolumeSource struct {
	// Monitors are the Ceph monitor addresses.
	Monitors []string `json:"monitors"`
	// Path is the mounted root; defaults to "/".
	Path string `json:"path,omitempty"`
	// User is the RADOS user; defaults to "admin".
	User string `json:"user,omitempty"`
	// SecretFile is the keyring path; defaults to /etc/ceph/user.secret.
	SecretFile string `json:"secretFile,omitempty"`
	// SecretRef names the authentication secret, overriding SecretFile.
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// FlockerVolumeSource is a Flocker dataset; exactly one field is set.
type FlockerVolumeSource struct {
	// DatasetName is the dataset's name metadata.
	DatasetName string `json:"datasetName,omitempty"`
	// DatasetUUID is the dataset's UUID.
	DatasetUUID string `json:"datasetUUID,omitempty"`
}

// FCVolumeSource is a Fibre Channel disk.
type FCVolumeSource struct {
	// TargetWWNs are the target world wide names.
	TargetWWNs []string `json:"targetWWNs,omitempty"`
	// Lun is the target's logical unit number.
	Lun *int32 `json:"lun,omitempty"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// WWIDs are volume world wide identifiers, exclusive with TargetWWNs and Lun.
	WWIDs []string `json:"wwids,omitempty"`
}

// AzureFileVolumeSource is an Azure File share.
type AzureFileVolumeSource struct {
	// SecretName names the secret with the storage account name and key.
	SecretName string `json:"secretName"`
	// ShareName is the share.
	ShareName string `json:"shareName"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// VsphereVirtualDiskVolumeSource is a vSphere virtual disk.
type VsphereVirtualDiskVolumeSource struct {
	// VolumePath is the path of the vmdk.
	VolumePath string `json:"volumePath"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// StoragePolicyName is the storage policy-based management profile name.
	StoragePolicyName string `json:"storagePolicyName,omitempty"`
	// StoragePolicyID is the storage policy-based management profile ID.
	StoragePolicyID string `json:"storagePolicyID,omitempty"`
}

// QuobyteVolumeSource is a Quobyte volume.
type QuobyteVolumeSource struct {
	// Registry is "host:port" of one or more Quobyte registries.
	Registry string `json:"registry"`
	// Volume is the volume name.
	Volume string `json:"volume"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// User the volume is accessed as.
	User string `json:"user,omitempty"`
	// Group the volume is accessed as.
	Group string `json:"group,omitempty"`
	// Tenant owning the volume.
	Tenant string `json:"tenant,omitempty"`
}

// AzureDiskVolumeSource is an Azure data disk.
type AzureDiskVolumeSource struct {
	// DiskName is the data disk's name in blob storage.
	DiskName string `json:"diskName"`
	// DataDiskURI is the disk's URI.
	DataDiskURI string `json:"diskURI"`
	// CachingMode is None, ReadOnly or ReadWrite.
	CachingMode *AzureDataDiskCachingMode `json:"cachingMode,omitempty"`
	// FSType is the filesystem type.
	FSType *string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly *bool `json:"readOnly,omitempty"`
	// Kind is Shared, Dedicated or Managed.
	Kind *AzureDataDiskKind `json:"kind,omitempty"`
}

// AzureDataDiskCachingMode is the host caching mode of an Azure disk.
type AzureDataDiskCachingMode string

// The Azure disk caching modes.
const (
	AzureDataDiskCachingNone      AzureDataDiskCachingMode = "None"
	AzureDataDiskCachingReadOnly  AzureDataDiskCachingMode = "ReadOnly"
	AzureDataDiskCachingReadWrite AzureDataDiskCachingMode = "ReadWrite"
)

// AzureDataDiskKind is the kind of an Azure disk.
type AzureDataDiskKind string

// The Azure disk kinds.
const (
	AzureSharedBlobDisk    AzureDataDiskKind = "Shared"
	AzureDedicatedBlobDisk AzureDataDiskKind = "Dedicated"
	AzureManagedDisk       AzureDataDiskKind = "Managed"
)

// PhotonPersistentDiskVolumeSource is a Photon Controller disk.
type PhotonPersistentDiskVolumeSource struct {
	// PdID is the disk's ID.
	PdID string `json:"pdID"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
}

// PortworxVolumeSource is a Portworx volume.
type PortworxVolumeSource struct {
	// VolumeID identifies the volume.
	VolumeID string `json:"volumeID"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// ScaleIOVolumeSource is a ScaleIO volume.
type ScaleIOVolumeSource struct {
	// Gateway is the ScaleIO API gateway's address.
	Gateway string `json:"gateway"`
	// System is the storage system's name.
	System string `json:"system"`
	// SecretRef names the secret with ScaleIO credentials.
	SecretRef *LocalObjectReference `json:"secretRef"`
	// SSLEnabled turns on SSL to the gateway.
	SSLEnabled bool `json:"sslEnabled,omitempty"`
	// ProtectionDomain is the protection domain of the storage.
	ProtectionDomain string `json:"protectionDomain,omitempty"`
	// StoragePool is the storage pool.
	StoragePool string `json:"storagePool,omitempty"`
	// StorageMode is ThickProvisioned or ThinProvisioned.
	StorageMode string `json:"storageMode,omitempty"`
	// VolumeName is an existing volume's name.
	VolumeName string `json:"volumeName,omitempty"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// StorageOSVolumeSource is a StorageOS volume.
type StorageOSVolumeSource struct {
	// VolumeName is the volume's name within its namespace.
	VolumeName string `json:"volumeName,omitempty"`
	// VolumeNamespace is the StorageOS namespace; defaults to the pod's.
	VolumeNamespace string `json:"volumeNamespace,omitempty"`
	// FSType is the filesystem type.
	FSType string `json:"fsType,omitempty"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// SecretRef names the secret with StorageOS credentials.
	SecretRef *LocalObjectReference `json:"secretRef,omitempty"`
}
