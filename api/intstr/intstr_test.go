package intstr

import (
	"encoding/json"
	"testing"
)

func TestJSON(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want IntOrString
	}{
		{`1`, FromInt(1)},
		{`"25%"`, FromString("25%")},
		{`"3"`, FromString("3")},
	} {
		var v IntOrString
		if err := json.Unmarshal([]byte(tt.in), &v); err != nil {
			t.Fatal(err)
		}
		if v != tt.want {
			t.Fatalf("%s: got %+v", tt.in, v)
		}
		out, _ := json.Marshal(v)
		if string(out) != tt.in {
			t.Fatalf("round trip %s -> %s", tt.in, out)
		}
	}
	var v IntOrString
	if err := json.Unmarshal([]byte(`true`), &v); err == nil {
		t.Fatal("bool accepted")
	}
}

func TestScaledValue(t *testing.T) {
	tests := []struct {
		v       IntOrString
		total   int
		roundUp bool
		want    int
		wantErr bool
	}{
		{FromInt(3), 10, true, 3, false},
		{FromString("25%"), 10, true, 3, false},  // 2.5 rounds up: maxSurge
		{FromString("25%"), 10, false, 2, false}, // 2.5 rounds down: maxUnavailable
		{FromString("100%"), 7, false, 7, false},
		{FromString("0%"), 7, true, 0, false},
		{FromString("33%"), 3, true, 1, false},
		{FromString("abc"), 3, true, 0, true},
		{FromString("x%"), 3, true, 0, true},
	}
	for _, tt := range tests {
		got, err := ScaledValue(&tt.v, tt.total, tt.roundUp)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("%v of %d (up=%v): got %d, %v", tt.v, tt.total, tt.roundUp, got, err)
		}
	}
	if _, err := ScaledValue(nil, 1, true); err == nil {
		t.Fatal("nil accepted")
	}
}

func TestParseAndHelpers(t *testing.T) {
	if Parse("5") != FromInt(5) || Parse("5%") != FromString("5%") {
		t.Fatal("Parse")
	}
	if !FromString("5%").IsPercent() || FromInt(5).IsPercent() {
		t.Fatal("IsPercent")
	}
	if FromString("7").IntValue() != 7 || FromInt(7).String() != "7" {
		t.Fatal("IntValue/String")
	}
	if ValueOrDefault(nil, FromInt(1)) != FromInt(1) || ValueOrDefault(Ptr(FromInt(2)), FromInt(1)) != FromInt(2) {
		t.Fatal("ValueOrDefault")
	}
}
