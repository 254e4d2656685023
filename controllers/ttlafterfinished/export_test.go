package ttlafterfinished

// FinishedCondition is finishedCondition, for the external tests (package
// ttlafterfinished_test), which must be external because they run the controller on a
// controlplane plane, and controlplane imports ttlafterfinished.
var FinishedCondition = finishedCondition
