package core

import (
	"testing"

	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/resource"
)

func TestDefaultPodSpec(t *testing.T) {
	s := PodSpec{Containers: []Container{{Name: "app", Image: "nginx:1.25"}}}
	DefaultPodSpec(&s)
	if s.RestartPolicy != RestartPolicyAlways {
		t.Errorf("restartPolicy = %q", s.RestartPolicy)
	}
	if s.TerminationGracePeriodSeconds == nil || *s.TerminationGracePeriodSeconds != 30 {
		t.Errorf("terminationGracePeriodSeconds = %v", s.TerminationGracePeriodSeconds)
	}
	if s.DNSPolicy != DNSClusterFirst {
		t.Errorf("dnsPolicy = %q", s.DNSPolicy)
	}
	if s.SchedulerName != DefaultSchedulerName {
		t.Errorf("schedulerName = %q", s.SchedulerName)
	}
	if s.SecurityContext == nil || len(semanticDiff(*s.SecurityContext, PodSecurityContext{}, "", 1)) > 0 {
		t.Errorf("securityContext = %+v", s.SecurityContext)
	}
	c := s.Containers[0]
	if c.TerminationMessagePath != "/dev/termination-log" || c.TerminationMessagePolicy != TerminationMessageReadFile {
		t.Errorf("termination message = %q, %q", c.TerminationMessagePath, c.TerminationMessagePolicy)
	}
	// Pod-only defaults stay off templates.
	if s.EnableServiceLinks != nil || len(s.Tolerations) != 0 {
		t.Errorf("template got pod-only defaults: %v %v", s.EnableServiceLinks, s.Tolerations)
	}
}

func TestDefaultPullPolicy(t *testing.T) {
	tests := []struct {
		image string
		want  PullPolicy
	}{
		{"nginx", PullAlways},
		{"nginx:latest", PullAlways},
		{"nginx:1.25", PullIfNotPresent},
		{"docker.io/library/nginx", PullAlways},
		{"localhost:5000/nginx", PullAlways},
		{"localhost:5000/nginx:v1", PullIfNotPresent},
		{"nginx@sha256:0123456789abcdef", PullIfNotPresent},
		{"nginx:latest@sha256:0123456789abcdef", PullAlways},
		{"", PullIfNotPresent},
	}
	for _, tt := range tests {
		c := Container{Image: tt.image}
		DefaultContainer(&c)
		if c.ImagePullPolicy != tt.want {
			t.Errorf("image %q: imagePullPolicy = %q, want %q", tt.image, c.ImagePullPolicy, tt.want)
		}
		c = Container{Image: tt.image, ImagePullPolicy: PullNever}
		DefaultContainer(&c)
		if c.ImagePullPolicy != PullNever {
			t.Errorf("image %q: explicit policy overwritten", tt.image)
		}
	}
}

func TestDefaultContainer(t *testing.T) {
	c := Container{
		Name: "app", Image: "app:v1",
		Ports: []ContainerPort{{ContainerPort: 80}, {ContainerPort: 53, Protocol: ProtocolUDP}},
		Env: []EnvVar{{Name: "POD", ValueFrom: &EnvVarSource{FieldRef: &ObjectFieldSelector{FieldPath: "metadata.name"}}},
			{Name: "F", ValueFrom: &EnvVarSource{FileKeyRef: &FileKeySelector{VolumeName: "v", Path: "p", Key: "k"}}}},
		Resources:      ResourceRequirements{Limits: ResourceList{ResourceCPU: resource.MustParse("1n")}},
		LivenessProbe:  &Probe{ProbeHandler: ProbeHandler{HTTPGet: &HTTPGetAction{Port: intstr.FromInt(80)}}},
		ReadinessProbe: &Probe{ProbeHandler: ProbeHandler{GRPC: &GRPCAction{Port: 9090}}, PeriodSeconds: 5},
		Lifecycle:      &Lifecycle{PreStop: &LifecycleHandler{HTTPGet: &HTTPGetAction{Port: intstr.FromString("http")}}},
	}
	DefaultContainer(&c)
	if c.Ports[0].Protocol != ProtocolTCP || c.Ports[1].Protocol != ProtocolUDP {
		t.Errorf("port protocols = %q, %q", c.Ports[0].Protocol, c.Ports[1].Protocol)
	}
	if c.Env[0].ValueFrom.FieldRef.APIVersion != "v1" {
		t.Errorf("fieldRef apiVersion = %q", c.Env[0].ValueFrom.FieldRef.APIVersion)
	}
	if o := c.Env[1].ValueFrom.FileKeyRef.Optional; o == nil || *o {
		t.Errorf("fileKeyRef optional = %v", o)
	}
	if got := c.Resources.Limits.Cpu().String(); got != "1m" {
		t.Errorf("cpu limit not rounded to milli: %s", got)
	}
	lp := c.LivenessProbe
	if lp.TimeoutSeconds != 1 || lp.PeriodSeconds != 10 || lp.SuccessThreshold != 1 || lp.FailureThreshold != 3 || lp.InitialDelaySeconds != 0 {
		t.Errorf("probe timing = %+v", lp)
	}
	if lp.HTTPGet.Path != "/" || lp.HTTPGet.Scheme != URISchemeHTTP {
		t.Errorf("httpGet = %+v", lp.HTTPGet)
	}
	if c.ReadinessProbe.PeriodSeconds != 5 {
		t.Errorf("explicit periodSeconds overwritten")
	}
	if s := c.ReadinessProbe.GRPC.Service; s == nil || *s != "" {
		t.Errorf("grpc service = %v", s)
	}
	if h := c.Lifecycle.PreStop.HTTPGet; h.Path != "/" || h.Scheme != URISchemeHTTP {
		t.Errorf("preStop httpGet = %+v", h)
	}
}

func TestDefaultPod(t *testing.T) {
	p := &Pod{Spec: PodSpec{
		HostNetwork: true,
		InitContainers: []Container{{Name: "init", Image: "busybox",
			Resources: ResourceRequirements{Limits: ResourceList{ResourceMemory: resource.MustParse("64Mi")}}}},
		Containers: []Container{{Name: "app", Image: "app:v1",
			Ports: []ContainerPort{{ContainerPort: 8080}},
			Resources: ResourceRequirements{
				Limits:   ResourceList{ResourceCPU: resource.MustParse("1"), ResourceMemory: resource.MustParse("1Gi")},
				Requests: ResourceList{ResourceCPU: resource.MustParse("500m")},
			}}},
		Tolerations: []Toleration{{Key: TaintNodeUnreachable, Operator: TolerationOpExists, Effect: TaintEffectNoExecute}},
	}}
	DefaultPod(p)
	req := p.Spec.Containers[0].Resources.Requests
	if req.Cpu().String() != "500m" || req.Memory().String() != "1Gi" {
		t.Errorf("requests = %v", req)
	}
	if p.Spec.InitContainers[0].Resources.Requests.Memory().String() != "64Mi" {
		t.Errorf("init requests = %v", p.Spec.InitContainers[0].Resources.Requests)
	}
	if p.Spec.EnableServiceLinks == nil || !*p.Spec.EnableServiceLinks {
		t.Errorf("enableServiceLinks = %v", p.Spec.EnableServiceLinks)
	}
	if p.Spec.Containers[0].Ports[0].HostPort != 8080 {
		t.Errorf("hostPort = %d", p.Spec.Containers[0].Ports[0].HostPort)
	}
	// unreachable was tolerated already; not-ready is added with 300 s.
	tols := p.Spec.Tolerations
	if len(tols) != 2 || tols[1].Key != TaintNodeNotReady || tols[1].Effect != TaintEffectNoExecute ||
		tols[1].Operator != TolerationOpExists || *tols[1].TolerationSeconds != 300 {
		t.Errorf("tolerations = %+v", tols)
	}
	// Defaulting is idempotent.
	before := p.DeepCopy()
	DefaultPod(p)
	if d := semanticDiff(*before, *p, "", 5); len(d) > 0 {
		t.Errorf("second DefaultPod changed %v", d)
	}
	// A toleration of everything suppresses both.
	p2 := &Pod{Spec: PodSpec{Tolerations: []Toleration{{Operator: TolerationOpExists}}}}
	DefaultPod(p2)
	if len(p2.Spec.Tolerations) != 1 {
		t.Errorf("tolerations = %+v", p2.Spec.Tolerations)
	}
}

func TestDefaultServiceAccount(t *testing.T) {
	tests := []struct{ name, old, wantName string }{
		{"", "", ""},
		{"", "legacy", "legacy"},
		{"sa", "", "sa"},
		{"sa", "other", "sa"},
	}
	for _, tt := range tests {
		s := PodSpec{ServiceAccountName: tt.name, DeprecatedServiceAccount: tt.old}
		DefaultPodSpec(&s)
		if s.ServiceAccountName != tt.wantName || s.DeprecatedServiceAccount != tt.wantName {
			t.Errorf("%+v: got %q/%q", tt, s.ServiceAccountName, s.DeprecatedServiceAccount)
		}
	}
}

func TestDefaultVolume(t *testing.T) {
	tests := []struct {
		name  string
		in    VolumeSource
		check func(*VolumeSource) bool
	}{
		{"no source gives emptyDir", VolumeSource{}, func(s *VolumeSource) bool { return s.EmptyDir != nil }},
		{"secret mode", VolumeSource{Secret: &SecretVolumeSource{SecretName: "s"}},
			func(s *VolumeSource) bool { return *s.Secret.DefaultMode == 0o644 }},
		{"configMap mode", VolumeSource{ConfigMap: &ConfigMapVolumeSource{}},
			func(s *VolumeSource) bool { return *s.ConfigMap.DefaultMode == 0o644 }},
		{"downwardAPI mode and apiVersion", VolumeSource{DownwardAPI: &DownwardAPIVolumeSource{
			Items: []DownwardAPIVolumeFile{{Path: "n", FieldRef: &ObjectFieldSelector{FieldPath: "metadata.name"}}}}},
			func(s *VolumeSource) bool {
				return *s.DownwardAPI.DefaultMode == 0o644 && s.DownwardAPI.Items[0].FieldRef.APIVersion == "v1"
			}},
		{"projected mode and token", VolumeSource{Projected: &ProjectedVolumeSource{Sources: []VolumeProjection{
			{ServiceAccountToken: &ServiceAccountTokenProjection{Path: "token"}}}}},
			func(s *VolumeSource) bool {
				return *s.Projected.DefaultMode == 0o644 && *s.Projected.Sources[0].ServiceAccountToken.ExpirationSeconds == 3600
			}},
		{"hostPath type", VolumeSource{HostPath: &HostPathVolumeSource{Path: "/x"}},
			func(s *VolumeSource) bool { return s.HostPath.Type != nil && *s.HostPath.Type == HostPathUnset }},
		{"image pull policy", VolumeSource{Image: &ImageVolumeSource{Reference: "artifact:v1"}},
			func(s *VolumeSource) bool { return s.Image.PullPolicy == PullIfNotPresent }},
		{"ephemeral claim volumeMode", VolumeSource{Ephemeral: &EphemeralVolumeSource{VolumeClaimTemplate: &PersistentVolumeClaimTemplate{}}},
			func(s *VolumeSource) bool {
				return *s.Ephemeral.VolumeClaimTemplate.Spec.VolumeMode == PersistentVolumeFilesystem
			}},
		{"iscsi interface", VolumeSource{ISCSI: &ISCSIVolumeSource{}},
			func(s *VolumeSource) bool { return s.ISCSI.ISCSIInterface == "default" }},
		{"rbd", VolumeSource{RBD: &RBDVolumeSource{}},
			func(s *VolumeSource) bool { return s.RBD.RBDPool == "rbd" && s.RBD.RadosUser == "admin" }},
		{"azureDisk", VolumeSource{AzureDisk: &AzureDiskVolumeSource{}},
			func(s *VolumeSource) bool {
				return *s.AzureDisk.Kind == AzureSharedBlobDisk && *s.AzureDisk.FSType == "ext4"
			}},
		{"scaleIO", VolumeSource{ScaleIO: &ScaleIOVolumeSource{}},
			func(s *VolumeSource) bool {
				return s.ScaleIO.FSType == "xfs" && s.ScaleIO.StorageMode == "ThinProvisioned"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := Volume{Name: "v", VolumeSource: tt.in}
			DefaultVolume(&v)
			if !tt.check(&v.VolumeSource) {
				t.Errorf("got %+v", v.VolumeSource)
			}
		})
	}
}

func TestDefaultService(t *testing.T) {
	tests := []struct {
		name  string
		in    ServiceSpec
		check func(*ServiceSpec) bool
	}{
		{"basics", ServiceSpec{Ports: []ServicePort{{Port: 80}, {Port: 53, Protocol: ProtocolUDP, TargetPort: intstr.FromString("dns")}}},
			func(s *ServiceSpec) bool {
				return s.Type == ServiceTypeClusterIP && s.SessionAffinity == ServiceAffinityNone &&
					s.Ports[0].Protocol == ProtocolTCP && s.Ports[0].TargetPort == intstr.FromInt(80) &&
					s.Ports[1].TargetPort == intstr.FromString("dns") && *s.InternalTrafficPolicy == ServiceInternalTrafficPolicyCluster &&
					s.ExternalTrafficPolicy == ""
			}},
		{"client IP timeout", ServiceSpec{SessionAffinity: ServiceAffinityClientIP},
			func(s *ServiceSpec) bool { return *s.SessionAffinityConfig.ClientIP.TimeoutSeconds == 10800 }},
		{"none clears config", ServiceSpec{SessionAffinityConfig: &SessionAffinityConfig{}},
			func(s *ServiceSpec) bool { return s.SessionAffinityConfig == nil }},
		{"load balancer", ServiceSpec{Type: ServiceTypeLoadBalancer},
			func(s *ServiceSpec) bool {
				return s.ExternalTrafficPolicy == ServiceExternalTrafficPolicyCluster && *s.AllocateLoadBalancerNodePorts
			}},
		{"external name", ServiceSpec{Type: ServiceTypeExternalName, ExternalName: "example.com"},
			func(s *ServiceSpec) bool { return s.InternalTrafficPolicy == nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svc := Service{Spec: tt.in}
			DefaultService(&svc)
			if !tt.check(&svc.Spec) {
				t.Errorf("got %+v", svc.Spec)
			}
		})
	}
}

func TestDefaultOtherKinds(t *testing.T) {
	ns := Namespace{}
	ns.Name = "team-a"
	DefaultNamespace(&ns)
	if ns.Status.Phase != NamespaceActive || ns.Labels[LabelMetadataName] != "team-a" {
		t.Errorf("namespace = %+v", ns)
	}

	pvc := PersistentVolumeClaim{Spec: PersistentVolumeClaimSpec{Resources: VolumeResourceRequirements{
		Requests: ResourceList{ResourceStorage: resource.MustParse("1Gi")}}}}
	DefaultPVC(&pvc)
	if *pvc.Spec.VolumeMode != PersistentVolumeFilesystem || pvc.Status.Phase != ClaimPending {
		t.Errorf("pvc = %+v", pvc)
	}

	sec := Secret{Data: map[string][]byte{"a": []byte("1"), "b": []byte("2")}, StringData: map[string]string{"b": "3", "c": "4"}}
	DefaultSecret(&sec)
	if sec.Type != SecretTypeOpaque || string(sec.Data["a"]) != "1" || string(sec.Data["b"]) != "3" ||
		string(sec.Data["c"]) != "4" || sec.StringData != nil {
		t.Errorf("secret = %+v", sec)
	}

	cm := ConfigMap{}
	DefaultConfigMap(&cm)
	if cm.Data == nil {
		t.Error("configMap data is nil")
	}

	node := Node{Status: NodeStatus{Capacity: ResourceList{ResourceCPU: resource.MustParse("4"), ResourcePods: resource.MustParse("110")}}}
	DefaultNode(&node)
	if node.Status.Allocatable.Cpu().String() != "4" || node.Status.Allocatable.Pods().Value() != 110 {
		t.Errorf("allocatable = %v", node.Status.Allocatable)
	}
	node.Status.Capacity[ResourceCPU] = resource.MustParse("8")
	if node.Status.Allocatable.Cpu().String() != "4" {
		t.Error("allocatable shares capacity's map")
	}
}

func TestDefaultPodTemplateSpec(t *testing.T) {
	tmpl := PodTemplateSpec{Spec: PodSpec{Containers: []Container{{Name: "a", Image: "a"}}}}
	DefaultPodTemplateSpec(&tmpl)
	if tmpl.Spec.RestartPolicy != RestartPolicyAlways || tmpl.Spec.Containers[0].ImagePullPolicy != PullAlways {
		t.Errorf("template = %+v", tmpl.Spec)
	}
}
