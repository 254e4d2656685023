package informer_test

import (
	"context"
	"fmt"
	"os"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
	"github.com/skiff-dev/skiff/store/storetest"
)

// A controller gets its informers from a shared factory, adds its handlers and indexes,
// starts the factory and waits for the caches before reading them.
func ExampleFactory() {
	dir, _ := os.MkdirTemp("", "informer-example")
	defer os.RemoveAll(dir)
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: scheme.NewBuiltin()})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	ctx, cancel := context.WithCancel(context.Background())
	for _, name := range []string{"web-1", "web-2"} {
		if _, err := st.Create(ctx, storetest.Pod("default", name, "node-a"), store.CreateOptions{}); err != nil {
			panic(err)
		}
	}

	f := informer.NewFactory(st, informer.FactoryOptions{})
	pods := informer.For[*core.Pod](f)
	_ = pods.AddIndexers(informer.Indexers[*core.Pod]{
		"spec.nodeName": func(p *core.Pod) []string { return []string{p.Spec.NodeName} },
	})
	keys := make(chan string, 10)
	reg, _ := pods.AddHandler(informer.HandlerFuncs[*core.Pod]{
		AddFunc: func(p *core.Pod, isInitialList bool) { keys <- meta.Key(p) },
	})
	f.Start(ctx)
	if err := f.WaitForCacheSync(ctx); err != nil {
		panic(err)
	}
	<-reg.Synced()
	fmt.Println(<-keys, <-keys)

	onNode, _ := pods.Lister().ByIndex("spec.nodeName", "node-a")
	fmt.Println(len(onNode), "pods on node-a")

	cancel()
	f.Shutdown()
	// Output:
	// default/web-1 default/web-2
	// 2 pods on node-a
}

// Tests of a controller fill a Cache by hand and read it through a Lister, as the
// controller does from its informer.
func ExampleNewLister() {
	c := informer.NewCache(informer.CacheOptions[*core.Pod]{})
	c.Set(&core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web-1", Labels: map[string]string{"app": "web"}}})
	c.Set(&core.Pod{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "db-1", Labels: map[string]string{"app": "db"}}})
	lister := informer.NewLister[*core.Pod](c, scheme.GroupResource{Resource: "pods"})

	sel, _ := labels.Parse("app=web")
	for _, p := range lister.Namespace("default").List(sel) {
		fmt.Println(p.Name)
	}
	_, err := lister.Namespace("default").Get("web-2")
	fmt.Println(err, store.IsNotFound(err))
	// Output:
	// web-1
	// pods "web-2" not found true
}
