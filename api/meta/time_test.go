package meta_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
)

var (
	utc2024 = time.Date(2024, time.March, 1, 12, 30, 45, 0, time.UTC)
	plus2   = time.FixedZone("UTC+2", 2*60*60)
)

func TestTimeMarshalJSON(t *testing.T) {
	tests := []struct {
		name string
		in   meta.Time
		want string
	}{
		{"zero is null", meta.Time{}, `null`},
		{"UTC", meta.NewTime(utc2024), `"2024-03-01T12:30:45Z"`},
		{"other zone is written in UTC", meta.Time{Time: utc2024.In(plus2)}, `"2024-03-01T12:30:45Z"`},
		{"fractions are not written", meta.Time{Time: utc2024.Add(987 * time.Millisecond)}, `"2024-03-01T12:30:45Z"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Errorf("Marshal = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestTimeUnmarshalJSON(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr string
	}{
		{name: "null is zero", in: `null`, want: time.Time{}},
		{name: "RFC 3339", in: `"2024-03-01T12:30:45Z"`, want: utc2024},
		{name: "offset becomes UTC", in: `"2024-03-01T14:30:45+02:00"`, want: utc2024},
		{name: "fractional seconds are dropped", in: `"2024-03-01T12:30:45.999999Z"`, want: utc2024},
		{name: "number", in: `1709296245`, wantErr: "want an RFC 3339 string"},
		{name: "not a time", in: `"yesterday"`, wantErr: `invalid time "yesterday"`},
		{name: "date only", in: `"2024-03-01"`, wantErr: "invalid time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := meta.NewTime(time.Unix(1, 0)) // not zero, so that null must reset it
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Unmarshal(%s) error = %v, want one containing %q", tt.in, err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Time.Equal(tt.want) || got.Location() != time.UTC {
				t.Errorf("Unmarshal(%s) = %v, want %v in UTC", tt.in, got.Time, tt.want)
			}
		})
	}
}

func TestTimeRoundTrip(t *testing.T) {
	in := meta.NewTime(utc2024.Add(123456789 * time.Nanosecond).In(plus2))
	if in.Nanosecond() != 0 || in.Location() != time.UTC {
		t.Fatalf("NewTime = %v, want whole seconds in UTC", in)
	}
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var out meta.Time
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	if out != in {
		t.Errorf("round trip = %v, want %v", out, in)
	}
	if got := meta.NewTime(utc2024.Add(time.Second / 2)).Rfc3339Copy(); got != meta.NewTime(utc2024) {
		t.Errorf("Rfc3339Copy = %v", got)
	}
}

func TestTimeOmitZero(t *testing.T) {
	data, err := json.Marshal(meta.ObjectMeta{Name: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if string(data) != `{"name":"a"}` {
		t.Errorf("ObjectMeta with zero times = %s, want only the name", data)
	}
}

func TestTimeCompare(t *testing.T) {
	a, b := meta.NewTimePtr(utc2024), meta.NewTimePtr(utc2024.Add(time.Second))
	zero := &meta.Time{}
	var nilTime *meta.Time
	tests := []struct {
		name         string
		x, y         *meta.Time
		equal, befor bool
	}{
		{"nil and nil", nilTime, nilTime, true, false},
		{"nil and zero", nilTime, zero, true, false},
		{"nil and set", nilTime, a, false, false},
		{"set and nil", a, nilTime, false, false},
		{"same instant", a, meta.NewTimePtr(utc2024.In(plus2)), true, false},
		{"earlier", a, b, false, true},
		{"later", b, a, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.x.Equal(tt.y); got != tt.equal {
				t.Errorf("Equal = %v, want %v", got, tt.equal)
			}
			if got := tt.x.Before(tt.y); got != tt.befor {
				t.Errorf("Before = %v, want %v", got, tt.befor)
			}
		})
	}
	if !nilTime.IsZero() || !zero.IsZero() || a.IsZero() {
		t.Errorf("IsZero: nil %v, zero %v, set %v", nilTime.IsZero(), zero.IsZero(), a.IsZero())
	}
}

func TestMicroTimeJSON(t *testing.T) {
	micro := utc2024.Add(123456 * time.Microsecond)
	tests := []struct {
		name    string
		in      string
		want    time.Time
		wantErr bool
	}{
		{name: "null", in: `null`, want: time.Time{}},
		{name: "six digits", in: `"2024-03-01T12:30:45.123456Z"`, want: micro},
		{name: "nanoseconds are truncated", in: `"2024-03-01T12:30:45.123456789Z"`, want: micro},
		{name: "no fraction", in: `"2024-03-01T12:30:45Z"`, want: utc2024},
		{name: "offset", in: `"2024-03-01T14:30:45.123456+02:00"`, want: micro},
		{name: "number", in: `1`, wantErr: true},
		{name: "garbage", in: `"soon"`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := meta.NewMicroTime(time.Unix(1, 0))
			err := json.Unmarshal([]byte(tt.in), &got)
			if tt.wantErr {
				if err == nil {
					t.Fatalf("Unmarshal(%s) succeeded", tt.in)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Time.Equal(tt.want) {
				t.Errorf("Unmarshal(%s) = %v, want %v", tt.in, got.Time, tt.want)
			}
		})
	}

	for _, tt := range []struct {
		in   meta.MicroTime
		want string
	}{
		{meta.MicroTime{}, `null`},
		{meta.NewMicroTime(micro.Add(789 * time.Nanosecond).In(plus2)), `"2024-03-01T12:30:45.123456Z"`},
		{meta.NewMicroTime(utc2024), `"2024-03-01T12:30:45.000000Z"`},
	} {
		got, err := json.Marshal(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != tt.want {
			t.Errorf("Marshal(%v) = %s, want %s", tt.in, got, tt.want)
		}
	}
	var nilMicro *meta.MicroTime
	if !nilMicro.IsZero() {
		t.Errorf("nil MicroTime is not zero")
	}
}
