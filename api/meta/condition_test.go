package meta_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
)

func TestSetCondition(t *testing.T) {
	t0 := meta.NewTime(utc2024)
	now := meta.NewTime(utc2024.Add(time.Hour))
	explicit := meta.NewTime(utc2024.Add(time.Minute))
	ready := func(status meta.ConditionStatus, reason string, ltt meta.Time) meta.Condition {
		return meta.Condition{Type: "Ready", Status: status, Reason: reason, Message: "m", LastTransitionTime: ltt}
	}
	other := meta.Condition{Type: "Other", Status: meta.ConditionTrue, LastTransitionTime: t0}
	tests := []struct {
		name    string
		conds   []meta.Condition
		set     meta.Condition
		want    []meta.Condition
		changed bool
	}{
		{
			name: "new condition gets now", conds: []meta.Condition{other},
			set:  ready(meta.ConditionTrue, "Up", meta.Time{}),
			want: []meta.Condition{other, ready(meta.ConditionTrue, "Up", now)}, changed: true,
		},
		{
			name: "new condition keeps its own time", conds: nil,
			set:  ready(meta.ConditionTrue, "Up", explicit),
			want: []meta.Condition{ready(meta.ConditionTrue, "Up", explicit)}, changed: true,
		},
		{
			name: "same status, nothing new", conds: []meta.Condition{ready(meta.ConditionTrue, "Up", t0)},
			set:  ready(meta.ConditionTrue, "Up", meta.Time{}),
			want: []meta.Condition{ready(meta.ConditionTrue, "Up", t0)}, changed: false,
		},
		{
			name: "same status, new reason keeps the transition time", conds: []meta.Condition{ready(meta.ConditionTrue, "Up", t0)},
			set:  ready(meta.ConditionTrue, "StillUp", explicit),
			want: []meta.Condition{ready(meta.ConditionTrue, "StillUp", t0)}, changed: true,
		},
		{
			name: "same status, new observed generation", conds: []meta.Condition{ready(meta.ConditionTrue, "Up", t0)},
			set:  meta.Condition{Type: "Ready", Status: meta.ConditionTrue, Reason: "Up", Message: "m", ObservedGeneration: 3},
			want: []meta.Condition{{Type: "Ready", Status: meta.ConditionTrue, Reason: "Up", Message: "m", ObservedGeneration: 3, LastTransitionTime: t0}}, changed: true,
		},
		{
			name: "status change moves the transition time", conds: []meta.Condition{other, ready(meta.ConditionTrue, "Up", t0)},
			set:  ready(meta.ConditionFalse, "Down", meta.Time{}),
			want: []meta.Condition{other, ready(meta.ConditionFalse, "Down", now)}, changed: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, changed := meta.SetCondition(tt.conds, tt.set, now)
			if changed != tt.changed {
				t.Errorf("changed = %v, want %v", changed, tt.changed)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("conditions = %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestFindAndRemoveCondition(t *testing.T) {
	conds := []meta.Condition{
		{Type: "A", Status: meta.ConditionTrue},
		{Type: "B", Status: meta.ConditionFalse},
		{Type: "C", Status: meta.ConditionUnknown},
	}
	if c := meta.FindCondition(conds, "B"); c == nil || c != &conds[1] {
		t.Errorf("FindCondition(B) = %v, want a pointer to the second condition", c)
	}
	if c := meta.FindCondition(conds, "Z"); c != nil {
		t.Errorf("FindCondition(Z) = %v, want nil", c)
	}
	tests := []struct {
		typ     string
		want    []string
		removed bool
	}{
		{"B", []string{"A", "C"}, true},
		{"A", []string{"B", "C"}, true},
		{"C", []string{"A", "B"}, true},
		{"Z", []string{"A", "B", "C"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			in := append([]meta.Condition(nil), conds...)
			got, removed := meta.RemoveCondition(in, tt.typ)
			if removed != tt.removed {
				t.Errorf("removed = %v, want %v", removed, tt.removed)
			}
			var types []string
			for _, c := range got {
				types = append(types, c.Type)
			}
			if !reflect.DeepEqual(types, tt.want) {
				t.Errorf("types = %v, want %v", types, tt.want)
			}
		})
	}
	for typ, want := range map[string]bool{"A": true, "B": false, "C": false, "Z": false} {
		if got := meta.IsConditionTrue(conds, typ); got != want {
			t.Errorf("IsConditionTrue(%s) = %v, want %v", typ, got, want)
		}
	}
}
