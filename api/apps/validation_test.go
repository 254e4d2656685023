package apps

import (
	"slices"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

// validTemplate returns a defaulted pod template with the given labels and one container.
func validTemplate(labels map[string]string) core.PodTemplateSpec {
	t := core.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: labels},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "web", Image: "nginx:1.27"}}},
	}
	core.DefaultPodTemplateSpec(&t)
	return t
}

func webSelector() *meta.LabelSelector {
	return &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
}

// checkErrors fails unless errs has exactly len(want) errors and, for each entry of want, one
// error starting with it. A nil want means errs must be empty.
func checkErrors(t *testing.T, errs validation.ErrorList, want []string) {
	t.Helper()
	got := make([]string, len(errs))
	for i, e := range errs {
		got[i] = e.Error()
	}
	if len(got) != len(want) {
		t.Fatalf("got %d errors, want %d:\n got %q\nwant %q", len(got), len(want), got, want)
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("no error starts with %q; got %q", w, got)
		}
	}
}

func validDeployment() *Deployment {
	d := &Deployment{
		TypeMeta:   meta.TypeMeta{APIVersion: GroupVersion, Kind: "Deployment"},
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default", ResourceVersion: "1"},
		Spec:       DeploymentSpec{Selector: webSelector(), Template: validTemplate(map[string]string{"app": "web"})},
	}
	DefaultDeployment(d)
	return d
}

func TestValidateDeployment(t *testing.T) {
	ru := func(d *Deployment) *RollingUpdateDeployment { return d.Spec.Strategy.RollingUpdate }
	tests := []struct {
		name   string
		mutate func(*Deployment)
		want   []string
	}{
		{"valid", func(*Deployment) {}, nil},
		{"zero replicas", func(d *Deployment) { d.Spec.Replicas = new(int32(0)) }, nil},
		{"one replica with 25%/25% (resolves to 0/0)", func(d *Deployment) { d.Spec.Replicas = new(int32(1)) }, nil},
		{"name not a subdomain", func(d *Deployment) { d.Name = "Web" }, []string{`metadata.name: Invalid value: "Web"`}},
		{"negative replicas", func(d *Deployment) { d.Spec.Replicas = new(int32(-1)) },
			[]string{"spec.replicas: Invalid value: -1: must be greater than or equal to 0"}},
		{"no selector", func(d *Deployment) { d.Spec.Selector = nil }, []string{"spec.selector: Required value"}},
		{"empty selector", func(d *Deployment) { d.Spec.Selector = &meta.LabelSelector{} },
			[]string{"spec.selector: Invalid value: {}: empty selector is invalid for deployment"}},
		{"bad selector expression", func(d *Deployment) {
			d.Spec.Selector.MatchExpressions = []meta.LabelSelectorRequirement{{Key: "tier", Operator: meta.LabelSelectorOpIn}}
		}, []string{"spec.selector.matchExpressions[0].values: Required value"}},
		{"selector does not match template", func(d *Deployment) { d.Spec.Template.Labels = map[string]string{"app": "other"} },
			[]string{"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"other\"}: `selector` does not match template `labels`"}},
		{"template without labels", func(d *Deployment) { d.Spec.Template.Labels = nil },
			[]string{"spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`"}},
		{"restartPolicy Never", func(d *Deployment) { d.Spec.Template.Spec.RestartPolicy = core.RestartPolicyNever },
			[]string{`spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"`}},
		{"activeDeadlineSeconds", func(d *Deployment) { d.Spec.Template.Spec.ActiveDeadlineSeconds = new(int64(30)) },
			[]string{"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in ReplicaSet is not Supported"}},
		{"recreate with rollingUpdate", func(d *Deployment) { d.Spec.Strategy.Type = RecreateDeploymentStrategyType },
			[]string{"spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"}},
		{"recreate", func(d *Deployment) {
			d.Spec.Strategy = DeploymentStrategy{Type: RecreateDeploymentStrategyType}
		}, nil},
		{"unknown strategy", func(d *Deployment) { d.Spec.Strategy.Type = "BlueGreen" },
			[]string{`spec.strategy.type: Unsupported value: "BlueGreen": supported values: "Recreate", "RollingUpdate"`}},
		{"rollingUpdate missing", func(d *Deployment) { d.Spec.Strategy.RollingUpdate = nil },
			[]string{"spec.strategy.rollingUpdate: Required value"}},
		{"both zero", func(d *Deployment) {
			ru(d).MaxSurge, ru(d).MaxUnavailable = count(0), count(0)
		}, []string{"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0"}},
		{"both zero percent", func(d *Deployment) {
			ru(d).MaxSurge, ru(d).MaxUnavailable = percent("0%"), percent("0%")
		}, []string{`spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "0%": may not be 0 when ` + "`maxSurge` is 0"}},
		{"surge zero, unavailable one", func(d *Deployment) { ru(d).MaxSurge, ru(d).MaxUnavailable = count(0), count(1) }, nil},
		{"maxUnavailable over 100%", func(d *Deployment) { ru(d).MaxUnavailable = percent("101%") },
			[]string{`spec.strategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%`}},
		{"maxSurge over 100% is fine", func(d *Deployment) { ru(d).MaxSurge = percent("200%") }, nil},
		{"maxSurge not a percentage", func(d *Deployment) { ru(d).MaxSurge = percent("25") },
			[]string{`spec.strategy.rollingUpdate.maxSurge: Invalid value: "25": a valid percent string`}},
		{"negative maxUnavailable", func(d *Deployment) { ru(d).MaxUnavailable = count(-1) },
			[]string{"spec.strategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"}},
		{"negative minReadySeconds", func(d *Deployment) { d.Spec.MinReadySeconds = -1 },
			[]string{"spec.minReadySeconds: Invalid value: -1"}},
		{"negative revisionHistoryLimit", func(d *Deployment) { d.Spec.RevisionHistoryLimit = new(int32(-1)) },
			[]string{"spec.revisionHistoryLimit: Invalid value: -1"}},
		{"zero revisionHistoryLimit", func(d *Deployment) { d.Spec.RevisionHistoryLimit = new(int32(0)) }, nil},
		{"progress deadline not above minReadySeconds", func(d *Deployment) {
			d.Spec.MinReadySeconds = 30
			d.Spec.ProgressDeadlineSeconds = new(int32(30))
		}, []string{"spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := validDeployment()
			tt.mutate(d)
			checkErrors(t, ValidateDeployment(d), tt.want)
			old := validDeployment()
			tt.mutate(old)
			checkErrors(t, ValidateDeploymentUpdate(d, old), tt.want)
		})
	}
}

func TestValidateDeploymentUpdate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Deployment)
		want   []string
	}{
		{"scale", func(d *Deployment) { d.Spec.Replicas = new(int32(10)) }, nil},
		{"new template", func(d *Deployment) { d.Spec.Template.Spec.Containers[0].Image = "nginx:1.28" }, nil},
		{"pause", func(d *Deployment) { d.Spec.Paused = true }, nil},
		{"selector changed", func(d *Deployment) {
			d.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"app": "web", "tier": "fe"}}
			d.Spec.Template.Labels["tier"] = "fe"
		}, []string{"spec.selector: Invalid value: app=web,tier=fe: field is immutable"}},
		{"name changed", func(d *Deployment) { d.Name = "web2" }, []string{`metadata.name: Invalid value: "web2": field is immutable`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validDeployment()
			d := old.DeepCopy()
			tt.mutate(d)
			checkErrors(t, ValidateDeploymentUpdate(d, old), tt.want)
		})
	}
}

func TestValidateDeploymentStatusUpdate(t *testing.T) {
	tests := []struct {
		name   string
		status DeploymentStatus
		old    DeploymentStatus
		want   []string
	}{
		{"valid", DeploymentStatus{Replicas: 3, UpdatedReplicas: 3, ReadyReplicas: 3, AvailableReplicas: 2, UnavailableReplicas: 1, CollisionCount: new(int32(1))}, DeploymentStatus{}, nil},
		{"negative", DeploymentStatus{Replicas: 1, UnavailableReplicas: -1, TerminatingReplicas: new(int32(-1))}, DeploymentStatus{},
			[]string{"status.unavailableReplicas: Invalid value: -1", "status.terminatingReplicas: Invalid value: -1"}},
		{"negative replicas", DeploymentStatus{Replicas: -1, UpdatedReplicas: -1, ReadyReplicas: -1, AvailableReplicas: -1}, DeploymentStatus{}, []string{
			"status.replicas: Invalid value: -1", "status.updatedReplicas: Invalid value: -1",
			"status.readyReplicas: Invalid value: -1", "status.availableReplicas: Invalid value: -1",
		}},
		{"more updated than replicas", DeploymentStatus{Replicas: 1, UpdatedReplicas: 2}, DeploymentStatus{},
			[]string{"status.updatedReplicas: Invalid value: 2: cannot be greater than status.replicas"}},
		{"more available than ready", DeploymentStatus{Replicas: 3, ReadyReplicas: 1, AvailableReplicas: 2}, DeploymentStatus{},
			[]string{"status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas"}},
		{"collisionCount decremented", DeploymentStatus{CollisionCount: new(int32(1))}, DeploymentStatus{CollisionCount: new(int32(2))},
			[]string{"status.collisionCount: Invalid value: 1: cannot be decremented"}},
		{"collisionCount removed", DeploymentStatus{}, DeploymentStatus{CollisionCount: new(int32(2))},
			[]string{"status.collisionCount: Invalid value: 0: cannot be decremented"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validDeployment()
			old.Status = tt.old
			d := old.DeepCopy()
			d.Status = tt.status
			checkErrors(t, ValidateDeploymentStatusUpdate(d, old), tt.want)
		})
	}
}

func validReplicaSet() *ReplicaSet {
	rs := &ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Name: "frontend", Namespace: "default"},
		Spec:       ReplicaSetSpec{Selector: webSelector(), Template: validTemplate(map[string]string{"app": "web", "tier": "fe"})},
	}
	DefaultReplicaSet(rs)
	return rs
}

func TestValidateReplicaSet(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*ReplicaSet)
		want   []string
	}{
		{"valid", func(*ReplicaSet) {}, nil},
		{"negative replicas", func(rs *ReplicaSet) { rs.Spec.Replicas = new(int32(-2)) }, []string{"spec.replicas: Invalid value: -2"}},
		{"negative minReadySeconds", func(rs *ReplicaSet) { rs.Spec.MinReadySeconds = -1 }, []string{"spec.minReadySeconds: Invalid value: -1"}},
		{"no selector", func(rs *ReplicaSet) { rs.Spec.Selector = nil }, []string{"spec.selector: Required value"}},
		{"empty selector", func(rs *ReplicaSet) { rs.Spec.Selector = &meta.LabelSelector{} },
			[]string{"spec.selector: Invalid value: {}: empty selector is invalid for replicaset"}},
		{"mismatch", func(rs *ReplicaSet) { rs.Spec.Selector.MatchLabels["tier"] = "be" },
			[]string{"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\", \"tier\":\"fe\"}: `selector` does not match template `labels`"}},
		{"expression selector", func(rs *ReplicaSet) {
			rs.Spec.Selector = &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "tier", Operator: meta.LabelSelectorOpIn, Values: []string{"fe", "be"}}}}
		}, nil},
		{"restartPolicy OnFailure", func(rs *ReplicaSet) { rs.Spec.Template.Spec.RestartPolicy = core.RestartPolicyOnFailure },
			[]string{`spec.template.spec.restartPolicy: Unsupported value: "OnFailure"`}},
		{"activeDeadlineSeconds", func(rs *ReplicaSet) { rs.Spec.Template.Spec.ActiveDeadlineSeconds = new(int64(1)) },
			[]string{"spec.template.spec.activeDeadlineSeconds: Forbidden"}},
		{"no containers", func(rs *ReplicaSet) { rs.Spec.Template.Spec.Containers = nil },
			[]string{"spec.template.spec.containers: Required value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := validReplicaSet()
			tt.mutate(rs)
			checkErrors(t, ValidateReplicaSet(rs), tt.want)
			old := validReplicaSet()
			tt.mutate(old)
			checkErrors(t, ValidateReplicaSetUpdate(rs, old), tt.want)
		})
	}
}

func TestValidateReplicaSetUpdate(t *testing.T) {
	old := validReplicaSet()
	rs := old.DeepCopy()
	rs.Spec.Replicas = new(int32(7))
	checkErrors(t, ValidateReplicaSetUpdate(rs, old), nil)
	rs.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"tier": "fe"}}
	checkErrors(t, ValidateReplicaSetUpdate(rs, old), []string{"spec.selector: Invalid value: tier=fe: field is immutable"})
}

func TestValidateReplicaSetStatusUpdate(t *testing.T) {
	tests := []struct {
		name   string
		status ReplicaSetStatus
		want   []string
	}{
		{"valid", ReplicaSetStatus{Replicas: 3, FullyLabeledReplicas: 3, ReadyReplicas: 2, AvailableReplicas: 1, TerminatingReplicas: new(int32(1))}, nil},
		{"negative", ReplicaSetStatus{Replicas: 2, ReadyReplicas: -1, AvailableReplicas: -1, TerminatingReplicas: new(int32(-1))}, []string{
			"status.readyReplicas: Invalid value: -1", "status.availableReplicas: Invalid value: -1", "status.terminatingReplicas: Invalid value: -1",
		}},
		{"fully labeled over replicas", ReplicaSetStatus{Replicas: 1, FullyLabeledReplicas: 2},
			[]string{"status.fullyLabeledReplicas: Invalid value: 2: cannot be greater than status.replicas"}},
		{"ready over replicas", ReplicaSetStatus{Replicas: 1, ReadyReplicas: 2, AvailableReplicas: 1},
			[]string{"status.readyReplicas: Invalid value: 2: cannot be greater than status.replicas"}},
		{"available over ready", ReplicaSetStatus{Replicas: 3, ReadyReplicas: 1, AvailableReplicas: 2},
			[]string{"status.availableReplicas: Invalid value: 2: cannot be greater than readyReplicas"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validReplicaSet()
			rs := old.DeepCopy()
			rs.Status = tt.status
			checkErrors(t, ValidateReplicaSetStatusUpdate(rs, old), tt.want)
		})
	}
}

func TestIntOrPercentHelpers(t *testing.T) {
	tests := []struct {
		in      *intstr.IntOrString
		value   int
		invalid bool
	}{
		{nil, 0, false},
		{count(3), 3, false},
		{percent("25%"), 25, false},
		{percent("0%"), 0, false},
		{percent("x%"), 0, true},
		{percent("%"), 0, true},
		{percent("5"), 5, true},
	}
	for _, tt := range tests {
		if got := intOrPercentValue(tt.in); got != tt.value {
			t.Errorf("intOrPercentValue(%v) = %d, want %d", tt.in, got, tt.value)
		}
		if got := len(validatePositiveIntOrPercent(tt.in, validation.NewPath("f"))) > 0; got != tt.invalid {
			t.Errorf("validatePositiveIntOrPercent(%v) invalid = %v, want %v", tt.in, got, tt.invalid)
		}
	}
}
