package coordination

import (
	"fmt"
	"testing"

	"github.com/skiff-dev/skiff/api/internal/deepcopytest"
	"github.com/skiff-dev/skiff/api/meta"
)

var (
	_ meta.Object     = (*Lease)(nil)
	_ meta.ObjectList = (*LeaseList)(nil)
)

func TestDeepCopy(t *testing.T) {
	for _, obj := range []any{&Lease{}, &LeaseList{}} {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) { deepcopytest.Check(t, obj) })
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, obj := range []any{&Lease{}, &LeaseList{}} {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) { deepcopytest.CheckJSONRoundTrip(t, obj) })
	}
}
