package apps

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
)

// defaultedTemplate is what core's defaulting makes of an empty pod template.
func defaultedTemplate() core.PodTemplateSpec {
	var t core.PodTemplateSpec
	core.DefaultPodTemplateSpec(&t)
	return t
}

func percent(s string) *intstr.IntOrString { return new(intstr.FromString(s)) }
func count(i int) *intstr.IntOrString      { return new(intstr.FromInt(i)) }

// checkDefaulted compares got with want as JSON (readable on failure) and checks that
// defaulting again changes nothing.
func checkDefaulted[T any](t *testing.T, got, want *T, again func(*T)) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		g, _ := json.Marshal(got)
		w, _ := json.Marshal(want)
		t.Fatalf("defaulted:\n got %s\nwant %s", g, w)
	}
	before, _ := json.Marshal(got)
	again(got)
	after, _ := json.Marshal(got)
	if string(before) != string(after) {
		t.Errorf("defaulting is not idempotent:\n%s\n%s", before, after)
	}
}

func TestDefaultDeployment(t *testing.T) {
	tests := []struct {
		name string
		in   DeploymentSpec
		want DeploymentSpec
	}{
		{"bare", DeploymentSpec{}, DeploymentSpec{
			Replicas: new(int32(1)),
			Strategy: DeploymentStrategy{Type: RollingUpdateDeploymentStrategyType, RollingUpdate: &RollingUpdateDeployment{
				MaxUnavailable: percent("25%"), MaxSurge: percent("25%"),
			}},
			RevisionHistoryLimit:    new(int32(10)),
			ProgressDeadlineSeconds: new(int32(600)),
		}},
		{"recreate gets no rollingUpdate", DeploymentSpec{Strategy: DeploymentStrategy{Type: RecreateDeploymentStrategyType}}, DeploymentSpec{
			Replicas:                new(int32(1)),
			Strategy:                DeploymentStrategy{Type: RecreateDeploymentStrategyType},
			RevisionHistoryLimit:    new(int32(10)),
			ProgressDeadlineSeconds: new(int32(600)),
		}},
		{"partial rollingUpdate", DeploymentSpec{Strategy: DeploymentStrategy{RollingUpdate: &RollingUpdateDeployment{MaxSurge: count(0)}}}, DeploymentSpec{
			Replicas: new(int32(1)),
			Strategy: DeploymentStrategy{Type: RollingUpdateDeploymentStrategyType, RollingUpdate: &RollingUpdateDeployment{
				MaxUnavailable: percent("25%"), MaxSurge: count(0),
			}},
			RevisionHistoryLimit:    new(int32(10)),
			ProgressDeadlineSeconds: new(int32(600)),
		}},
		{"set values kept", DeploymentSpec{
			Replicas: new(int32(0)), RevisionHistoryLimit: new(int32(0)), ProgressDeadlineSeconds: new(int32(30)), Paused: true, MinReadySeconds: 5,
			Strategy: DeploymentStrategy{Type: RollingUpdateDeploymentStrategyType, RollingUpdate: &RollingUpdateDeployment{MaxUnavailable: count(2), MaxSurge: percent("50%")}},
		}, DeploymentSpec{
			Replicas: new(int32(0)), RevisionHistoryLimit: new(int32(0)), ProgressDeadlineSeconds: new(int32(30)), Paused: true, MinReadySeconds: 5,
			Strategy: DeploymentStrategy{Type: RollingUpdateDeploymentStrategyType, RollingUpdate: &RollingUpdateDeployment{MaxUnavailable: count(2), MaxSurge: percent("50%")}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := &Deployment{Spec: tt.in}
			DefaultDeployment(d)
			want := &Deployment{Spec: tt.want}
			want.Spec.Template = defaultedTemplate()
			checkDefaulted(t, d, want, DefaultDeployment)
		})
	}
}

func TestDefaultReplicaSet(t *testing.T) {
	tests := []struct {
		name string
		in   ReplicaSetSpec
		want ReplicaSetSpec
	}{
		{"bare", ReplicaSetSpec{}, ReplicaSetSpec{Replicas: new(int32(1))}},
		{"zero replicas kept", ReplicaSetSpec{Replicas: new(int32(0))}, ReplicaSetSpec{Replicas: new(int32(0))}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := &ReplicaSet{Spec: tt.in}
			DefaultReplicaSet(rs)
			want := &ReplicaSet{Spec: tt.want}
			want.Spec.Template = defaultedTemplate()
			checkDefaulted(t, rs, want, DefaultReplicaSet)
		})
	}
}

func TestDefaultStatefulSet(t *testing.T) {
	retain := &StatefulSetPersistentVolumeClaimRetentionPolicy{
		WhenDeleted: RetainPersistentVolumeClaimRetentionPolicyType,
		WhenScaled:  RetainPersistentVolumeClaimRetentionPolicyType,
	}
	tests := []struct {
		name string
		in   StatefulSetSpec
		want StatefulSetSpec
	}{
		{"bare", StatefulSetSpec{}, StatefulSetSpec{
			Replicas:            new(int32(1)),
			PodManagementPolicy: OrderedReadyPodManagement,
			UpdateStrategy: StatefulSetUpdateStrategy{Type: RollingUpdateStatefulSetStrategyType,
				RollingUpdate: &RollingUpdateStatefulSetStrategy{Partition: new(int32(0))}},
			RevisionHistoryLimit:                 new(int32(10)),
			PersistentVolumeClaimRetentionPolicy: retain,
		}},
		{"on delete gets no rollingUpdate", StatefulSetSpec{UpdateStrategy: StatefulSetUpdateStrategy{Type: OnDeleteStatefulSetStrategyType}}, StatefulSetSpec{
			Replicas:                             new(int32(1)),
			PodManagementPolicy:                  OrderedReadyPodManagement,
			UpdateStrategy:                       StatefulSetUpdateStrategy{Type: OnDeleteStatefulSetStrategyType},
			RevisionHistoryLimit:                 new(int32(10)),
			PersistentVolumeClaimRetentionPolicy: retain,
		}},
		{"partial retention policy and set values", StatefulSetSpec{
			Replicas: new(int32(5)), PodManagementPolicy: ParallelPodManagement,
			UpdateStrategy:                       StatefulSetUpdateStrategy{RollingUpdate: &RollingUpdateStatefulSetStrategy{Partition: new(int32(3)), MaxUnavailable: count(2)}},
			PersistentVolumeClaimRetentionPolicy: &StatefulSetPersistentVolumeClaimRetentionPolicy{WhenScaled: DeletePersistentVolumeClaimRetentionPolicyType},
			Ordinals:                             &StatefulSetOrdinals{Start: 4},
		}, StatefulSetSpec{
			Replicas: new(int32(5)), PodManagementPolicy: ParallelPodManagement,
			UpdateStrategy: StatefulSetUpdateStrategy{Type: RollingUpdateStatefulSetStrategyType,
				RollingUpdate: &RollingUpdateStatefulSetStrategy{Partition: new(int32(3)), MaxUnavailable: count(2)}},
			RevisionHistoryLimit: new(int32(10)),
			PersistentVolumeClaimRetentionPolicy: &StatefulSetPersistentVolumeClaimRetentionPolicy{
				WhenDeleted: RetainPersistentVolumeClaimRetentionPolicyType, WhenScaled: DeletePersistentVolumeClaimRetentionPolicyType},
			Ordinals: &StatefulSetOrdinals{Start: 4},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := &StatefulSet{Spec: tt.in}
			DefaultStatefulSet(ss)
			want := &StatefulSet{Spec: tt.want}
			want.Spec.Template = defaultedTemplate()
			checkDefaulted(t, ss, want, DefaultStatefulSet)
		})
	}
}

func TestDefaultStatefulSetClaimTemplates(t *testing.T) {
	ss := &StatefulSet{Spec: StatefulSetSpec{VolumeClaimTemplates: []core.PersistentVolumeClaim{{}, {}}}}
	DefaultStatefulSet(ss)
	var want core.PersistentVolumeClaim
	core.DefaultPVC(&want)
	for i, c := range ss.Spec.VolumeClaimTemplates {
		if !reflect.DeepEqual(c, want) {
			t.Errorf("claim template %d = %+v, want core's defaults %+v", i, c, want)
		}
	}
}

func TestDefaultDaemonSet(t *testing.T) {
	tests := []struct {
		name string
		in   DaemonSetSpec
		want DaemonSetSpec
	}{
		{"bare", DaemonSetSpec{}, DaemonSetSpec{
			UpdateStrategy: DaemonSetUpdateStrategy{Type: RollingUpdateDaemonSetStrategyType,
				RollingUpdate: &RollingUpdateDaemonSet{MaxUnavailable: count(1), MaxSurge: count(0)}},
			RevisionHistoryLimit: new(int32(10)),
		}},
		{"on delete gets no rollingUpdate", DaemonSetSpec{UpdateStrategy: DaemonSetUpdateStrategy{Type: OnDeleteDaemonSetStrategyType}}, DaemonSetSpec{
			UpdateStrategy:       DaemonSetUpdateStrategy{Type: OnDeleteDaemonSetStrategyType},
			RevisionHistoryLimit: new(int32(10)),
		}},
		{"surge kept", DaemonSetSpec{UpdateStrategy: DaemonSetUpdateStrategy{RollingUpdate: &RollingUpdateDaemonSet{MaxUnavailable: count(0), MaxSurge: percent("10%")}}}, DaemonSetSpec{
			UpdateStrategy: DaemonSetUpdateStrategy{Type: RollingUpdateDaemonSetStrategyType,
				RollingUpdate: &RollingUpdateDaemonSet{MaxUnavailable: count(0), MaxSurge: percent("10%")}},
			RevisionHistoryLimit: new(int32(10)),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ds := &DaemonSet{Spec: tt.in}
			DefaultDaemonSet(ds)
			want := &DaemonSet{Spec: tt.want}
			want.Spec.Template = defaultedTemplate()
			checkDefaulted(t, ds, want, DefaultDaemonSet)
		})
	}
}

func TestSetDaemonSetTemplateGeneration(t *testing.T) {
	ds := &DaemonSet{}
	ds.Spec.Template.Labels = map[string]string{"a": "1"}
	SetDaemonSetTemplateGeneration(ds, nil)
	if got := ds.Annotations[DeprecatedTemplateGeneration]; got != "1" {
		t.Fatalf("on create: generation %q, want 1", got)
	}
	old := ds.DeepCopy()

	same := old.DeepCopy()
	same.Annotations[DeprecatedTemplateGeneration] = "7" // users cannot set it
	SetDaemonSetTemplateGeneration(same, old)
	if got := same.Annotations[DeprecatedTemplateGeneration]; got != "1" {
		t.Errorf("update without template change: generation %q, want 1", got)
	}

	changed := old.DeepCopy()
	changed.Spec.Template.Labels["a"] = "2"
	SetDaemonSetTemplateGeneration(changed, old)
	if got := changed.Annotations[DeprecatedTemplateGeneration]; got != "2" {
		t.Errorf("update with template change: generation %q, want 2", got)
	}
}
