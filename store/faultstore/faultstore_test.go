package faultstore_test

import (
	"context"
	"math"
	"strconv"
	"testing"

	"go.uber.org/goleak"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/boltstore"
	"github.com/skiff-dev/skiff/store/faultstore"
	"github.com/skiff-dev/skiff/store/storetest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func open(t *testing.T, opts faultstore.Options) *faultstore.Store {
	t.Helper()
	sch := scheme.NewBuiltin()
	inner, err := boltstore.Open(t.TempDir(), boltstore.Options{Scheme: sch})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { inner.Close() })
	opts.Scheme = sch
	return faultstore.New(inner, opts)
}

func TestRatesAndNothingWrittenOnFault(t *testing.T) {
	s := open(t, faultstore.Options{ConflictRate: 0.3, TransientRate: 0.2, Seed: 42})
	ctx := context.Background()
	s.SetRates(0, 0)
	if _, err := s.Create(ctx, storetest.ConfigMap("default", "a", nil), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	s.SetRates(0.3, 0.2)
	const n = 400
	var conflicts, transients, ok int
	for i := range n {
		rev := s.CurrentRevision()
		_, err := s.Update(ctx, storetest.ConfigMap("default", "a", map[string]string{"i": strconv.Itoa(i)}), store.UpdateOptions{})
		switch {
		case err == nil:
			ok++
			if s.CurrentRevision() != rev+1 {
				t.Fatal("a successful update did not write")
			}
			continue
		case store.IsConflict(err):
			conflicts++
		case store.IsTimeout(err) || store.IsTooManyRequests(err):
			transients++
			if !store.IsRetryable(err) {
				t.Fatalf("transient error %v is not retryable", err)
			}
		default:
			t.Fatalf("unexpected error %v", err)
		}
		if s.CurrentRevision() != rev {
			t.Fatalf("a refused write reached the store: %v", err)
		}
	}
	near := func(got int, p float64) bool { return math.Abs(float64(got)/n-p) < 0.08 }
	if !near(conflicts, 0.3) || !near(transients, 0.2) {
		t.Fatalf("conflicts %d, transients %d of %d: want about 30%% and 20%%", conflicts, transients, n)
	}
	c := s.Counts()
	if c.Conflicts != conflicts || c.Transients != transients || c.Passed != ok+1 { // +1: the set-up create
		t.Fatalf("Counts = %+v, saw %d/%d/%d", c, conflicts, transients, ok)
	}
}

func TestCreateNeverConflicts(t *testing.T) {
	s := open(t, faultstore.Options{ConflictRate: 1, Seed: 1})
	for i := range 20 {
		if _, err := s.Create(context.Background(), storetest.ConfigMap("default", "c"+strconv.Itoa(i), nil), store.CreateOptions{}); err != nil {
			t.Fatalf("create %d: %v", i, err)
		}
	}
	_, err := s.Delete(context.Background(), scheme.ConfigMapGVK, "default", "c0", store.DeleteOptions{})
	if !store.IsConflict(err) || err.Error() != `Operation cannot be fulfilled on configmaps "c0": the object has been modified; please apply your changes to the latest version and try again` {
		t.Fatalf("delete with ConflictRate 1: %v", err)
	}
}

func TestGuaranteedUpdateSurvivesConflicts(t *testing.T) {
	s := open(t, faultstore.Options{ConflictRate: 0.5, Seed: 7})
	ctx := context.Background()
	s.SetRates(0, 0)
	if _, err := s.Create(ctx, storetest.ConfigMap("default", "a", nil), store.CreateOptions{}); err != nil {
		t.Fatal(err)
	}
	s.SetRates(0.5, 0)
	for i := range 20 {
		_, err := store.GuaranteedUpdate(ctx, s, scheme.ConfigMapGVK, "default", "a", func(cur meta.Object) (meta.Object, error) {
			cur.(*core.ConfigMap).Data = map[string]string{"i": strconv.Itoa(i)}
			return cur, nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if s.Counts().Conflicts == 0 {
		t.Fatal("no conflicts injected")
	}
	if _, ok := s.Unwrap().(store.Compactor); !ok {
		t.Fatal("Unwrap does not reach the inner store's capabilities")
	}
}

func TestOptionsValidate(t *testing.T) {
	for _, o := range []faultstore.Options{{}, {Scheme: scheme.New(), ConflictRate: -1}, {Scheme: scheme.New(), ConflictRate: 0.7, TransientRate: 0.7}} {
		if o.Validate() == nil {
			t.Errorf("%+v accepted", o)
		}
	}
}
