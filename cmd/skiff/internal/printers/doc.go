// Package printers renders objects the way kubectl does: the tables of `get` (one column set
// per kind, with the extra columns of -o wide), the STATUS of a pod as kubectl's printPod
// computes it, and ages as kubectl's duration.HumanDuration formats them.
//
// # Basics
//
// ForKind returns the Table of a kind: its columns and a function from an object to its
// cells. A Writer lays rows out in aligned columns on an io.Writer with the padding kubectl
// uses; Writer.Options choose -o wide, a leading NAMESPACE column (for -A) and "kind/name"
// names (when several kinds are printed together).
//
// Every cell that depends on the current time (AGE, RESTARTS' "(5m ago)", a job's DURATION)
// is computed from the now passed in, never from the wall clock, so tests are exact.
//
// # Caveats
//
// The functions read the objects they are given and never modify them: objects from a watch
// may be shared.
package printers
