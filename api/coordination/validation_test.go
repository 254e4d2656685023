package coordination

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
)

func validLease() *Lease {
	return &Lease{
		ObjectMeta: meta.ObjectMeta{Name: "kube-controller-manager", Namespace: "kube-system"},
		Spec: LeaseSpec{
			HolderIdentity:       new("node-1"),
			LeaseDurationSeconds: new(int32(15)),
			AcquireTime:          new(meta.NewMicroTime(time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))),
			RenewTime:            new(meta.NewMicroTime(time.Date(2024, 1, 1, 0, 0, 5, 0, time.UTC))),
			LeaseTransitions:     new(int32(0)),
		},
	}
}

// errorStrings renders errs for comparison.
func errorStrings(errs validation.ErrorList) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Error()
	}
	return out
}

func TestValidateLease(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Lease)
		want   []string // each must appear as a prefix of one error; nil means valid
	}{
		{"valid", func(*Lease) {}, nil},
		{"no spec fields", func(l *Lease) { l.Spec = LeaseSpec{} }, nil},
		{"bad name", func(l *Lease) { l.Name = "Bad_Name" }, []string{`metadata.name: Invalid value: "Bad_Name"`}},
		{"no namespace", func(l *Lease) { l.Namespace = "" }, []string{"metadata.namespace: Required value"}},
		{"zero duration", func(l *Lease) { l.Spec.LeaseDurationSeconds = new(int32(0)) },
			[]string{"spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0"}},
		{"negative transitions", func(l *Lease) { l.Spec.LeaseTransitions = new(int32(-1)) },
			[]string{"spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"}},
		{"known strategy", func(l *Lease) { l.Spec.Strategy = new(OldestEmulationVersion) }, nil},
		{"prefixed strategy", func(l *Lease) { l.Spec.Strategy = new(CoordinatedLeaseStrategy("example.com/mine")) }, nil},
		{"unknown strategy", func(l *Lease) { l.Spec.Strategy = new(CoordinatedLeaseStrategy("Newest")) },
			[]string{`spec.strategy: Unsupported value: "Newest": supported values: "OldestEmulationVersion"`}},
		{"bad prefixed strategy", func(l *Lease) { l.Spec.Strategy = new(CoordinatedLeaseStrategy("a/b/c")) },
			[]string{`spec.strategy: Invalid value: "a/b/c"`}},
		{"preferred holder without strategy", func(l *Lease) { l.Spec.PreferredHolder = new("node-2") },
			[]string{"spec.preferredHolder: Forbidden: may only be specified if `strategy` is defined"}},
		{"preferred holder with strategy", func(l *Lease) {
			l.Spec.PreferredHolder = new("node-2")
			l.Spec.Strategy = new(OldestEmulationVersion)
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := validLease()
			tt.mutate(l)
			checkErrors(t, ValidateLease(l), tt.want)
			old := validLease()
			tt.mutate(old) // the same metadata, so that only the spec rules apply
			l.ResourceVersion, old.ResourceVersion = "2", "1"
			checkErrors(t, ValidateLeaseUpdate(l, old), tt.want)
		})
	}
}

func TestValidateLeaseUpdateKeepsName(t *testing.T) {
	l, old := validLease(), validLease()
	l.Name = "other"
	checkErrors(t, ValidateLeaseUpdate(l, old), []string{`metadata.name: Invalid value: "other": field is immutable`})
}

func TestDefaultLeaseChangesNothing(t *testing.T) {
	l := validLease()
	DefaultLease(l)
	if *l.Spec.LeaseDurationSeconds != 15 || l.Spec.Strategy != nil {
		t.Errorf("DefaultLease changed the lease: %+v", l.Spec)
	}
}

// checkErrors fails unless errs has exactly one error starting with each of want.
func checkErrors(t *testing.T, errs validation.ErrorList, want []string) {
	t.Helper()
	got := errorStrings(errs)
	if len(got) != len(want) {
		t.Fatalf("got %d errors %q, want %d: %q", len(got), got, len(want), want)
	}
	for _, w := range want {
		if !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) }) {
			t.Errorf("no error starts with %q; got %q", w, got)
		}
	}
}
