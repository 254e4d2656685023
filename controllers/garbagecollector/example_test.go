package garbagecollector_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/go-logr/logr"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/garbagecollector"
	"github.com/skiff-dev/skiff/manager"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// A garbage collector run by a manager deletes the dependents of a deleted owner.
func Example() {
	dir, err := os.MkdirTemp("", "skiff-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	c := client.NewLocal(st, sch)
	mgr, err := manager.New(manager.Options{Client: c, Logger: logr.FromSlogHandler(slog.DiscardHandler)})
	if err != nil {
		panic(err)
	}
	if _, err := garbagecollector.Add(mgr, garbagecollector.Options{}); err != nil {
		panic(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- mgr.Start(ctx) }()
	defer func() { stop(); <-done }()
	<-mgr.Ready()

	cms := client.For[*core.ConfigMap](c)
	owner, err := cms.Create(ctx, &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "owner"}})
	if err != nil {
		panic(err)
	}
	dependent := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "dependent",
		OwnerReferences: []meta.OwnerReference{meta.NewControllerRef(owner)}}}
	if _, err := cms.Create(ctx, dependent); err != nil {
		panic(err)
	}
	if _, err := cms.Delete(ctx, "default", "owner", client.PropagationPolicy(meta.DeletePropagationBackground)); err != nil {
		panic(err)
	}
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for range tick.C {
		if _, err := cms.Get(ctx, "default", "dependent"); store.IsNotFound(err) {
			fmt.Println("the dependent was collected")
			break
		}
	}
	// Output: the dependent was collected
}
