package controlplane_test

import (
	"errors"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/deployment"
	"github.com/skiff-dev/skiff/controllers/podgc"
	"github.com/skiff-dev/skiff/controlplane"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func newManager(t *testing.T) *manager.Manager {
	t.Helper()
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	mgr, err := manager.New(manager.Options{Client: client.NewLocal(st, sch), Logger: discard})
	if err != nil {
		t.Fatal(err)
	}
	return mgr
}

// TestAddControllers: AddControllers adds every enabled built-in controller to a manager
// of one's own, and only those.
func TestAddControllers(t *testing.T) {
	mgr := newManager(t)
	if err := controlplane.AddControllers(mgr, controlplane.ControllersConfig{}, time.UTC); err != nil {
		t.Fatal(err)
	}
	if err := controlplane.AddControllers(mgr, controlplane.ControllersConfig{}, time.UTC); !errors.Is(err, manager.ErrDuplicateName) {
		t.Fatalf("adding them twice: %v, want ErrDuplicateName", err)
	}

	mgr = newManager(t)
	var disable []string
	for _, name := range controlplane.BuiltinControllers() {
		if name != "podgc" {
			disable = append(disable, name)
		}
	}
	if err := controlplane.AddControllers(mgr, controlplane.ControllersConfig{Disable: disable}, time.UTC); err != nil {
		t.Fatal(err)
	}
	if err := podgc.Add(mgr, podgc.Options{}); !errors.Is(err, manager.ErrDuplicateName) {
		t.Fatalf("podgc after AddControllers: %v, want ErrDuplicateName (it was enabled)", err)
	}
	if err := deployment.Add(mgr, deployment.Options{}); err != nil {
		t.Fatalf("deployment after AddControllers: %v (it was disabled)", err)
	}
	if err := controlplane.AddControllers(newManager(t), controlplane.ControllersConfig{Disabled: true}, time.UTC); err != nil {
		t.Fatal(err)
	}
}
