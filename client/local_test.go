package client_test

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/client/clienttest"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// newLocal returns a Local client over a fresh bbolt store in t.TempDir(), closed when t
// ends.
func newLocal(t *testing.T, sch *scheme.Scheme) *client.Local {
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
	return client.NewLocal(st, sch)
}

func TestLocalConformance(t *testing.T) {
	clienttest.Run(t, func(t *testing.T) client.Client {
		return newLocal(t, scheme.NewBuiltin())
	})
}
