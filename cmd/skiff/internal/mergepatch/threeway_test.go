package mergepatch

import (
	"encoding/json"
	"reflect"
	"testing"
)

func TestThreeWay(t *testing.T) {
	tests := []struct {
		name                        string
		original, modified, current string
		want                        string
	}{
		{"nothing to do",
			`{"spec":{"replicas":3}}`, `{"spec":{"replicas":3}}`, `{"spec":{"replicas":3,"paused":false},"status":{"x":1}}`,
			`{}`},
		{"change",
			`{"spec":{"replicas":3}}`, `{"spec":{"replicas":5}}`, `{"spec":{"replicas":3}}`,
			`{"spec":{"replicas":5}}`},
		{"drift is corrected",
			`{"spec":{"replicas":3}}`, `{"spec":{"replicas":3}}`, `{"spec":{"replicas":7}}`,
			`{"spec":{"replicas":3}}`},
		{"removed field is deleted",
			`{"metadata":{"labels":{"a":"1","b":"2"}}}`, `{"metadata":{"labels":{"a":"1"}}}`, `{"metadata":{"labels":{"a":"1","b":"2","c":"3"}}}`,
			`{"metadata":{"labels":{"b":null}}}`},
		{"server defaults are kept",
			`{"spec":{"replicas":3}}`, `{"spec":{"replicas":3}}`, `{"spec":{"replicas":3,"strategy":{"type":"RollingUpdate"}}}`,
			`{}`},
		{"fields set by others are kept",
			`{}`, `{"metadata":{"labels":{"a":"1"}}}`, `{"metadata":{"labels":{"a":"1","other":"x"}}}`,
			`{}`},
		{"no last applied: nothing is deleted",
			``, `{"spec":{"replicas":2}}`, `{"spec":{"replicas":1,"paused":true}}`,
			`{"spec":{"replicas":2}}`},
		{"lists are replaced whole",
			`{"spec":{"containers":[{"name":"a","image":"x:1"}]}}`, `{"spec":{"containers":[{"name":"a","image":"x:2"}]}}`,
			`{"spec":{"containers":[{"name":"a","image":"x:1","imagePullPolicy":"IfNotPresent"}]}}`,
			`{"spec":{"containers":[{"name":"a","image":"x:2"}]}}`},
		{"deletion and change together",
			`{"spec":{"a":1,"b":2}}`, `{"spec":{"b":3}}`, `{"spec":{"a":1,"b":2}}`,
			`{"spec":{"a":null,"b":3}}`},
		{"removed map is deleted",
			`{"spec":{"sel":{"x":"y"}}}`, `{"spec":{}}`, `{"spec":{"sel":{"x":"y"}}}`,
			`{"spec":{"sel":null}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ThreeWay([]byte(tc.original), []byte(tc.modified), []byte(tc.current))
			if err != nil {
				t.Fatal(err)
			}
			var g, w any
			if err := json.Unmarshal(got, &g); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.want), &w); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(g, w) {
				t.Errorf("ThreeWay = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestThreeWayRejectsBadJSON(t *testing.T) {
	if _, err := ThreeWay(nil, []byte(`{`), []byte(`{}`)); err == nil {
		t.Error("want an error for malformed JSON")
	}
}
