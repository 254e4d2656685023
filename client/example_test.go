package client_test

import (
	"context"
	"fmt"
	"os"
	"strconv"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// exampleClient returns a Local client over a store in a temporary directory, and a function
// that closes the store and removes the directory.
func exampleClient() (client.Client, func()) {
	dir, err := os.MkdirTemp("", "skiff-client-example")
	if err != nil {
		panic(err)
	}
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch})
	if err != nil {
		panic(err)
	}
	return client.NewLocal(st, sch), func() {
		st.Close()
		os.RemoveAll(dir)
	}
}

func exampleDeployment(name string, replicas int32) *apps.Deployment {
	labels := map[string]string{"app": name}
	return &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec: apps.DeploymentSpec{
			Replicas: &replicas,
			Selector: &meta.LabelSelector{MatchLabels: labels},
			Template: core.PodTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: labels},
				Spec:       core.PodSpec{Containers: []core.Container{{Name: "web", Image: "nginx:1.27"}}},
			},
		},
	}
}

func ExampleFor() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()

	deployments := client.For[*apps.Deployment](c)
	if _, err := deployments.Create(ctx, exampleDeployment("web", 2)); err != nil {
		panic(err)
	}
	d, err := deployments.Get(ctx, "default", "web")
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Name, *d.Spec.Replicas, d.Generation)

	_, err = deployments.Get(ctx, "default", "api")
	fmt.Println(store.IsNotFound(err), err)
	// Output:
	// web 2 1
	// true deployments.apps "api" not found
}

func ExampleGuaranteedUpdate() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	deployments := client.For[*apps.Deployment](c)
	if _, err := deployments.Create(ctx, exampleDeployment("web", 2)); err != nil {
		panic(err)
	}

	// The mutation gets a fresh copy on every attempt; a Conflict starts over.
	d, err := client.GuaranteedUpdate(ctx, deployments, "default", "web", func(d *apps.Deployment) error {
		*d.Spec.Replicas++
		return nil
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(*d.Spec.Replicas, d.Generation)
	// Output: 3 2
}

func ExampleCreateOrUpdate() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	configMaps := client.For[*core.ConfigMap](c)

	want := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "settings"}}
	for _, level := range []string{"debug", "debug", "info"} {
		cm, res, err := client.CreateOrUpdate(ctx, configMaps, want, func(cm *core.ConfigMap) error {
			cm.Data = map[string]string{"level": level}
			return nil
		})
		if err != nil {
			panic(err)
		}
		fmt.Println(res, cm.Data["level"])
	}
	// Output:
	// created debug
	// unchanged debug
	// updated info
}

func ExampleTyped_Patch() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	deployments := client.For[*apps.Deployment](c)
	if _, err := deployments.Create(ctx, exampleDeployment("web", 2)); err != nil {
		panic(err)
	}

	d, err := deployments.Patch(ctx, "default", "web", client.MergePatchType,
		[]byte(`{"metadata":{"labels":{"tier":"frontend"}},"spec":{"replicas":5}}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Labels["tier"], *d.Spec.Replicas)

	_, err = deployments.Patch(ctx, "default", "web", client.JSONPatchType,
		[]byte(`[{"op":"test","path":"/spec/replicas","value":2},{"op":"replace","path":"/spec/replicas","value":3}]`))
	fmt.Println(store.IsInvalid(err))

	d, err = deployments.PatchStatus(ctx, "default", "web", client.MergePatchType,
		[]byte(`{"status":{"observedGeneration":2}}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Status.ObservedGeneration)
	// Output:
	// frontend 5
	// true
	// 2
}

func ExampleTyped_Delete() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	deployments := client.For[*apps.Deployment](c)
	d, err := deployments.Create(ctx, exampleDeployment("web", 2))
	if err != nil {
		panic(err)
	}

	// Foreground deletion keeps the object, marked, until the garbage collector has deleted
	// its dependents.
	d, err = deployments.Delete(ctx, "default", "web",
		client.PropagationPolicy(meta.DeletePropagationForeground), client.PreconditionUID(d.UID))
	if err != nil {
		panic(err)
	}
	fmt.Println(d.DeletionTimestamp != nil, d.Finalizers)
	// Output: true [foregroundDeletion]
}

func ExampleTyped_Watch() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	configMaps := client.For[*core.ConfigMap](c)

	// List, then watch from the list's revision: every later change, in order.
	list, err := configMaps.List(ctx, store.ListOptions{Namespace: "default"})
	if err != nil {
		panic(err)
	}
	w, err := configMaps.Watch(ctx, store.WatchOptions{Namespace: "default", ResourceVersion: list.ResourceVersion})
	if err != nil {
		panic(err)
	}
	defer w.Stop()

	for i := range 2 {
		cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "cm-" + strconv.Itoa(i)}}
		if _, err := configMaps.Create(ctx, cm); err != nil {
			panic(err)
		}
	}
	if _, err := configMaps.Delete(ctx, "default", "cm-0"); err != nil {
		panic(err)
	}
	for range 3 {
		ev := <-w.ResultChan()
		fmt.Println(ev.Type, ev.Object.Name)
	}
	// Output:
	// ADDED cm-0
	// ADDED cm-1
	// DELETED cm-0
}

func ExampleRetryOnConflict() {
	c, done := exampleClient()
	defer done()
	ctx := context.Background()
	configMaps := client.For[*core.ConfigMap](c)
	cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "counter"}}
	if _, err := configMaps.Create(ctx, cm); err != nil {
		panic(err)
	}

	err := client.RetryOnConflict(ctx, client.DefaultRetry, func() error {
		cur, err := configMaps.Get(ctx, "default", "counter") // read afresh on every attempt
		if err != nil {
			return err
		}
		cur.Data = map[string]string{"n": "1"}
		_, err = configMaps.Update(ctx, cur)
		return err
	})
	fmt.Println(err)
	// Output: <nil>
}

func ExampleIgnoreNotFound() {
	c, done := exampleClient()
	defer done()
	_, err := client.For[*core.Pod](c).Delete(context.Background(), "default", "gone")
	fmt.Println(client.IgnoreNotFound(err))
	// Output: <nil>
}
