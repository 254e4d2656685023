package core

import (
	"strings"

	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/resource"
)

// Defaults are what the API server fills in on create and update before validation, as
// Kubernetes' v1 defaulting does (../shared/spec/pod-lifecycle.md §1). Each function sets
// only fields that are unset, so applying it twice changes nothing.

// DefaultTerminationGracePeriodSeconds is the default spec.terminationGracePeriodSeconds.
const DefaultTerminationGracePeriodSeconds int64 = 30

// Default file modes of projected volume files.
const (
	SecretVolumeSourceDefaultMode      int32 = 0o644
	ConfigMapVolumeSourceDefaultMode   int32 = 0o644
	DownwardAPIVolumeSourceDefaultMode int32 = 0o644
	ProjectedVolumeSourceDefaultMode   int32 = 0o644
)

// DefaultServiceAccountTokenExpirationSeconds is the default lifetime of a projected token.
const DefaultServiceAccountTokenExpirationSeconds int64 = 3600

// DefaultPod fills in the defaults of a pod: those of DefaultPodSpec plus the ones Kubernetes
// applies to pods only, not to templates:
//   - a container's missing requests default to its limits;
//   - enableServiceLinks defaults to true;
//   - with hostNetwork, each container port's hostPort defaults to its containerPort;
//   - like Kubernetes' DefaultTolerationSeconds admission, NoExecute tolerations for
//     node.kubernetes.io/not-ready and node.kubernetes.io/unreachable with
//     tolerationSeconds 300 are added unless the pod already tolerates those taints.
func DefaultPod(p *Pod) {
	s := &p.Spec
	DefaultPodSpec(s)
	for i := range s.InitContainers {
		defaultRequestsFromLimits(&s.InitContainers[i].Resources)
	}
	for i := range s.Containers {
		defaultRequestsFromLimits(&s.Containers[i].Resources)
	}
	if s.EnableServiceLinks == nil {
		s.EnableServiceLinks = ptr(true)
	}
	if s.HostNetwork {
		defaultHostNetworkPorts(s.InitContainers)
		defaultHostNetworkPorts(s.Containers)
	}
	s.Tolerations = addDefaultToleration(s.Tolerations, TaintNodeNotReady)
	s.Tolerations = addDefaultToleration(s.Tolerations, TaintNodeUnreachable)
}

// DefaultPodTemplateSpec fills in the defaults of a pod template (those of DefaultPodSpec).
func DefaultPodTemplateSpec(t *PodTemplateSpec) { DefaultPodSpec(&t.Spec) }

// DefaultPodSpec fills in the defaults every pod spec gets, in pods and in templates:
// restartPolicy Always, terminationGracePeriodSeconds 30, dnsPolicy ClusterFirst,
// schedulerName default-scheduler, an empty securityContext, serviceAccount and
// serviceAccountName mirrored, and the defaults of containers (image pull policy by tag,
// termination message path and policy, port protocol TCP, probe timing, httpGet path and
// scheme), volumes (emptyDir when no source is given, file modes, ...) and resource lists
// (rounded up to milli precision).
func DefaultPodSpec(s *PodSpec) {
	if s.DNSPolicy == "" {
		s.DNSPolicy = DNSClusterFirst
	}
	if s.RestartPolicy == "" {
		s.RestartPolicy = RestartPolicyAlways
	}
	if s.SecurityContext == nil {
		s.SecurityContext = &PodSecurityContext{}
	}
	if s.TerminationGracePeriodSeconds == nil {
		s.TerminationGracePeriodSeconds = ptr(DefaultTerminationGracePeriodSeconds)
	}
	if s.SchedulerName == "" {
		s.SchedulerName = DefaultSchedulerName
	}
	// serviceAccount is the deprecated spelling of serviceAccountName; Kubernetes reads the
	// old one when the new one is empty and always writes both.
	if s.ServiceAccountName == "" {
		s.ServiceAccountName = s.DeprecatedServiceAccount
	}
	s.DeprecatedServiceAccount = s.ServiceAccountName
	for i := range s.Volumes {
		DefaultVolume(&s.Volumes[i])
	}
	for i := range s.InitContainers {
		DefaultContainer(&s.InitContainers[i])
	}
	for i := range s.Containers {
		DefaultContainer(&s.Containers[i])
	}
	for i := range s.EphemeralContainers {
		DefaultContainer((*Container)(&s.EphemeralContainers[i].EphemeralContainerCommon))
	}
	roundUpResources(s.Overhead)
	if s.Resources != nil {
		roundUpResources(s.Resources.Limits)
		roundUpResources(s.Resources.Requests)
	}
}

// DefaultContainer fills in the defaults of one container.
func DefaultContainer(c *Container) {
	if c.ImagePullPolicy == "" {
		c.ImagePullPolicy = defaultPullPolicy(c.Image)
	}
	if c.TerminationMessagePath == "" {
		c.TerminationMessagePath = TerminationMessagePathDefault
	}
	if c.TerminationMessagePolicy == "" {
		c.TerminationMessagePolicy = TerminationMessageReadFile
	}
	for i := range c.Ports {
		if c.Ports[i].Protocol == "" {
			c.Ports[i].Protocol = ProtocolTCP
		}
	}
	for i := range c.Env {
		if vf := c.Env[i].ValueFrom; vf != nil {
			defaultFieldSelector(vf.FieldRef)
			if vf.FileKeyRef != nil && vf.FileKeyRef.Optional == nil {
				vf.FileKeyRef.Optional = ptr(false)
			}
		}
	}
	roundUpResources(c.Resources.Limits)
	roundUpResources(c.Resources.Requests)
	for _, p := range []*Probe{c.LivenessProbe, c.ReadinessProbe, c.StartupProbe} {
		if p != nil {
			DefaultProbe(p)
		}
	}
	if l := c.Lifecycle; l != nil {
		for _, h := range []*LifecycleHandler{l.PostStart, l.PreStop} {
			if h != nil && h.HTTPGet != nil {
				defaultHTTPGet(h.HTTPGet)
			}
		}
	}
}

// DefaultProbe fills in probe timing (timeoutSeconds 1, periodSeconds 10, successThreshold 1,
// failureThreshold 3) and handler defaults (httpGet path "/" and scheme HTTP, grpc service "").
func DefaultProbe(p *Probe) {
	if p.TimeoutSeconds == 0 {
		p.TimeoutSeconds = 1
	}
	if p.PeriodSeconds == 0 {
		p.PeriodSeconds = 10
	}
	if p.SuccessThreshold == 0 {
		p.SuccessThreshold = 1
	}
	if p.FailureThreshold == 0 {
		p.FailureThreshold = 3
	}
	if p.HTTPGet != nil {
		defaultHTTPGet(p.HTTPGet)
	}
	if p.GRPC != nil && p.GRPC.Service == nil {
		p.GRPC.Service = ptr("")
	}
}

func defaultHTTPGet(h *HTTPGetAction) {
	if h.Path == "" {
		h.Path = "/"
	}
	if h.Scheme == "" {
		h.Scheme = URISchemeHTTP
	}
}

func defaultFieldSelector(f *ObjectFieldSelector) {
	if f != nil && f.APIVersion == "" {
		f.APIVersion = APIVersion
	}
}

// defaultPullPolicy is Always for images tagged ":latest" or neither tagged nor pinned by
// digest, and IfNotPresent otherwise.
func defaultPullPolicy(image string) PullPolicy {
	if image == "" {
		return PullIfNotPresent
	}
	if tag, digest := imageTagAndDigest(image); tag == "latest" || (tag == "" && !digest) {
		return PullAlways
	}
	return PullIfNotPresent
}

// imageTagAndDigest returns the tag of an image reference and whether it has a digest:
// "nginx:1.25@sha256:..." gives ("1.25", true). A ':' before the last '/' belongs to a
// registry's port, not a tag.
func imageTagAndDigest(image string) (tag string, digest bool) {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image, digest = image[:i], true
	}
	name := image[strings.LastIndexByte(image, '/')+1:]
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		tag = name[i+1:]
	}
	return tag, digest
}

// DefaultVolume fills in the defaults of a volume: an emptyDir when no source is set, file
// modes 0644 for secret, configMap, downwardAPI and projected volumes, token lifetimes,
// hostPath type, image pull policy, the legacy sources' documented defaults, and the PVC
// spec defaults of an ephemeral volume's claim template.
func DefaultVolume(v *Volume) {
	s := &v.VolumeSource
	if *s == (VolumeSource{}) {
		s.EmptyDir = &EmptyDirVolumeSource{}
	}
	if s.HostPath != nil && s.HostPath.Type == nil {
		s.HostPath.Type = ptr(HostPathUnset)
	}
	if s.Secret != nil && s.Secret.DefaultMode == nil {
		s.Secret.DefaultMode = ptr(SecretVolumeSourceDefaultMode)
	}
	if s.ConfigMap != nil && s.ConfigMap.DefaultMode == nil {
		s.ConfigMap.DefaultMode = ptr(ConfigMapVolumeSourceDefaultMode)
	}
	if d := s.DownwardAPI; d != nil {
		if d.DefaultMode == nil {
			d.DefaultMode = ptr(DownwardAPIVolumeSourceDefaultMode)
		}
		defaultDownwardAPIFiles(d.Items)
	}
	if p := s.Projected; p != nil {
		if p.DefaultMode == nil {
			p.DefaultMode = ptr(ProjectedVolumeSourceDefaultMode)
		}
		for i := range p.Sources {
			src := &p.Sources[i]
			if t := src.ServiceAccountToken; t != nil && t.ExpirationSeconds == nil {
				t.ExpirationSeconds = ptr(DefaultServiceAccountTokenExpirationSeconds)
			}
			if src.DownwardAPI != nil {
				defaultDownwardAPIFiles(src.DownwardAPI.Items)
			}
		}
	}
	if s.Image != nil && s.Image.PullPolicy == "" {
		s.Image.PullPolicy = defaultPullPolicy(s.Image.Reference)
	}
	if s.Ephemeral != nil && s.Ephemeral.VolumeClaimTemplate != nil {
		DefaultPVCSpec(&s.Ephemeral.VolumeClaimTemplate.Spec)
	}
	defaultLegacyVolume(s)
}

func defaultDownwardAPIFiles(items []DownwardAPIVolumeFile) {
	for i := range items {
		defaultFieldSelector(items[i].FieldRef)
	}
}

// defaultLegacyVolume applies the documented defaults of the in-tree network volume sources.
func defaultLegacyVolume(s *VolumeSource) {
	if s.ISCSI != nil && s.ISCSI.ISCSIInterface == "" {
		s.ISCSI.ISCSIInterface = "default"
	}
	if r := s.RBD; r != nil {
		setIfEmpty(&r.RBDPool, "rbd")
		setIfEmpty(&r.RadosUser, "admin")
		setIfEmpty(&r.Keyring, "/etc/ceph/keyring")
	}
	if a := s.AzureDisk; a != nil {
		if a.CachingMode == nil {
			a.CachingMode = ptr(AzureDataDiskCachingReadWrite)
		}
		if a.FSType == nil {
			a.FSType = ptr("ext4")
		}
		if a.ReadOnly == nil {
			a.ReadOnly = ptr(false)
		}
		if a.Kind == nil {
			a.Kind = ptr(AzureSharedBlobDisk)
		}
	}
	if sc := s.ScaleIO; sc != nil {
		setIfEmpty(&sc.StorageMode, "ThinProvisioned")
		setIfEmpty(&sc.FSType, "xfs")
	}
}

func setIfEmpty(s *string, v string) {
	if *s == "" {
		*s = v
	}
}

func defaultRequestsFromLimits(r *ResourceRequirements) {
	if r.Limits == nil {
		return
	}
	if r.Requests == nil {
		r.Requests = make(ResourceList, len(r.Limits))
	}
	for name, q := range r.Limits {
		if _, ok := r.Requests[name]; !ok {
			r.Requests[name] = q.DeepCopy()
		}
	}
}

func defaultHostNetworkPorts(cs []Container) {
	for i := range cs {
		for j := range cs[i].Ports {
			if p := &cs[i].Ports[j]; p.HostPort == 0 {
				p.HostPort = p.ContainerPort
			}
		}
	}
}

// addDefaultToleration adds a NoExecute toleration for taint key with the default
// tolerationSeconds unless one with that key (or no key) and effect NoExecute (or none)
// exists, as Kubernetes' DefaultTolerationSeconds admission plugin does.
func addDefaultToleration(tols []Toleration, key string) []Toleration {
	for _, t := range tols {
		if (t.Key == key || t.Key == "") && (t.Effect == TaintEffectNoExecute || t.Effect == "") {
			return tols
		}
	}
	return append(tols, Toleration{Key: key, Operator: TolerationOpExists, Effect: TaintEffectNoExecute,
		TolerationSeconds: ptr(DefaultNotReadyTolerationSeconds)})
}

// roundUpResources rounds every quantity up to milli precision, as Kubernetes does for every
// ResourceList it stores.
func roundUpResources(rl ResourceList) {
	for name, q := range rl {
		if !q.RoundUp(resource.Milli) {
			rl[name] = q
		}
	}
}

// DefaultNode fills in the defaults of a node: allocatable defaults to capacity, and resource
// amounts are rounded up to milli precision.
func DefaultNode(n *Node) {
	st := &n.Status
	roundUpResources(st.Capacity)
	roundUpResources(st.Allocatable)
	if st.Allocatable == nil && st.Capacity != nil {
		st.Allocatable = make(ResourceList, len(st.Capacity))
		for k, v := range st.Capacity {
			st.Allocatable[k] = v.DeepCopy()
		}
	}
}

// DefaultNamespace fills in the defaults of a namespace: status.phase Active and the label
// kubernetes.io/metadata.name set to the name. The "kubernetes" finalizer is added by the
// create strategy, not here, so that updates cannot bring it back.
func DefaultNamespace(ns *Namespace) {
	if ns.Status.Phase == "" {
		ns.Status.Phase = NamespaceActive
	}
	if ns.Name != "" {
		if ns.Labels == nil {
			ns.Labels = map[string]string{}
		}
		ns.Labels[LabelMetadataName] = ns.Name
	}
}

// DefaultPVC fills in the defaults of a claim: those of DefaultPVCSpec and status.phase
// Pending.
func DefaultPVC(c *PersistentVolumeClaim) {
	DefaultPVCSpec(&c.Spec)
	if c.Status.Phase == "" {
		c.Status.Phase = ClaimPending
	}
	roundUpResources(c.Status.Capacity)
	roundUpResources(c.Status.AllocatedResources)
}

// DefaultPVCSpec fills in the defaults of a claim spec, wherever it appears (claims, ephemeral
// volumes, StatefulSet volumeClaimTemplates): volumeMode Filesystem and resources rounded up
// to milli precision.
func DefaultPVCSpec(s *PersistentVolumeClaimSpec) {
	if s.VolumeMode == nil {
		s.VolumeMode = ptr(PersistentVolumeFilesystem)
	}
	roundUpResources(s.Resources.Limits)
	roundUpResources(s.Resources.Requests)
}

// DefaultService fills in the defaults of a service: type ClusterIP, sessionAffinity None (and
// a 10800 s ClientIP timeout for ClientIP), port protocol TCP, targetPort equal to port,
// externalTrafficPolicy Cluster for externally reachable services, internalTrafficPolicy
// Cluster, and allocateLoadBalancerNodePorts true for load balancers. skiff allocates no
// cluster IPs or node ports.
func DefaultService(svc *Service) {
	s := &svc.Spec
	if s.SessionAffinity == "" {
		s.SessionAffinity = ServiceAffinityNone
	}
	switch s.SessionAffinity {
	case ServiceAffinityNone:
		s.SessionAffinityConfig = nil
	case ServiceAffinityClientIP:
		if c := s.SessionAffinityConfig; c == nil || c.ClientIP == nil || c.ClientIP.TimeoutSeconds == nil {
			s.SessionAffinityConfig = &SessionAffinityConfig{ClientIP: &ClientIPConfig{
				TimeoutSeconds: ptr(DefaultClientIPServiceAffinitySeconds)}}
		}
	}
	if s.Type == "" {
		s.Type = ServiceTypeClusterIP
	}
	for i := range s.Ports {
		p := &s.Ports[i]
		if p.Protocol == "" {
			p.Protocol = ProtocolTCP
		}
		if p.TargetPort == intstr.FromInt(0) || p.TargetPort == intstr.FromString("") {
			p.TargetPort = intstr.FromInt(int(p.Port))
		}
	}
	externallyReachable := s.Type == ServiceTypeLoadBalancer || s.Type == ServiceTypeNodePort ||
		(s.Type == ServiceTypeClusterIP && len(s.ExternalIPs) > 0)
	if externallyReachable && s.ExternalTrafficPolicy == "" {
		s.ExternalTrafficPolicy = ServiceExternalTrafficPolicyCluster
	}
	if s.InternalTrafficPolicy == nil && (s.Type == ServiceTypeClusterIP || s.Type == ServiceTypeNodePort ||
		s.Type == ServiceTypeLoadBalancer) {
		s.InternalTrafficPolicy = ptr(ServiceInternalTrafficPolicyCluster)
	}
	if s.Type == ServiceTypeLoadBalancer {
		if s.AllocateLoadBalancerNodePorts == nil {
			s.AllocateLoadBalancerNodePorts = ptr(true)
		}
		for i := range svc.Status.LoadBalancer.Ingress {
			if ing := &svc.Status.LoadBalancer.Ingress[i]; ing.IP != "" && ing.IPMode == nil {
				ing.IPMode = ptr(LoadBalancerIPModeVIP)
			}
		}
	}
}

// DefaultSecret fills in the defaults of a secret: type Opaque, and stringData merged into
// data (overriding it) and cleared, as Kubernetes does on every write.
func DefaultSecret(s *Secret) {
	if s.Type == "" {
		s.Type = SecretTypeOpaque
	}
	if len(s.StringData) > 0 {
		if s.Data == nil {
			s.Data = make(map[string][]byte, len(s.StringData))
		}
		for k, v := range s.StringData {
			s.Data[k] = []byte(v)
		}
	}
	s.StringData = nil
}

// DefaultConfigMap fills in the defaults of a config map: an empty (non-nil) data map.
func DefaultConfigMap(cm *ConfigMap) {
	if cm.Data == nil {
		cm.Data = map[string]string{}
	}
}

func ptr[T any](v T) *T { return &v }
