package controller

import (
	"context"
	"log/slog"
	"testing"

	"github.com/go-logr/logr"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/skiff-dev/skiff/reconcile"
)

// TestPanicCrash checks that PanicCrash counts and logs the panic, then panics again with
// the reconciler's value. (Run through a worker goroutine, that would end the process.)
func TestPanicCrash(t *testing.T) {
	log := logr.FromSlogHandler(slog.DiscardHandler)
	c, err := New("crash", reconcile.Func(func(context.Context, reconcile.Request) (reconcile.Result, error) {
		panic("bad spec")
	}), Options{OnPanic: PanicCrash, Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	w := &worker{c: c, m: m.forController("crash", 1)}
	defer func() {
		if r := recover(); r != "bad spec" {
			t.Fatalf("recovered %v, want the reconciler's panic value", r)
		}
		if got := testutil.ToFloat64(m.reconcilePanics.WithLabelValues("crash")); got != 1 {
			t.Fatalf("panics_total = %v, want 1", got)
		}
	}()
	_, _ = w.reconcile(context.Background(), log, reconcile.Request{Name: "x"})
	t.Fatal("PanicCrash did not panic")
}

func TestTruncate(t *testing.T) {
	tests := []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc"},
		{"aé", 2, "a"}, // é is two bytes: not split
		{"éé", 3, "é"},
	}
	for _, tt := range tests {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
