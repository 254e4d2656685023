package core

import (
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

// Volume is a named volume of a pod that containers can mount. Exactly one source is set.
type Volume struct {
	// Name is a DNS label unique within the pod.
	Name string `json:"name"`
	// VolumeSource is where the volume's data comes from.
	VolumeSource `json:",inline"`
}

// VolumeSource is where a volume's data comes from; exactly one field is set. skiff's
// simulated nodes act on none of them, but all are stored and returned unchanged. The in-tree
// cloud and network sources Kubernetes deprecated are in types_volume_legacy.go.
type VolumeSource struct {
	// HostPath mounts a file or directory of the node.
	HostPath *HostPathVolumeSource `json:"hostPath,omitempty"`
	// EmptyDir is a scratch directory that lives as long as the pod.
	EmptyDir *EmptyDirVolumeSource `json:"emptyDir,omitempty"`
	// GCEPersistentDisk is a GCE disk (deprecated).
	GCEPersistentDisk *GCEPersistentDiskVolumeSource `json:"gcePersistentDisk,omitempty"`
	// AWSElasticBlockStore is an AWS EBS volume (deprecated).
	AWSElasticBlockStore *AWSElasticBlockStoreVolumeSource `json:"awsElasticBlockStore,omitempty"`
	// GitRepo clones a git repository (deprecated).
	GitRepo *GitRepoVolumeSource `json:"gitRepo,omitempty"`
	// Secret projects the keys of a secret as files.
	Secret *SecretVolumeSource `json:"secret,omitempty"`
	// NFS mounts an NFS share.
	NFS *NFSVolumeSource `json:"nfs,omitempty"`
	// ISCSI mounts an iSCSI disk.
	ISCSI *ISCSIVolumeSource `json:"iscsi,omitempty"`
	// Glusterfs mounts a GlusterFS volume (deprecated).
	Glusterfs *GlusterfsVolumeSource `json:"glusterfs,omitempty"`
	// PersistentVolumeClaim mounts the volume bound to a claim.
	PersistentVolumeClaim *PersistentVolumeClaimVolumeSource `json:"persistentVolumeClaim,omitempty"`
	// RBD mounts a Ceph block device (deprecated).
	RBD *RBDVolumeSource `json:"rbd,omitempty"`
	// FlexVolume mounts through a flex driver (deprecated).
	FlexVolume *FlexVolumeSource `json:"flexVolume,omitempty"`
	// Cinder mounts an OpenStack Cinder volume (deprecated).
	Cinder *CinderVolumeSource `json:"cinder,omitempty"`
	// CephFS mounts a Ceph filesystem (deprecated).
	CephFS *CephFSVolumeSource `json:"cephfs,omitempty"`
	// Flocker mounts a Flocker dataset (deprecated).
	Flocker *FlockerVolumeSource `json:"flocker,omitempty"`
	// DownwardAPI projects pod fields as files.
	DownwardAPI *DownwardAPIVolumeSource `json:"downwardAPI,omitempty"`
	// FC mounts a Fibre Channel disk.
	FC *FCVolumeSource `json:"fc,omitempty"`
	// AzureFile mounts an Azure File share (deprecated).
	AzureFile *AzureFileVolumeSource `json:"azureFile,omitempty"`
	// ConfigMap projects the keys of a config map as files.
	ConfigMap *ConfigMapVolumeSource `json:"configMap,omitempty"`
	// VsphereVolume mounts a vSphere disk (deprecated).
	VsphereVolume *VsphereVirtualDiskVolumeSource `json:"vsphereVolume,omitempty"`
	// Quobyte mounts a Quobyte volume (deprecated).
	Quobyte *QuobyteVolumeSource `json:"quobyte,omitempty"`
	// AzureDisk mounts an Azure data disk (deprecated).
	AzureDisk *AzureDiskVolumeSource `json:"azureDisk,omitempty"`
	// PhotonPersistentDisk mounts a Photon disk (deprecated).
	PhotonPersistentDisk *PhotonPersistentDiskVolumeSource `json:"photonPersistentDisk,omitempty"`
	// Projected combines secrets, config maps, downward API and tokens in one directory.
	Projected *ProjectedVolumeSource `json:"projected,omitempty"`
	// PortworxVolume mounts a Portworx volume (deprecated).
	PortworxVolume *PortworxVolumeSource `json:"portworxVolume,omitempty"`
	// ScaleIO mounts a ScaleIO volume (deprecated).
	ScaleIO *ScaleIOVolumeSource `json:"scaleIO,omitempty"`
	// StorageOS mounts a StorageOS volume (deprecated).
	StorageOS *StorageOSVolumeSource `json:"storageos,omitempty"`
	// CSI mounts an ephemeral volume provided by a CSI driver.
	CSI *CSIVolumeSource `json:"csi,omitempty"`
	// Ephemeral creates a claim for the pod from a template and deletes it with the pod.
	Ephemeral *EphemeralVolumeSource `json:"ephemeral,omitempty"`
	// Image mounts the contents of an OCI image or artifact.
	Image *ImageVolumeSource `json:"image,omitempty"`
}

// HostPathVolumeSource is a path on the node.
type HostPathVolumeSource struct {
	// Path on the node.
	Path string `json:"path"`
	// Type checks what must exist at Path.
	Type *HostPathType `json:"type,omitempty"`
}

// HostPathType says what must exist at a host path.
type HostPathType string

// The host path types.
const (
	HostPathUnset             HostPathType = ""
	HostPathDirectoryOrCreate HostPathType = "DirectoryOrCreate"
	HostPathDirectory         HostPathType = "Directory"
	HostPathFileOrCreate      HostPathType = "FileOrCreate"
	HostPathFile              HostPathType = "File"
	HostPathSocket            HostPathType = "Socket"
	HostPathCharDev           HostPathType = "CharDevice"
	HostPathBlockDev          HostPathType = "BlockDevice"
)

// EmptyDirVolumeSource is a scratch directory.
type EmptyDirVolumeSource struct {
	// Medium is "" (node default storage) or "Memory" (tmpfs).
	Medium StorageMedium `json:"medium,omitempty"`
	// SizeLimit caps the directory's size.
	SizeLimit *resource.Quantity `json:"sizeLimit,omitempty"`
}

// StorageMedium is the backing medium of an emptyDir.
type StorageMedium string

// The storage media.
const (
	StorageMediumDefault   StorageMedium = ""
	StorageMediumMemory    StorageMedium = "Memory"
	StorageMediumHugePages StorageMedium = "HugePages"
)

// SecretVolumeSource projects a secret's keys as files.
type SecretVolumeSource struct {
	// SecretName is the secret in the pod's namespace.
	SecretName string `json:"secretName,omitempty"`
	// Items select keys and their file paths; empty projects every key under its own name.
	Items []KeyToPath `json:"items,omitempty"`
	// DefaultMode is the permission bits of the files (0-0777). Defaults to 0644.
	DefaultMode *int32 `json:"defaultMode,omitempty"`
	// Optional lets the pod start when the secret or a key is missing.
	Optional *bool `json:"optional,omitempty"`
}

// ConfigMapVolumeSource projects a config map's keys as files.
type ConfigMapVolumeSource struct {
	// LocalObjectReference names the config map.
	LocalObjectReference `json:",inline"`
	// Items select keys and their file paths; empty projects every key under its own name.
	Items []KeyToPath `json:"items,omitempty"`
	// DefaultMode is the permission bits of the files (0-0777). Defaults to 0644.
	DefaultMode *int32 `json:"defaultMode,omitempty"`
	// Optional lets the pod start when the config map or a key is missing.
	Optional *bool `json:"optional,omitempty"`
}

// KeyToPath maps one key to a file path.
type KeyToPath struct {
	// Key to project.
	Key string `json:"key"`
	// Path is the relative file path; it may not contain "..".
	Path string `json:"path"`
	// Mode is the permission bits of this file.
	Mode *int32 `json:"mode,omitempty"`
}

// PersistentVolumeClaimVolumeSource mounts the volume bound to a claim.
type PersistentVolumeClaimVolumeSource struct {
	// ClaimName is the claim in the pod's namespace.
	ClaimName string `json:"claimName"`
	// ReadOnly forces a read-only mount.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// ProjectedVolumeSource combines several sources in one directory.
type ProjectedVolumeSource struct {
	// Sources are the projections.
	Sources []VolumeProjection `json:"sources"`
	// DefaultMode is the permission bits of the files. Defaults to 0644.
	DefaultMode *int32 `json:"defaultMode,omitempty"`
}

// VolumeProjection is one source of a projected volume; exactly one field is set.
type VolumeProjection struct {
	// Secret projects a secret's keys.
	Secret *SecretProjection `json:"secret,omitempty"`
	// DownwardAPI projects pod fields.
	DownwardAPI *DownwardAPIProjection `json:"downwardAPI,omitempty"`
	// ConfigMap projects a config map's keys.
	ConfigMap *ConfigMapProjection `json:"configMap,omitempty"`
	// ServiceAccountToken projects a bound service account token.
	ServiceAccountToken *ServiceAccountTokenProjection `json:"serviceAccountToken,omitempty"`
	// ClusterTrustBundle projects certificates of ClusterTrustBundle objects.
	ClusterTrustBundle *ClusterTrustBundleProjection `json:"clusterTrustBundle,omitempty"`
	// PodCertificate projects a key and a certificate issued for the pod.
	PodCertificate *PodCertificateProjection `json:"podCertificate,omitempty"`
}

// SecretProjection projects a secret's keys into a projected volume.
type SecretProjection struct {
	// LocalObjectReference names the secret.
	LocalObjectReference `json:",inline"`
	// Items select keys and their paths.
	Items []KeyToPath `json:"items,omitempty"`
	// Optional lets the pod start when the secret or a key is missing.
	Optional *bool `json:"optional,omitempty"`
}

// ConfigMapProjection projects a config map's keys into a projected volume.
type ConfigMapProjection struct {
	// LocalObjectReference names the config map.
	LocalObjectReference `json:",inline"`
	// Items select keys and their paths.
	Items []KeyToPath `json:"items,omitempty"`
	// Optional lets the pod start when the config map or a key is missing.
	Optional *bool `json:"optional,omitempty"`
}

// DownwardAPIProjection projects pod fields into a projected volume.
type DownwardAPIProjection struct {
	// Items are the files.
	Items []DownwardAPIVolumeFile `json:"items,omitempty"`
}

// ServiceAccountTokenProjection projects a service account token.
type ServiceAccountTokenProjection struct {
	// Audience of the token; defaults to the API server's.
	Audience string `json:"audience,omitempty"`
	// ExpirationSeconds is the requested token lifetime. Defaults to 3600.
	ExpirationSeconds *int64 `json:"expirationSeconds,omitempty"`
	// Path of the token file.
	Path string `json:"path"`
}

// ClusterTrustBundleProjection projects trust anchors from ClusterTrustBundle objects.
type ClusterTrustBundleProjection struct {
	// Name selects one bundle by name; exclusive with SignerName and LabelSelector.
	Name *string `json:"name,omitempty"`
	// SignerName selects bundles of one signer.
	SignerName *string `json:"signerName,omitempty"`
	// LabelSelector narrows the bundles of SignerName.
	LabelSelector *meta.LabelSelector `json:"labelSelector,omitempty"`
	// Optional lets the pod start when no bundle is found.
	Optional *bool `json:"optional,omitempty"`
	// Path of the file.
	Path string `json:"path"`
}

// PodCertificateProjection projects a private key and a certificate issued to the pod.
type PodCertificateProjection struct {
	// SignerName is the signer that issues the certificate.
	SignerName string `json:"signerName,omitempty"`
	// KeyType is the private key type, e.g. "ECDSAP256" or "ED25519".
	KeyType string `json:"keyType,omitempty"`
	// MaxExpirationSeconds caps the certificate's lifetime.
	MaxExpirationSeconds *int32 `json:"maxExpirationSeconds,omitempty"`
	// CredentialBundlePath is the file holding key and chain together.
	CredentialBundlePath string `json:"credentialBundlePath,omitempty"`
	// KeyPath is the file holding the key alone.
	KeyPath string `json:"keyPath,omitempty"`
	// CertificateChainPath is the file holding the chain alone.
	CertificateChainPath string `json:"certificateChainPath,omitempty"`
	// UserAnnotations are passed to the signer.
	UserAnnotations map[string]string `json:"userAnnotations,omitempty"`
}

// DownwardAPIVolumeSource projects pod fields as files.
type DownwardAPIVolumeSource struct {
	// Items are the files.
	Items []DownwardAPIVolumeFile `json:"items,omitempty"`
	// DefaultMode is the permission bits of the files. Defaults to 0644.
	DefaultMode *int32 `json:"defaultMode,omitempty"`
}

// DownwardAPIVolumeFile is one file of pod information; exactly one of FieldRef and
// ResourceFieldRef is set.
type DownwardAPIVolumeFile struct {
	// Path is the relative file path.
	Path string `json:"path"`
	// FieldRef selects a pod field (metadata only).
	FieldRef *ObjectFieldSelector `json:"fieldRef,omitempty"`
	// ResourceFieldRef selects a container resource.
	ResourceFieldRef *ResourceFieldSelector `json:"resourceFieldRef,omitempty"`
	// Mode is the permission bits of this file.
	Mode *int32 `json:"mode,omitempty"`
}

// CSIVolumeSource is an inline ephemeral volume from a CSI driver.
type CSIVolumeSource struct {
	// Driver is the CSI driver name.
	Driver string `json:"driver"`
	// ReadOnly mounts read-only.
	ReadOnly *bool `json:"readOnly,omitempty"`
	// FSType is the filesystem type to mount.
	FSType *string `json:"fsType,omitempty"`
	// VolumeAttributes are passed to the driver.
	VolumeAttributes map[string]string `json:"volumeAttributes,omitempty"`
	// NodePublishSecretRef names a secret passed to the driver.
	NodePublishSecretRef *LocalObjectReference `json:"nodePublishSecretRef,omitempty"`
}

// EphemeralVolumeSource creates a PersistentVolumeClaim per pod from a template.
type EphemeralVolumeSource struct {
	// VolumeClaimTemplate is the claim to create, named "<pod>-<volume>".
	VolumeClaimTemplate *PersistentVolumeClaimTemplate `json:"volumeClaimTemplate,omitempty"`
}

// PersistentVolumeClaimTemplate is the template of an ephemeral volume's claim.
type PersistentVolumeClaimTemplate struct {
	// ObjectMeta is copied to the claim (labels and annotations).
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is copied to the claim.
	Spec PersistentVolumeClaimSpec `json:"spec"`
}

// ImageVolumeSource mounts an OCI image or artifact read-only.
type ImageVolumeSource struct {
	// Reference is the image reference.
	Reference string `json:"reference,omitempty"`
	// PullPolicy says when the image is pulled; defaults like a container's.
	PullPolicy PullPolicy `json:"pullPolicy,omitempty"`
}

// NFSVolumeSource is an NFS share.
type NFSVolumeSource struct {
	// Server is the NFS server's host name or address.
	Server string `json:"server"`
	// Path exported by the server.
	Path string `json:"path"`
	// ReadOnly mounts read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
}

// LocalObjectReference names an object in the same namespace.
type LocalObjectReference struct {
	// Name of the object.
	Name string `json:"name,omitempty"`
}

// TypedLocalObjectReference names an object of a given kind in the same namespace.
type TypedLocalObjectReference struct {
	// APIGroup of the kind; nil means the core group.
	APIGroup *string `json:"apiGroup"`
	// Kind of the object.
	Kind string `json:"kind"`
	// Name of the object.
	Name string `json:"name"`
}

// TypedObjectReference names an object of a given kind, possibly in another namespace.
type TypedObjectReference struct {
	// APIGroup of the kind; nil means the core group.
	APIGroup *string `json:"apiGroup"`
	// Kind of the object.
	Kind string `json:"kind"`
	// Name of the object.
	Name string `json:"name"`
	// Namespace of the object; defaults to the referrer's.
	Namespace *string `json:"namespace,omitempty"`
}
