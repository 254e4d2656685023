package printers

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
)

func TestHumanDuration(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{-2 * time.Second, "<invalid>"},
		{-time.Second, "0s"},
		{-500 * time.Millisecond, "0s"},
		{0, "0s"},
		{1500 * time.Millisecond, "1s"},
		{45 * time.Second, "45s"},
		{119 * time.Second, "119s"},
		{2 * time.Minute, "2m"},
		{3*time.Minute + 2*time.Second, "3m2s"},
		{9*time.Minute + 59*time.Second, "9m59s"},
		{10 * time.Minute, "10m"},
		{45*time.Minute + 30*time.Second, "45m"},
		{179 * time.Minute, "179m"},
		{3 * time.Hour, "3h"},
		{5*time.Hour + 30*time.Minute, "5h30m"},
		{7*time.Hour + 59*time.Minute, "7h59m"},
		{8*time.Hour + 30*time.Minute, "8h"},
		{47 * time.Hour, "47h"},
		{48 * time.Hour, "2d"},
		{3*24*time.Hour + 4*time.Hour, "3d4h"},
		{8 * 24 * time.Hour, "8d"},
		{729 * 24 * time.Hour, "729d"},
		{2 * 365 * 24 * time.Hour, "2y"},
		{(2*365 + 40) * 24 * time.Hour, "2y40d"},
		{8 * 365 * 24 * time.Hour, "8y"},
		{20 * 365 * 24 * time.Hour, "20y"},
	}
	for _, tc := range tests {
		if got := HumanDuration(tc.d); got != tc.want {
			t.Errorf("HumanDuration(%v) = %q, want %q", tc.d, got, tc.want)
		}
	}
}

func TestSince(t *testing.T) {
	now := time.Date(2025, 1, 1, 1, 0, 0, 0, time.UTC)
	if got := Since(meta.Time{}, now); got != "<unknown>" {
		t.Errorf("Since(zero) = %q, want <unknown>", got)
	}
	if got := Since(meta.NewTime(now.Add(-90*time.Second)), now); got != "90s" {
		t.Errorf("Since(90s ago) = %q", got)
	}
	if got := SinceMicro(meta.NewMicroTime(now.Add(-time.Hour)), now); got != "60m" {
		t.Errorf("SinceMicro(1h ago) = %q", got)
	}
	if got := SinceMicro(meta.MicroTime{}, now); got != "<unknown>" {
		t.Errorf("SinceMicro(zero) = %q", got)
	}
}
