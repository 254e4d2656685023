package main

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/go-logr/logr"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestRun runs what `go run ./examples/embedded` runs, twice on one data directory: the
// second run finds the first run's deployment and updates it.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	log := logr.FromSlogHandler(slog.DiscardHandler)
	for i, want := range []string{"deployment nginx-deployment created", "deployment nginx-deployment updated"} {
		var out bytes.Buffer
		if err := run(context.Background(), dir, log, &out); err != nil {
			t.Fatalf("run %d: %v\n%s", i+1, err, out.String())
		}
		for _, w := range []string{want, "labels=map[size:2]", "patched deployment to 5 replicas", "1 deployment(s) labelled app=nginx"} {
			if !strings.Contains(out.String(), w) {
				t.Errorf("run %d: output lacks %q:\n%s", i+1, w, out.String())
			}
		}
	}
}
