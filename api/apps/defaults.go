package apps

import (
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
)

// Default values of the apps/v1 kinds (../shared/spec/deployment.md, replicaset.md,
// statefulset.md, daemonset.md, section 1 of each).
const (
	// DefaultRevisionHistoryLimit is the number of old ReplicaSets or ControllerRevisions
	// kept when revisionHistoryLimit is unset.
	DefaultRevisionHistoryLimit int32 = 10
	// DefaultProgressDeadlineSeconds is a Deployment's progress deadline when unset.
	DefaultProgressDeadlineSeconds int32 = 600
	// DefaultDeploymentMaxSurge and DefaultDeploymentMaxUnavailable bound a Deployment's
	// rolling update when unset.
	DefaultDeploymentMaxSurge       = "25%"
	DefaultDeploymentMaxUnavailable = "25%"
)

// DefaultDeployment fills in the unset fields of d: replicas 1, strategy RollingUpdate with
// maxSurge and maxUnavailable 25%, revisionHistoryLimit 10, progressDeadlineSeconds 600, and
// the pod template's defaults. A Recreate strategy gets no rollingUpdate. It is idempotent.
func DefaultDeployment(d *Deployment) {
	s := &d.Spec
	if s.Replicas == nil {
		s.Replicas = new(int32(1))
	}
	if s.Strategy.Type == "" {
		s.Strategy.Type = RollingUpdateDeploymentStrategyType
	}
	if s.Strategy.Type == RollingUpdateDeploymentStrategyType {
		if s.Strategy.RollingUpdate == nil {
			s.Strategy.RollingUpdate = &RollingUpdateDeployment{}
		}
		ru := s.Strategy.RollingUpdate
		if ru.MaxUnavailable == nil {
			ru.MaxUnavailable = new(intstr.FromString(DefaultDeploymentMaxUnavailable))
		}
		if ru.MaxSurge == nil {
			ru.MaxSurge = new(intstr.FromString(DefaultDeploymentMaxSurge))
		}
	}
	if s.RevisionHistoryLimit == nil {
		s.RevisionHistoryLimit = new(DefaultRevisionHistoryLimit)
	}
	if s.ProgressDeadlineSeconds == nil {
		s.ProgressDeadlineSeconds = new(DefaultProgressDeadlineSeconds)
	}
	core.DefaultPodTemplateSpec(&s.Template)
}

// DefaultReplicaSet fills in the unset fields of rs: replicas 1 and the pod template's
// defaults. It is idempotent.
func DefaultReplicaSet(rs *ReplicaSet) {
	if rs.Spec.Replicas == nil {
		rs.Spec.Replicas = new(int32(1))
	}
	core.DefaultPodTemplateSpec(&rs.Spec.Template)
}

// DefaultStatefulSet fills in the unset fields of ss: replicas 1, podManagementPolicy
// OrderedReady, updateStrategy RollingUpdate with partition 0, revisionHistoryLimit 10, PVC
// retention Retain/Retain, and the defaults of the pod template and of every volume claim
// template. rollingUpdate.maxUnavailable and ordinals stay unset (nil means 1 and 0). It is
// idempotent.
func DefaultStatefulSet(ss *StatefulSet) {
	s := &ss.Spec
	if s.Replicas == nil {
		s.Replicas = new(int32(1))
	}
	if s.PodManagementPolicy == "" {
		s.PodManagementPolicy = OrderedReadyPodManagement
	}
	if s.UpdateStrategy.Type == "" {
		s.UpdateStrategy.Type = RollingUpdateStatefulSetStrategyType
	}
	if s.UpdateStrategy.Type == RollingUpdateStatefulSetStrategyType {
		if s.UpdateStrategy.RollingUpdate == nil {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateStatefulSetStrategy{}
		}
		if s.UpdateStrategy.RollingUpdate.Partition == nil {
			s.UpdateStrategy.RollingUpdate.Partition = new(int32(0))
		}
	}
	if s.RevisionHistoryLimit == nil {
		s.RevisionHistoryLimit = new(DefaultRevisionHistoryLimit)
	}
	if s.PersistentVolumeClaimRetentionPolicy == nil {
		s.PersistentVolumeClaimRetentionPolicy = &StatefulSetPersistentVolumeClaimRetentionPolicy{}
	}
	p := s.PersistentVolumeClaimRetentionPolicy
	if p.WhenDeleted == "" {
		p.WhenDeleted = RetainPersistentVolumeClaimRetentionPolicyType
	}
	if p.WhenScaled == "" {
		p.WhenScaled = RetainPersistentVolumeClaimRetentionPolicyType
	}
	core.DefaultPodTemplateSpec(&s.Template)
	for i := range s.VolumeClaimTemplates {
		core.DefaultPVC(&s.VolumeClaimTemplates[i])
	}
}

// DefaultDaemonSet fills in the unset fields of ds: updateStrategy RollingUpdate with
// maxUnavailable 1 and maxSurge 0, revisionHistoryLimit 10, and the pod template's defaults.
// An OnDelete strategy gets no rollingUpdate. It is idempotent.
//
// The template generation annotation is not a default: the scheme maintains it with
// SetDaemonSetTemplateGeneration.
func DefaultDaemonSet(ds *DaemonSet) {
	s := &ds.Spec
	if s.UpdateStrategy.Type == "" {
		s.UpdateStrategy.Type = RollingUpdateDaemonSetStrategyType
	}
	if s.UpdateStrategy.Type == RollingUpdateDaemonSetStrategyType {
		if s.UpdateStrategy.RollingUpdate == nil {
			s.UpdateStrategy.RollingUpdate = &RollingUpdateDaemonSet{}
		}
		ru := s.UpdateStrategy.RollingUpdate
		if ru.MaxUnavailable == nil {
			ru.MaxUnavailable = new(intstr.FromInt(1))
		}
		if ru.MaxSurge == nil {
			ru.MaxSurge = new(intstr.FromInt(0))
		}
	}
	if s.RevisionHistoryLimit == nil {
		s.RevisionHistoryLimit = new(DefaultRevisionHistoryLimit)
	}
	core.DefaultPodTemplateSpec(&s.Template)
}
