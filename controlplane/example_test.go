package controlplane_test

import (
	"context"
	"fmt"
	"os"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controlplane"
)

// A Go program embeds a control plane and drives it through its client.
func ExampleStart() {
	dir, _ := os.MkdirTemp("", "controlplane-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	plane, err := controlplane.Start(ctx, controlplane.Config{DataDir: dir, Logger: discard})
	if err != nil {
		panic(err)
	}
	defer plane.Stop()

	configMaps := client.For[*core.ConfigMap](plane.Client())
	cm, err := configMaps.Create(ctx, &core.ConfigMap{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "settings"},
		Data:       map[string]string{"color": "blue"},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(cm.Name, cm.Data["color"], cm.UID != "")
	// Output: settings blue true
}
