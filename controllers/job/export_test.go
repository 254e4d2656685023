package job

// Unexported identifiers for the external tests (package job_test), which must be external
// because they run the controller on a controlplane plane, and controlplane imports job.
var (
	NewJob               = newJob
	FindCondition        = findCondition
	IsFinished           = isFinished
	HasTrackingFinalizer = hasTrackingFinalizer
	CompletionIndex      = completionIndex
	FinishedTime         = finishedTime
)

const CompletionIndexEnvName = completionIndexEnvName
