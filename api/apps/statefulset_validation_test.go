package apps

import (
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

// validStatefulSet is the documentation's web StatefulSet: its pods mount the www claim.
func validStatefulSet() *StatefulSet {
	t := validTemplate(map[string]string{"app": "web"})
	t.Spec.Containers[0].VolumeMounts = []core.VolumeMount{{Name: "www", MountPath: "/usr/share/nginx/html"}}
	ss := &StatefulSet{
		ObjectMeta: meta.ObjectMeta{Name: "web", Namespace: "default"},
		Spec: StatefulSetSpec{
			Selector:    webSelector(),
			Template:    t,
			ServiceName: "nginx",
			VolumeClaimTemplates: []core.PersistentVolumeClaim{{
				ObjectMeta: meta.ObjectMeta{Name: "www"},
				Spec: core.PersistentVolumeClaimSpec{
					AccessModes: []core.PersistentVolumeAccessMode{core.ReadWriteOnce},
					Resources: core.VolumeResourceRequirements{
						Requests: core.ResourceList{core.ResourceStorage: resource.MustParse("1Gi")},
					},
				},
			}},
		},
	}
	DefaultStatefulSet(ss)
	return ss
}

func TestValidateStatefulSet(t *testing.T) {
	ru := func(ss *StatefulSet) *RollingUpdateStatefulSetStrategy { return ss.Spec.UpdateStrategy.RollingUpdate }
	tests := []struct {
		name   string
		mutate func(*StatefulSet)
		want   []string
	}{
		{"valid", func(*StatefulSet) {}, nil},
		{"name with a dot", func(ss *StatefulSet) { ss.Name = "web.v1" }, []string{`metadata.name: Invalid value: "web.v1"`}},
		{"negative replicas", func(ss *StatefulSet) { ss.Spec.Replicas = new(int32(-1)) }, []string{"spec.replicas: Invalid value: -1"}},
		{"negative ordinals start", func(ss *StatefulSet) { ss.Spec.Ordinals = &StatefulSetOrdinals{Start: -1} },
			[]string{"spec.ordinals.start: Invalid value: -1"}},
		{"ordinals start 5", func(ss *StatefulSet) { ss.Spec.Ordinals = &StatefulSetOrdinals{Start: 5} }, nil},
		{"negative minReadySeconds", func(ss *StatefulSet) { ss.Spec.MinReadySeconds = -1 }, []string{"spec.minReadySeconds: Invalid value: -1"}},
		{"no pod management policy", func(ss *StatefulSet) { ss.Spec.PodManagementPolicy = "" },
			[]string{"spec.podManagementPolicy: Required value"}},
		{"bad pod management policy", func(ss *StatefulSet) { ss.Spec.PodManagementPolicy = "Random" },
			[]string{`spec.podManagementPolicy: Invalid value: "Random": must be 'OrderedReady' or 'Parallel'`}},
		{"parallel", func(ss *StatefulSet) { ss.Spec.PodManagementPolicy = ParallelPodManagement }, nil},
		{"no update strategy", func(ss *StatefulSet) { ss.Spec.UpdateStrategy = StatefulSetUpdateStrategy{} },
			[]string{"spec.updateStrategy: Required value"}},
		{"on delete with rollingUpdate", func(ss *StatefulSet) { ss.Spec.UpdateStrategy.Type = OnDeleteStatefulSetStrategyType },
			[]string{`spec.updateStrategy.rollingUpdate: Invalid value: {"partition":0}: only allowed for updateStrategy 'RollingUpdate'`}},
		{"bad update strategy", func(ss *StatefulSet) { ss.Spec.UpdateStrategy.Type = "Recreate" },
			[]string{"spec.updateStrategy: Invalid value:"}},
		{"negative partition", func(ss *StatefulSet) { ru(ss).Partition = new(int32(-1)) },
			[]string{"spec.updateStrategy.rollingUpdate.partition: Invalid value: -1"}},
		{"maxUnavailable 2", func(ss *StatefulSet) { ru(ss).MaxUnavailable = count(2) }, nil},
		{"maxUnavailable 0", func(ss *StatefulSet) { ru(ss).MaxUnavailable = count(0) },
			[]string{"spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: 0: cannot be 0"}},
		{"maxUnavailable 0%", func(ss *StatefulSet) { ru(ss).MaxUnavailable = percent("0%") },
			[]string{`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "0%": cannot be 0`}},
		{"maxUnavailable 150%", func(ss *StatefulSet) { ru(ss).MaxUnavailable = percent("150%") },
			[]string{`spec.updateStrategy.rollingUpdate.maxUnavailable: Invalid value: "150%": must not be greater than 100%`}},
		{"bad retention policy", func(ss *StatefulSet) {
			ss.Spec.PersistentVolumeClaimRetentionPolicy.WhenScaled = "Keep"
		}, []string{`spec.persistentVolumeClaimRetentionPolicy.whenScaled: Unsupported value: "Keep": supported values: "Retain", "Delete"`}},
		{"delete retention policy", func(ss *StatefulSet) {
			ss.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted = DeletePersistentVolumeClaimRetentionPolicyType
		}, nil},
		{"no selector", func(ss *StatefulSet) { ss.Spec.Selector = nil }, []string{"spec.selector: Required value"}},
		{"empty selector", func(ss *StatefulSet) { ss.Spec.Selector = &meta.LabelSelector{} },
			[]string{"spec.selector: Invalid value: {}: empty selector is invalid for statefulset"}},
		{"mismatch", func(ss *StatefulSet) { ss.Spec.Template.Labels = map[string]string{"app": "db"} },
			[]string{"spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"db\"}: `selector` does not match template `labels`"}},
		{"restartPolicy Never", func(ss *StatefulSet) { ss.Spec.Template.Spec.RestartPolicy = core.RestartPolicyNever },
			[]string{`spec.template.spec.restartPolicy: Unsupported value: "Never"`}},
		{"activeDeadlineSeconds", func(ss *StatefulSet) { ss.Spec.Template.Spec.ActiveDeadlineSeconds = new(int64(5)) },
			[]string{"spec.template.spec.activeDeadlineSeconds: Forbidden: activeDeadlineSeconds in StatefulSet is not Supported"}},
		{"claim template without name", func(ss *StatefulSet) {
			ss.Spec.VolumeClaimTemplates = append(ss.Spec.VolumeClaimTemplates, ss.Spec.VolumeClaimTemplates[0])
			ss.Spec.VolumeClaimTemplates[1].Name = ""
		}, []string{"spec.volumeClaimTemplates[1].metadata.name: Required value"}},
		{"duplicate claim template", func(ss *StatefulSet) {
			ss.Spec.VolumeClaimTemplates = append(ss.Spec.VolumeClaimTemplates, ss.Spec.VolumeClaimTemplates[0])
		}, []string{`spec.volumeClaimTemplates[1].metadata.name: Duplicate value: "www"`}},
		{"claim template name not a label", func(ss *StatefulSet) {
			ss.Spec.VolumeClaimTemplates[0].Name = "www.data"
			ss.Spec.Template.Spec.Containers[0].VolumeMounts = nil
		}, []string{`spec.volumeClaimTemplates[0].metadata.name: Invalid value: "www.data"`}},
		{"mount of an unknown volume", func(ss *StatefulSet) { ss.Spec.VolumeClaimTemplates = nil },
			[]string{"spec.template.spec.containers[0].volumeMounts[0].name: Not found"}},
		{"template volume of the same name wins", func(ss *StatefulSet) {
			ss.Spec.Template.Spec.Volumes = []core.Volume{{Name: "www", VolumeSource: core.VolumeSource{EmptyDir: &core.EmptyDirVolumeSource{}}}}
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ss := validStatefulSet()
			tt.mutate(ss)
			checkErrors(t, ValidateStatefulSet(ss), tt.want)
			old := validStatefulSet()
			tt.mutate(old)
			checkErrors(t, ValidateStatefulSetUpdate(ss, old), tt.want)
		})
	}
}

func TestValidateStatefulSetDoesNotChangeTemplate(t *testing.T) {
	ss := validStatefulSet()
	ss.Spec.Template.Spec.Volumes = make([]core.Volume, 0, 4) // room to append in place
	ValidateStatefulSet(ss)
	if len(ss.Spec.Template.Spec.Volumes) != 0 || len(ss.Spec.Template.Spec.Volumes[:1][0].Name) != 0 {
		t.Errorf("validation wrote into the template's volumes: %+v", ss.Spec.Template.Spec.Volumes[:1])
	}
}

func TestValidateStatefulSetUpdate(t *testing.T) {
	const forbidden = "spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden"
	tests := []struct {
		name   string
		mutate func(*StatefulSet)
		want   []string
	}{
		{"replicas", func(ss *StatefulSet) { ss.Spec.Replicas = new(int32(5)) }, nil},
		{"ordinals", func(ss *StatefulSet) { ss.Spec.Ordinals = &StatefulSetOrdinals{Start: 1} }, nil},
		{"template", func(ss *StatefulSet) { ss.Spec.Template.Spec.Containers[0].Image = "nginx:1.28" }, nil},
		{"update strategy", func(ss *StatefulSet) {
			ss.Spec.UpdateStrategy = StatefulSetUpdateStrategy{Type: OnDeleteStatefulSetStrategyType}
		}, nil},
		{"retention policy", func(ss *StatefulSet) {
			ss.Spec.PersistentVolumeClaimRetentionPolicy.WhenDeleted = DeletePersistentVolumeClaimRetentionPolicyType
		}, nil},
		{"minReadySeconds", func(ss *StatefulSet) { ss.Spec.MinReadySeconds = 10 }, nil},
		{"serviceName", func(ss *StatefulSet) { ss.Spec.ServiceName = "other" }, []string{forbidden}},
		{"podManagementPolicy", func(ss *StatefulSet) { ss.Spec.PodManagementPolicy = ParallelPodManagement }, []string{forbidden}},
		{"revisionHistoryLimit", func(ss *StatefulSet) { ss.Spec.RevisionHistoryLimit = new(int32(3)) }, []string{forbidden}},
		{"volumeClaimTemplates", func(ss *StatefulSet) {
			ss.Spec.VolumeClaimTemplates[0].Spec.Resources.Requests[core.ResourceStorage] = resource.MustParse("2Gi")
		}, []string{forbidden}},
		{"selector", func(ss *StatefulSet) {
			ss.Spec.Selector = &meta.LabelSelector{MatchLabels: map[string]string{"app": "web", "v": "2"}}
			ss.Spec.Template.Labels["v"] = "2"
		}, []string{forbidden}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validStatefulSet()
			ss := old.DeepCopy()
			tt.mutate(ss)
			checkErrors(t, ValidateStatefulSetUpdate(ss, old), tt.want)
		})
	}
}

func TestValidateStatefulSetStatusUpdate(t *testing.T) {
	tests := []struct {
		name        string
		status, old StatefulSetStatus
		want        []string
	}{
		{"valid", StatefulSetStatus{Replicas: 3, ReadyReplicas: 3, AvailableReplicas: 2, CurrentReplicas: 1, UpdatedReplicas: 2, CollisionCount: new(int32(0))}, StatefulSetStatus{}, nil},
		{"negative", StatefulSetStatus{Replicas: 1, CurrentReplicas: -1}, StatefulSetStatus{}, []string{"status.currentReplicas: Invalid value: -1"}},
		{"updated over replicas", StatefulSetStatus{Replicas: 1, UpdatedReplicas: 2}, StatefulSetStatus{},
			[]string{"status.updatedReplicas: Invalid value: 2: cannot be greater than status.replicas"}},
		{"available over ready", StatefulSetStatus{Replicas: 2, ReadyReplicas: 1, AvailableReplicas: 2}, StatefulSetStatus{},
			[]string{"status.availableReplicas: Invalid value: 2: cannot be greater than status.readyReplicas"}},
		{"collisionCount decremented", StatefulSetStatus{CollisionCount: new(int32(0))}, StatefulSetStatus{CollisionCount: new(int32(1))},
			[]string{"status.collisionCount: Invalid value: 0: cannot be decremented"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			old := validStatefulSet()
			old.Status = tt.old
			ss := old.DeepCopy()
			ss.Status = tt.status
			checkErrors(t, ValidateStatefulSetStatusUpdate(ss, old), tt.want)
		})
	}
}
