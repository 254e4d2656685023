package boltstore_test

import (
	"context"
	"fmt"
	"os"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func Example() {
	dir, _ := os.MkdirTemp("", "skiff-example")
	defer os.RemoveAll(dir)
	s, err := boltstore.Open(dir, boltstore.Options{Scheme: scheme.NewBuiltin()})
	if err != nil {
		panic(err)
	}
	defer s.Close()
	ctx := context.Background()

	w, _ := s.Watch(ctx, scheme.ConfigMapGVK, store.WatchOptions{ResourceVersion: s.CurrentRevision()})
	defer w.Stop()

	cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "settings"}, Data: map[string]string{"mode": "fast"}}
	created, _ := s.Create(ctx, cm, store.CreateOptions{})
	fmt.Println("created at revision", created.GetResourceVersion())

	stale := created.DeepCopyObject()
	created.(*core.ConfigMap).Data["mode"] = "safe"
	if _, err := s.Update(ctx, created, store.UpdateOptions{}); err != nil {
		panic(err)
	}
	_, err = s.Update(ctx, stale, store.UpdateOptions{})
	fmt.Println(store.IsConflict(err), err)

	for range 2 {
		ev := <-w.ResultChan()
		fmt.Println(ev.Type, ev.Object.GetName(), ev.Revision)
	}
	// Output:
	// created at revision 2
	// true Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again
	// ADDED settings 2
	// MODIFIED settings 3
}
