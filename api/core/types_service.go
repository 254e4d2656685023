package core

import (
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
)

// Service exposes a set of pods, chosen by a label selector, under one name and address.
// skiff stores services and validates them; it does not program any data plane.
type Service struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the service's metadata; the name is a DNS-1035 label.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Spec is the service's desired behaviour.
	Spec ServiceSpec `json:"spec,omitzero"`
	// Status is the service's observed state (load balancer).
	Status ServiceStatus `json:"status,omitzero"`
}

// ServiceList is a list of services.
type ServiceList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the list's metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the services.
	Items []Service `json:"items"`
}

// ServiceSpec is the desired behaviour of a service.
type ServiceSpec struct {
	// Ports the service exposes.
	Ports []ServicePort `json:"ports,omitempty"`
	// Selector picks the pods traffic goes to; empty means endpoints are managed externally.
	Selector map[string]string `json:"selector,omitempty"`
	// ClusterIP is the service's virtual address, "None" for a headless service.
	ClusterIP string `json:"clusterIP,omitempty"`
	// ClusterIPs are the virtual addresses, one per IP family; the first equals ClusterIP.
	ClusterIPs []string `json:"clusterIPs,omitempty"`
	// Type is ClusterIP (default), NodePort, LoadBalancer or ExternalName.
	Type ServiceType `json:"type,omitempty"`
	// ExternalIPs are further addresses nodes accept traffic for.
	ExternalIPs []string `json:"externalIPs,omitempty"`
	// SessionAffinity is None (default) or ClientIP.
	SessionAffinity ServiceAffinity `json:"sessionAffinity,omitempty"`
	// LoadBalancerIP is deprecated; a requested load balancer address.
	LoadBalancerIP string `json:"loadBalancerIP,omitempty"`
	// LoadBalancerSourceRanges restrict client addresses of a load balancer.
	LoadBalancerSourceRanges []string `json:"loadBalancerSourceRanges,omitempty"`
	// ExternalName is the DNS name an ExternalName service aliases.
	ExternalName string `json:"externalName,omitempty"`
	// ExternalTrafficPolicy is Cluster or Local, for NodePort and LoadBalancer services.
	ExternalTrafficPolicy ServiceExternalTrafficPolicy `json:"externalTrafficPolicy,omitempty"`
	// HealthCheckNodePort is the health check port of a Local LoadBalancer service.
	HealthCheckNodePort int32 `json:"healthCheckNodePort,omitempty"`
	// PublishNotReadyAddresses makes not-ready pods' addresses visible too.
	PublishNotReadyAddresses bool `json:"publishNotReadyAddresses,omitempty"`
	// SessionAffinityConfig configures ClientIP affinity.
	SessionAffinityConfig *SessionAffinityConfig `json:"sessionAffinityConfig,omitempty"`
	// IPFamilies are the IP families of ClusterIPs, in order.
	IPFamilies []IPFamily `json:"ipFamilies,omitempty"`
	// IPFamilyPolicy is SingleStack, PreferDualStack or RequireDualStack.
	IPFamilyPolicy *IPFamilyPolicy `json:"ipFamilyPolicy,omitempty"`
	// AllocateLoadBalancerNodePorts says whether a LoadBalancer gets node ports.
	AllocateLoadBalancerNodePorts *bool `json:"allocateLoadBalancerNodePorts,omitempty"`
	// LoadBalancerClass selects the load balancer implementation.
	LoadBalancerClass *string `json:"loadBalancerClass,omitempty"`
	// InternalTrafficPolicy is Cluster or Local, for traffic from inside the cluster.
	InternalTrafficPolicy *ServiceInternalTrafficPolicy `json:"internalTrafficPolicy,omitempty"`
	// TrafficDistribution expresses a routing preference such as "PreferClose".
	TrafficDistribution *string `json:"trafficDistribution,omitempty"`
}

// ServicePort is one port of a service.
type ServicePort struct {
	// Name is a DNS label; required and unique when there is more than one port.
	Name string `json:"name,omitempty"`
	// Protocol is TCP (default), UDP or SCTP.
	Protocol Protocol `json:"protocol,omitempty"`
	// AppProtocol is the application protocol, e.g. "http" or "kubernetes.io/h2c".
	AppProtocol *string `json:"appProtocol,omitempty"`
	// Port is the service's port, 1-65535.
	Port int32 `json:"port"`
	// TargetPort is the pods' port number or name. Defaults to Port.
	TargetPort intstr.IntOrString `json:"targetPort,omitzero"`
	// NodePort is the port on every node for NodePort and LoadBalancer services.
	NodePort int32 `json:"nodePort,omitempty"`
}

// ServiceType is how a service is exposed.
type ServiceType string

// The service types.
const (
	ServiceTypeClusterIP    ServiceType = "ClusterIP"
	ServiceTypeNodePort     ServiceType = "NodePort"
	ServiceTypeLoadBalancer ServiceType = "LoadBalancer"
	ServiceTypeExternalName ServiceType = "ExternalName"
)

// ClusterIPNone is the clusterIP of a headless service.
const ClusterIPNone = "None"

// ServiceAffinity is a service's session affinity.
type ServiceAffinity string

// The session affinities.
const (
	ServiceAffinityClientIP ServiceAffinity = "ClientIP"
	ServiceAffinityNone     ServiceAffinity = "None"
)

// DefaultClientIPServiceAffinitySeconds is the default ClientIP affinity timeout (3 hours).
const DefaultClientIPServiceAffinitySeconds int32 = 10800

// ServiceExternalTrafficPolicy routes external traffic.
type ServiceExternalTrafficPolicy string

// The external traffic policies.
const (
	ServiceExternalTrafficPolicyCluster ServiceExternalTrafficPolicy = "Cluster"
	ServiceExternalTrafficPolicyLocal   ServiceExternalTrafficPolicy = "Local"
)

// ServiceInternalTrafficPolicy routes traffic from inside the cluster.
type ServiceInternalTrafficPolicy string

// The internal traffic policies.
const (
	ServiceInternalTrafficPolicyCluster ServiceInternalTrafficPolicy = "Cluster"
	ServiceInternalTrafficPolicyLocal   ServiceInternalTrafficPolicy = "Local"
)

// SessionAffinityConfig configures session affinity.
type SessionAffinityConfig struct {
	// ClientIP configures ClientIP affinity.
	ClientIP *ClientIPConfig `json:"clientIP,omitempty"`
}

// ClientIPConfig configures ClientIP affinity.
type ClientIPConfig struct {
	// TimeoutSeconds is the affinity's lifetime, 1-86400. Defaults to 10800.
	TimeoutSeconds *int32 `json:"timeoutSeconds,omitempty"`
}

// IPFamily is an IP family.
type IPFamily string

// The IP families.
const (
	IPv4Protocol IPFamily = "IPv4"
	IPv6Protocol IPFamily = "IPv6"
)

// IPFamilyPolicy says how many IP families a service uses.
type IPFamilyPolicy string

// The IP family policies.
const (
	IPFamilyPolicySingleStack      IPFamilyPolicy = "SingleStack"
	IPFamilyPolicyPreferDualStack  IPFamilyPolicy = "PreferDualStack"
	IPFamilyPolicyRequireDualStack IPFamilyPolicy = "RequireDualStack"
)

// ServiceStatus is the observed state of a service.
type ServiceStatus struct {
	// LoadBalancer is the state of the service's load balancer.
	LoadBalancer LoadBalancerStatus `json:"loadBalancer,omitzero"`
	// Conditions of the service.
	Conditions []meta.Condition `json:"conditions,omitempty"`
}

// LoadBalancerStatus is the state of a load balancer.
type LoadBalancerStatus struct {
	// Ingress lists the load balancer's ingress points.
	Ingress []LoadBalancerIngress `json:"ingress,omitempty"`
}

// LoadBalancerIngress is one ingress point of a load balancer.
type LoadBalancerIngress struct {
	// IP of the ingress point.
	IP string `json:"ip,omitempty"`
	// Hostname of the ingress point.
	Hostname string `json:"hostname,omitempty"`
	// IPMode is VIP or Proxy.
	IPMode *LoadBalancerIPMode `json:"ipMode,omitempty"`
	// Ports report per-port errors.
	Ports []PortStatus `json:"ports,omitempty"`
}

// LoadBalancerIPMode says how traffic reaches the load balancer's address.
type LoadBalancerIPMode string

// The load balancer IP modes.
const (
	LoadBalancerIPModeVIP   LoadBalancerIPMode = "VIP"
	LoadBalancerIPModeProxy LoadBalancerIPMode = "Proxy"
)

// PortStatus is the state of one service port on a load balancer.
type PortStatus struct {
	// Port number.
	Port int32 `json:"port"`
	// Protocol of the port.
	Protocol Protocol `json:"protocol"`
	// Error is a CamelCase error reason, if any.
	Error *string `json:"error,omitempty"`
}
