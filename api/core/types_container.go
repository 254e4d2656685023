package core

import "github.com/skiff-dev/skiff/api/resource"

// Container is one container of a pod: its image, command, environment, resources, ports,
// probes and mounts.
type Container struct {
	// Name is unique within the pod and must be a DNS label.
	Name string `json:"name"`
	// Image is the container image reference.
	Image string `json:"image,omitempty"`
	// Command replaces the image's entrypoint.
	Command []string `json:"command,omitempty"`
	// Args replace the image's cmd.
	Args []string `json:"args,omitempty"`
	// WorkingDir is the working directory; the image's default when empty.
	WorkingDir string `json:"workingDir,omitempty"`
	// Ports are informational: the ports the container listens on.
	Ports []ContainerPort `json:"ports,omitempty"`
	// EnvFrom imports every key of config maps or secrets as environment variables.
	EnvFrom []EnvFromSource `json:"envFrom,omitempty"`
	// Env are environment variables; later entries win over EnvFrom.
	Env []EnvVar `json:"env,omitempty"`
	// Resources are the container's requests and limits.
	Resources ResourceRequirements `json:"resources,omitzero"`
	// ResizePolicy says whether an in-place resize of each resource restarts the container.
	ResizePolicy []ContainerResizePolicy `json:"resizePolicy,omitempty"`
	// RestartPolicy overrides the pod's restart policy for this container. On an init
	// container, Always makes it a sidecar.
	RestartPolicy *ContainerRestartPolicy `json:"restartPolicy,omitempty"`
	// RestartPolicyRules decide, by exit code, whether an exited container is restarted.
	RestartPolicyRules []ContainerRestartRule `json:"restartPolicyRules,omitempty"`
	// VolumeMounts mount pod volumes into the container's filesystem.
	VolumeMounts []VolumeMount `json:"volumeMounts,omitempty"`
	// VolumeDevices map raw block volumes to device paths.
	VolumeDevices []VolumeDevice `json:"volumeDevices,omitempty"`
	// LivenessProbe restarts the container when it fails.
	LivenessProbe *Probe `json:"livenessProbe,omitempty"`
	// ReadinessProbe marks the container ready or not.
	ReadinessProbe *Probe `json:"readinessProbe,omitempty"`
	// StartupProbe holds back the other probes until it succeeds once.
	StartupProbe *Probe `json:"startupProbe,omitempty"`
	// Lifecycle holds hooks run after start and before stop.
	Lifecycle *Lifecycle `json:"lifecycle,omitempty"`
	// TerminationMessagePath is the file whose contents become the termination message.
	// Defaults to /dev/termination-log.
	TerminationMessagePath string `json:"terminationMessagePath,omitempty"`
	// TerminationMessagePolicy says where the termination message comes from. Defaults to
	// File.
	TerminationMessagePolicy TerminationMessagePolicy `json:"terminationMessagePolicy,omitempty"`
	// ImagePullPolicy says when the image is pulled. Defaults to Always for ":latest" or
	// untagged images and IfNotPresent otherwise.
	ImagePullPolicy PullPolicy `json:"imagePullPolicy,omitempty"`
	// SecurityContext holds the container's security settings.
	SecurityContext *SecurityContext `json:"securityContext,omitempty"`
	// Stdin keeps a stdin buffer open for the container.
	Stdin bool `json:"stdin,omitempty"`
	// StdinOnce closes stdin after the first attached client disconnects.
	StdinOnce bool `json:"stdinOnce,omitempty"`
	// TTY allocates a terminal for the container.
	TTY bool `json:"tty,omitempty"`
}

// EphemeralContainer is a temporary container added to a running pod for debugging. It has no
// resources, ports or probes of its own.
type EphemeralContainer struct {
	// EphemeralContainerCommon holds the container fields.
	EphemeralContainerCommon `json:",inline"`
	// TargetContainerName is the container whose process namespace this one joins.
	TargetContainerName string `json:"targetContainerName,omitempty"`
}

// EphemeralContainerCommon has the same fields as Container; validation forbids those that
// make no sense for ephemeral containers (ports, probes, resources, lifecycle).
type EphemeralContainerCommon struct {
	// Name is unique among all containers of the pod.
	Name string `json:"name"`
	// Image is the container image reference.
	Image string `json:"image,omitempty"`
	// Command replaces the image's entrypoint.
	Command []string `json:"command,omitempty"`
	// Args replace the image's cmd.
	Args []string `json:"args,omitempty"`
	// WorkingDir is the working directory.
	WorkingDir string `json:"workingDir,omitempty"`
	// Ports are not allowed for ephemeral containers.
	Ports []ContainerPort `json:"ports,omitempty"`
	// EnvFrom imports config maps or secrets as environment variables.
	EnvFrom []EnvFromSource `json:"envFrom,omitempty"`
	// Env are environment variables.
	Env []EnvVar `json:"env,omitempty"`
	// Resources are not allowed for ephemeral containers.
	Resources ResourceRequirements `json:"resources,omitzero"`
	// ResizePolicy is not allowed for ephemeral containers.
	ResizePolicy []ContainerResizePolicy `json:"resizePolicy,omitempty"`
	// RestartPolicy is not allowed for ephemeral containers.
	RestartPolicy *ContainerRestartPolicy `json:"restartPolicy,omitempty"`
	// RestartPolicyRules are not allowed for ephemeral containers.
	RestartPolicyRules []ContainerRestartRule `json:"restartPolicyRules,omitempty"`
	// VolumeMounts mount pod volumes (subPath is not allowed).
	VolumeMounts []VolumeMount `json:"volumeMounts,omitempty"`
	// VolumeDevices map raw block volumes to device paths.
	VolumeDevices []VolumeDevice `json:"volumeDevices,omitempty"`
	// LivenessProbe is not allowed for ephemeral containers.
	LivenessProbe *Probe `json:"livenessProbe,omitempty"`
	// ReadinessProbe is not allowed for ephemeral containers.
	ReadinessProbe *Probe `json:"readinessProbe,omitempty"`
	// StartupProbe is not allowed for ephemeral containers.
	StartupProbe *Probe `json:"startupProbe,omitempty"`
	// Lifecycle is not allowed for ephemeral containers.
	Lifecycle *Lifecycle `json:"lifecycle,omitempty"`
	// TerminationMessagePath is the file whose contents become the termination message.
	TerminationMessagePath string `json:"terminationMessagePath,omitempty"`
	// TerminationMessagePolicy says where the termination message comes from.
	TerminationMessagePolicy TerminationMessagePolicy `json:"terminationMessagePolicy,omitempty"`
	// ImagePullPolicy says when the image is pulled.
	ImagePullPolicy PullPolicy `json:"imagePullPolicy,omitempty"`
	// SecurityContext holds the container's security settings.
	SecurityContext *SecurityContext `json:"securityContext,omitempty"`
	// Stdin keeps a stdin buffer open for the container.
	Stdin bool `json:"stdin,omitempty"`
	// StdinOnce closes stdin after the first attached client disconnects.
	StdinOnce bool `json:"stdinOnce,omitempty"`
	// TTY allocates a terminal for the container.
	TTY bool `json:"tty,omitempty"`
}

// ContainerPort is a port a container listens on.
type ContainerPort struct {
	// Name is an IANA_SVC_NAME (at most 15 characters) unique within the pod; services and
	// probes can refer to the port by it.
	Name string `json:"name,omitempty"`
	// HostPort exposes the port on the node's address.
	HostPort int32 `json:"hostPort,omitempty"`
	// ContainerPort is the port number, 1-65535.
	ContainerPort int32 `json:"containerPort"`
	// Protocol is TCP (default), UDP or SCTP.
	Protocol Protocol `json:"protocol,omitempty"`
	// HostIP is the node address HostPort binds to.
	HostIP string `json:"hostIP,omitempty"`
}

// Protocol is a network protocol.
type Protocol string

// The supported protocols.
const (
	ProtocolTCP  Protocol = "TCP"
	ProtocolUDP  Protocol = "UDP"
	ProtocolSCTP Protocol = "SCTP"
)

// PullPolicy says when a container image is pulled.
type PullPolicy string

// The image pull policies.
const (
	PullAlways       PullPolicy = "Always"
	PullNever        PullPolicy = "Never"
	PullIfNotPresent PullPolicy = "IfNotPresent"
)

// TerminationMessagePolicy says where a container's termination message comes from.
type TerminationMessagePolicy string

// The termination message policies.
const (
	// TerminationMessageReadFile reads the message from terminationMessagePath.
	TerminationMessageReadFile TerminationMessagePolicy = "File"
	// TerminationMessageFallbackToLogsOnError uses the log tail when the file is empty and
	// the container failed.
	TerminationMessageFallbackToLogsOnError TerminationMessagePolicy = "FallbackToLogsOnError"
)

// TerminationMessagePathDefault is the default terminationMessagePath.
const TerminationMessagePathDefault = "/dev/termination-log"

// ContainerRestartPolicy is the per-container restart policy.
type ContainerRestartPolicy string

// The per-container restart policies.
const (
	ContainerRestartPolicyAlways    ContainerRestartPolicy = "Always"
	ContainerRestartPolicyNever     ContainerRestartPolicy = "Never"
	ContainerRestartPolicyOnFailure ContainerRestartPolicy = "OnFailure"
)

// ContainerRestartRule is one rule deciding by exit code whether a container restarts.
type ContainerRestartRule struct {
	// Action is taken when the rule matches; only Restart is defined.
	Action ContainerRestartRuleAction `json:"action,omitempty"`
	// ExitCodes is the condition on the exit code.
	ExitCodes *ContainerRestartRuleOnExitCodes `json:"exitCodes,omitempty"`
}

// ContainerRestartRuleAction is what a matching restart rule does.
type ContainerRestartRuleAction string

// The restart rule actions.
const (
	ContainerRestartRuleActionRestart ContainerRestartRuleAction = "Restart"
)

// ContainerRestartRuleOnExitCodes matches exit codes in or not in a set.
type ContainerRestartRuleOnExitCodes struct {
	// Operator is In or NotIn.
	Operator ContainerRestartRuleOnExitCodesOperator `json:"operator,omitempty"`
	// Values are the exit codes.
	Values []int32 `json:"values,omitempty"`
}

// ContainerRestartRuleOnExitCodesOperator relates an exit code to a set.
type ContainerRestartRuleOnExitCodesOperator string

// The exit code operators.
const (
	ContainerRestartRuleOnExitCodesOpIn    ContainerRestartRuleOnExitCodesOperator = "In"
	ContainerRestartRuleOnExitCodesOpNotIn ContainerRestartRuleOnExitCodesOperator = "NotIn"
)

// EnvFromSource imports all keys of a config map or secret as environment variables.
type EnvFromSource struct {
	// Prefix is prepended to every imported key.
	Prefix string `json:"prefix,omitempty"`
	// ConfigMapRef is the config map to import.
	ConfigMapRef *ConfigMapEnvSource `json:"configMapRef,omitempty"`
	// SecretRef is the secret to import.
	SecretRef *SecretEnvSource `json:"secretRef,omitempty"`
}

// ConfigMapEnvSource names a config map to import as environment variables.
type ConfigMapEnvSource struct {
	// LocalObjectReference names the config map.
	LocalObjectReference `json:",inline"`
	// Optional lets the container start when the config map is missing.
	Optional *bool `json:"optional,omitempty"`
}

// SecretEnvSource names a secret to import as environment variables.
type SecretEnvSource struct {
	// LocalObjectReference names the secret.
	LocalObjectReference `json:",inline"`
	// Optional lets the container start when the secret is missing.
	Optional *bool `json:"optional,omitempty"`
}

// EnvVar is one environment variable: a literal value or one taken from elsewhere.
type EnvVar struct {
	// Name of the variable.
	Name string `json:"name"`
	// Value is a literal; $(VAR) references to earlier variables are expanded.
	Value string `json:"value,omitempty"`
	// ValueFrom takes the value from a field, resource, config map, secret or file.
	ValueFrom *EnvVarSource `json:"valueFrom,omitempty"`
}

// EnvVarSource is where an environment variable's value comes from; exactly one field is set.
type EnvVarSource struct {
	// FieldRef selects a field of the pod, e.g. metadata.name or status.podIP.
	FieldRef *ObjectFieldSelector `json:"fieldRef,omitempty"`
	// ResourceFieldRef selects a container resource limit or request.
	ResourceFieldRef *ResourceFieldSelector `json:"resourceFieldRef,omitempty"`
	// ConfigMapKeyRef selects a key of a config map.
	ConfigMapKeyRef *ConfigMapKeySelector `json:"configMapKeyRef,omitempty"`
	// SecretKeyRef selects a key of a secret.
	SecretKeyRef *SecretKeySelector `json:"secretKeyRef,omitempty"`
	// FileKeyRef selects a key of an env file in an emptyDir volume.
	FileKeyRef *FileKeySelector `json:"fileKeyRef,omitempty"`
}

// ObjectFieldSelector selects a field of the pod.
type ObjectFieldSelector struct {
	// APIVersion the field path is written against; defaults to "v1".
	APIVersion string `json:"apiVersion,omitempty"`
	// FieldPath is the path of the field, e.g. "metadata.labels['app']".
	FieldPath string `json:"fieldPath"`
}

// ResourceFieldSelector selects a resource limit or request of a container.
type ResourceFieldSelector struct {
	// ContainerName is required for volumes and optional for environment variables.
	ContainerName string `json:"containerName,omitempty"`
	// Resource is e.g. "limits.cpu" or "requests.memory".
	Resource string `json:"resource"`
	// Divisor scales the output; defaults to 1.
	Divisor resource.Quantity `json:"divisor,omitzero"`
}

// ConfigMapKeySelector selects one key of a config map.
type ConfigMapKeySelector struct {
	// LocalObjectReference names the config map.
	LocalObjectReference `json:",inline"`
	// Key is the key to select.
	Key string `json:"key"`
	// Optional lets the container start when the config map or key is missing.
	Optional *bool `json:"optional,omitempty"`
}

// SecretKeySelector selects one key of a secret.
type SecretKeySelector struct {
	// LocalObjectReference names the secret.
	LocalObjectReference `json:",inline"`
	// Key is the key to select.
	Key string `json:"key"`
	// Optional lets the container start when the secret or key is missing.
	Optional *bool `json:"optional,omitempty"`
}

// FileKeySelector selects one key of an env file in a volume.
type FileKeySelector struct {
	// VolumeName is the emptyDir volume holding the file.
	VolumeName string `json:"volumeName"`
	// Path of the file within the volume.
	Path string `json:"path"`
	// Key is the variable to read from the file.
	Key string `json:"key"`
	// Optional lets the container start when the file or key is missing.
	Optional *bool `json:"optional,omitempty"`
}

// ResourceRequirements are a container's (or pod's) resource requests and limits.
type ResourceRequirements struct {
	// Limits are the most of each resource the container may use.
	Limits ResourceList `json:"limits,omitempty"`
	// Requests are what the scheduler reserves; a request missing while its limit is set
	// defaults to the limit.
	Requests ResourceList `json:"requests,omitempty"`
	// Claims name entries of the pod's resourceClaims this container uses.
	Claims []ResourceClaim `json:"claims,omitempty"`
}

// ResourceClaim refers to one entry of spec.resourceClaims.
type ResourceClaim struct {
	// Name of the entry in spec.resourceClaims.
	Name string `json:"name"`
	// Request selects one request of the claim; empty means all.
	Request string `json:"request,omitempty"`
}

// ContainerResizePolicy says what happens when one resource of a running container is resized.
type ContainerResizePolicy struct {
	// ResourceName is the resource, e.g. cpu or memory.
	ResourceName ResourceName `json:"resourceName"`
	// RestartPolicy is NotRequired or RestartContainer.
	RestartPolicy ResourceResizeRestartPolicy `json:"restartPolicy"`
}

// ResourceResizeRestartPolicy says whether a resize restarts the container.
type ResourceResizeRestartPolicy string

// The resize restart policies.
const (
	NotRequired      ResourceResizeRestartPolicy = "NotRequired"
	RestartContainer ResourceResizeRestartPolicy = "RestartContainer"
)

// VolumeMount mounts a pod volume into a container.
type VolumeMount struct {
	// Name of the pod volume.
	Name string `json:"name"`
	// ReadOnly mounts the volume read-only.
	ReadOnly bool `json:"readOnly,omitempty"`
	// RecursiveReadOnly says whether read-only applies to submounts too.
	RecursiveReadOnly *RecursiveReadOnlyMode `json:"recursiveReadOnly,omitempty"`
	// MountPath is where the volume appears in the container; it must not contain ':'.
	MountPath string `json:"mountPath"`
	// SubPath mounts a sub-path of the volume instead of its root.
	SubPath string `json:"subPath,omitempty"`
	// MountPropagation says how mounts propagate between host and container.
	MountPropagation *MountPropagationMode `json:"mountPropagation,omitempty"`
	// SubPathExpr is like SubPath with $(VAR) expansion; exclusive with SubPath.
	SubPathExpr string `json:"subPathExpr,omitempty"`
}

// RecursiveReadOnlyMode says how read-only applies to submounts.
type RecursiveReadOnlyMode string

// The recursive read-only modes.
const (
	RecursiveReadOnlyDisabled   RecursiveReadOnlyMode = "Disabled"
	RecursiveReadOnlyIfPossible RecursiveReadOnlyMode = "IfPossible"
	RecursiveReadOnlyEnabled    RecursiveReadOnlyMode = "Enabled"
)

// MountPropagationMode says how mounts propagate.
type MountPropagationMode string

// The mount propagation modes.
const (
	MountPropagationNone            MountPropagationMode = "None"
	MountPropagationHostToContainer MountPropagationMode = "HostToContainer"
	MountPropagationBidirectional   MountPropagationMode = "Bidirectional"
)

// VolumeDevice maps a raw block volume to a device path in the container.
type VolumeDevice struct {
	// Name of the pod volume (a persistentVolumeClaim in Block mode).
	Name string `json:"name"`
	// DevicePath is the device's path in the container.
	DevicePath string `json:"devicePath"`
}
