package core

import (
	"testing"

	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/api/validation"
)

func TestValidatePod(t *testing.T) {
	c0 := func(p *Pod) *Container { return &p.Spec.Containers[0] }
	tests := []struct {
		name   string
		mutate func(*Pod)
		want   []string
	}{
		{"valid", func(*Pod) {}, nil},
		{"namespace required", func(p *Pod) { p.Namespace = "" }, []string{"metadata.namespace: Required value"}},
		{"no containers", func(p *Pod) { p.Spec.Containers = nil }, []string{"spec.containers: Required value"}},
		{"image required", func(p *Pod) { c0(p).Image = "" }, []string{"spec.containers[0].image: Required value"}},
		{"image whitespace", func(p *Pod) { c0(p).Image = " nginx" },
			[]string{`spec.containers[0].image: Invalid value: " nginx": must not have leading or trailing whitespace`}},
		{"container name not a DNS label", func(p *Pod) { c0(p).Name = "Web" },
			[]string{`spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of...`}},
		{"container name required", func(p *Pod) { c0(p).Name = "" }, []string{"spec.containers[0].name: Required value"}},
		{"duplicate container names across init and regular", func(p *Pod) {
			p.Spec.InitContainers = []Container{*c0(p).DeepCopy()}
			p.Spec.InitContainers[0].Ports = nil
		}, []string{`spec.containers[0].name: Duplicate value: "app"`}},
		{"pull policy required", func(p *Pod) { c0(p).ImagePullPolicy = "" },
			[]string{"spec.containers[0].imagePullPolicy: Required value"}},
		{"pull policy unknown", func(p *Pod) { c0(p).ImagePullPolicy = "Sometimes" },
			[]string{`spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"`}},
		{"termination message policy", func(p *Pod) { c0(p).TerminationMessagePolicy = "Log" },
			[]string{`spec.containers[0].terminationMessagePolicy: Invalid value: "Log": must be 'File' or 'FallbackToLogsOnError'`}},
		{"container port required", func(p *Pod) { c0(p).Ports[0].ContainerPort = 0 },
			[]string{"spec.containers[0].ports[0].containerPort: Required value"}},
		{"container port range", func(p *Pod) { c0(p).Ports[0].ContainerPort = 70000 },
			[]string{"spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive"}},
		{"host port range", func(p *Pod) { c0(p).Ports[0].HostPort = -1 },
			[]string{"spec.containers[0].ports[0].hostPort: Invalid value: -1: must be between 1 and 65535, inclusive"}},
		{"port protocol", func(p *Pod) { c0(p).Ports[0].Protocol = "HTTP" },
			[]string{`spec.containers[0].ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"`}},
		{"port name too long", func(p *Pod) { c0(p).Ports[0].Name = "verylongportname" },
			[]string{`spec.containers[0].ports[0].name: Invalid value: "verylongportname": must be no more than 15 characters`}},
		{"port name characters", func(p *Pod) { c0(p).Ports[0].Name = "HTTP_1" },
			[]string{`spec.containers[0].ports[0].name: Invalid value: "HTTP_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
				`spec.containers[0].ports[0].name: Invalid value: "HTTP_1": must contain at least one letter (a-z)`}},
		{"duplicate port names", func(p *Pod) {
			c0(p).Ports = append(c0(p).Ports, ContainerPort{Name: "http", ContainerPort: 81, Protocol: ProtocolTCP})
		}, []string{`spec.containers[0].ports[1].name: Duplicate value: "http"`}},
		{"host port conflict", func(p *Pod) {
			c0(p).Ports[0].HostPort = 8080
			p.Spec.Containers = append(p.Spec.Containers, Container{Name: "b", Image: "b", ImagePullPolicy: PullAlways,
				TerminationMessagePolicy: TerminationMessageReadFile,
				Ports:                    []ContainerPort{{ContainerPort: 81, HostPort: 8080, Protocol: ProtocolTCP}}})
		}, []string{`spec.containers[1].ports[0].hostPort: Duplicate value: "8080/TCP"`}},
		{"host network port mismatch", func(p *Pod) {
			p.Spec.HostNetwork = true
			c0(p).Ports[0].HostPort = 8080
		}, []string{"spec.containers[0].ports[0].hostPort: Invalid value: 8080: must match `containerPort` when `hostNetwork` is true"}},
		{"request above limit", func(p *Pod) { c0(p).Resources.Requests[ResourceCPU] = resource.MustParse("2") },
			[]string{`spec.containers[0].resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1`}},
		{"negative quantity", func(p *Pod) {
			c0(p).Resources.Limits[ResourceMemory] = resource.MustParse("-1")
			delete(c0(p).Resources.Requests, ResourceMemory)
		}, []string{`spec.containers[0].resources.limits[memory]: Invalid value: "-1": must be greater than or equal to 0`}},
		{"unknown resource", func(p *Pod) { c0(p).Resources.Limits["foo"] = resource.MustParse("1") },
			[]string{`spec.containers[0].resources.limits[foo]: Invalid value: "foo": must be a standard resource for containers`}},
		{"extended resource must not overcommit", func(p *Pod) {
			c0(p).Resources.Limits["example.com/gpu"] = resource.MustParse("2")
			c0(p).Resources.Requests["example.com/gpu"] = resource.MustParse("1")
		}, []string{`spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "1": must be equal to example.com/gpu limit of 2`}},
		{"extended resource must be whole", func(p *Pod) {
			c0(p).Resources.Limits["example.com/gpu"] = resource.MustParse("500m")
			c0(p).Resources.Requests["example.com/gpu"] = resource.MustParse("500m")
		}, []string{`spec.containers[0].resources.limits[example.com/gpu]: Invalid value: "500m": must be an integer`,
			`spec.containers[0].resources.requests[example.com/gpu]: Invalid value: "500m": must be an integer`}},
		{"claim not declared", func(p *Pod) { c0(p).Resources.Claims = []ResourceClaim{{Name: "gpu"}} },
			[]string{`spec.containers[0].resources.claims[0].name: Not found: "gpu"`}},
		{"claim declared", func(p *Pod) {
			p.Spec.ResourceClaims = []PodResourceClaim{{Name: "gpu", ResourceClaimTemplateName: ptrTo("gpu-tmpl")}}
			c0(p).Resources.Claims = []ResourceClaim{{Name: "gpu"}}
		}, nil},
		{"pod claim needs a source", func(p *Pod) { p.Spec.ResourceClaims = []PodResourceClaim{{Name: "gpu"}} },
			[]string{"spec.resourceClaims[0]: Invalid value: \"gpu\": must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"}},
		{"restart policy", func(p *Pod) { p.Spec.RestartPolicy = "Sometimes" },
			[]string{`spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"`}},
		{"restart policy required", func(p *Pod) { p.Spec.RestartPolicy = "" }, []string{"spec.restartPolicy: Required value"}},
		{"dns policy", func(p *Pod) { p.Spec.DNSPolicy = "Weird" },
			[]string{`spec.dnsPolicy: Unsupported value: "Weird": supported values: "ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"`}},
		{"dns none needs config", func(p *Pod) { p.Spec.DNSPolicy = DNSNone },
			[]string{"spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"}},
		{"dns none needs nameservers", func(p *Pod) { p.Spec.DNSPolicy = DNSNone; p.Spec.DNSConfig = &PodDNSConfig{} },
			[]string{"spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"}},
		{"dns config", func(p *Pod) {
			p.Spec.DNSConfig = &PodDNSConfig{Nameservers: []string{"1.1.1.1", "not-an-ip"}, Searches: []string{"ns.svc.cluster.local.", "Bad_Domain"},
				Options: []PodDNSConfigOption{{Value: ptrTo("2")}}}
		}, []string{`spec.dnsConfig.nameservers[1]: Invalid value: "not-an-ip": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`,
			`spec.dnsConfig.searches[1]: Invalid value: "Bad_Domain": a lowercase RFC 1123 subdomain...`,
			"spec.dnsConfig.options[0].name: Required value: must not be empty"}},
		{"probe without handler", func(p *Pod) { c0(p).LivenessProbe = &Probe{SuccessThreshold: 1} },
			[]string{"spec.containers[0].livenessProbe: Required value: must specify a handler type"}},
		{"probe with two handlers", func(p *Pod) {
			c0(p).ReadinessProbe = &Probe{ProbeHandler: ProbeHandler{Exec: &ExecAction{Command: []string{"true"}},
				TCPSocket: &TCPSocketAction{Port: intstr.FromInt(80)}}, SuccessThreshold: 1}
		}, []string{"spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"}},
		{"liveness success threshold", func(p *Pod) {
			c0(p).LivenessProbe = &Probe{ProbeHandler: ProbeHandler{GRPC: &GRPCAction{Port: 9090}}, SuccessThreshold: 2}
		}, []string{"spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1"}},
		{"readiness grace period", func(p *Pod) {
			c0(p).ReadinessProbe = &Probe{ProbeHandler: ProbeHandler{Exec: &ExecAction{Command: []string{"true"}}},
				SuccessThreshold: 3, TerminationGracePeriodSeconds: ptrTo[int64](5)}
		}, []string{"spec.containers[0].readinessProbe.terminationGracePeriodSeconds: Invalid value: 5: must not be set for readinessProbes"}},
		{"probe timing", func(p *Pod) {
			c0(p).StartupProbe = &Probe{ProbeHandler: ProbeHandler{HTTPGet: &HTTPGetAction{Path: "/", Port: intstr.FromString("http"),
				Scheme: "FTP"}}, PeriodSeconds: -1, SuccessThreshold: 1}
		}, []string{`spec.containers[0].startupProbe.httpGet.scheme: Unsupported value: "FTP": supported values: "HTTP", "HTTPS"`,
			"spec.containers[0].startupProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0"}},
		{"exec needs command", func(p *Pod) {
			c0(p).LivenessProbe = &Probe{ProbeHandler: ProbeHandler{Exec: &ExecAction{}}, SuccessThreshold: 1}
		}, []string{"spec.containers[0].livenessProbe.exec.command: Required value"}},
		{"httpGet path and port", func(p *Pod) {
			c0(p).LivenessProbe = &Probe{ProbeHandler: ProbeHandler{HTTPGet: &HTTPGetAction{Port: intstr.FromInt(0), Scheme: URISchemeHTTP,
				HTTPHeaders: []HTTPHeader{{Name: "X Bad", Value: "v"}}}}, SuccessThreshold: 1}
		}, []string{"spec.containers[0].livenessProbe.httpGet.path: Required value",
			"spec.containers[0].livenessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive",
			`spec.containers[0].livenessProbe.httpGet.httpHeaders[0].name: Invalid value: "X Bad": a valid HTTP header must consist of...`}},
		{"lifecycle", func(p *Pod) {
			c0(p).Lifecycle = &Lifecycle{PostStart: &LifecycleHandler{}, PreStop: &LifecycleHandler{Sleep: &SleepAction{Seconds: -1}}}
		}, []string{"spec.containers[0].lifecycle.postStart: Required value: must specify a handler type",
			"spec.containers[0].lifecycle.preStop.sleep.seconds: Invalid value: -1: must be greater than or equal to 0"}},
		{"init container probes forbidden", func(p *Pod) {
			p.Spec.InitContainers = []Container{{Name: "init", Image: "busybox", ImagePullPolicy: PullAlways,
				TerminationMessagePolicy: TerminationMessageReadFile,
				ReadinessProbe:           &Probe{ProbeHandler: ProbeHandler{Exec: &ExecAction{Command: []string{"true"}}}, SuccessThreshold: 1}}}
		}, []string{"spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"}},
		{"sidecar probes allowed", func(p *Pod) {
			p.Spec.InitContainers = []Container{{Name: "proxy", Image: "envoy", ImagePullPolicy: PullAlways,
				TerminationMessagePolicy: TerminationMessageReadFile, RestartPolicy: ptrTo(ContainerRestartPolicyAlways),
				ReadinessProbe: &Probe{ProbeHandler: ProbeHandler{Exec: &ExecAction{Command: []string{"true"}}}, SuccessThreshold: 1}}}
		}, nil},
		{"init restart policy", func(p *Pod) {
			p.Spec.InitContainers = []Container{{Name: "init", Image: "busybox", ImagePullPolicy: PullAlways,
				TerminationMessagePolicy: TerminationMessageReadFile, RestartPolicy: ptrTo(ContainerRestartPolicyOnFailure)}}
		}, []string{`spec.initContainers[0].restartPolicy: Unsupported value: "OnFailure": supported values: "Always"`}},
		{"env", func(p *Pod) {
			c0(p).Env = []EnvVar{
				{Name: "A=B"},
				{Name: ""},
				{Name: "X", Value: "v", ValueFrom: &EnvVarSource{FieldRef: &ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"}}},
				{Name: "Y", ValueFrom: &EnvVarSource{FieldRef: &ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.name"},
					SecretKeyRef: &SecretKeySelector{LocalObjectReference: LocalObjectReference{Name: "s"}, Key: "k"}}},
				{Name: "Z", ValueFrom: &EnvVarSource{FieldRef: &ObjectFieldSelector{APIVersion: "v1", FieldPath: "spec.containers"}}},
				{Name: "L", ValueFrom: &EnvVarSource{FieldRef: &ObjectFieldSelector{APIVersion: "v1", FieldPath: "metadata.labels['app']"}}},
				{Name: "C", ValueFrom: &EnvVarSource{ConfigMapKeyRef: &ConfigMapKeySelector{LocalObjectReference: LocalObjectReference{Name: "cm"}}}},
				{Name: "R", ValueFrom: &EnvVarSource{ResourceFieldRef: &ResourceFieldSelector{Resource: "limits.cpu", Divisor: resource.MustParse("1k")}}},
				{Name: "E", ValueFrom: &EnvVarSource{}},
			}
		}, []string{
			`spec.containers[0].env[0].name: Invalid value: "A=B": a valid environment variable name must consist only of printable ASCII characters other than '='`,
			"spec.containers[0].env[1].name: Required value",
			"spec.containers[0].env[2].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
			`spec.containers[0].env[3].valueFrom: Invalid value: "": may not have more than one field specified at a time`,
			`spec.containers[0].env[4].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.containers": supported values: "metadata.name", ...`,
			"spec.containers[0].env[6].valueFrom.configMapKeyRef.key: Required value",
			`spec.containers[0].env[7].valueFrom.resourceFieldRef.divisor: Invalid value: "1k": only divisor's values 1m, 1 are supported with the cpu resource`,
			"spec.containers[0].env[8].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef`, `secretKeyRef` or `fileKeyRef`",
		}},
		{"envFrom", func(p *Pod) {
			c0(p).EnvFrom = []EnvFromSource{{}, {ConfigMapRef: &ConfigMapEnvSource{}}, {Prefix: "P_", SecretRef: &SecretEnvSource{LocalObjectReference: LocalObjectReference{Name: "s"}}}}
		}, []string{"spec.containers[0].envFrom[0]: Invalid value: \"\": must specify one of: `configMapRef` or `secretRef`",
			"spec.containers[0].envFrom[1].configMapRef.name: Required value"}},
		{"fileKeyRef needs emptyDir volume", func(p *Pod) {
			c0(p).Env = []EnvVar{{Name: "F", ValueFrom: &EnvVarSource{FileKeyRef: &FileKeySelector{VolumeName: "claim", Path: "env", Key: "K"}}}}
		}, []string{`spec.containers[0].env[0].valueFrom.fileKeyRef.volumeName: Invalid value: "claim": referenced volume must be an emptyDir`}},
		{"volume mounts", func(p *Pod) {
			c0(p).VolumeMounts = []VolumeMount{
				{Name: "missing", MountPath: "/a"},
				{Name: "data", MountPath: ""},
				{Name: "data", MountPath: "/a", SubPath: "../etc"},
				{Name: "data", MountPath: "/b", SubPath: "x", SubPathExpr: "$(POD)"},
				{Name: "data", MountPath: "/c", RecursiveReadOnly: ptrTo(RecursiveReadOnlyEnabled)},
			}
		}, []string{`spec.containers[0].volumeMounts[0].name: Not found: "missing"`,
			"spec.containers[0].volumeMounts[1].mountPath: Required value",
			`spec.containers[0].volumeMounts[2].mountPath: Invalid value: "/a": must be unique`,
			`spec.containers[0].volumeMounts[2].subPath: Invalid value: "../etc": must not contain '..'`,
			`spec.containers[0].volumeMounts[3].subPathExpr: Invalid value: "$(POD)": subPathExpr and subPath are mutually exclusive`,
			"spec.containers[0].volumeMounts[4].recursiveReadOnly: Forbidden: may only be specified when readOnly is true"}},
		{"volume devices", func(p *Pod) {
			c0(p).VolumeDevices = []VolumeDevice{{Name: "data", DevicePath: "/dev/x"}, {Name: "claim", DevicePath: "/data"}}
		}, []string{`spec.containers[0].volumeDevices[0].name: Invalid value: "data": can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode`,
			`spec.containers[0].volumeDevices[1].devicePath: Invalid value: "/data": must not already exist as a path in volumeMounts`}},
		{"volume names", func(p *Pod) {
			p.Spec.Volumes = append(p.Spec.Volumes, Volume{Name: "data", VolumeSource: VolumeSource{EmptyDir: &EmptyDirVolumeSource{}}},
				Volume{Name: "Bad_Name", VolumeSource: VolumeSource{EmptyDir: &EmptyDirVolumeSource{}}})
		}, []string{`spec.volumes[2].name: Duplicate value: "data"`, `spec.volumes[3].name: Invalid value: "Bad_Name": a lowercase RFC 1123 label...`}},
		{"volume source count", func(p *Pod) {
			p.Spec.Volumes = append(p.Spec.Volumes, Volume{Name: "none"},
				Volume{Name: "two", VolumeSource: VolumeSource{EmptyDir: &EmptyDirVolumeSource{}, Secret: &SecretVolumeSource{SecretName: "s"}}})
		}, []string{"spec.volumes[2]: Required value: must specify a volume type",
			"spec.volumes[3].secret: Forbidden: may not specify more than 1 volume type"}},
		{"volume sources", func(p *Pod) {
			p.Spec.Volumes = append(p.Spec.Volumes,
				Volume{Name: "s", VolumeSource: VolumeSource{Secret: &SecretVolumeSource{DefaultMode: ptrTo[int32](0o1000)}}},
				Volume{Name: "c", VolumeSource: VolumeSource{ConfigMap: &ConfigMapVolumeSource{LocalObjectReference: LocalObjectReference{Name: "cm"},
					Items: []KeyToPath{{Key: "k", Path: "/etc/x"}}}}},
				Volume{Name: "p", VolumeSource: VolumeSource{PersistentVolumeClaim: &PersistentVolumeClaimVolumeSource{}}},
				Volume{Name: "h", VolumeSource: VolumeSource{HostPath: &HostPathVolumeSource{}}},
				Volume{Name: "n", VolumeSource: VolumeSource{NFS: &NFSVolumeSource{Server: "nfs", Path: "share"}}},
				Volume{Name: "e", VolumeSource: VolumeSource{Ephemeral: &EphemeralVolumeSource{VolumeClaimTemplate: &PersistentVolumeClaimTemplate{
					Spec: PersistentVolumeClaimSpec{Resources: VolumeResourceRequirements{Requests: ResourceList{ResourceStorage: resource.MustParse("1Gi")}}}}}}},
				Volume{Name: "pr", VolumeSource: VolumeSource{Projected: &ProjectedVolumeSource{Sources: []VolumeProjection{
					{ConfigMap: &ConfigMapProjection{LocalObjectReference: LocalObjectReference{Name: "a"}, Items: []KeyToPath{{Key: "k", Path: "f"}}}},
					{Secret: &SecretProjection{LocalObjectReference: LocalObjectReference{Name: "b"}, Items: []KeyToPath{{Key: "k", Path: "f"}}}},
					{ServiceAccountToken: &ServiceAccountTokenProjection{Path: "token", ExpirationSeconds: ptrTo[int64](60)}},
					{},
				}}}},
				Volume{Name: "g", VolumeSource: VolumeSource{GCEPersistentDisk: &GCEPersistentDiskVolumeSource{}}},
			)
		}, []string{"spec.volumes[2].secret.secretName: Required value",
			"spec.volumes[2].secret.defaultMode: Invalid value: 512: must be a number between 0 and 0777 (octal), both inclusive",
			`spec.volumes[3].configMap.items[0].path: Invalid value: "/etc/x": must be a relative path`,
			"spec.volumes[4].persistentVolumeClaim.claimName: Required value",
			"spec.volumes[5].hostPath.path: Required value",
			`spec.volumes[6].nfs.path: Invalid value: "share": must be an absolute path`,
			"spec.volumes[7].ephemeral.volumeClaimTemplate.spec.accessModes: Required value: at least 1 access mode is required",
			`spec.volumes[8].projected.sources[1].secret.items[0].path: Invalid value: "f": conflicting duplicate paths`,
			"spec.volumes[8].projected.sources[2].serviceAccountToken.expirationSeconds: Invalid value: 60: may not specify a duration less than 10 minutes",
			"spec.volumes[8].projected.sources[3]: Required value: must specify exactly one volume projection",
			"spec.volumes[9].gcePersistentDisk.pdName: Required value"}},
		{"node selector", func(p *Pod) { p.Spec.NodeSelector = map[string]string{"disk": "ssd!"} },
			[]string{`spec.nodeSelector[disk]: Invalid value: "ssd!": a valid label must be an empty string or...`}},
		{"tolerations", func(p *Pod) {
			p.Spec.Tolerations = []Toleration{
				{Key: "k", Operator: TolerationOpExists, Value: "v"},
				{Operator: TolerationOpEqual, Value: "v"},
				{Key: "k", Operator: TolerationOpEqual, Effect: TaintEffectNoSchedule, TolerationSeconds: ptrTo[int64](5)},
				{Key: "k", Operator: "Like"},
				{Key: "k", Effect: "Nope"},
				{Key: "bad key!", Operator: TolerationOpExists},
			}
		}, []string{"spec.tolerations[0].operator: Invalid value: \"v\": value must be empty when `operator` is 'Exists'",
			"spec.tolerations[1].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
			"spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
			`spec.tolerations[3].operator: Unsupported value: "Like": supported values: "Equal", "Exists"`,
			`spec.tolerations[4].effect: Unsupported value: "Nope": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
			`spec.tolerations[5].key: Invalid value: "bad key!": name part must consist of...`}},
		{"node affinity", func(p *Pod) {
			p.Spec.Affinity = &Affinity{NodeAffinity: &NodeAffinity{
				RequiredDuringSchedulingIgnoredDuringExecution: &NodeSelector{NodeSelectorTerms: []NodeSelectorTerm{{
					MatchExpressions: []NodeSelectorRequirement{
						{Key: "zone", Operator: NodeSelectorOpIn},
						{Key: "gen", Operator: NodeSelectorOpGt, Values: []string{"x"}},
						{Key: "gpu", Operator: NodeSelectorOpExists, Values: []string{"a"}},
						{Key: "k", Operator: "Near", Values: []string{"a"}},
					},
					MatchFields: []NodeSelectorRequirement{{Key: "metadata.labels", Operator: NodeSelectorOpIn, Values: []string{"a", "b"}}},
				}}},
				PreferredDuringSchedulingIgnoredDuringExecution: []PreferredSchedulingTerm{{Weight: 0}},
			}}
		}, []string{
			"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
			"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[1].values[0]: Invalid value: \"x\": must be an integer when `operator` is 'Lt' or 'Gt'",
			"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[2].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
			`spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[3].operator: Unsupported value: "Near": ...`,
			"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].values: Required value: must be only one value when `operator` is 'In' or 'NotIn' for node field selector",
			`spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchFields[0].key: Unsupported value: "metadata.labels": supported values: "metadata.name"`,
			"spec.affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 0: must be in the range 1-100",
		}},
		{"empty node selector terms", func(p *Pod) {
			p.Spec.Affinity = &Affinity{NodeAffinity: &NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &NodeSelector{}}}
		}, []string{"spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms: Required value: must have at least one node selector term"}},
		{"pod anti-affinity", func(p *Pod) {
			p.Spec.Affinity = &Affinity{PodAntiAffinity: &PodAntiAffinity{
				RequiredDuringSchedulingIgnoredDuringExecution: []PodAffinityTerm{{LabelSelector: &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}}}},
				PreferredDuringSchedulingIgnoredDuringExecution: []WeightedPodAffinityTerm{{Weight: 101, PodAffinityTerm: PodAffinityTerm{
					TopologyKey: LabelHostname, MatchLabelKeys: []string{"pod-template-hash"}}}},
			}}
		}, []string{"spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty",
			"spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].weight: Invalid value: 101: must be in the range 1-100",
			"spec.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.matchLabelKeys: Forbidden: must not be specified when labelSelector is not set"}},
		{"topology spread", func(p *Pod) {
			p.Spec.TopologySpreadConstraints = []TopologySpreadConstraint{
				{MaxSkew: 0, TopologyKey: LabelTopologyZone, WhenUnsatisfiable: DoNotSchedule},
				{MaxSkew: 1, TopologyKey: LabelTopologyZone, WhenUnsatisfiable: DoNotSchedule},
				{MaxSkew: 1, TopologyKey: LabelHostname, WhenUnsatisfiable: ScheduleAnyway, MinDomains: ptrTo[int32](2)},
				{MaxSkew: 1, WhenUnsatisfiable: "Maybe"},
			}
		}, []string{"spec.topologySpreadConstraints[0].maxSkew: Invalid value: 0: must be greater than zero",
			`spec.topologySpreadConstraints[1]: Duplicate value: "{topology.kubernetes.io/zone, DoNotSchedule}"`,
			"spec.topologySpreadConstraints[2].minDomains: Invalid value: 2: can only use minDomains if whenUnsatisfiable=DoNotSchedule",
			"spec.topologySpreadConstraints[3].topologyKey: Required value: can not be empty",
			`spec.topologySpreadConstraints[3].whenUnsatisfiable: Unsupported value: "Maybe": supported values: "DoNotSchedule", "ScheduleAnyway"`}},
		{"grace period and deadline", func(p *Pod) {
			p.Spec.TerminationGracePeriodSeconds = ptrTo[int64](-1)
			p.Spec.ActiveDeadlineSeconds = ptrTo[int64](0)
		}, []string{"spec.terminationGracePeriodSeconds: Invalid value: -1: must be greater than or equal to 0",
			"spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive"}},
		{"hostname and subdomain", func(p *Pod) { p.Spec.Hostname = "Host_1"; p.Spec.Subdomain = "a.b" },
			[]string{`spec.hostname: Invalid value: "Host_1": a lowercase RFC 1123 label...`,
				`spec.subdomain: Invalid value: "a.b": a lowercase RFC 1123 label...`}},
		{"names of other objects", func(p *Pod) { p.Spec.ServiceAccountName = "SA"; p.Spec.NodeName = "node_1" },
			[]string{`spec.serviceAccountName: Invalid value: "SA": a lowercase RFC 1123 subdomain...`,
				`spec.nodeName: Invalid value: "node_1": a lowercase RFC 1123 subdomain...`}},
		{"host aliases", func(p *Pod) { p.Spec.HostAliases = []HostAlias{{IP: "999.1.1.1", Hostnames: []string{"ok.example"}}} },
			[]string{`spec.hostAliases[0].ip: Invalid value: "999.1.1.1": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)`}},
		{"readiness and scheduling gates", func(p *Pod) {
			p.Spec.ReadinessGates = []PodReadinessGate{{ConditionType: "example.com/ready"}, {ConditionType: "bad gate"}}
			p.Spec.SchedulingGates = []PodSchedulingGate{{Name: "example.com/wait"}, {Name: "example.com/wait"}}
		}, []string{`spec.readinessGates[1].conditionType: Invalid value: "bad gate": name part must consist of...`,
			`spec.schedulingGates[1]: Duplicate value: "example.com/wait"`}},
		{"security context", func(p *Pod) {
			p.Spec.SecurityContext = &PodSecurityContext{RunAsUser: ptrTo[int64](-1), SeccompProfile: &SeccompProfile{Type: SeccompProfileTypeLocalhost}}
			c0(p).SecurityContext = &SecurityContext{Privileged: ptrTo(true), AllowPrivilegeEscalation: ptrTo(false),
				AppArmorProfile: &AppArmorProfile{Type: AppArmorProfileTypeRuntimeDefault, LocalhostProfile: ptrTo("x")}}
		}, []string{"spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive",
			"spec.securityContext.seccompProfile.localhostProfile: Required value: must be set when seccomp type is Localhost",
			"spec.containers[0].securityContext: Invalid value: \"\": cannot set `allowPrivilegeEscalation` to false and `privileged` to true",
			`spec.containers[0].securityContext.appArmorProfile.localhostProfile: Invalid value: "x": can only be set when ` + "`type`" + ` is "Localhost"`}},
		{"host users", func(p *Pod) { p.Spec.HostUsers = ptrTo(false); p.Spec.HostPID = true },
			[]string{"spec.hostPID: Forbidden: when `hostUsers` is false"}},
		{"os", func(p *Pod) { p.Spec.OS = &PodOS{Name: "plan9"} },
			[]string{`spec.os.name: Unsupported value: "plan9": supported values: "linux", "windows"`}},
		{"ephemeral containers forbidden on create", func(p *Pod) {
			p.Spec.EphemeralContainers = []EphemeralContainer{{EphemeralContainerCommon: EphemeralContainerCommon{Name: "debug", Image: "busybox",
				ImagePullPolicy: PullAlways, TerminationMessagePolicy: TerminationMessageReadFile}}}
		}, []string{"spec.ephemeralContainers: Forbidden: cannot be set on create"}},
		{"resize policy", func(p *Pod) {
			c0(p).ResizePolicy = []ContainerResizePolicy{{ResourceName: ResourceCPU, RestartPolicy: NotRequired},
				{ResourceName: ResourceCPU, RestartPolicy: "Maybe"}, {ResourceName: "gpu", RestartPolicy: RestartContainer}}
		}, []string{`spec.containers[0].resizePolicy[1].resourceName: Duplicate value: "cpu"`,
			`spec.containers[0].resizePolicy[1].restartPolicy: Unsupported value: "Maybe": supported values: "NotRequired", "RestartContainer"`,
			`spec.containers[0].resizePolicy[2].resourceName: Unsupported value: "gpu": supported values: "cpu", "memory"`}},
		{"overhead and pod resources", func(p *Pod) {
			p.Spec.Overhead = ResourceList{ResourceCPU: resource.MustParse("-1")}
			p.Spec.Resources = &ResourceRequirements{Limits: ResourceList{ResourceCPU: resource.MustParse("1"), ResourceEphemeralStorage: resource.MustParse("1Gi")},
				Requests: ResourceList{ResourceCPU: resource.MustParse("2")}}
		}, []string{`spec.overhead[cpu]: Invalid value: "-1": must be greater than or equal to 0`,
			`spec.resources.requests[cpu]: Invalid value: "2": must be less than or equal to cpu limit of 1`,
			`spec.resources.limits[ephemeral-storage]: Unsupported value: "ephemeral-storage": supported values: "cpu", "memory", "hugepages-*"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := validPod()
			tt.mutate(p)
			checkErrors(t, ValidatePod(p), tt.want)
		})
	}
}

func TestValidatePodTemplateSpec(t *testing.T) {
	p := validPod()
	tmpl := &PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}}, Spec: p.Spec}
	checkErrors(t, ValidatePodTemplateSpec(tmpl, validation.NewPath("spec", "template")), nil)

	tmpl.Labels["bad key!"] = "x"
	tmpl.Spec.Containers[0].Image = ""
	tmpl.Spec.EphemeralContainers = []EphemeralContainer{{EphemeralContainerCommon: EphemeralContainerCommon{Name: "d", Image: "d",
		ImagePullPolicy: PullAlways, TerminationMessagePolicy: TerminationMessageReadFile, Ports: []ContainerPort{{ContainerPort: 1, Protocol: ProtocolTCP}}}}}
	checkErrors(t, ValidatePodTemplateSpec(tmpl, validation.NewPath("spec", "template")), []string{
		`spec.template.metadata.labels: Invalid value: "bad key!": name part must consist of...`,
		"spec.template.spec.containers[0].image: Required value",
		"spec.template.spec.ephemeralContainers: Forbidden: ephemeral containers not allowed in pod template",
		"spec.template.spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container",
	})
	// ValidatePodSpec is the template flavour: whitespace in images is the pod's concern.
	spec := validPod().Spec
	spec.Containers[0].Image = "nginx "
	checkErrors(t, ValidatePodSpec(&spec, validation.NewPath("spec")), nil)
}
