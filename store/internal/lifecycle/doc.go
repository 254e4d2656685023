// Package lifecycle holds the rules a store applies to every write, independent of how objects
// are stored: what Create sets, what Update carries over, when generation moves, and how a
// Delete plays out (preconditions, propagation finalizers, pod grace periods). The rules follow
// ../shared/spec/objects.md §2 and §5. Functions here never modify the stored ("old") object.
package lifecycle
