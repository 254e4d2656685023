package meta_test

import (
	"fmt"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
)

func ExampleSetCondition() {
	now := meta.NewTime(time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC))
	var conds []meta.Condition
	conds, changed := meta.SetCondition(conds, meta.Condition{Type: "Ready", Status: meta.ConditionFalse, Reason: "Starting"}, now)
	fmt.Println(changed, meta.IsConditionTrue(conds, "Ready"))

	later := meta.NewTime(now.Add(time.Minute))
	conds, changed = meta.SetCondition(conds, meta.Condition{Type: "Ready", Status: meta.ConditionTrue, Reason: "Up"}, later)
	fmt.Println(changed, meta.IsConditionTrue(conds, "Ready"), conds[0].LastTransitionTime.Format(time.TimeOnly))
	// Output:
	// true false
	// true true 12:01:00
}

func ExampleDeepCopyJSONValue() {
	fields := map[string]any{"f:spec": map[string]any{"f:replicas": map[string]any{}}}
	c := meta.DeepCopyJSONValue(fields).(map[string]any)
	c["f:spec"].(map[string]any)["f:paused"] = map[string]any{}
	fmt.Println(len(fields["f:spec"].(map[string]any)), len(c["f:spec"].(map[string]any)))
	// Output: 1 2
}
