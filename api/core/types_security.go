package core

// SecurityContext holds a container's security settings. Where a field is also set in the
// pod's PodSecurityContext, the container's value wins.
type SecurityContext struct {
	// Capabilities to add to or drop from the container's default set.
	Capabilities *Capabilities `json:"capabilities,omitempty"`
	// Privileged runs the container as privileged.
	Privileged *bool `json:"privileged,omitempty"`
	// SELinuxOptions is the SELinux context of the container.
	SELinuxOptions *SELinuxOptions `json:"seLinuxOptions,omitempty"`
	// WindowsOptions holds Windows-specific settings.
	WindowsOptions *WindowsSecurityContextOptions `json:"windowsOptions,omitempty"`
	// RunAsUser is the UID the entrypoint runs as.
	RunAsUser *int64 `json:"runAsUser,omitempty"`
	// RunAsGroup is the GID the entrypoint runs as.
	RunAsGroup *int64 `json:"runAsGroup,omitempty"`
	// RunAsNonRoot requires the container to run as a non-root user.
	RunAsNonRoot *bool `json:"runAsNonRoot,omitempty"`
	// ReadOnlyRootFilesystem mounts the root filesystem read-only.
	ReadOnlyRootFilesystem *bool `json:"readOnlyRootFilesystem,omitempty"`
	// AllowPrivilegeEscalation controls the no_new_privs flag.
	AllowPrivilegeEscalation *bool `json:"allowPrivilegeEscalation,omitempty"`
	// ProcMount is the /proc mount type.
	ProcMount *ProcMountType `json:"procMount,omitempty"`
	// SeccompProfile is the container's seccomp profile.
	SeccompProfile *SeccompProfile `json:"seccompProfile,omitempty"`
	// AppArmorProfile is the container's AppArmor profile.
	AppArmorProfile *AppArmorProfile `json:"appArmorProfile,omitempty"`
}

// PodSecurityContext holds pod-wide security settings.
type PodSecurityContext struct {
	// SELinuxOptions is the SELinux context of all containers.
	SELinuxOptions *SELinuxOptions `json:"seLinuxOptions,omitempty"`
	// WindowsOptions holds Windows-specific settings of all containers.
	WindowsOptions *WindowsSecurityContextOptions `json:"windowsOptions,omitempty"`
	// RunAsUser is the UID the containers run as.
	RunAsUser *int64 `json:"runAsUser,omitempty"`
	// RunAsGroup is the GID the containers run as.
	RunAsGroup *int64 `json:"runAsGroup,omitempty"`
	// RunAsNonRoot requires the containers to run as non-root users.
	RunAsNonRoot *bool `json:"runAsNonRoot,omitempty"`
	// SupplementalGroups are extra GIDs of the containers' first process.
	SupplementalGroups []int64 `json:"supplementalGroups,omitempty"`
	// SupplementalGroupsPolicy says how supplemental groups are computed.
	SupplementalGroupsPolicy *SupplementalGroupsPolicy `json:"supplementalGroupsPolicy,omitempty"`
	// FSGroup is a GID that owns supporting volumes.
	FSGroup *int64 `json:"fsGroup,omitempty"`
	// Sysctls are namespaced kernel parameters set for the pod.
	Sysctls []Sysctl `json:"sysctls,omitempty"`
	// FSGroupChangePolicy says when volume ownership is changed to FSGroup.
	FSGroupChangePolicy *PodFSGroupChangePolicy `json:"fsGroupChangePolicy,omitempty"`
	// SeccompProfile is the pod's default seccomp profile.
	SeccompProfile *SeccompProfile `json:"seccompProfile,omitempty"`
	// AppArmorProfile is the pod's default AppArmor profile.
	AppArmorProfile *AppArmorProfile `json:"appArmorProfile,omitempty"`
	// SELinuxChangePolicy says how the SELinux label is applied to volumes.
	SELinuxChangePolicy *PodSELinuxChangePolicy `json:"seLinuxChangePolicy,omitempty"`
}

// Capabilities lists POSIX capabilities to add and drop.
type Capabilities struct {
	// Add are capabilities to add.
	Add []Capability `json:"add,omitempty"`
	// Drop are capabilities to remove.
	Drop []Capability `json:"drop,omitempty"`
}

// Capability is a POSIX capability name such as "NET_ADMIN".
type Capability string

// SELinuxOptions is an SELinux label.
type SELinuxOptions struct {
	// User label.
	User string `json:"user,omitempty"`
	// Role label.
	Role string `json:"role,omitempty"`
	// Type label.
	Type string `json:"type,omitempty"`
	// Level label.
	Level string `json:"level,omitempty"`
}

// WindowsSecurityContextOptions holds Windows-specific security settings.
type WindowsSecurityContextOptions struct {
	// GMSACredentialSpecName names the GMSA credential spec to use.
	GMSACredentialSpecName *string `json:"gmsaCredentialSpecName,omitempty"`
	// GMSACredentialSpec is the inlined GMSA credential spec.
	GMSACredentialSpec *string `json:"gmsaCredentialSpec,omitempty"`
	// RunAsUserName is the Windows user the entrypoint runs as.
	RunAsUserName *string `json:"runAsUserName,omitempty"`
	// HostProcess runs the container as a Windows host process.
	HostProcess *bool `json:"hostProcess,omitempty"`
}

// ProcMountType is the kind of /proc mount.
type ProcMountType string

// The /proc mount types.
const (
	DefaultProcMount  ProcMountType = "Default"
	UnmaskedProcMount ProcMountType = "Unmasked"
)

// SeccompProfile selects a seccomp profile.
type SeccompProfile struct {
	// Type is RuntimeDefault, Unconfined or Localhost.
	Type SeccompProfileType `json:"type"`
	// LocalhostProfile is the profile file on the node, for type Localhost only.
	LocalhostProfile *string `json:"localhostProfile,omitempty"`
}

// SeccompProfileType is the kind of seccomp profile.
type SeccompProfileType string

// The seccomp profile types.
const (
	SeccompProfileTypeUnconfined     SeccompProfileType = "Unconfined"
	SeccompProfileTypeRuntimeDefault SeccompProfileType = "RuntimeDefault"
	SeccompProfileTypeLocalhost      SeccompProfileType = "Localhost"
)

// AppArmorProfile selects an AppArmor profile.
type AppArmorProfile struct {
	// Type is RuntimeDefault, Unconfined or Localhost.
	Type AppArmorProfileType `json:"type"`
	// LocalhostProfile is the profile loaded on the node, for type Localhost only.
	LocalhostProfile *string `json:"localhostProfile,omitempty"`
}

// AppArmorProfileType is the kind of AppArmor profile.
type AppArmorProfileType string

// The AppArmor profile types.
const (
	AppArmorProfileTypeUnconfined     AppArmorProfileType = "Unconfined"
	AppArmorProfileTypeRuntimeDefault AppArmorProfileType = "RuntimeDefault"
	AppArmorProfileTypeLocalhost      AppArmorProfileType = "Localhost"
)

// SupplementalGroupsPolicy says how a container's supplemental groups are computed.
type SupplementalGroupsPolicy string

// The supplemental groups policies.
const (
	// SupplementalGroupsPolicyMerge merges the groups of the image's /etc/group.
	SupplementalGroupsPolicyMerge SupplementalGroupsPolicy = "Merge"
	// SupplementalGroupsPolicyStrict uses only the groups in the security context.
	SupplementalGroupsPolicyStrict SupplementalGroupsPolicy = "Strict"
)

// Sysctl is one kernel parameter.
type Sysctl struct {
	// Name of the parameter, e.g. "net.core.somaxconn".
	Name string `json:"name"`
	// Value to set.
	Value string `json:"value"`
}

// PodFSGroupChangePolicy says when volume ownership is changed.
type PodFSGroupChangePolicy string

// The fsGroup change policies.
const (
	FSGroupChangeOnRootMismatch PodFSGroupChangePolicy = "OnRootMismatch"
	FSGroupChangeAlways         PodFSGroupChangePolicy = "Always"
)

// PodSELinuxChangePolicy says how SELinux labels are applied to volumes.
type PodSELinuxChangePolicy string

// The SELinux change policies.
const (
	SELinuxChangePolicyRecursive   PodSELinuxChangePolicy = "Recursive"
	SELinuxChangePolicyMountOption PodSELinuxChangePolicy = "MountOption"
)
