package history

import (
	"context"
	"slices"
	"testing"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// env is a real store, a client over it and a History reading a cache the test fills with
// what is stored (refresh), as an informer would.
type env struct {
	t     *testing.T
	ctx   context.Context
	c     *client.Local
	revs  *client.Typed[*apps.ControllerRevision]
	cache *informer.Cache[*apps.ControllerRevision]
	h     *History
}

func newEnv(t *testing.T) *env {
	t.Helper()
	sch := scheme.NewBuiltin()
	st, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch, Clock: clock.NewFake(clock.Real{}.Now())})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	c := client.NewLocal(st, sch)
	cache := informer.NewCache(informer.CacheOptions[*apps.ControllerRevision]{})
	lister := informer.NewLister[*apps.ControllerRevision](cache, scheme.GroupResource{Group: "apps", Resource: "controllerrevisions"})
	return &env{t: t, ctx: context.Background(), c: c, revs: client.For[*apps.ControllerRevision](c), cache: cache, h: NewHistory(c, lister)}
}

// refresh makes the cache hold exactly what is stored.
func (e *env) refresh() {
	e.t.Helper()
	for _, k := range e.cache.Keys() {
		e.cache.Delete(k)
	}
	l, err := e.revs.List(e.ctx, store.ListOptions{})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, r := range l.Items {
		e.cache.Set(r)
	}
}

func (e *env) create(r *apps.ControllerRevision) *apps.ControllerRevision {
	e.t.Helper()
	out, err := e.revs.Create(e.ctx, r)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func owner(name string, uid meta.UID) (*apps.StatefulSet, meta.OwnerReference) {
	s := &apps.StatefulSet{ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, UID: uid}}
	return s, controllerref.NewControllerRef(s, scheme.StatefulSetGVK)
}

func plainRev(name string, lbls map[string]string, data string, refs ...meta.OwnerReference) *apps.ControllerRevision {
	return &apps.ControllerRevision{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name, Labels: lbls, OwnerReferences: refs},
		Data:       apps.RawExtension{Raw: []byte(data)},
		Revision:   1,
	}
}

func TestCreateHandlesCollisions(t *testing.T) {
	data := []byte(`{"spec":{"template":{"$patch":"replace"}}}`)
	hashFn := func(cc *int32) string { return HashData(data, cc) }
	tests := []struct {
		name      string
		existing  []string // data of revisions already stored under the names of counts 0, 1, ...
		wantCount int32
		wantNew   bool
	}{
		{"no revision yet", nil, 0, true},
		{"same data exists: reused", []string{string(data)}, 0, false},
		{"one collision", []string{`{"other":1}`}, 1, true},
		{"two collisions", []string{`{"other":1}`, `{"other":2}`}, 2, true},
		{"collision then same data", []string{`{"other":1}`, string(data)}, 1, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			set, ref := owner("web", "uid-web")
			for i, d := range tc.existing {
				cc := int32(i)
				e.create(plainRev(Name("web", hashFn(&cc)), nil, d, ref))
			}
			var cc int32
			r := New(set, ref, apps.ControllerRevisionHashLabel, hashFn(&cc), map[string]string{"app": "web"}, data, 3)
			got, err := e.h.Create(e.ctx, r, apps.ControllerRevisionHashLabel, &cc, hashFn)
			if err != nil {
				t.Fatal(err)
			}
			if cc != tc.wantCount {
				t.Errorf("collision count = %d, want %d", cc, tc.wantCount)
			}
			want := tc.wantCount
			if got.Name != Name("web", hashFn(&want)) || string(got.Data.Raw) != string(data) {
				t.Errorf("got revision %s with data %s", got.Name, got.Data.Raw)
			}
			if tc.wantNew && got.Labels[apps.ControllerRevisionHashLabel] != hashFn(&want) {
				t.Errorf("hash label %q, want %q", got.Labels[apps.ControllerRevisionHashLabel], hashFn(&want))
			}
			if r.Name != Name("web", hashFn(new(int32(0)))) {
				t.Errorf("Create modified its argument: name %s", r.Name)
			}
		})
	}
	e := newEnv(t)
	if _, err := e.h.Create(e.ctx, &apps.ControllerRevision{}, "h", nil, hashFn); err != ErrNilCollisionCount {
		t.Errorf("nil collision count: %v", err)
	}
}

func TestClaim(t *testing.T) {
	e := newEnv(t)
	set, ref := owner("web", "uid-web")
	_, otherRef := owner("other", "uid-other")
	match := map[string]string{"app": "web"}
	e.create(plainRev("owned", match, "{}", ref))
	e.create(plainRev("orphan", match, "{}"))
	e.create(plainRev("stray", map[string]string{"app": "nope"}, "{}", ref))
	e.create(plainRev("others", match, "{}", otherRef))
	e.create(plainRev("unmatched-orphan", map[string]string{"app": "nope"}, "{}"))
	e.refresh()

	got, err := e.h.Claim(e.ctx, set, ref, labels.SelectorFromSet(match), nil)
	if err != nil {
		t.Fatal(err)
	}
	if n := names(got); !slices.Equal(n, []string{"orphan", "owned"}) {
		t.Errorf("claimed %v, want [orphan owned]", n)
	}
	for name, wantOwned := range map[string]bool{"owned": true, "orphan": true, "stray": false, "others": false, "unmatched-orphan": false} {
		r, err := e.revs.Get(e.ctx, "default", name)
		if err != nil {
			t.Fatal(err)
		}
		if meta.IsControlledBy(r, set) != wantOwned {
			t.Errorf("%s: controlled by web = %v, want %v (refs %v)", name, !wantOwned, wantOwned, r.OwnerReferences)
		}
	}

	// A deleting owner adopts and releases nothing.
	e.create(plainRev("orphan2", match, "{}"))
	e.refresh()
	deleting := set.DeepCopy()
	deleting.DeletionTimestamp = new(meta.Now())
	if _, err := e.h.Claim(e.ctx, deleting, ref, labels.SelectorFromSet(match), nil); err != nil {
		t.Fatal(err)
	}
	if r, _ := e.revs.Get(e.ctx, "default", "orphan2"); meta.GetControllerOf(r) != nil {
		t.Error("a deleting owner adopted a revision")
	}
}

func TestRenumberRelabelTruncate(t *testing.T) {
	e := newEnv(t)
	_, ref := owner("web", "uid-web")
	var revs []*apps.ControllerRevision
	for i, n := range []string{"r1", "r2", "r3", "r4"} {
		r := plainRev(n, nil, "{}", ref)
		r.Revision = int64(i + 1)
		revs = append(revs, e.create(r))
	}
	r1, err := e.h.Renumber(e.ctx, revs[0], 5)
	if err != nil || r1.Revision != 5 {
		t.Fatalf("Renumber = %v, %v", r1, err)
	}
	if revs[0].Revision != 1 {
		t.Error("Renumber modified its argument")
	}
	r2, err := e.h.Relabel(e.ctx, revs[1], apps.ControllerRevisionHashLabelKey, "r2")
	if err != nil || r2.Labels[apps.ControllerRevisionHashLabelKey] != "r2" {
		t.Fatalf("Relabel = %v, %v", r2, err)
	}
	// History r2, r3 (r1 renumbered newest and live, r4 live): keep 1 → delete r2.
	live := func(r *apps.ControllerRevision) bool { return r.Name == "r1" || r.Name == "r4" }
	sorted := []*apps.ControllerRevision{r2, revs[2], revs[3], r1}
	if err := e.h.Truncate(e.ctx, sorted, live, 1); err != nil {
		t.Fatal(err)
	}
	l, _ := e.revs.List(e.ctx, store.ListOptions{})
	var left []string
	for _, r := range l.Items {
		left = append(left, r.Name)
	}
	if !slices.Equal(left, []string{"r1", "r3", "r4"}) {
		t.Errorf("left %v, want [r1 r3 r4]", left)
	}
	if err := e.h.Delete(e.ctx, r2); err != nil {
		t.Errorf("deleting a revision already gone: %v", err)
	}
}

func TestTemplateRoundTripThroughStore(t *testing.T) {
	e := newEnv(t)
	set, ref := owner("web", "uid-web")
	tmpl := &core.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": "web"}},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "c", Image: "nginx:1.25"}}},
	}
	data, err := TemplatePatch(tmpl)
	if err != nil {
		t.Fatal(err)
	}
	var cc int32
	r := New(set, ref, apps.ControllerRevisionHashLabel, HashData(data, &cc), tmpl.Labels, data, 1)
	stored := e.create(r)
	if !Equal(stored, r) {
		t.Errorf("stored data %s differs from %s", stored.Data.Raw, data)
	}
	back, err := TemplateFromPatch(stored.Data.Raw)
	if err != nil || back.Spec.Containers[0].Image != "nginx:1.25" || back.Labels["app"] != "web" {
		t.Errorf("TemplateFromPatch = %+v, %v", back, err)
	}
}
