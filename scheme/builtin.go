package scheme

import (
	"slices"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/validation"
)

// Built-in GVKs, for callers that name a kind without its Go type.
var (
	PodGVK                   = GroupVersionKind{Version: "v1", Kind: "Pod"}
	NodeGVK                  = GroupVersionKind{Version: "v1", Kind: "Node"}
	NamespaceGVK             = GroupVersionKind{Version: "v1", Kind: "Namespace"}
	PersistentVolumeClaimGVK = GroupVersionKind{Version: "v1", Kind: "PersistentVolumeClaim"}
	ConfigMapGVK             = GroupVersionKind{Version: "v1", Kind: "ConfigMap"}
	SecretGVK                = GroupVersionKind{Version: "v1", Kind: "Secret"}
	ServiceGVK               = GroupVersionKind{Version: "v1", Kind: "Service"}
	EventGVK                 = GroupVersionKind{Version: "v1", Kind: "Event"}
	DeploymentGVK            = GroupVersionKind{Group: "apps", Version: "v1", Kind: "Deployment"}
	ReplicaSetGVK            = GroupVersionKind{Group: "apps", Version: "v1", Kind: "ReplicaSet"}
	StatefulSetGVK           = GroupVersionKind{Group: "apps", Version: "v1", Kind: "StatefulSet"}
	DaemonSetGVK             = GroupVersionKind{Group: "apps", Version: "v1", Kind: "DaemonSet"}
	ControllerRevisionGVK    = GroupVersionKind{Group: "apps", Version: "v1", Kind: "ControllerRevision"}
	JobGVK                   = GroupVersionKind{Group: "batch", Version: "v1", Kind: "Job"}
	CronJobGVK               = GroupVersionKind{Group: "batch", Version: "v1", Kind: "CronJob"}
	LeaseGVK                 = GroupVersionKind{Group: "coordination.k8s.io", Version: "v1", Kind: "Lease"}
)

// NewBuiltin returns a Scheme with every built-in kind registered: core/v1 Pod, Node,
// Namespace, PersistentVolumeClaim, ConfigMap, Secret, Service, Event; apps/v1 Deployment,
// ReplicaSet, StatefulSet, DaemonSet, ControllerRevision; batch/v1 Job, CronJob; and
// coordination.k8s.io/v1 Lease. Register your own kinds on the result.
func NewBuiltin() *Scheme {
	s := New()
	AddBuiltin(s)
	return s
}

// AddBuiltin registers the built-in kinds on s. It panics if any is already registered.
func AddBuiltin(s *Scheme) {
	defer addBuiltinEncoders(s)
	// core/v1
	MustRegister(s, Kind[*core.Pod]{
		GVK: PodGVK, Plural: "pods", ShortNames: []string{"po"}, Namespaced: true, HasStatus: true,
		Default:  core.DefaultPod,
		Validate: core.ValidatePod, ValidateUpdate: core.ValidatePodUpdate,
		ValidateStatusUpdate: core.ValidatePodStatusUpdate,
		PrepareForCreate: func(p *core.Pod) {
			p.Status = core.PodStatus{Phase: core.PodPending}
		},
	})
	MustRegister(s, Kind[*core.Node]{
		GVK: NodeGVK, Plural: "nodes", ShortNames: []string{"no"}, HasStatus: true,
		KeepStatusOnCreate: true, // a node agent registers its node with its status
		Default:            core.DefaultNode,
		Validate:           core.ValidateNode,
	})
	MustRegister(s, Kind[*core.Namespace]{
		GVK: NamespaceGVK, Plural: "namespaces", ShortNames: []string{"ns"}, HasStatus: true,
		NameRule: validation.NameIsDNSLabel,
		Default:  core.DefaultNamespace,
		Validate: core.ValidateNamespace,
		PrepareForCreate: func(n *core.Namespace) {
			n.Status = core.NamespaceStatus{Phase: core.NamespaceActive}
			// The namespace controller removes this finalizer once the namespace is empty.
			if !slices.Contains(n.Spec.Finalizers, core.FinalizerKubernetes) {
				n.Spec.Finalizers = append(n.Spec.Finalizers, core.FinalizerKubernetes)
			}
		},
	})
	MustRegister(s, Kind[*core.PersistentVolumeClaim]{
		GVK: PersistentVolumeClaimGVK, Plural: "persistentvolumeclaims", ShortNames: []string{"pvc"}, Namespaced: true, HasStatus: true,
		Default:  core.DefaultPVC,
		Validate: core.ValidatePVC, ValidateUpdate: core.ValidatePVCUpdate,
		PrepareForCreate: func(c *core.PersistentVolumeClaim) {
			c.Status = core.PersistentVolumeClaimStatus{Phase: core.ClaimPending}
		},
	})
	MustRegister(s, Kind[*core.ConfigMap]{
		GVK: ConfigMapGVK, Plural: "configmaps", ShortNames: []string{"cm"}, Namespaced: true,
		Validate: core.ValidateConfigMap,
	})
	MustRegister(s, Kind[*core.Secret]{
		GVK: SecretGVK, Plural: "secrets", Namespaced: true,
		Default:  core.DefaultSecret,
		Validate: core.ValidateSecret,
	})
	MustRegister(s, Kind[*core.Service]{
		GVK: ServiceGVK, Plural: "services", ShortNames: []string{"svc"}, Namespaced: true, HasStatus: true,
		NameRule: validation.NameIsDNS1035Label,
		Default:  core.DefaultService,
		Validate: core.ValidateService,
	})
	MustRegister(s, Kind[*core.Event]{
		GVK: EventGVK, Plural: "events", ShortNames: []string{"ev"}, Namespaced: true,
		Validate: core.ValidateEvent,
	})

	// apps/v1
	MustRegister(s, Kind[*apps.Deployment]{
		GVK: DeploymentGVK, Plural: "deployments", ShortNames: []string{"deploy"}, Namespaced: true, HasStatus: true,
		GenerationOnAnnotations: true,
		Default:                 apps.DefaultDeployment,
		Validate:                apps.ValidateDeployment, ValidateUpdate: apps.ValidateDeploymentUpdate,
		ValidateStatusUpdate: apps.ValidateDeploymentStatusUpdate,
	})
	MustRegister(s, Kind[*apps.ReplicaSet]{
		GVK: ReplicaSetGVK, Plural: "replicasets", ShortNames: []string{"rs"}, Namespaced: true, HasStatus: true,
		Default:  apps.DefaultReplicaSet,
		Validate: apps.ValidateReplicaSet, ValidateUpdate: apps.ValidateReplicaSetUpdate,
		ValidateStatusUpdate: apps.ValidateReplicaSetStatusUpdate,
	})
	MustRegister(s, Kind[*apps.StatefulSet]{
		GVK: StatefulSetGVK, Plural: "statefulsets", ShortNames: []string{"sts"}, Namespaced: true, HasStatus: true,
		NameRule: validation.NameIsDNSLabel,
		Default:  apps.DefaultStatefulSet,
		Validate: apps.ValidateStatefulSet, ValidateUpdate: apps.ValidateStatefulSetUpdate,
		ValidateStatusUpdate: apps.ValidateStatefulSetStatusUpdate,
	})
	MustRegister(s, Kind[*apps.DaemonSet]{
		GVK: DaemonSetGVK, Plural: "daemonsets", ShortNames: []string{"ds"}, Namespaced: true, HasStatus: true,
		Default:          apps.DefaultDaemonSet,
		PrepareForCreate: func(ds *apps.DaemonSet) { apps.SetDaemonSetTemplateGeneration(ds, nil) },
		PrepareForUpdate: apps.SetDaemonSetTemplateGeneration,
		Validate:         apps.ValidateDaemonSet, ValidateUpdate: apps.ValidateDaemonSetUpdate,
		ValidateStatusUpdate: apps.ValidateDaemonSetStatusUpdate,
	})
	MustRegister(s, Kind[*apps.ControllerRevision]{
		GVK: ControllerRevisionGVK, Plural: "controllerrevisions", Namespaced: true,
		Validate: apps.ValidateControllerRevision, ValidateUpdate: apps.ValidateControllerRevisionUpdate,
	})

	// batch/v1
	MustRegister(s, Kind[*batch.Job]{
		GVK: JobGVK, Plural: "jobs", Namespaced: true, HasStatus: true,
		Default:          batch.DefaultJob,
		PrepareForCreate: batch.GenerateJobSelector,
		Validate:         batch.ValidateJob, ValidateUpdate: batch.ValidateJobUpdate,
		ValidateStatusUpdate: batch.ValidateJobStatusUpdate,
	})
	MustRegister(s, Kind[*batch.CronJob]{
		GVK: CronJobGVK, Plural: "cronjobs", ShortNames: []string{"cj"}, Namespaced: true, HasStatus: true,
		Default:  batch.DefaultCronJob,
		Validate: batch.ValidateCronJob, ValidateUpdate: batch.ValidateCronJobUpdate,
		ValidateStatusUpdate: batch.ValidateCronJobStatusUpdate,
	})

	// coordination.k8s.io/v1
	MustRegister(s, Kind[*coordination.Lease]{
		GVK: LeaseGVK, Plural: "leases", Namespaced: true,
		Validate: coordination.ValidateLease, ValidateUpdate: coordination.ValidateLeaseUpdate,
	})
}
