package remote_test

import (
	"net/http/httptest"
	"testing"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/client/clienttest"
	"github.com/skiff-dev/skiff/client/remote"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// env is a store, an API server over it, and a remote client of that server.
type env struct {
	store  *boltstore.Store
	local  *client.Local
	server *httptest.Server
	remote *remote.Client
}

// newEnv starts an API server over a fresh bbolt store in t.TempDir() and returns a remote
// client of it; everything is closed when t ends.
func newEnv(t *testing.T, sch *scheme.Scheme, cfg remote.Config, opts apiserver.Options) *env {
	t.Helper()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := st.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	local := client.NewLocal(st, sch)
	opts.Client = local
	srv, err := apiserver.New(opts)
	if err != nil {
		t.Fatalf("apiserver.New: %v", err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(hs.Close)
	cfg.Server = hs.URL
	cfg.Scheme = sch
	rc, err := remote.New(cfg)
	if err != nil {
		t.Fatalf("remote.New: %v", err)
	}
	t.Cleanup(rc.Close)
	return &env{store: st, local: local, server: hs, remote: rc}
}

func TestConformance(t *testing.T) {
	clienttest.Run(t, func(t *testing.T) client.Client {
		return newEnv(t, scheme.NewBuiltin(), remote.Config{}, apiserver.Options{}).remote
	})
}
