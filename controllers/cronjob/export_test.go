package cronjob

// Unexported identifiers for the external tests (package cronjob_test), which must be
// external because they run the controller on a controlplane plane, and controlplane imports
// cronjob.
var (
	NewCronJob    = newCronJob
	AddController = add
	JobName       = jobName
)

const NextScheduleDelta = nextScheduleDelta
