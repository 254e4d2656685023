package soak

import (
	"strings"
	"testing"
)

func TestLedger(t *testing.T) {
	k := LedgerKey{Kind: "ConfigMap", Namespace: Namespace, Name: "a"}
	for _, tc := range []struct {
		name    string
		writes  func(l *Ledger)
		got     Stored
		wantErr string
	}{
		{"acked and kept", func(l *Ledger) { l.Acked(k, true, "seq=2", 10) }, Stored{true, "seq=2", 12}, ""},
		{"acked and lost", func(l *Ledger) { l.Acked(k, true, "seq=2", 10) }, Stored{}, "absent"},
		{"acked value replaced by an older one", func(l *Ledger) {
			l.Acked(k, true, "seq=1", 9)
			l.Acked(k, true, "seq=2", 10)
		}, Stored{true, "seq=1", 9}, `"seq=1"`},
		{"revision before the ack", func(l *Ledger) { l.Acked(k, true, "seq=2", 10) }, Stored{true, "seq=2", 8}, "before the acknowledged"},
		{"failed write that happened", func(l *Ledger) {
			l.Acked(k, true, "seq=2", 10)
			l.Failed(k, true, "seq=3")
		}, Stored{true, "seq=3", 11}, ""},
		{"failed write that did not happen", func(l *Ledger) {
			l.Acked(k, true, "seq=2", 10)
			l.Failed(k, true, "seq=3")
		}, Stored{true, "seq=2", 10}, ""},
		{"acked delete, object back", func(l *Ledger) { l.Acked(k, false, "", 12) }, Stored{true, "seq=9", 13}, "absent"},
		{"acked delete, object gone", func(l *Ledger) { l.Acked(k, false, "", 12) }, Stored{}, ""},
		{"failed delete that happened", func(l *Ledger) {
			l.Acked(k, true, "seq=2", 10)
			l.Failed(k, false, "")
		}, Stored{}, ""},
		{"unknown key", func(*Ledger) {}, Stored{}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := NewLedger()
			tc.writes(l)
			err := l.Check(k, tc.got)
			switch {
			case tc.wantErr == "" && err != nil:
				t.Fatalf("Check: %v", err)
			case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
				t.Fatalf("Check: %v, want an error with %q", err, tc.wantErr)
			}
		})
	}
}

func TestLedgerBookkeeping(t *testing.T) {
	l := NewLedger()
	a := LedgerKey{Kind: "Deployment", Namespace: Namespace, Name: "web-0"}
	b := LedgerKey{Kind: "ConfigMap", Namespace: Namespace, Name: "x"}
	l.Acked(a, true, "replicas=3", 5)
	l.Acked(a, true, "replicas=4", 9)
	l.Acked(b, true, "seq=1", 7)
	if keys, acked := l.Len(); keys != 2 || acked != 3 {
		t.Fatalf("Len = %d, %d; want 2, 3", keys, acked)
	}
	if got := l.MaxRevision(); got != 9 {
		t.Fatalf("MaxRevision = %d, want 9", got)
	}
	if keys := l.Keys(); len(keys) != 2 || keys[0] != b || keys[1] != a {
		t.Fatalf("Keys = %v, want ConfigMap first", keys)
	}
	l.Forget(a)
	if err := l.Check(a, Stored{}); err != nil {
		t.Fatalf("a forgotten key is checked: %v", err)
	}
}
