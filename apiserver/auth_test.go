package apiserver_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
)

func TestAuth(t *testing.T) {
	dir := t.TempDir()
	tokenFile := filepath.Join(dir, "tokens.csv")
	if err := os.WriteFile(tokenFile, []byte("# tokens\n\nfile-token,admin,1,\"system:masters\"\n  second  \n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name   string
		opts   apiserver.Options
		header string // Authorization
		path   string
		code   int
	}{
		{"off", apiserver.Options{}, "", "/api/v1/pods", 200},
		{"off, any token", apiserver.Options{}, "Bearer whatever", "/api/v1/pods", 200},
		{"on, no token", apiserver.Options{Token: "s3cret"}, "", "/api/v1/pods", 401},
		{"on, wrong token", apiserver.Options{Token: "s3cret"}, "Bearer s3cre", "/api/v1/pods", 401},
		{"on, longer token", apiserver.Options{Token: "s3cret"}, "Bearer s3cretX", "/api/v1/pods", 401},
		{"on, basic auth", apiserver.Options{Token: "s3cret"}, "Basic czNjcmV0", "/api/v1/pods", 401},
		{"on, no scheme", apiserver.Options{Token: "s3cret"}, "s3cret", "/api/v1/pods", 401},
		{"on, right token", apiserver.Options{Token: "s3cret"}, "Bearer s3cret", "/api/v1/pods", 200},
		{"on, lower-case scheme", apiserver.Options{Token: "s3cret"}, "bearer s3cret", "/api/v1/pods", 200},
		{"on, discovery", apiserver.Options{Token: "s3cret"}, "", "/apis", 401},
		{"on, unknown path", apiserver.Options{Token: "s3cret"}, "", "/nope", 401},
		{"on, version", apiserver.Options{Token: "s3cret"}, "", "/version", 200},
		{"on, healthz", apiserver.Options{Token: "s3cret"}, "", "/healthz", 200},
		{"on, readyz", apiserver.Options{Token: "s3cret"}, "", "/readyz", 200},
		{"on, livez", apiserver.Options{Token: "s3cret"}, "", "/livez", 200},
		{"file, first token", apiserver.Options{TokenFile: tokenFile}, "Bearer file-token", "/api/v1/pods", 200},
		{"file, second token", apiserver.Options{TokenFile: tokenFile}, "Bearer second", "/api/v1/pods", 200},
		{"file, user is no token", apiserver.Options{TokenFile: tokenFile}, "Bearer admin", "/api/v1/pods", 401},
		{"file and token", apiserver.Options{TokenFile: tokenFile, Token: "s3cret"}, "Bearer s3cret", "/api/v1/pods", 200},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := newServer(t, tc.opts)
			ts.token = ""
			var h []string
			if tc.header != "" {
				h = []string{"Authorization", tc.header}
			}
			res := ts.do(req{method: "GET", path: tc.path, header: h})
			if res.code != tc.code {
				t.Fatalf("GET %s with %q: %d %s, want %d", tc.path, tc.header, res.code, res.body, tc.code)
			}
			if tc.code == 401 {
				if st := res.status(t); st.Reason != "Unauthorized" || st.Message != "Unauthorized" {
					t.Fatalf("401 Status %+v", st)
				}
			}
		})
	}
}

func TestNewRejects(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty")
	if err := os.WriteFile(empty, []byte("# nothing\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := client.NewLocal(nil, scheme.NewBuiltin())
	for _, tc := range []struct {
		name string
		opts apiserver.Options
		is   error
	}{
		{"no client", apiserver.Options{}, nil},
		{"negative body limit", apiserver.Options{Client: c, MaxBodyBytes: -1}, nil},
		{"negative shutdown timeout", apiserver.Options{Client: c, ShutdownTimeout: -1}, nil},
		{"missing token file", apiserver.Options{Client: c, TokenFile: filepath.Join(dir, "missing")}, os.ErrNotExist},
		{"empty token file", apiserver.Options{Client: c, TokenFile: empty}, apiserver.ErrNoToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := apiserver.New(tc.opts)
			if err == nil || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("New: %v, want an error (%v)", err, tc.is)
			}
		})
	}
}
