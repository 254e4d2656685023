package batch

import (
	"fmt"
	"testing"

	"github.com/skiff-dev/skiff/api/internal/deepcopytest"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
)

// Every kind must be a meta.Object and every list a meta.ObjectList.
var (
	_ meta.Object = (*Job)(nil)
	_ meta.Object = (*CronJob)(nil)

	_ meta.ObjectList = (*JobList)(nil)
	_ meta.ObjectList = (*CronJobList)(nil)
)

func allTypes() []any {
	return []any{&Job{}, &JobList{}, &CronJob{}, &CronJobList{}, &JobTemplateSpec{}}
}

// quantities fills Quantity fields, whose fields are unexported, with valid values.
var quantities = deepcopytest.FillWith(func(n int) resource.Quantity {
	return resource.MustParse(fmt.Sprintf("%dMi", n))
})

func TestDeepCopy(t *testing.T) {
	for _, obj := range allTypes() {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) { deepcopytest.Check(t, obj, quantities) })
	}
}

func TestJSONRoundTrip(t *testing.T) {
	for _, obj := range allTypes() {
		t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) { deepcopytest.CheckJSONRoundTrip(t, obj, quantities) })
	}
}
