package core

import (
	"github.com/skiff-dev/skiff/api/meta"
)

// Pod is a group of containers scheduled together onto one node, sharing network and volumes.
// Controllers create pods from a PodTemplateSpec, the scheduler binds them to a node, and the
// node's kubelet runs them and reports Status.
type Pod struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the pod's metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the desired behaviour of the pod.
	Spec PodSpec `json:"spec,omitzero"`
	// Status is the most recently observed state of the pod, written by the scheduler and the
	// kubelet through the status subresource.
	Status PodStatus `json:"status,omitzero"`
}

// PodList is a list of pods.
type PodList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the list's metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the pods.
	Items []Pod `json:"items"`
}

// PodTemplateSpec describes the pods a workload controller creates: the metadata (labels,
// annotations) and spec every pod starts with.
type PodTemplateSpec struct {
	// ObjectMeta is copied to each created pod (labels, annotations, ...).
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is copied to each created pod.
	Spec PodSpec `json:"spec,omitzero"`
}

// PodSpec is the desired state of a pod. Apart from a few fields (container images,
// activeDeadlineSeconds, tolerations, scheduling gates) it cannot change after the pod is
// created; see ValidatePodUpdate.
type PodSpec struct {
	// Volumes can be mounted by the pod's containers.
	Volumes []Volume `json:"volumes,omitempty"`
	// InitContainers run in order before the regular containers start. Those with
	// restartPolicy Always are sidecars: they keep running for the pod's lifetime.
	InitContainers []Container `json:"initContainers,omitempty"`
	// Containers are the pod's main containers; at least one is required.
	Containers []Container `json:"containers"`
	// EphemeralContainers are debugging containers added to a running pod.
	EphemeralContainers []EphemeralContainer `json:"ephemeralContainers,omitempty"`
	// RestartPolicy applies to all containers: Always (default), OnFailure or Never.
	RestartPolicy RestartPolicy `json:"restartPolicy,omitempty"`
	// TerminationGracePeriodSeconds is how long a deleted pod's containers get between the
	// termination signal and being killed. Defaults to 30; 0 kills immediately.
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`
	// ActiveDeadlineSeconds bounds how long the pod may be active on a node before it is
	// failed with reason DeadlineExceeded.
	ActiveDeadlineSeconds *int64 `json:"activeDeadlineSeconds,omitempty"`
	// DNSPolicy selects how the pod's DNS is configured. Defaults to ClusterFirst.
	DNSPolicy DNSPolicy `json:"dnsPolicy,omitempty"`
	// NodeSelector restricts the pod to nodes having all of these labels.
	NodeSelector map[string]string `json:"nodeSelector,omitempty"`
	// ServiceAccountName is the service account the pod runs as.
	ServiceAccountName string `json:"serviceAccountName,omitempty"`
	// DeprecatedServiceAccount is the old spelling of ServiceAccountName ("serviceAccount").
	DeprecatedServiceAccount string `json:"serviceAccount,omitempty"`
	// AutomountServiceAccountToken says whether the service account token is mounted.
	AutomountServiceAccountToken *bool `json:"automountServiceAccountToken,omitempty"`
	// NodeName is the node the pod is bound to. Setting it on create bypasses the scheduler.
	NodeName string `json:"nodeName,omitempty"`
	// HostNetwork runs the pod in the node's network namespace.
	HostNetwork bool `json:"hostNetwork,omitempty"`
	// HostPID runs the pod in the node's process namespace.
	HostPID bool `json:"hostPID,omitempty"`
	// HostIPC runs the pod in the node's IPC namespace.
	HostIPC bool `json:"hostIPC,omitempty"`
	// ShareProcessNamespace puts all containers of the pod in one process namespace.
	ShareProcessNamespace *bool `json:"shareProcessNamespace,omitempty"`
	// SecurityContext holds pod-wide security settings. Defaults to an empty context.
	SecurityContext *PodSecurityContext `json:"securityContext,omitempty"`
	// ImagePullSecrets name secrets used to pull the containers' images.
	ImagePullSecrets []LocalObjectReference `json:"imagePullSecrets,omitempty"`
	// Hostname is the pod's hostname; defaults to the pod's name.
	Hostname string `json:"hostname,omitempty"`
	// Subdomain makes the pod's FQDN "<hostname>.<subdomain>.<namespace>.svc.<cluster domain>".
	Subdomain string `json:"subdomain,omitempty"`
	// Affinity holds node affinity and pod (anti-)affinity scheduling constraints.
	Affinity *Affinity `json:"affinity,omitempty"`
	// SchedulerName is the scheduler that places the pod. Defaults to "default-scheduler".
	SchedulerName string `json:"schedulerName,omitempty"`
	// Tolerations let the pod run on nodes with matching taints.
	Tolerations []Toleration `json:"tolerations,omitempty"`
	// HostAliases are extra entries for the pod's /etc/hosts.
	HostAliases []HostAlias `json:"hostAliases,omitempty"`
	// PriorityClassName names the pod's PriorityClass.
	PriorityClassName string `json:"priorityClassName,omitempty"`
	// Priority is the pod's priority, resolved from PriorityClassName by admission.
	Priority *int32 `json:"priority,omitempty"`
	// DNSConfig adds to (or, with dnsPolicy None, replaces) the generated DNS configuration.
	DNSConfig *PodDNSConfig `json:"dnsConfig,omitempty"`
	// ReadinessGates are extra pod conditions that must be True for the pod to be Ready.
	ReadinessGates []PodReadinessGate `json:"readinessGates,omitempty"`
	// RuntimeClassName names the RuntimeClass used to run the pod.
	RuntimeClassName *string `json:"runtimeClassName,omitempty"`
	// EnableServiceLinks injects environment variables describing services. Defaults to true.
	EnableServiceLinks *bool `json:"enableServiceLinks,omitempty"`
	// PreemptionPolicy says whether the pod may preempt lower-priority pods.
	PreemptionPolicy *PreemptionPolicy `json:"preemptionPolicy,omitempty"`
	// Overhead is the resource cost of the pod's sandbox, added to its container requests.
	Overhead ResourceList `json:"overhead,omitempty"`
	// TopologySpreadConstraints say how the pod's replicas spread across topology domains.
	TopologySpreadConstraints []TopologySpreadConstraint `json:"topologySpreadConstraints,omitempty"`
	// SetHostnameAsFQDN makes the pod's hostname its fully qualified domain name.
	SetHostnameAsFQDN *bool `json:"setHostnameAsFQDN,omitempty"`
	// OS is the operating system the pod's containers need.
	OS *PodOS `json:"os,omitempty"`
	// HostUsers set to false runs the pod in its own user namespace.
	HostUsers *bool `json:"hostUsers,omitempty"`
	// SchedulingGates hold the pod back from scheduling while any remain; they can only be
	// removed.
	SchedulingGates []PodSchedulingGate `json:"schedulingGates,omitempty"`
	// ResourceClaims name dynamic resource claims the pod's containers may use.
	ResourceClaims []PodResourceClaim `json:"resourceClaims,omitempty"`
	// Resources are pod-level requests and limits shared by all containers.
	Resources *ResourceRequirements `json:"resources,omitempty"`
	// HostnameOverride sets the pod's hostname verbatim, overriding Hostname and Subdomain.
	HostnameOverride *string `json:"hostnameOverride,omitempty"`
	// WorkloadRef points at the Workload and pod group the pod belongs to (gang scheduling).
	WorkloadRef *WorkloadReference `json:"workloadRef,omitempty"`
}

// RestartPolicy says when the kubelet restarts a pod's exited containers.
type RestartPolicy string

// The pod restart policies.
const (
	RestartPolicyAlways    RestartPolicy = "Always"
	RestartPolicyOnFailure RestartPolicy = "OnFailure"
	RestartPolicyNever     RestartPolicy = "Never"
)

// DNSPolicy says how a pod's DNS resolver is configured.
type DNSPolicy string

// The DNS policies.
const (
	// DNSClusterFirstWithHostNet is ClusterFirst for pods on the host network.
	DNSClusterFirstWithHostNet DNSPolicy = "ClusterFirstWithHostNet"
	// DNSClusterFirst resolves through cluster DNS first, falling back to the node's.
	DNSClusterFirst DNSPolicy = "ClusterFirst"
	// DNSDefault inherits the node's resolver configuration.
	DNSDefault DNSPolicy = "Default"
	// DNSNone uses only the pod's DNSConfig.
	DNSNone DNSPolicy = "None"
)

// PreemptionPolicy says whether a pod may preempt others.
type PreemptionPolicy string

// The preemption policies.
const (
	PreemptLowerPriority PreemptionPolicy = "PreemptLowerPriority"
	PreemptNever         PreemptionPolicy = "Never"
)

// DefaultSchedulerName is the scheduler pods use when spec.schedulerName is empty.
const DefaultSchedulerName = "default-scheduler"

// HostAlias is one /etc/hosts entry.
type HostAlias struct {
	// IP is the address the hostnames resolve to.
	IP string `json:"ip"`
	// Hostnames resolve to IP.
	Hostnames []string `json:"hostnames,omitempty"`
}

// PodDNSConfig customizes a pod's resolv.conf.
type PodDNSConfig struct {
	// Nameservers are DNS server addresses, added to those the policy generates.
	Nameservers []string `json:"nameservers,omitempty"`
	// Searches are DNS search domains, added to those the policy generates.
	Searches []string `json:"searches,omitempty"`
	// Options are resolver options; entries replace generated options of the same name.
	Options []PodDNSConfigOption `json:"options,omitempty"`
}

// PodDNSConfigOption is one resolver option, e.g. ndots:2.
type PodDNSConfigOption struct {
	// Name is the option name.
	Name string `json:"name,omitempty"`
	// Value is the option value, if it takes one.
	Value *string `json:"value,omitempty"`
}

// PodReadinessGate names a pod condition that must be True for the pod to be Ready.
type PodReadinessGate struct {
	// ConditionType is the type of the condition in status.conditions.
	ConditionType PodConditionType `json:"conditionType"`
}

// PodOS names the operating system of a pod.
type PodOS struct {
	// Name is "linux" or "windows".
	Name OSName `json:"name"`
}

// OSName is an operating system name.
type OSName string

// The operating systems pods can ask for.
const (
	Linux   OSName = "linux"
	Windows OSName = "windows"
)

// PodSchedulingGate is one gate that keeps a pod from being scheduled while present.
type PodSchedulingGate struct {
	// Name of the gate; unique within the pod.
	Name string `json:"name"`
}

// PodResourceClaim names a dynamic resource claim of the pod, either an existing
// ResourceClaim or one created from a ResourceClaimTemplate.
type PodResourceClaim struct {
	// Name identifies the claim within the pod; containers refer to it in resources.claims.
	Name string `json:"name"`
	// ResourceClaimName is an existing ResourceClaim in the pod's namespace.
	ResourceClaimName *string `json:"resourceClaimName,omitempty"`
	// ResourceClaimTemplateName is a template a claim is created from for this pod.
	ResourceClaimTemplateName *string `json:"resourceClaimTemplateName,omitempty"`
}

// WorkloadReference ties a pod to a pod group of a Workload object.
type WorkloadReference struct {
	// Name of the Workload in the pod's namespace.
	Name string `json:"name"`
	// PodGroup is the pod group within the Workload.
	PodGroup string `json:"podGroup"`
	// PodGroupReplicaKey distinguishes replicas of the pod group.
	PodGroupReplicaKey string `json:"podGroupReplicaKey,omitempty"`
}
