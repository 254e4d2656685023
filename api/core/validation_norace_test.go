//go:build !race

// The race detector's instrumentation allocates, so allocation counts are only checked
// without it.

package core

import (
	"testing"
)

// TestValidatePodDoesNotAllocate keeps the validation of a valid pod free of allocations: field
// paths stay on the stack, names are checked without regular expressions, uniqueness without
// maps.
func TestValidatePodDoesNotAllocate(t *testing.T) {
	p := benchPod()
	if errs := ValidatePod(p); len(errs) > 0 {
		t.Fatal(errs.ToAggregate())
	}
	if allocs := testing.AllocsPerRun(100, func() { ValidatePod(p) }); allocs != 0 {
		t.Errorf("ValidatePod allocates %v times per run, want 0", allocs)
	}
}
