package main

import (
	"bytes"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

func TestRunFlags(t *testing.T) {
	for _, tc := range []struct {
		name       string
		args       []string
		wantStatus int
		wantOut    string // in stdout
		wantErr    string // in stderr
	}{
		{"unknown flag", []string{"-bogus"}, 2, "", "flag provided but not defined: -bogus"},
		{"stray argument", []string{"extra"}, 2, "", `unexpected arguments ["extra"]`},
		{"bad -only", []string{"-only", "("}, 2, "", "-only: error parsing regexp"},
		{"-only matching nothing", []string{"-only", "nosuchrun"}, 2, "", `"nosuchrun" matches no run; runs are workqueue,`},
		{"list", []string{"-list"}, 0, "run store-write", ""},
		{"help", []string{"-h"}, 0, "", "usage: go run ./cmd/report"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			if got := run(tc.args, &out, &errOut); got != tc.wantStatus {
				t.Errorf("status %d, want %d (stderr %q)", got, tc.wantStatus, errOut.String())
			}
			if !strings.Contains(out.String(), tc.wantOut) {
				t.Errorf("stdout %q does not contain %q", out.String(), tc.wantOut)
			}
			if !strings.Contains(errOut.String(), tc.wantErr) {
				t.Errorf("stderr %q does not contain %q", errOut.String(), tc.wantErr)
			}
		})
	}
}
