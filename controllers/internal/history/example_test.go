package history_test

import (
	"fmt"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/history"
	"github.com/skiff-dev/skiff/scheme"
)

// A StatefulSet's revision: its template as a patch, named and labelled by the hash of that
// patch and the collision count.
func Example() {
	set := &apps.StatefulSet{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: "web", UID: "1234"}}
	set.Spec.Template = core.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "nginx", Image: "nginx:1.27"}}},
	}
	data, err := history.TemplatePatch(&set.Spec.Template)
	if err != nil {
		panic(err)
	}
	var collisions int32
	hash := history.HashData(data, &collisions)
	rev := history.New(set, controllerref.NewControllerRef(set, scheme.StatefulSetGVK),
		apps.ControllerRevisionHashLabel, hash, set.Spec.Template.Labels, data, 1)

	fmt.Println(string(rev.Data.Raw))
	fmt.Println(rev.Name == "web-"+hash, rev.Labels[apps.ControllerRevisionHashLabel] == hash, rev.Labels["app"])
	back, _ := history.TemplateFromPatch(rev.Data.Raw)
	fmt.Println(back.Spec.Containers[0].Image)
	// Output:
	// {"spec":{"template":{"$patch":"replace","metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"nginx","image":"nginx:1.27"}]}}}}
	// true true web
	// nginx:1.27
}
