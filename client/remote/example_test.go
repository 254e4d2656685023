package remote_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"os"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/apiserver"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/client/remote"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// ExampleNew talks to an API server through the remote client, with the typed helpers
// every client gets.
func ExampleNew() {
	// A server over a store; in practice it runs in another process (skiff up).
	dir, _ := os.MkdirTemp("", "skiff-remote-example")
	defer os.RemoveAll(dir)
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	srv, err := apiserver.New(apiserver.Options{Client: client.NewLocal(st, sch), Logger: logr.FromSlogHandler(slog.DiscardHandler)})
	if err != nil {
		panic(err)
	}
	hs := httptest.NewServer(srv)
	defer hs.Close()

	c, err := remote.New(remote.Config{Server: hs.URL})
	if err != nil {
		panic(err)
	}
	defer c.Close()
	ctx := context.Background()
	configMaps := client.For[*core.ConfigMap](c)
	if _, err := configMaps.Create(ctx, &core.ConfigMap{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "settings"},
		Data:       map[string]string{"level": "debug"},
	}); err != nil {
		panic(err)
	}
	cm, err := client.GuaranteedUpdate(ctx, configMaps, "default", "settings", func(cm *core.ConfigMap) error {
		cm.Data["level"] = "info"
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(cm.Name, cm.Data["level"])

	_, err = configMaps.Get(ctx, "default", "missing")
	fmt.Println(store.IsNotFound(err), err)
	// Output:
	// settings info
	// true configmaps "missing" not found
}
