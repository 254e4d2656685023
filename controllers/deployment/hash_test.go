package deployment

import (
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func hashTemplate(image string, lbls map[string]string) *core.PodTemplateSpec {
	return &core.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: lbls},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "app", Image: image}}},
	}
}

func TestComputeHash(t *testing.T) {
	a := hashTemplate("nginx:1.27", map[string]string{"app": "web", "tier": "fe"})
	same := hashTemplate("nginx:1.27", map[string]string{"tier": "fe", "app": "web"})
	other := hashTemplate("nginx:1.28", map[string]string{"app": "web", "tier": "fe"})
	h := ComputeHash(a, nil)
	if h != ComputeHash(same, nil) {
		t.Error("equal templates hash differently")
	}
	if h == ComputeHash(other, nil) {
		t.Error("different templates hash alike")
	}
	one, two := int32(1), int32(2)
	h1, h2 := ComputeHash(a, &one), ComputeHash(a, &two)
	if h1 == h || h2 == h || h1 == h2 {
		t.Errorf("the collision count does not change the hash: %s %s %s", h, h1, h2)
	}
	zero := int32(0)
	if ComputeHash(a, &zero) == h {
		t.Error("a collision count of 0 must still be hashed (Kubernetes writes its 8 bytes)")
	}
	for _, x := range []string{h, h1, h2} {
		if len(x) == 0 || len(x) > 10 || strings.Trim(x, safeAlphabet) != "" {
			t.Errorf("hash %q is not 1-10 characters of %s", x, safeAlphabet)
		}
	}
	if ComputeHash(a, nil) != h {
		t.Error("hashing is not deterministic")
	}
}

// TestSafeEncodeString checks Kubernetes' mapping of decimal digits onto the safe alphabet
// (the digit's byte value modulo 27): 0-9 become 4 5 6 7 8 9 b c d f.
func TestSafeEncodeString(t *testing.T) {
	tests := map[string]string{
		"0123456789": "456789bcdf",
		"3862154289": "7db65986df",
		"":           "",
	}
	for in, want := range tests {
		if got := SafeEncodeString(in); got != want {
			t.Errorf("SafeEncodeString(%q) = %q, want %q", in, got, want)
		}
	}
}
