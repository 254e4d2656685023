package scheduler

import (
	"context"
	"errors"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestClientBinder(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name string
		// change modifies the stored pod after the binder's copy was taken.
		change     func(t *testing.T, pods *client.Typed[*core.Pod])
		wantErr    func(error) bool
		wantNode   string
		wantWrites uint64
	}{
		{name: "current copy", wantNode: "n1", wantWrites: 2},
		{name: "stale copy is re-read", wantNode: "n1", wantWrites: 2, change: func(t *testing.T, pods *client.Typed[*core.Pod]) {
			update(t, pods, func(p *core.Pod) { p.Labels = map[string]string{"changed": "yes"} })
		}},
		{name: "bound elsewhere meanwhile", wantNode: "n2", wantErr: func(err error) bool { return errors.Is(err, ErrAlreadyBound) },
			change: func(t *testing.T, pods *client.Typed[*core.Pod]) {
				update(t, pods, func(p *core.Pod) { p.Spec.NodeName = "n2" })
			}},
		{name: "already bound to the same node", wantNode: "n1", wantWrites: 1, change: func(t *testing.T, pods *client.Typed[*core.Pod]) {
			update(t, pods, func(p *core.Pod) { p.Spec.NodeName = "n1" })
		}},
		{name: "being deleted", wantErr: func(err error) bool { return errors.Is(err, ErrPodDeleting) },
			change: func(t *testing.T, pods *client.Typed[*core.Pod]) {
				update(t, pods, func(p *core.Pod) { p.Finalizers = []string{"example.com/hold"} })
				if _, err := pods.Delete(ctx, "default", "p"); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "deleted", wantErr: store.IsNotFound, change: func(t *testing.T, pods *client.Typed[*core.Pod]) {
			if _, err := pods.Delete(ctx, "default", "p"); err != nil {
				t.Fatal(err)
			}
		}},
		{name: "re-created under the same name", wantErr: store.IsNotFound, change: func(t *testing.T, pods *client.Typed[*core.Pod]) {
			if _, err := pods.Delete(ctx, "default", "p"); err != nil {
				t.Fatal(err)
			}
			if _, err := pods.Create(ctx, pod("p", func(p *core.Pod) { p.UID = "" })); err != nil {
				t.Fatal(err)
			}
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sch := testScheme()
			st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch})
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			c := client.NewLocal(st, sch)
			pods := client.For[*core.Pod](c)
			cached, err := pods.Create(ctx, pod("p", func(p *core.Pod) { p.UID = "" }))
			if err != nil {
				t.Fatal(err)
			}
			if tc.change != nil {
				tc.change(t, pods)
			}
			before := st.Stats().Writes
			err = NewClientBinder(c, clock.NewFake(epoch)).Bind(ctx, cached, "n1")
			switch {
			case tc.wantErr == nil && err != nil:
				t.Fatalf("Bind = %v", err)
			case tc.wantErr != nil && !tc.wantErr(err):
				t.Fatalf("Bind = %v, not the error expected", err)
			}
			if got := st.Stats().Writes - before; got != tc.wantWrites {
				t.Errorf("%d writes, want %d", got, tc.wantWrites)
			}
			if tc.wantNode == "" {
				return
			}
			p, err := pods.Get(ctx, "default", "p")
			if err != nil {
				t.Fatal(err)
			}
			if p.Spec.NodeName != tc.wantNode {
				t.Errorf("spec.nodeName = %q, want %q", p.Spec.NodeName, tc.wantNode)
			}
			if tc.wantErr == nil && podScheduled(p) != core.ConditionTrue {
				t.Errorf("PodScheduled = %q, want True", podScheduled(p))
			}
		})
	}
}

func update(t *testing.T, pods *client.Typed[*core.Pod], mutate func(*core.Pod)) {
	t.Helper()
	if _, err := client.GuaranteedUpdate(context.Background(), pods, "default", "p", func(p *core.Pod) error {
		mutate(p)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
}

func TestBinderFunc(t *testing.T) {
	var got string
	b := BinderFunc(func(_ context.Context, p *core.Pod, node string) error {
		got = p.Name + "@" + node
		return nil
	})
	if err := b.Bind(context.Background(), pod("p"), "n1"); err != nil || got != "p@n1" {
		t.Errorf("Bind = %v, called with %q", err, got)
	}
}
