package manager_test

import (
	"context"
	"fmt"
	"os"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// A manager runs runnables (usually controllers, added by a controller.Builder) until its
// context is done, then stops them and returns.
func ExampleManager() {
	dir, _ := os.MkdirTemp("", "manager-example")
	defer os.RemoveAll(dir)
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch})
	if err != nil {
		panic(err)
	}
	defer st.Close()

	mgr, err := manager.New(manager.Options{Client: client.NewLocal(st, sch), Logger: discard})
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_ = mgr.Add(manager.RunnableFunc(func(ctx context.Context) error {
		fmt.Println("running; leader:", mgr.IsLeader())
		cancel() // stop the manager
		<-ctx.Done()
		fmt.Println("stopping")
		return nil
	}))
	if err := mgr.Start(ctx); err != nil {
		panic(err)
	}
	fmt.Println("stopped")
	// Output:
	// running; leader: true
	// stopping
	// stopped
}
