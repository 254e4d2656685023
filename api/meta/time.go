package meta

import (
	"bytes"
	"fmt"
	"time"
)

// Time is a timestamp that marshals to JSON as an RFC 3339 string with second precision, in
// UTC, like Kubernetes' metav1.Time. The zero Time marshals as null, and null unmarshals to the
// zero Time.
type Time struct {
	time.Time
}

// NewTime returns t truncated to whole seconds, in UTC.
func NewTime(t time.Time) Time { return Time{t.Truncate(time.Second).UTC()} }

// Now is a convenience for NewTime(time.Now()); code that reads the clock should use a
// clock.Clock and NewTime instead.
func Now() Time { return NewTime(time.Now()) }

// NewTimePtr returns a pointer to NewTime(t).
func NewTimePtr(t time.Time) *Time {
	v := NewTime(t)
	return &v
}

// IsZero reports whether t is nil or the zero time.
func (t *Time) IsZero() bool { return t == nil || t.Time.IsZero() }

// Equal reports whether two possibly nil times denote the same instant (nil equals zero).
func (t *Time) Equal(u *Time) bool {
	if t.IsZero() || u.IsZero() {
		return t.IsZero() && u.IsZero()
	}
	return t.Time.Equal(u.Time)
}

// Before reports whether t is before u.
func (t *Time) Before(u *Time) bool {
	if t == nil || u == nil {
		return false
	}
	return t.Time.Before(u.Time)
}

// MarshalJSON encodes t as an RFC 3339 string in UTC, or null when zero.
func (t Time) MarshalJSON() ([]byte, error) {
	return t.AppendJSON(make([]byte, 0, len(time.RFC3339)+2))
}

// AppendJSON appends what MarshalJSON returns to b, without allocating.
func (t Time) AppendJSON(b []byte) ([]byte, error) {
	if t.Time.IsZero() {
		return append(b, "null"...), nil
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, time.RFC3339)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts null or an RFC 3339 string (fractional seconds are dropped).
func (t *Time) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("invalid time %s: want an RFC 3339 string", b)
	}
	v, err := time.Parse(time.RFC3339, string(b[1:len(b)-1]))
	if err != nil {
		return fmt.Errorf("invalid time %s: %w", b, err)
	}
	t.Time = v.Truncate(time.Second).UTC()
	return nil
}

// String formats the time like time.Time.
func (t Time) String() string { return t.Time.String() }

// Rfc3339Copy returns t truncated to second precision, as it would be after a JSON round trip.
func (t Time) Rfc3339Copy() Time { return NewTime(t.Time) }

// MicroTime is a timestamp with microsecond precision, used by Lease and Event (RFC 3339 with
// six fractional digits, like Kubernetes' metav1.MicroTime).
type MicroTime struct {
	time.Time
}

// NewMicroTime returns t truncated to microseconds, in UTC.
func NewMicroTime(t time.Time) MicroTime { return MicroTime{t.Truncate(time.Microsecond).UTC()} }

// IsZero reports whether t is nil or the zero time.
func (t *MicroTime) IsZero() bool { return t == nil || t.Time.IsZero() }

const rfc3339Micro = "2006-01-02T15:04:05.000000Z07:00"

// MarshalJSON encodes t with microseconds in UTC, or null when zero.
func (t MicroTime) MarshalJSON() ([]byte, error) {
	return t.AppendJSON(make([]byte, 0, len(rfc3339Micro)+2))
}

// AppendJSON appends what MarshalJSON returns to b, without allocating.
func (t MicroTime) AppendJSON(b []byte) ([]byte, error) {
	if t.Time.IsZero() {
		return append(b, "null"...), nil
	}
	b = append(b, '"')
	b = t.UTC().AppendFormat(b, rfc3339Micro)
	return append(b, '"'), nil
}

// UnmarshalJSON accepts null or an RFC 3339 string with or without fractional seconds.
func (t *MicroTime) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		t.Time = time.Time{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("invalid time %s: want an RFC 3339 string", b)
	}
	v, err := time.Parse(time.RFC3339Nano, string(b[1:len(b)-1]))
	if err != nil {
		return fmt.Errorf("invalid time %s: %w", b, err)
	}
	t.Time = v.Truncate(time.Microsecond).UTC()
	return nil
}
