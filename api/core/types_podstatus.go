package core

import "github.com/skiff-dev/skiff/api/meta"

// PodStatus is the observed state of a pod (../shared/spec/pod-lifecycle.md §2-4).
type PodStatus struct {
	// ObservedGeneration is the pod generation the status was computed from.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// Phase is the pod's coarse lifecycle stage.
	Phase PodPhase `json:"phase,omitempty"`
	// Conditions are the pod's current conditions (PodScheduled, Initialized, Ready, ...).
	Conditions []PodCondition `json:"conditions,omitempty"`
	// Message explains the pod's state.
	Message string `json:"message,omitempty"`
	// Reason is a CamelCase reason for the pod's state, e.g. "Evicted".
	Reason string `json:"reason,omitempty"`
	// NominatedNodeName is the node a preempting pod is expected to land on.
	NominatedNodeName string `json:"nominatedNodeName,omitempty"`
	// HostIP is the primary address of the pod's node.
	HostIP string `json:"hostIP,omitempty"`
	// HostIPs are the addresses of the pod's node, primary first.
	HostIPs []HostIP `json:"hostIPs,omitempty"`
	// PodIP is the pod's primary address.
	PodIP string `json:"podIP,omitempty"`
	// PodIPs are the pod's addresses, primary first.
	PodIPs []PodIP `json:"podIPs,omitempty"`
	// StartTime is when the kubelet accepted the pod, before any image was pulled.
	StartTime *meta.Time `json:"startTime,omitempty"`
	// InitContainerStatuses are the statuses of the init containers, in spec order.
	InitContainerStatuses []ContainerStatus `json:"initContainerStatuses,omitempty"`
	// ContainerStatuses are the statuses of the regular containers.
	ContainerStatuses []ContainerStatus `json:"containerStatuses,omitempty"`
	// QOSClass is the pod's quality of service class, from its requests and limits.
	QOSClass PodQOSClass `json:"qosClass,omitempty"`
	// EphemeralContainerStatuses are the statuses of the ephemeral containers.
	EphemeralContainerStatuses []ContainerStatus `json:"ephemeralContainerStatuses,omitempty"`
	// Resize is the state of an in-place resize (deprecated in favour of conditions).
	Resize PodResizeStatus `json:"resize,omitempty"`
	// ResourceClaimStatuses name the ResourceClaims generated for the pod.
	ResourceClaimStatuses []PodResourceClaimStatus `json:"resourceClaimStatuses,omitempty"`
	// ExtendedResourceClaimStatus maps extended resources to the claim allocated for them.
	ExtendedResourceClaimStatus *PodExtendedResourceClaimStatus `json:"extendedResourceClaimStatus,omitempty"`
	// AllocatedResources are the pod-level resources allocated by the node.
	AllocatedResources ResourceList `json:"allocatedResources,omitempty"`
	// Resources are the pod-level resources actually applied.
	Resources *ResourceRequirements `json:"resources,omitempty"`
}

// PodPhase is a pod's coarse lifecycle stage.
type PodPhase string

// The pod phases.
const (
	// PodPending: accepted, but not all containers have started.
	PodPending PodPhase = "Pending"
	// PodRunning: bound to a node and at least one container is running or restarting.
	PodRunning PodPhase = "Running"
	// PodSucceeded: every container exited successfully and none will restart.
	PodSucceeded PodPhase = "Succeeded"
	// PodFailed: every container exited and at least one failed.
	PodFailed PodPhase = "Failed"
	// PodUnknown is deprecated and not set by current components.
	PodUnknown PodPhase = "Unknown"
)

// PodConditionType is the type of a pod condition.
type PodConditionType string

// The pod condition types.
const (
	// PodScheduled: the pod is bound to a node.
	PodScheduled PodConditionType = "PodScheduled"
	// PodReadyToStartContainers: the sandbox exists and networking is configured.
	PodReadyToStartContainers PodConditionType = "PodReadyToStartContainers"
	// PodInitialized: all regular init containers completed.
	PodInitialized PodConditionType = "Initialized"
	// ContainersReady: every container is ready.
	ContainersReady PodConditionType = "ContainersReady"
	// PodReady: the pod can serve; ContainersReady and every readiness gate are True.
	PodReady PodConditionType = "Ready"
	// DisruptionTarget: the pod is about to be deleted by the system.
	DisruptionTarget PodConditionType = "DisruptionTarget"
	// PodResizePending: a resize was requested but cannot be applied yet.
	PodResizePending PodConditionType = "PodResizePending"
	// PodResizeInProgress: a resize is being applied.
	PodResizeInProgress PodConditionType = "PodResizeInProgress"
)

// Reasons for pod conditions and pod status.
const (
	// PodReasonUnschedulable: PodScheduled is False because no node fits.
	PodReasonUnschedulable = "Unschedulable"
	// PodReasonSchedulingGated: PodScheduled is False because scheduling gates remain.
	PodReasonSchedulingGated = "SchedulingGated"
	// PodReasonSchedulerError: PodScheduled is False because the scheduler failed.
	PodReasonSchedulerError = "SchedulerError"
	// PodReasonContainersNotInitialized: Initialized is False.
	PodReasonContainersNotInitialized = "ContainersNotInitialized"
	// PodReasonContainersNotReady: ContainersReady or Ready is False.
	PodReasonContainersNotReady = "ContainersNotReady"
	// PodReasonReadinessGatesNotReady: Ready is False because of a readiness gate.
	PodReasonReadinessGatesNotReady = "ReadinessGatesNotReady"
	// PodReasonPodCompleted: Initialized is True for a succeeded pod.
	PodReasonPodCompleted = "PodCompleted"
	// PodReasonDeadlineExceeded: status.reason of a pod failed by activeDeadlineSeconds.
	PodReasonDeadlineExceeded = "DeadlineExceeded"
	// PodReasonEvicted: status.reason of an evicted pod.
	PodReasonEvicted = "Evicted"
	// PodReasonNodeLost: status.reason of a pod whose node stopped responding.
	PodReasonNodeLost = "NodeLost"
	// PodReasonTerminationByKubelet: DisruptionTarget set by the kubelet.
	PodReasonTerminationByKubelet = "TerminationByKubelet"
	// PodReasonPreemptionByScheduler: DisruptionTarget set by the scheduler.
	PodReasonPreemptionByScheduler = "PreemptionByScheduler"
	// PodReasonDeletionByTaintManager: DisruptionTarget set by NoExecute taint eviction.
	PodReasonDeletionByTaintManager = "DeletionByTaintManager"
)

// Container waiting and terminated reasons (../shared/spec/pod-lifecycle.md §4).
const (
	ContainerReasonContainerCreating          = "ContainerCreating"
	ContainerReasonPodInitializing            = "PodInitializing"
	ContainerReasonCrashLoopBackOff           = "CrashLoopBackOff"
	ContainerReasonErrImagePull               = "ErrImagePull"
	ContainerReasonImagePullBackOff           = "ImagePullBackOff"
	ContainerReasonInvalidImageName           = "InvalidImageName"
	ContainerReasonErrImageNeverPull          = "ErrImageNeverPull"
	ContainerReasonCreateContainerConfigError = "CreateContainerConfigError"
	ContainerReasonCreateContainerError       = "CreateContainerError"
	ContainerReasonRunContainerError          = "RunContainerError"
	ContainerReasonPreStartHookError          = "PreStartHookError"
	ContainerReasonPostStartHookError         = "PostStartHookError"
	ContainerReasonCompleted                  = "Completed"
	ContainerReasonError                      = "Error"
	ContainerReasonOOMKilled                  = "OOMKilled"
	ContainerReasonContainerCannotRun         = "ContainerCannotRun"
	ContainerReasonStartError                 = "StartError"
)

// ConditionStatus is the status of a condition; it is the same type as meta.ConditionStatus,
// so the constants of either package can be used.
type ConditionStatus = meta.ConditionStatus

// The condition statuses.
const (
	ConditionTrue    = meta.ConditionTrue
	ConditionFalse   = meta.ConditionFalse
	ConditionUnknown = meta.ConditionUnknown
)

// PodCondition is one condition of a pod.
type PodCondition struct {
	// Type of the condition.
	Type PodConditionType `json:"type"`
	// ObservedGeneration is the pod generation the condition was computed from.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
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

// HostIP is one address of a pod's node.
type HostIP struct {
	// IP address.
	IP string `json:"ip"`
}

// PodIP is one address of a pod.
type PodIP struct {
	// IP address.
	IP string `json:"ip"`
}

// PodQOSClass is a pod's quality of service class.
type PodQOSClass string

// The QoS classes.
const (
	// PodQOSGuaranteed: every container has equal requests and limits for cpu and memory.
	PodQOSGuaranteed PodQOSClass = "Guaranteed"
	// PodQOSBurstable: some container has a request or limit, but not Guaranteed.
	PodQOSBurstable PodQOSClass = "Burstable"
	// PodQOSBestEffort: no container has any cpu or memory request or limit.
	PodQOSBestEffort PodQOSClass = "BestEffort"
)

// PodResizeStatus is the state of an in-place pod resize.
type PodResizeStatus string

// The resize states.
const (
	PodResizeStatusProposed   PodResizeStatus = "Proposed"
	PodResizeStatusInProgress PodResizeStatus = "InProgress"
	PodResizeStatusDeferred   PodResizeStatus = "Deferred"
	PodResizeStatusInfeasible PodResizeStatus = "Infeasible"
)

// ContainerStatus is the observed state of one container.
type ContainerStatus struct {
	// Name of the container.
	Name string `json:"name"`
	// State is the container's current state.
	State ContainerState `json:"state,omitzero"`
	// LastTerminationState is the state of the previous run, if any.
	LastTerminationState ContainerState `json:"lastState,omitzero"`
	// Ready is true when the container passes its readiness probe (or has none and is
	// running and started).
	Ready bool `json:"ready"`
	// RestartCount counts restarts, from dead containers not yet removed.
	RestartCount int32 `json:"restartCount"`
	// Image is the image the container runs.
	Image string `json:"image"`
	// ImageID is the image's ID (digest).
	ImageID string `json:"imageID"`
	// ContainerID is "<runtime>://<id>".
	ContainerID string `json:"containerID,omitempty"`
	// Started is true once the startup probe passed (or the container runs and has none).
	Started *bool `json:"started,omitempty"`
	// AllocatedResources are the resources the node allocated to the container.
	AllocatedResources ResourceList `json:"allocatedResources,omitempty"`
	// Resources are the requests and limits actually applied.
	Resources *ResourceRequirements `json:"resources,omitempty"`
	// VolumeMounts are the mounts as the runtime made them.
	VolumeMounts []VolumeMountStatus `json:"volumeMounts,omitempty"`
	// User is the identity the container's first process runs as.
	User *ContainerUser `json:"user,omitempty"`
	// AllocatedResourcesStatus is the health of allocated devices.
	AllocatedResourcesStatus []ResourceStatus `json:"allocatedResourcesStatus,omitempty"`
	// StopSignal is the signal that will stop the container.
	StopSignal *Signal `json:"stopSignal,omitempty"`
}

// ContainerState is one of waiting, running or terminated; at most one field is set, and
// none means waiting.
type ContainerState struct {
	// Waiting: not yet running (pulling, backing off, ...).
	Waiting *ContainerStateWaiting `json:"waiting,omitempty"`
	// Running: running.
	Running *ContainerStateRunning `json:"running,omitempty"`
	// Terminated: ran and exited.
	Terminated *ContainerStateTerminated `json:"terminated,omitempty"`
}

// ContainerStateWaiting is a container that is not running yet.
type ContainerStateWaiting struct {
	// Reason it is waiting, e.g. "CrashLoopBackOff".
	Reason string `json:"reason,omitempty"`
	// Message with details.
	Message string `json:"message,omitempty"`
}

// ContainerStateRunning is a running container.
type ContainerStateRunning struct {
	// StartedAt is when the container last (re)started.
	StartedAt meta.Time `json:"startedAt,omitzero"`
}

// ContainerStateTerminated is a container that exited.
type ContainerStateTerminated struct {
	// ExitCode of the container's process.
	ExitCode int32 `json:"exitCode"`
	// Signal that killed it, if any.
	Signal int32 `json:"signal,omitempty"`
	// Reason, e.g. "Completed", "Error" or "OOMKilled".
	Reason string `json:"reason,omitempty"`
	// Message with details.
	Message string `json:"message,omitempty"`
	// StartedAt is when the container started.
	StartedAt meta.Time `json:"startedAt,omitzero"`
	// FinishedAt is when it exited.
	FinishedAt meta.Time `json:"finishedAt,omitzero"`
	// ContainerID is "<runtime>://<id>".
	ContainerID string `json:"containerID,omitempty"`
}

// VolumeMountStatus is a mount as the runtime made it.
type VolumeMountStatus struct {
	// Name of the volume.
	Name string `json:"name"`
	// MountPath in the container.
	MountPath string `json:"mountPath"`
	// ReadOnly is true for read-only mounts.
	ReadOnly bool `json:"readOnly,omitempty"`
	// RecursiveReadOnly is the effective recursive read-only mode.
	RecursiveReadOnly *RecursiveReadOnlyMode `json:"recursiveReadOnly,omitempty"`
}

// ContainerUser is the identity a container's first process runs as.
type ContainerUser struct {
	// Linux identity.
	Linux *LinuxContainerUser `json:"linux,omitempty"`
}

// LinuxContainerUser is a Linux process identity.
type LinuxContainerUser struct {
	// UID of the process.
	UID int64 `json:"uid"`
	// GID of the process.
	GID int64 `json:"gid"`
	// SupplementalGroups of the process.
	SupplementalGroups []int64 `json:"supplementalGroups,omitempty"`
}

// ResourceStatus is the health of the devices backing one resource.
type ResourceStatus struct {
	// Name of the resource (e.g. "claim:<claim>/<request>").
	Name ResourceName `json:"name"`
	// Resources are the devices and their health.
	Resources []ResourceHealth `json:"resources,omitempty"`
}

// ResourceHealth is the health of one device.
type ResourceHealth struct {
	// ResourceID identifies the device.
	ResourceID ResourceID `json:"resourceID"`
	// Health is Healthy, Unhealthy or Unknown.
	Health ResourceHealthStatus `json:"health,omitempty"`
}

// ResourceID identifies a device.
type ResourceID string

// ResourceHealthStatus is a device's health.
type ResourceHealthStatus string

// The device health states.
const (
	ResourceHealthStatusHealthy   ResourceHealthStatus = "Healthy"
	ResourceHealthStatusUnhealthy ResourceHealthStatus = "Unhealthy"
	ResourceHealthStatusUnknown   ResourceHealthStatus = "Unknown"
)

// PodResourceClaimStatus names the ResourceClaim generated for a pod claim.
type PodResourceClaimStatus struct {
	// Name of the entry in spec.resourceClaims.
	Name string `json:"name"`
	// ResourceClaimName is the generated claim; nil when none was needed.
	ResourceClaimName *string `json:"resourceClaimName,omitempty"`
}

// PodExtendedResourceClaimStatus records the claim allocated for extended resources.
type PodExtendedResourceClaimStatus struct {
	// RequestMappings map container resources to requests of the claim.
	RequestMappings []ContainerExtendedResourceRequest `json:"requestMappings"`
	// ResourceClaimName is the claim.
	ResourceClaimName string `json:"resourceClaimName"`
}

// ContainerExtendedResourceRequest maps one container's extended resource to a claim request.
type ContainerExtendedResourceRequest struct {
	// ContainerName is the container.
	ContainerName string `json:"containerName"`
	// ResourceName is the extended resource.
	ResourceName string `json:"resourceName"`
	// RequestName is the request in the claim.
	RequestName string `json:"requestName"`
}
