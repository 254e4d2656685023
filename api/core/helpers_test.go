package core

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

func TestPodConditions(t *testing.T) {
	t0 := meta.NewTime(time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC))
	t1 := meta.NewTime(t0.Add(time.Minute))
	st := &PodStatus{}
	if GetPodCondition(st, PodReady) != nil || IsPodReady(&Pod{Status: *st}) {
		t.Fatal("empty status has a Ready condition")
	}
	if !UpdatePodCondition(st, &PodCondition{Type: PodReady, Status: ConditionFalse, Reason: "ContainersNotReady", LastTransitionTime: t0}) {
		t.Fatal("adding a condition reported no change")
	}
	// Same status, new reason: changed, but the transition time stays.
	if !UpdatePodCondition(st, &PodCondition{Type: PodReady, Status: ConditionFalse, Reason: "Other", LastTransitionTime: t1}) {
		t.Fatal("reason change reported no change")
	}
	if c := GetPodCondition(st, PodReady); !c.LastTransitionTime.Equal(&t0) || c.Reason != "Other" {
		t.Fatalf("condition = %+v", c)
	}
	// Identical update: no change.
	if UpdatePodCondition(st, &PodCondition{Type: PodReady, Status: ConditionFalse, Reason: "Other", LastTransitionTime: t1}) {
		t.Fatal("identical update reported a change")
	}
	// Status change: new transition time.
	if !UpdatePodCondition(st, &PodCondition{Type: PodReady, Status: ConditionTrue, LastTransitionTime: t1}) {
		t.Fatal("status change reported no change")
	}
	if c := GetPodReadyCondition(st); !c.LastTransitionTime.Equal(&t1) || !IsPodReadyConditionTrue(st) {
		t.Fatalf("condition = %+v", c)
	}
	if len(st.Conditions) != 1 {
		t.Fatalf("conditions = %+v", st.Conditions)
	}
	if GetPodCondition(nil, PodReady) != nil {
		t.Fatal("nil status")
	}
}

func TestIsPodAvailable(t *testing.T) {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	readySince := func(status ConditionStatus, ago time.Duration) *Pod {
		return &Pod{Status: PodStatus{Conditions: []PodCondition{{Type: PodReady, Status: status,
			LastTransitionTime: meta.NewTime(now.Add(-ago))}}}}
	}
	tests := []struct {
		name       string
		pod        *Pod
		minReady   int32
		wantResult bool
	}{
		{"not ready", readySince(ConditionFalse, time.Hour), 0, false},
		{"no condition", &Pod{}, 0, false},
		{"ready, no minReadySeconds", readySince(ConditionTrue, 0), 0, true},
		{"ready long enough", readySince(ConditionTrue, 11*time.Second), 10, true},
		{"ready exactly minReadySeconds", readySince(ConditionTrue, 10*time.Second), 10, false},
		{"ready too briefly", readySince(ConditionTrue, 5*time.Second), 10, false},
		{"ready without transition time", &Pod{Status: PodStatus{Conditions: []PodCondition{{Type: PodReady, Status: ConditionTrue}}}}, 10, false},
	}
	for _, tt := range tests {
		if got := IsPodAvailable(tt.pod, tt.minReady, now); got != tt.wantResult {
			t.Errorf("%s: IsPodAvailable = %v, want %v", tt.name, got, tt.wantResult)
		}
	}
}

func TestPodLifecyclePredicates(t *testing.T) {
	deleting := meta.NewTime(time.Now())
	tests := []struct {
		phase            PodPhase
		deleted          bool
		terminal, active bool
	}{
		{PodPending, false, false, true},
		{PodRunning, false, false, true},
		{PodRunning, true, false, false},
		{PodSucceeded, false, true, false},
		{PodFailed, false, true, false},
		{PodUnknown, false, false, true},
	}
	for _, tt := range tests {
		p := &Pod{Status: PodStatus{Phase: tt.phase}}
		if tt.deleted {
			p.DeletionTimestamp = &deleting
		}
		if IsPodTerminal(p) != tt.terminal || IsPodActive(p) != tt.active {
			t.Errorf("%s deleted=%v: terminal=%v active=%v", tt.phase, tt.deleted, IsPodTerminal(p), IsPodActive(p))
		}
	}
	if IsPodScheduled(&Pod{}) || !IsPodScheduled(&Pod{Spec: PodSpec{NodeName: "n"}}) {
		t.Error("IsPodScheduled")
	}
	statuses := []ContainerStatus{{Name: "a"}, {Name: "b", RestartCount: 2}}
	if s := GetContainerStatus(statuses, "b"); s == nil || s.RestartCount != 2 || GetContainerStatus(statuses, "c") != nil {
		t.Error("GetContainerStatus")
	}
}

func rl(kv ...string) ResourceList {
	out := ResourceList{}
	for i := 0; i < len(kv); i += 2 {
		out[ResourceName(kv[i])] = resource.MustParse(kv[i+1])
	}
	return out
}

func ctr(name string, requests ResourceList, sidecar bool) Container {
	c := Container{Name: name, Resources: ResourceRequirements{Requests: requests}}
	if sidecar {
		c.RestartPolicy = ptrTo(ContainerRestartPolicyAlways)
	}
	return c
}

func TestPodRequests(t *testing.T) {
	tests := []struct {
		name string
		spec PodSpec
		want ResourceList
	}{
		{"empty", PodSpec{}, rl()},
		{"sum of containers", PodSpec{Containers: []Container{ctr("a", rl("cpu", "100m", "memory", "64Mi"), false),
			ctr("b", rl("cpu", "200m"), false)}}, rl("cpu", "300m", "memory", "64Mi")},
		{"init container larger", PodSpec{
			InitContainers: []Container{ctr("init", rl("cpu", "1", "memory", "1Gi"), false)},
			Containers:     []Container{ctr("a", rl("cpu", "500m", "memory", "2Gi"), false)},
		}, rl("cpu", "1", "memory", "2Gi")},
		{"sidecars add to both", PodSpec{
			InitContainers: []Container{
				ctr("init1", rl("cpu", "1"), false),
				ctr("sidecar", rl("cpu", "200m"), true),
				ctr("init2", rl("cpu", "900m"), false),
			},
			Containers: []Container{ctr("a", rl("cpu", "500m"), false)},
		}, rl("cpu", "1100m")},
		{"sidecars before an init container count for it", PodSpec{
			InitContainers: []Container{ctr("sidecar", rl("memory", "1Gi"), true), ctr("init", rl("memory", "2Gi"), false)},
			Containers:     []Container{ctr("a", rl("memory", "512Mi"), false)},
		}, rl("memory", "3Gi")},
		{"overhead", PodSpec{Containers: []Container{ctr("a", rl("cpu", "100m"), false)}, Overhead: rl("cpu", "10m", "memory", "1Mi")},
			rl("cpu", "110m", "memory", "1Mi")},
		{"pod-level requests win", PodSpec{Containers: []Container{ctr("a", rl("cpu", "100m", "memory", "1Gi"), false)},
			Resources: &ResourceRequirements{Requests: rl("cpu", "2")}}, rl("cpu", "2", "memory", "1Gi")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := PodRequests(&Pod{Spec: tt.spec})
			if d := semanticDiff(got, tt.want, "requests", 5); len(d) > 0 {
				t.Errorf("PodRequests = %v, want %v", got, tt.want)
			}
		})
	}
	// The result is independent of the pod.
	p := &Pod{Spec: PodSpec{Containers: []Container{ctr("a", rl("cpu", "1"), false)}}}
	got := PodRequests(p)
	q := got[ResourceCPU]
	q.Add(resource.MustParse("1"))
	got[ResourceCPU] = q
	if p.Spec.Containers[0].Resources.Requests.Cpu().String() != "1" {
		t.Error("PodRequests aliases the pod's quantities")
	}
}

func TestComputePodQOS(t *testing.T) {
	withLimits := func(req, lim ResourceList) Container {
		return Container{Resources: ResourceRequirements{Requests: req, Limits: lim}}
	}
	tests := []struct {
		name       string
		containers []Container
		want       PodQOSClass
	}{
		{"best effort", []Container{{}}, PodQOSBestEffort},
		{"only extended resources", []Container{withLimits(rl("example.com/gpu", "1"), rl("example.com/gpu", "1"))}, PodQOSBestEffort},
		{"guaranteed", []Container{withLimits(rl("cpu", "1", "memory", "1Gi"), rl("cpu", "1", "memory", "1Gi"))}, PodQOSGuaranteed},
		{"guaranteed, equal in other spellings", []Container{withLimits(rl("cpu", "1000m", "memory", "1024Mi"), rl("cpu", "1", "memory", "1Gi"))}, PodQOSGuaranteed},
		{"requests below limits", []Container{withLimits(rl("cpu", "500m", "memory", "1Gi"), rl("cpu", "1", "memory", "1Gi"))}, PodQOSBurstable},
		{"no memory limit", []Container{withLimits(rl("cpu", "1"), rl("cpu", "1"))}, PodQOSBurstable},
		{"one container without limits", []Container{withLimits(rl("cpu", "1", "memory", "1Gi"), rl("cpu", "1", "memory", "1Gi")), {}}, PodQOSBurstable},
	}
	for _, tt := range tests {
		if got := ComputePodQOS(&Pod{Spec: PodSpec{Containers: tt.containers}}); got != tt.want {
			t.Errorf("%s: ComputePodQOS = %s, want %s", tt.name, got, tt.want)
		}
	}
}

func TestTolerations(t *testing.T) {
	taint := Taint{Key: "dedicated", Value: "gpu", Effect: TaintEffectNoSchedule}
	tests := []struct {
		name string
		tol  Toleration
		want bool
	}{
		{"equal key, value and effect", Toleration{Key: "dedicated", Operator: TolerationOpEqual, Value: "gpu", Effect: TaintEffectNoSchedule}, true},
		{"empty operator means Equal", Toleration{Key: "dedicated", Value: "gpu"}, true},
		{"other value", Toleration{Key: "dedicated", Value: "cpu"}, false},
		{"exists", Toleration{Key: "dedicated", Operator: TolerationOpExists}, true},
		{"other effect", Toleration{Key: "dedicated", Operator: TolerationOpExists, Effect: TaintEffectNoExecute}, false},
		{"other key", Toleration{Key: "team", Operator: TolerationOpExists}, false},
		{"empty key with exists tolerates everything", Toleration{Operator: TolerationOpExists}, true},
		{"unknown operator", Toleration{Key: "dedicated", Operator: "Like", Value: "gpu"}, false},
	}
	for _, tt := range tests {
		if got := tt.tol.ToleratesTaint(&taint); got != tt.want {
			t.Errorf("%s: ToleratesTaint = %v, want %v", tt.name, got, tt.want)
		}
		if got := TolerationsTolerateTaint([]Toleration{{Key: "x", Operator: TolerationOpExists}, tt.tol}, &taint); got != tt.want {
			t.Errorf("%s: TolerationsTolerateTaint = %v", tt.name, got)
		}
	}
	taints := []Taint{{Key: "soft", Effect: TaintEffectPreferNoSchedule}, taint, {Key: TaintNodeNotReady, Effect: TaintEffectNoExecute}}
	hard := func(t *Taint) bool { return t.Effect != TaintEffectPreferNoSchedule }
	if got, ok := FindUntoleratedTaint(taints, nil, hard); !ok || got.Key != "dedicated" {
		t.Errorf("FindUntoleratedTaint = %v, %v", got, ok)
	}
	tols := []Toleration{{Key: "dedicated", Operator: TolerationOpExists}, {Key: TaintNodeNotReady, Operator: TolerationOpExists}}
	if got, ok := FindUntoleratedTaint(taints, tols, hard); ok {
		t.Errorf("FindUntoleratedTaint = %v", got)
	}
	if !taint.MatchTaint(&Taint{Key: "dedicated", Value: "other", Effect: TaintEffectNoSchedule}) ||
		taint.MatchTaint(&Taint{Key: "dedicated", Effect: TaintEffectNoExecute}) {
		t.Error("MatchTaint")
	}
	if !TaintExists(taints, &Taint{Key: "soft", Effect: TaintEffectPreferNoSchedule}) || TaintExists(taints, &Taint{Key: "soft"}) {
		t.Error("TaintExists")
	}
	if taint.String() != "dedicated=gpu:NoSchedule" || taints[0].String() != "soft:PreferNoSchedule" {
		t.Errorf("String = %q, %q", taint.String(), taints[0].String())
	}
}

func TestNodeSelectorMatching(t *testing.T) {
	node := &Node{}
	node.Name = "node-1"
	node.Labels = map[string]string{"zone": "a", "gen": "5", "gpu": ""}
	req := func(key string, op NodeSelectorOperator, values ...string) NodeSelectorRequirement {
		return NodeSelectorRequirement{Key: key, Operator: op, Values: values}
	}
	tests := []struct {
		name string
		term NodeSelectorTerm
		want bool
	}{
		{"empty term matches nothing", NodeSelectorTerm{}, false},
		{"in", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("zone", NodeSelectorOpIn, "a", "b")}}, true},
		{"in, absent key", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("rack", NodeSelectorOpIn, "a")}}, false},
		{"in without values", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("zone", NodeSelectorOpIn)}}, false},
		{"not in", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("zone", NodeSelectorOpNotIn, "b")}}, true},
		{"not in, absent key", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("rack", NodeSelectorOpNotIn, "b")}}, true},
		{"not in, present", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("zone", NodeSelectorOpNotIn, "a")}}, false},
		{"exists", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("gpu", NodeSelectorOpExists)}}, true},
		{"does not exist", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("gpu", NodeSelectorOpDoesNotExist)}}, false},
		{"gt", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("gen", NodeSelectorOpGt, "4")}}, true},
		{"gt equal", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("gen", NodeSelectorOpGt, "5")}}, false},
		{"lt", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("gen", NodeSelectorOpLt, "6")}}, true},
		{"lt on non-integer label", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("zone", NodeSelectorOpLt, "6")}}, false},
		{"lt absent", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("rack", NodeSelectorOpLt, "6")}}, false},
		{"expressions are ANDed", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{
			req("zone", NodeSelectorOpIn, "a"), req("gen", NodeSelectorOpLt, "5")}}, false},
		{"unknown operator", NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{req("zone", "Near", "a")}}, false},
		{"match fields", NodeSelectorTerm{MatchFields: []NodeSelectorRequirement{req("metadata.name", NodeSelectorOpIn, "node-1")}}, true},
		{"match fields not in", NodeSelectorTerm{MatchFields: []NodeSelectorRequirement{req("metadata.name", NodeSelectorOpNotIn, "node-1")}}, false},
		{"match fields unknown key", NodeSelectorTerm{MatchFields: []NodeSelectorRequirement{req("spec.providerID", NodeSelectorOpIn, "x")}}, false},
		{"fields and expressions", NodeSelectorTerm{
			MatchExpressions: []NodeSelectorRequirement{req("zone", NodeSelectorOpIn, "a")},
			MatchFields:      []NodeSelectorRequirement{req("metadata.name", NodeSelectorOpIn, "node-2")}}, false},
	}
	for _, tt := range tests {
		if got := MatchNodeSelectorTerm(node, &tt.term); got != tt.want {
			t.Errorf("%s: MatchNodeSelectorTerm = %v, want %v", tt.name, got, tt.want)
		}
	}
	// Terms are ORed.
	terms := []NodeSelectorTerm{tests[2].term, tests[1].term}
	if !MatchNodeSelectorTerms(node, terms) || MatchNodeSelectorTerms(node, terms[:1]) || MatchNodeSelectorTerms(node, nil) {
		t.Error("MatchNodeSelectorTerms")
	}
	if NodeSelectorRequirementsMatch(nil, node.Labels) {
		t.Error("empty requirements matched")
	}
}

func TestPodMatchesNodeSelectorAndAffinityTerms(t *testing.T) {
	node := &Node{}
	node.Name = "node-1"
	node.Labels = map[string]string{"zone": "a", LabelHostname: "node-1"}
	affinity := func(terms ...NodeSelectorTerm) *Affinity {
		return &Affinity{NodeAffinity: &NodeAffinity{RequiredDuringSchedulingIgnoredDuringExecution: &NodeSelector{NodeSelectorTerms: terms}}}
	}
	tests := []struct {
		name string
		spec PodSpec
		want bool
	}{
		{"nothing required", PodSpec{}, true},
		{"node selector matches", PodSpec{NodeSelector: map[string]string{"zone": "a"}}, true},
		{"node selector differs", PodSpec{NodeSelector: map[string]string{"zone": "b"}}, false},
		{"node selector absent label", PodSpec{NodeSelector: map[string]string{"disk": "ssd"}}, false},
		{"affinity matches", PodSpec{Affinity: affinity(NodeSelectorTerm{MatchFields: []NodeSelectorRequirement{
			{Key: "metadata.name", Operator: NodeSelectorOpIn, Values: []string{"node-1"}}}})}, true},
		{"affinity does not match", PodSpec{Affinity: affinity(NodeSelectorTerm{MatchExpressions: []NodeSelectorRequirement{
			{Key: "zone", Operator: NodeSelectorOpIn, Values: []string{"b"}}}})}, false},
		{"both must hold", PodSpec{NodeSelector: map[string]string{"zone": "b"}, Affinity: affinity(NodeSelectorTerm{
			MatchExpressions: []NodeSelectorRequirement{{Key: "zone", Operator: NodeSelectorOpExists}}})}, false},
		{"pod affinity only", PodSpec{Affinity: &Affinity{PodAffinity: &PodAffinity{}}}, true},
	}
	for _, tt := range tests {
		if got := PodMatchesNodeSelectorAndAffinityTerms(&Pod{Spec: tt.spec}, node); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestNodeConditions(t *testing.T) {
	n := &Node{Status: NodeStatus{Conditions: []NodeCondition{{Type: NodeMemoryPressure, Status: ConditionFalse}, {Type: NodeReady, Status: ConditionTrue}}}}
	if !IsNodeReady(n) || GetNodeCondition(&n.Status, NodeDiskPressure) != nil || GetNodeCondition(nil, NodeReady) != nil {
		t.Error("node conditions")
	}
	GetNodeCondition(&n.Status, NodeReady).Status = ConditionUnknown
	if IsNodeReady(n) {
		t.Error("GetNodeCondition does not point into the status")
	}
}

func TestObjectReference(t *testing.T) {
	p := &Pod{TypeMeta: meta.TypeMeta{APIVersion: "v1", Kind: "Pod"}}
	p.Name, p.Namespace, p.UID, p.ResourceVersion = "web-0", "default", "uid-1", "42"
	ref := NewObjectReference(p)
	want := ObjectReference{Kind: "Pod", APIVersion: "v1", Namespace: "default", Name: "web-0", UID: "uid-1", ResourceVersion: "42"}
	if ref != want {
		t.Fatalf("NewObjectReference = %+v", ref)
	}
	if ref.String() != "Pod default/web-0" || (ObjectReference{Kind: "Node", Name: "n"}).String() != "Node n" {
		t.Errorf("String = %q", ref.String())
	}
}

func TestResourceListAccessors(t *testing.T) {
	l := rl("cpu", "1500m", "memory", "1Gi", "pods", "110", "storage", "10Gi", "ephemeral-storage", "20Gi")
	if l.Cpu().MilliValue() != 1500 || l.Memory().Value() != 1<<30 || l.Pods().Value() != 110 ||
		l.Storage().String() != "10Gi" || l.StorageEphemeral().String() != "20Gi" {
		t.Error("accessors")
	}
	empty := ResourceList{}
	if !empty.Cpu().IsZero() || empty.Memory().Format != resource.BinarySI {
		t.Error("missing resources")
	}
	c := l.Cpu()
	c.Add(resource.MustParse("1"))
	if l.Cpu().MilliValue() != 1500 {
		t.Error("Cpu returned shared memory")
	}
}
