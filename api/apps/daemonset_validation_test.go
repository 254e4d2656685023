package apps

import (
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func validDaemonSet() *DaemonSet {
	ds := &DaemonSet{
		ObjectMeta: meta.ObjectMeta{Name: "fluentd-elasticsearch", Namespace: "kube-system"},
		Spec:       DaemonSetSpec{Selector: webSelector(), Template: validTemplate(map[string]string{"app": "web"})},
	}
	DefaultDaemonSet(ds)
	return ds
}

func TestValidateDaemonSet(t *testing.T) {
	ru := func(ds *DaemonSet) *RollingUpdateDaemonSet { return ds.Spec.UpdateStrategy.RollingUpdate }
	tests := []struct {
		name   string
		mutate func(*DaemonSet)
		want   []string
	}{
		{"valid", func(*DaemonSet) {}, nil},
		{"no selector", func(ds *DaemonSet) { ds.Spec.Selector = nil }, []string{"spec.selector: Required value"}},
		{"empty selector", func(ds *DaemonSet) { ds.Spec.Selector = &meta.LabelSelector{} },
			[]string{"spec.selector: Invalid value: {}: empty selector is invalid for daemonset"}},
		{"mismatch", func(ds *DaemonSet) { ds.Spec.Template.Labels = map[string]string{"name": "fluentd"} },
			[]string{"spec.template.metadata.labels: Invalid value: map[string]string{\"name\":\"fluentd\"}: `selector` does not match template `labels`"}},
		{"restartPolicy Never", func(ds *DaemonSet) { ds.Spec.Template.Spec.RestartPolicy = core.RestartPolicyNever },
			[]string{`spec.template.spec.restartPolicy: Unsupported value: "Never"`}},
		{"activeDeadlineSeconds", func(ds *DaemonSet) { ds.Spec.Template.Spec.ActiveDeadlineSeconds = new(int64(5)) },
			[]string{"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in DaemonSet is not Supported"}},
		{"negative minReadySeconds", func(ds *DaemonSet) { ds.Spec.MinReadySeconds = -3 }, []string{"spec.minReadySeconds: Invalid value: -3"}},
		{"negative revisionHistoryLimit", func(ds *DaemonSet) { ds.Spec.RevisionHistoryLimit = new(int32(-1)) },
			[]string{"spec.revisionHistoryLimit: Invalid value: -1"}},
		{"on delete", func(ds *DaemonSet) {
			ds.Spec.UpdateStrategy = DaemonSetUpdateStrategy{Type: OnDeleteDaemonSetStrategyType}
		}, nil},
		{"unknown strategy", func(ds *DaemonSet) { ds.Spec.UpdateStrategy.Type = "Surge" },
			[]string{`spec.updateStrategy.type: Unsupported value: "Surge": supported values: "RollingUpdate", "OnDelete"`}},
		{"rollingUpdate missing", func(ds *DaemonSet) { ds.Spec.UpdateStrategy.RollingUpdate = nil },
			[]string{"spec.updateStrategy.rollingUpdate: Required value"}},
		{"surge instead of unavailable", func(ds *DaemonSet) { ru(ds).MaxUnavailable, ru(ds).MaxSurge = count(0), percent("10%") }, nil},
		{"both non-zero", func(ds *DaemonSet) { ru(ds).MaxSurge = count(1) },
			[]string{"spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero"}},
		{"both zero", func(ds *DaemonSet) { ru(ds).MaxUnavailable = percent("0%") },
			[]string{"spec.updateStrategy.rollingUpdate.maxUnavailable: Required value: cannot be 0 when maxSurge is 0"}},
		{"maxUnavailable over 100%", func(ds *DaemonSet) { ru(ds).MaxUnavailable = percent("101%") },
			[]string{`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "101%": must not be greater than 100%`}},
		{"maxSurge over 100%", func(ds *DaemonSet) { ru(ds).MaxUnavailable, ru(ds).MaxSurge = count(0), percent("101%") },
			[]string{`spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: "101%": must not be greater than 100%`}},
		{"negative maxUnavailable", func(ds *DaemonSet) { ru(ds).MaxUnavailable = count(-1) },
			[]string{"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: -1: must be greater than or equal to 0"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := validDaemonSet()
			tt.mutate(ds)
			checkErrors(t, ValidateDaemonSet(ds), tt.want)
			old := validDaemonSet()
			tt.mutate(old)
			checkErrors(t, ValidateDaemonSetUpdate(ds, old), tt.want)
		})
	}
}

func TestValidateDaemonSetUpdate(t *testing.T) {
	old := validDaemonSet()
	ds := old.DeepCopy()
	ds.Spec.Template.Spec.Containers[0].Image = "fluentd:v6"
	checkErrors(t, ValidateDaemonSetUpdate(ds, old), nil)
	ds.Spec.Selector = &meta.LabelSelector{MatchExpressions: []meta.LabelSelectorRequirement{{Key: "app", Operator: meta.LabelSelectorOpExists}}}
	checkErrors(t, ValidateDaemonSetUpdate(ds, old), []string{"spec.selector: Invalid value: app: field is immutable"})
}

func TestValidateDaemonSetStatusUpdate(t *testing.T) {
	old := validDaemonSet()
	old.Status.CollisionCount = new(int32(2))
	ds := old.DeepCopy()
	ds.Status = DaemonSetStatus{DesiredNumberScheduled: 3, CurrentNumberScheduled: 3, NumberReady: 2, CollisionCount: new(int32(2))}
	checkErrors(t, ValidateDaemonSetStatusUpdate(ds, old), nil)
	ds.Status.NumberMisscheduled = -1
	ds.Status.CollisionCount = new(int32(1))
	checkErrors(t, ValidateDaemonSetStatusUpdate(ds, old), []string{
		"status.numberMisscheduled: Invalid value: -1", "status.collisionCount: Invalid value: 1: cannot be decremented",
	})
}

func validControllerRevision() *ControllerRevision {
	return &ControllerRevision{
		ObjectMeta: meta.ObjectMeta{Name: "web-6c5d8b9f7", Namespace: "default"},
		Data:       RawExtension{Raw: []byte(`{"spec":{"template":{"$patch":"replace"}}}`)},
		Revision:   1,
	}
}

func TestValidateControllerRevision(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*ControllerRevision)
		want   []string
	}{
		{"valid", func(*ControllerRevision) {}, nil},
		{"no data", func(r *ControllerRevision) { r.Data = RawExtension{} }, []string{"data: Required value: data is mandatory"}},
		{"negative revision", func(r *ControllerRevision) { r.Revision = -1 }, []string{"revision: Invalid value: -1"}},
		{"bad name", func(r *ControllerRevision) { r.Name = "web_1" }, []string{`metadata.name: Invalid value: "web_1"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := validControllerRevision()
			tt.mutate(r)
			checkErrors(t, ValidateControllerRevision(r), tt.want)
		})
	}
}

func TestValidateControllerRevisionUpdate(t *testing.T) {
	old := validControllerRevision()
	r := old.DeepCopy()
	r.Revision = 5 // renumbered on rollback
	checkErrors(t, ValidateControllerRevisionUpdate(r, old), nil)
	r.Data = RawExtension{Raw: []byte(`{"spec":{}}`)}
	checkErrors(t, ValidateControllerRevisionUpdate(r, old), []string{`data: Invalid value: {"spec":{}}: field is immutable`})
}
