package core

import (
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

func TestValidateNode(t *testing.T) {
	valid := func() *Node {
		n := &Node{Spec: NodeSpec{PodCIDR: "10.244.1.0/24", PodCIDRs: []string{"10.244.1.0/24", "fd00::/64"},
			Taints: []Taint{{Key: TaintNodeUnreachable, Effect: TaintEffectNoExecute}}},
			Status: NodeStatus{Capacity: ResourceList{ResourceCPU: resource.MustParse("4"), ResourcePods: resource.MustParse("110"),
				"hugepages-2Mi": resource.MustParse("0"), "example.com/gpu": resource.MustParse("2")}}}
		n.Name = "node-1"
		DefaultNode(n)
		return n
	}
	tests := []struct {
		name   string
		mutate func(*Node)
		want   []string
	}{
		{"valid", func(*Node) {}, nil},
		{"namespace forbidden", func(n *Node) { n.Namespace = "default" }, []string{"metadata.namespace: Forbidden: not allowed on this type"}},
		{"taints", func(n *Node) {
			n.Spec.Taints = append(n.Spec.Taints, Taint{Key: TaintNodeUnreachable, Effect: TaintEffectNoExecute, Value: "x"},
				Taint{Key: "", Effect: "Sometimes"}, Taint{Key: "k", Value: "bad value!", Effect: TaintEffectNoSchedule})
		}, []string{`spec.taints[1]: Duplicate value: "node.kubernetes.io/unreachable:NoExecute: taints must be unique by key and effect pair"`,
			"spec.taints[2].key: Required value",
			`spec.taints[2].effect: Unsupported value: "Sometimes": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"`,
			`spec.taints[3].value: Invalid value: "bad value!": a valid label must be an empty string or...`}},
		{"cidrs", func(n *Node) { n.Spec.PodCIDRs = []string{"10.244.1.0/24", "10.245.0.0/16", "nope"} },
			[]string{`spec.podCIDRs: Invalid value: ...: may specify no more than one CIDR for each IP family`,
				`spec.podCIDRs[2]: Invalid value: "nope": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)`}},
		{"capacity", func(n *Node) {
			n.Status.Capacity[ResourcePods] = resource.MustParse("1.5")
			n.Status.Allocatable["widgets"] = resource.MustParse("1")
		}, []string{`status.capacity[pods]: Invalid value: "1500m": must be an integer`,
			`status.allocatable[widgets]: Invalid value: "widgets": must be a standard resource ...`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := valid()
			tt.mutate(n)
			checkErrors(t, ValidateNode(n), tt.want)
		})
	}

	old := valid()
	old.Spec.ProviderID = "sim://node-1"
	n := old.DeepCopy()
	n.Spec.Unschedulable = true
	n.Spec.Taints = append(n.Spec.Taints, Taint{Key: TaintNodeUnschedulable, Effect: TaintEffectNoSchedule})
	checkErrors(t, ValidateNodeUpdate(n, old), nil)
	n.Spec.PodCIDR, n.Spec.PodCIDRs, n.Spec.ProviderID = "10.244.2.0/24", []string{"10.244.2.0/24"}, "sim://other"
	checkErrors(t, ValidateNodeUpdate(n, old), []string{
		`spec.podCIDR: Forbidden: node updates may not change podCIDR except from "" to valid`,
		`spec.podCIDRs: Forbidden: node updates may not change podCIDR except from "" to valid`,
		`spec.providerID: Forbidden: node updates may not change providerID except from "" to valid`})
}

func TestValidateNamespace(t *testing.T) {
	ns := &Namespace{Spec: NamespaceSpec{Finalizers: []FinalizerName{FinalizerKubernetes, "example.com/cleanup"}}}
	ns.Name = "team-a"
	checkErrors(t, ValidateNamespace(ns), nil)

	bad := ns.DeepCopy()
	bad.Name = "team.a"
	bad.Spec.Finalizers = []FinalizerName{"cleanup"}
	checkErrors(t, ValidateNamespace(bad), []string{`metadata.name: Invalid value: "team.a": a lowercase RFC 1123 label...`,
		`spec.finalizers[0]: Invalid value: "cleanup": name is neither a standard finalizer name nor is it fully qualified`})

	upd := ns.DeepCopy()
	upd.Labels = map[string]string{"env": "prod"}
	checkErrors(t, ValidateNamespaceUpdate(upd, ns), nil)
	upd.Name = "team-b"
	checkErrors(t, ValidateNamespaceUpdate(upd, ns), []string{`metadata.name: Invalid value: "team-b": field is immutable`})
}

func validPVC() *PersistentVolumeClaim {
	c := &PersistentVolumeClaim{Spec: PersistentVolumeClaimSpec{AccessModes: []PersistentVolumeAccessMode{ReadWriteOnce},
		Resources: VolumeResourceRequirements{Requests: ResourceList{ResourceStorage: resource.MustParse("1Gi")}}}}
	c.Name, c.Namespace = "data-web-0", "default"
	DefaultPVC(c)
	return c
}

func TestValidatePVC(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*PersistentVolumeClaim)
		want   []string
	}{
		{"valid", func(*PersistentVolumeClaim) {}, nil},
		{"access modes", func(c *PersistentVolumeClaim) { c.Spec.AccessModes = nil },
			[]string{"spec.accessModes: Required value: at least 1 access mode is required"}},
		{"unknown access mode", func(c *PersistentVolumeClaim) { c.Spec.AccessModes = []PersistentVolumeAccessMode{"ReadSometimes"} },
			[]string{`spec.accessModes: Unsupported value: "ReadSometimes": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"`}},
		{"ReadWriteOncePod alone", func(c *PersistentVolumeClaim) {
			c.Spec.AccessModes = []PersistentVolumeAccessMode{ReadWriteOncePod, ReadWriteOnce}
		}, []string{"spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"}},
		{"storage required", func(c *PersistentVolumeClaim) { c.Spec.Resources.Requests = nil },
			[]string{"spec.resources.requests[storage]: Required value"}},
		{"storage positive", func(c *PersistentVolumeClaim) { c.Spec.Resources.Requests[ResourceStorage] = resource.MustParse("0") },
			[]string{`spec.resources.requests[storage]: Invalid value: "0": must be greater than zero`}},
		{"volume mode and class", func(c *PersistentVolumeClaim) {
			c.Spec.VolumeMode = ptrTo[PersistentVolumeMode]("Tape")
			c.Spec.StorageClassName = ptrTo("Fast_SSD")
		}, []string{`spec.volumeMode: Unsupported value: "Tape": supported values: "Block", "Filesystem"`,
			`spec.storageClassName: Invalid value: "Fast_SSD": a lowercase RFC 1123 subdomain...`}},
		{"selector", func(c *PersistentVolumeClaim) {
			c.Spec.Selector = &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "tier", Operator: meta.LabelSelectorOpIn}}}
		}, []string{"spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"}},
		{"data source", func(c *PersistentVolumeClaim) {
			c.Spec.DataSource = &TypedLocalObjectReference{Kind: "Secret"}
			c.Spec.DataSourceRef = &TypedObjectReference{APIGroup: ptrTo("snapshot.storage.k8s.io"), Kind: "VolumeSnapshot", Name: "snap"}
		}, []string{"spec.dataSource.name: Required value",
			`spec.dataSource.kind: Invalid value: "Secret": must be 'PersistentVolumeClaim' when referencing the default apiGroup`,
			`spec: Invalid value: "": must match dataSourceRef`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := validPVC()
			tt.mutate(c)
			checkErrors(t, ValidatePVC(c), tt.want)
		})
	}
}

func TestValidatePVCUpdate(t *testing.T) {
	const immutable = "spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims"
	tests := []struct {
		name   string
		mutate func(*PersistentVolumeClaim)
		want   []string
	}{
		{"grow", func(c *PersistentVolumeClaim) { c.Spec.Resources.Requests[ResourceStorage] = resource.MustParse("2Gi") }, nil},
		{"same size, other spelling", func(c *PersistentVolumeClaim) {
			c.Spec.Resources.Requests[ResourceStorage] = resource.MustParse("1024Mi")
		}, nil},
		{"shrink", func(c *PersistentVolumeClaim) {
			c.Spec.Resources.Requests[ResourceStorage] = resource.MustParse("512Mi")
		},
			[]string{"spec.resources.requests.storage: Forbidden: field can not be less than previous value", immutable}},
		{"bind", func(c *PersistentVolumeClaim) { c.Spec.VolumeName = "pv-1" }, nil},
		{"access modes", func(c *PersistentVolumeClaim) { c.Spec.AccessModes = []PersistentVolumeAccessMode{ReadWriteMany} },
			[]string{immutable}},
		{"storage class", func(c *PersistentVolumeClaim) { c.Spec.StorageClassName = ptrTo("fast") }, []string{immutable}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validPVC()
			c := old.DeepCopy()
			tt.mutate(c)
			checkErrors(t, ValidatePVCUpdate(c, old), tt.want)
		})
	}
	// A bound volume name cannot change.
	old := validPVC()
	old.Spec.VolumeName = "pv-1"
	c := old.DeepCopy()
	c.Spec.VolumeName = "pv-2"
	checkErrors(t, ValidatePVCUpdate(c, old), []string{immutable})
}

func TestValidateConfigMap(t *testing.T) {
	cm := &ConfigMap{Data: map[string]string{"app.properties": "a=b", "KEY_1": "v"}, BinaryData: map[string][]byte{"logo.png": {1, 2}}}
	cm.Name, cm.Namespace = "config", "default"
	checkErrors(t, ValidateConfigMap(cm), nil)

	bad := cm.DeepCopy()
	bad.Data["bad/key"] = ""
	bad.Data[".."] = ""
	bad.BinaryData["KEY_1"] = nil
	checkErrors(t, ValidateConfigMap(bad), []string{
		`data[bad/key]: Invalid value: "bad/key": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', or 'KEY_NAME', or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
		`data[..]: Invalid value: "..": must not be '..'`,
		`binaryData[KEY_1]: Invalid value: "KEY_1": duplicate of key present in data`})

	big := cm.DeepCopy()
	big.Data["big"] = strings.Repeat("x", MaxConfigMapSize)
	checkErrors(t, ValidateConfigMap(big), []string{`: Too long: must have at most 1048576 bytes`})

	// Immutable config maps.
	old := cm.DeepCopy()
	old.Immutable = ptrTo(true)
	upd := old.DeepCopy()
	upd.Labels = map[string]string{"a": "b"}
	checkErrors(t, ValidateConfigMapUpdate(upd, old), nil)
	upd.Data["KEY_1"] = "changed"
	upd.Immutable = nil
	checkErrors(t, ValidateConfigMapUpdate(upd, old), []string{
		"immutable: Forbidden: field is immutable when `immutable` is set",
		"data: Forbidden: field is immutable when `immutable` is set"})
	mutable := cm.DeepCopy()
	mutable.Data["KEY_1"] = "changed"
	checkErrors(t, ValidateConfigMapUpdate(mutable, cm), nil)
}

func TestValidateSecret(t *testing.T) {
	tests := []struct {
		name string
		s    Secret
		want []string
	}{
		{"opaque", Secret{Type: SecretTypeOpaque, Data: map[string][]byte{"password": []byte("x")}}, nil},
		{"bad key", Secret{Type: SecretTypeOpaque, Data: map[string][]byte{"a b": nil}},
			[]string{`data[a b]: Invalid value: "a b": a valid config key must consist of...`}},
		{"tls needs keys", Secret{Type: SecretTypeTLS, Data: map[string][]byte{"tls.crt": nil}},
			[]string{"data[tls.key]: Required value"}},
		{"basic auth needs one", Secret{Type: SecretTypeBasicAuth},
			[]string{"data[username]: Required value", "data[password]: Required value"}},
		{"docker config json", Secret{Type: SecretTypeDockerConfigJSON, Data: map[string][]byte{".dockerconfigjson": []byte("{")}},
			[]string{`data[.dockerconfigjson]: Invalid value: "<secret contents redacted>": unexpected end of JSON input`}},
		{"ssh", Secret{Type: SecretTypeSSHAuth}, []string{"data[ssh-privatekey]: Required value"}},
		{"service account token", Secret{Type: SecretTypeServiceAccountToken},
			[]string{"metadata.annotations[kubernetes.io/service-account.name]: Required value"}},
		{"custom type", Secret{Type: "example.com/token"}, nil},
		{"bad type", Secret{Type: "not a type"}, []string{`type: Invalid value: "not a type": name part must consist of...`}},
		{"too big", Secret{Type: SecretTypeOpaque, Data: map[string][]byte{"a": make([]byte, MaxSecretSize), "b": {1}}},
			[]string{"data: Too long: must have at most 1048576 bytes"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tt.s
			s.Name, s.Namespace = "s", "default"
			checkErrors(t, ValidateSecret(&s), tt.want)
		})
	}
	old := &Secret{Type: SecretTypeOpaque, Immutable: ptrTo(true), Data: map[string][]byte{"a": []byte("1")}}
	old.Name, old.Namespace = "s", "default"
	upd := old.DeepCopy()
	upd.Type = SecretTypeTLS
	upd.Data["a"] = []byte("2")
	checkErrors(t, ValidateSecretUpdate(upd, old), []string{
		`type: Invalid value: "kubernetes.io/tls": field is immutable`,
		"data[tls.crt]: Required value", "data[tls.key]: Required value",
		"data: Forbidden: field is immutable when `immutable` is set"})
}

func validService() *Service {
	s := &Service{Spec: ServiceSpec{Selector: map[string]string{"app": "web"},
		Ports: []ServicePort{{Name: "http", Port: 80, TargetPort: intstr.FromString("http")}, {Name: "metrics", Port: 9090}}}}
	s.Name, s.Namespace = "web", "default"
	DefaultService(s)
	return s
}

func TestValidateService(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Service)
		want   []string
	}{
		{"valid", func(*Service) {}, nil},
		{"name is a DNS-1035 label", func(s *Service) { s.Name = "1web" },
			[]string{`metadata.name: Invalid value: "1web": a DNS-1035 label must consist of...`}},
		{"type", func(s *Service) { s.Spec.Type = "Mesh" },
			[]string{`spec.type: Unsupported value: "Mesh": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"`}},
		{"ports required", func(s *Service) { s.Spec.Ports = nil }, []string{"spec.ports: Required value"}},
		{"headless needs no ports", func(s *Service) { s.Spec.Ports = nil; s.Spec.ClusterIP = ClusterIPNone }, nil},
		{"ports", func(s *Service) {
			s.Spec.Ports = append(s.Spec.Ports,
				ServicePort{Port: 0, Protocol: "ICMP", TargetPort: intstr.FromInt(70000)},
				ServicePort{Name: "http", Port: 80, Protocol: ProtocolTCP, TargetPort: intstr.FromString("Bad_Name")},
				ServicePort{Name: "np", Port: 81, Protocol: ProtocolTCP, TargetPort: intstr.FromInt(81), NodePort: 30080})
		}, []string{"spec.ports[2].name: Required value",
			"spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive",
			`spec.ports[2].protocol: Unsupported value: "ICMP": supported values: "SCTP", "TCP", "UDP"`,
			"spec.ports[2].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
			`spec.ports[3].name: Duplicate value: "http"`,
			`spec.ports[3].targetPort: Invalid value: "Bad_Name": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)`,
			`spec.ports[3]: Duplicate value: "80/TCP"`,
			"spec.ports[4].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"}},
		{"cluster IPs", func(s *Service) { s.Spec.ClusterIP = "10.0.0.1"; s.Spec.ClusterIPs = []string{"10.0.0.2", "bad"} },
			[]string{"spec.clusterIPs[0]: Invalid value: \"10.0.0.2\": must match `clusterIP` if specified",
				`spec.clusterIPs[1]: Invalid value: "bad": must be empty, 'None', or a valid IP address`}},
		{"external name", func(s *Service) {
			s.Spec.Type = ServiceTypeExternalName
			s.Spec.ExternalName = "db.example.com."
			s.Spec.InternalTrafficPolicy = nil
		}, nil},
		{"external name required", func(s *Service) { s.Spec.Type = ServiceTypeExternalName; s.Spec.InternalTrafficPolicy = nil },
			[]string{"spec.externalName: Required value"}},
		{"session affinity", func(s *Service) {
			s.Spec.SessionAffinity = ServiceAffinityClientIP
			s.Spec.SessionAffinityConfig = &SessionAffinityConfig{ClientIP: &ClientIPConfig{TimeoutSeconds: ptrTo[int32](0)}}
		}, []string{"spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"}},
		{"traffic policy on cluster IP", func(s *Service) { s.Spec.ExternalTrafficPolicy = ServiceExternalTrafficPolicyLocal },
			[]string{`spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services`}},
		{"load balancer fields", func(s *Service) { s.Spec.LoadBalancerSourceRanges = []string{"10.0.0.0/8"} },
			[]string{"spec.loadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"}},
		{"selector", func(s *Service) { s.Spec.Selector = map[string]string{"app": "web!"} },
			[]string{`spec.selector[app]: Invalid value: "web!": a valid label must be an empty string or...`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := validService()
			tt.mutate(s)
			checkErrors(t, ValidateService(s), tt.want)
		})
	}
	old := validService()
	old.Spec.ClusterIP = "10.96.0.10"
	upd := old.DeepCopy()
	upd.Spec.Ports[0].Port = 8080
	checkErrors(t, ValidateServiceUpdate(upd, old), nil)
	upd.Spec.ClusterIP = "10.96.0.11"
	checkErrors(t, ValidateServiceUpdate(upd, old), []string{`spec.clusterIP: Invalid value: "10.96.0.11": field is immutable`})
}

func TestValidateEvent(t *testing.T) {
	legacy := func() *Event {
		e := &Event{InvolvedObject: ObjectReference{Kind: "Pod", Namespace: "default", Name: "web-0"},
			Reason: "Scheduled", Message: "assigned", Type: EventTypeNormal, Count: 1}
		e.Name, e.Namespace = "web-0.17a1b2c3d4e5f6a7", "default"
		return e
	}
	checkErrors(t, ValidateEvent(legacy()), nil)

	e := legacy()
	e.InvolvedObject.Namespace = "other"
	checkErrors(t, ValidateEvent(e), []string{`involvedObject.namespace: Invalid value: "other": does not match event.namespace`})

	node := legacy()
	node.InvolvedObject = ObjectReference{Kind: "Node", Name: "node-1"}
	checkErrors(t, ValidateEvent(node), nil)

	fresh := legacy()
	fresh.EventTime = meta.NewMicroTime(time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC))
	fresh.ReportingController, fresh.ReportingInstance, fresh.Action = "skiff.dev/scheduler", "scheduler-0", "Binding"
	checkErrors(t, ValidateEvent(fresh), nil)

	fresh.ReportingController, fresh.ReportingInstance, fresh.Action, fresh.Type = "", strings.Repeat("x", 129), "", "Info"
	fresh.Series = &EventSeries{Count: 1}
	checkErrors(t, ValidateEvent(fresh), []string{"reportingComponent: Required value",
		`reportingInstance: Invalid value: "": can have at most 128 characters`,
		"action: Required value",
		`type: Unsupported value: "Info": supported values: "Normal", "Warning"`,
		"series.count: Invalid value: 1: should be at least 2",
		"series.lastObservedTime: Required value"})

	upd := legacy()
	upd.Count, upd.LastTimestamp = 2, meta.NewTime(time.Now())
	checkErrors(t, ValidateEventUpdate(upd, legacy()), nil)
}
