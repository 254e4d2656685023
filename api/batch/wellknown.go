package batch

// GroupName is the API group of the kinds in this package.
const GroupName = "batch"

// GroupVersion is the apiVersion of the kinds in this package.
const GroupVersion = "batch/v1"

// Labels, annotations and finalizers of Jobs and their pods (../shared/spec/job.md).
const (
	// ControllerUIDLabel carries the UID of the Job a pod belongs to; the generated selector
	// matches it.
	ControllerUIDLabel = "batch.kubernetes.io/controller-uid"
	// JobNameLabel carries the name of the Job a pod belongs to.
	JobNameLabel = "batch.kubernetes.io/job-name"
	// LegacyControllerUIDLabel is the unprefixed form of ControllerUIDLabel, still added for
	// selectors written against it.
	LegacyControllerUIDLabel = "controller-uid"
	// LegacyJobNameLabel is the unprefixed form of JobNameLabel.
	LegacyJobNameLabel = "job-name"
	// JobCompletionIndexAnnotation carries the completion index of a pod of an Indexed Job;
	// it is also set as a label of the same name.
	JobCompletionIndexAnnotation = "batch.kubernetes.io/job-completion-index"
	// JobIndexFailureCountAnnotation counts the failures of a pod's index so far (with
	// backoffLimitPerIndex).
	JobIndexFailureCountAnnotation = "batch.kubernetes.io/job-index-failure-count"
	// JobIndexIgnoredFailureCountAnnotation counts the failures of a pod's index that the pod
	// failure policy ignored.
	JobIndexIgnoredFailureCountAnnotation = "batch.kubernetes.io/job-index-ignored-failure-count"
	// JobTrackingFinalizer keeps a finished pod until the job controller has counted it.
	JobTrackingFinalizer = "batch.kubernetes.io/job-tracking"
	// CronJobScheduledTimestampAnnotation is set on Jobs a CronJob creates: the scheduled
	// time of the run, RFC 3339 in the CronJob's zone.
	CronJobScheduledTimestampAnnotation = "batch.kubernetes.io/cronjob-scheduled-timestamp"
	// JobControllerName is the managedBy value of Jobs reconciled by the built-in
	// controller.
	JobControllerName = "kubernetes.io/job-controller"
)
