package reconcile

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestRequestString(t *testing.T) {
	if got := (Request{Namespace: "ns", Name: "a"}).String(); got != "ns/a" {
		t.Fatal(got)
	}
	if got := (Request{Name: "node-1"}).String(); got != "node-1" {
		t.Fatal(got)
	}
}

func TestTerminalError(t *testing.T) {
	base := errors.New("bad spec")
	term := TerminalError(base)
	tests := []struct {
		name     string
		err      error
		terminal bool
	}{
		{"plain", base, false},
		{"terminal", term, true},
		{"wrapped terminal", fmt.Errorf("sync: %w", term), true},
		{"Errorf", Errorf("x %d", 1), true},
		{"nil", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsTerminal(tt.err); got != tt.terminal {
				t.Fatalf("IsTerminal = %v, want %v", got, tt.terminal)
			}
			if got := errors.Is(tt.err, TerminalError(nil)); got != tt.terminal {
				t.Fatalf("errors.Is(TerminalError(nil)) = %v, want %v", got, tt.terminal)
			}
		})
	}
	if !errors.Is(term, base) {
		t.Fatal("terminal error must unwrap to its cause")
	}
}

func TestFuncAdapter(t *testing.T) {
	var got Request
	r := Func(func(_ context.Context, req Request) (Result, error) {
		got = req
		return Result{RequeueAfter: time.Second}, nil
	})
	res, err := r.Reconcile(context.Background(), Request{Namespace: "a", Name: "b"})
	if err != nil || res.RequeueAfter != time.Second || got.Name != "b" {
		t.Fatalf("res %+v err %v got %+v", res, err, got)
	}
	if !(Result{}).IsZero() || res.IsZero() {
		t.Fatal("IsZero wrong")
	}
}

func ExampleFunc() {
	r := Func(func(ctx context.Context, req Request) (Result, error) {
		fmt.Println("reconciling", req)
		return Result{}, nil
	})
	_, _ = r.Reconcile(context.Background(), Request{Namespace: "default", Name: "web"})
	// Output: reconciling default/web
}
