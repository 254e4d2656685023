//go:build !race

// The race detector's instrumentation allocates, so allocation counts are only checked
// without it.

package validation

import (
	"testing"
)

// TestValidNamesDoNotAllocate keeps validation of well-formed names free of allocations.
func TestValidNamesDoNotAllocate(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() {
		_ = IsDNS1123Label("web-1")
		_ = IsDNS1123Subdomain("web-7d4b9c8f6d-x2k9p.example.com")
		_ = IsDNS1035Label("web")
		_ = IsQualifiedName("app.kubernetes.io/name")
		_ = IsValidLabelValue("frontend")
		_ = ValidateLabels(map[string]string{"app": "web", "tier": "frontend"}, NewPath("metadata").Child("labels"))
	})
	if allocs != 0 {
		t.Errorf("%v allocations per run, want 0", allocs)
	}
}
