package namespace_test

import (
	"context"
	"fmt"
	"os"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controllers/namespace"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store/boltstore"
)

// A store guarded by namespace admission, with the system namespaces: creates in a
// namespace that does not exist are refused.
func ExampleAdmission() {
	dir, err := os.MkdirTemp("", "skiff-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	sch := scheme.NewBuiltin()

	var adm namespace.Admission
	st, err := boltstore.Open(dir, boltstore.Options{Scheme: sch, Admit: adm.Admit})
	if err != nil {
		panic(err)
	}
	defer st.Close()
	adm.SetReader(st)

	c := client.NewLocal(st, sch)
	ctx := context.Background()
	if err := namespace.EnsureSystemNamespaces(ctx, c); err != nil {
		panic(err)
	}
	cms := client.For[*core.ConfigMap](c)
	for _, ns := range []string{"kube-public", "nowhere"} {
		_, err := cms.Create(ctx, &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: ns, Name: "settings"}})
		fmt.Printf("%s: %v\n", ns, err)
	}
	// Output:
	// kube-public: <nil>
	// nowhere: namespaces "nowhere" not found
}
