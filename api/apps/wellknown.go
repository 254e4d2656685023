package apps

// GroupName is the API group of the kinds in this package.
const GroupName = "apps"

// GroupVersion is the apiVersion of the kinds in this package.
const GroupVersion = "apps/v1"

// Labels the workload controllers put on the pods, ReplicaSets and ControllerRevisions they
// create.
const (
	// DefaultDeploymentUniqueLabelKey is the label a Deployment adds to each ReplicaSet's
	// selector, template and pods so that the ReplicaSets of one Deployment never overlap. Its
	// value is the hash of the pod template.
	DefaultDeploymentUniqueLabelKey = "pod-template-hash"
	// ControllerRevisionHashLabelKey carries the name suffix of the ControllerRevision a
	// StatefulSet or DaemonSet pod was created from.
	ControllerRevisionHashLabelKey = "controller-revision-hash"
	// StatefulSetRevisionLabel is the label a StatefulSet pod's revision is read from.
	StatefulSetRevisionLabel = ControllerRevisionHashLabelKey
	// DefaultDaemonSetUniqueLabelKey is the label a DaemonSet pod's revision is read from.
	DefaultDaemonSetUniqueLabelKey = ControllerRevisionHashLabelKey
	// StatefulSetPodNameLabel carries a StatefulSet pod's own name, so that a Service can
	// select a single member.
	StatefulSetPodNameLabel = "statefulset.kubernetes.io/pod-name"
	// PodIndexLabel carries a StatefulSet pod's ordinal.
	PodIndexLabel = "apps.kubernetes.io/pod-index"
	// DaemonSetTemplateGenerationKey is the pod label holding the DaemonSet template
	// generation the pod was created from.
	DaemonSetTemplateGenerationKey = "pod-template-generation"
	// ControllerRevisionHashLabel is the label StatefulSet ControllerRevisions carry their
	// hash in.
	ControllerRevisionHashLabel = "controller.kubernetes.io/hash"
)

// Annotations of Deployments and their ReplicaSets (../shared/spec/deployment.md §4), and of
// DaemonSets.
const (
	// RevisionAnnotation is the rollout revision of a ReplicaSet, and on a Deployment the
	// revision of its current ReplicaSet.
	RevisionAnnotation = "deployment.kubernetes.io/revision"
	// RevisionHistoryAnnotation lists, comma-separated, the earlier revisions a ReplicaSet had
	// before a rollback made it current again.
	RevisionHistoryAnnotation = "deployment.kubernetes.io/revision-history"
	// DesiredReplicasAnnotation is the Deployment's replicas when the ReplicaSet was last
	// scaled by it.
	DesiredReplicasAnnotation = "deployment.kubernetes.io/desired-replicas"
	// MaxReplicasAnnotation is replicas + maxSurge of the Deployment when the ReplicaSet was
	// last scaled by it; proportional scaling reads it.
	MaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas"
	// DeprecatedRollbackTo asks the deployment controller to roll back to the given revision
	// (0 means the previous one). Kept for compatibility with old clients.
	DeprecatedRollbackTo = "deprecated.deployment.rollback.to"
	// DeprecatedTemplateGeneration is the DaemonSet annotation the server sets to 1 on create
	// and increments on every template change.
	DeprecatedTemplateGeneration = "deprecated.daemonset.template.generation"
	// LastAppliedConfigAnnotation is written by kubectl apply; Deployments do not copy it to
	// their ReplicaSets.
	LastAppliedConfigAnnotation = "kubectl.kubernetes.io/last-applied-configuration"
)
