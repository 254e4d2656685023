package clienttest

import (
	"errors"
	"reflect"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

var helperTests = []test{
	{"GuaranteedUpdate/Concurrent", testGuaranteedUpdateConcurrent},
	{"GuaranteedUpdate/Semantics", testGuaranteedUpdateSemantics},
	{"GuaranteedUpdateStatus", testGuaranteedUpdateStatus},
	{"CreateOrUpdate", testCreateOrUpdate},
	{"CreateOrUpdate/Concurrent", testCreateOrUpdateConcurrent},
	{"RetryOnConflict", testRetryOnConflict},
}

// testGuaranteedUpdateConcurrent increments a counter from several goroutines: no increment
// may be lost.
func testGuaranteedUpdateConcurrent(e *env) {
	create(e, e.configMaps, newConfigMap("counter", map[string]string{"n": "0"}))
	const writers, each = 8, 10
	var wg sync.WaitGroup
	errs := make(chan error, writers*each)
	for range writers {
		wg.Go(func() {
			for range each {
				_, err := client.GuaranteedUpdate(e.ctx, e.configMaps, Namespace, "counter", func(cm *core.ConfigMap) error {
					n, err := strconv.Atoi(cm.Data["n"])
					if err != nil {
						return err
					}
					cm.Data["n"] = strconv.Itoa(n + 1)
					return nil
				})
				if err != nil {
					errs <- err
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		e.t.Errorf("GuaranteedUpdate: %v", err)
	}
	if got := get(e, e.configMaps, Namespace, "counter"); got.Data["n"] != strconv.Itoa(writers*each) {
		e.t.Fatalf("counter is %s after %d increments", got.Data["n"], writers*each)
	}
}

func testGuaranteedUpdateSemantics(e *env) {
	cm := create(e, e.configMaps, newConfigMap("cm", map[string]string{"a": "1"}))

	// A mutation that changes nothing writes nothing.
	got, err := client.GuaranteedUpdate(e.ctx, e.configMaps, Namespace, "cm", func(c *core.ConfigMap) error {
		c.Data["a"] = "1"
		return nil
	})
	if err != nil || got.ResourceVersion != cm.ResourceVersion {
		e.t.Fatalf("no-op GuaranteedUpdate: %v (resourceVersion %v, want %s)", err, got, cm.ResourceVersion)
	}

	// The mutation's error is returned unchanged, and nothing is written.
	boom := errors.New("boom")
	_, err = client.GuaranteedUpdate(e.ctx, e.configMaps, Namespace, "cm", func(c *core.ConfigMap) error {
		c.Data["a"] = "2"
		return boom
	})
	if !errors.Is(err, boom) {
		e.t.Fatalf("GuaranteedUpdate returned %v, want the mutation's error", err)
	}

	_, err = client.GuaranteedUpdate(e.ctx, e.configMaps, Namespace, "missing", func(*core.ConfigMap) error { return nil })
	e.wantErr("GuaranteedUpdate of a missing object", err, store.IsNotFound, "NotFound")

	_, err = client.GuaranteedUpdate(e.ctx, e.configMaps, Namespace, "cm", func(c *core.ConfigMap) error {
		c.Name = "other"
		return nil
	})
	if !errors.Is(err, client.ErrIdentityChanged) {
		e.t.Fatalf("renaming mutation: got %v, want ErrIdentityChanged", err)
	}

	// A mutation that lost a race runs again on the fresh object.
	calls := 0
	got, err = client.GuaranteedUpdate(e.ctx, e.configMaps, Namespace, "cm", func(c *core.ConfigMap) error {
		calls++
		if calls == 1 {
			// Someone else writes between this read and its write.
			if _, err := e.configMaps.Patch(e.ctx, Namespace, "cm", client.MergePatchType, []byte(`{"data":{"b":"2"}}`)); err != nil {
				return err
			}
		}
		c.Data["c"] = "3"
		return nil
	})
	if err != nil || calls != 2 {
		e.t.Fatalf("GuaranteedUpdate racing a patch: %v after %d calls, want success after 2", err, calls)
	}
	if got.Data["a"] != "1" || got.Data["b"] != "2" || got.Data["c"] != "3" {
		e.t.Fatalf("GuaranteedUpdate racing a patch left data %v", got.Data)
	}
}

func testGuaranteedUpdateStatus(e *env) {
	create(e, e.deployments, newDeployment("web", 1))
	got, err := client.GuaranteedUpdateStatus(e.ctx, e.deployments, Namespace, "web", func(d *apps.Deployment) error {
		d.Status.ObservedGeneration = d.Generation
		d.Status.Replicas = 1
		d.Spec.Replicas = ptr(int32(7)) // ignored: status only
		return nil
	})
	if err != nil {
		e.t.Fatalf("GuaranteedUpdateStatus: %v", err)
	}
	if got.Status.ObservedGeneration != 1 || got.Status.Replicas != 1 || *got.Spec.Replicas != 1 {
		e.t.Fatalf("after GuaranteedUpdateStatus: status %+v replicas %d", got.Status, *got.Spec.Replicas)
	}
}

func testCreateOrUpdate(e *env) {
	setLevel := func(level string) func(*core.ConfigMap) error {
		return func(cm *core.ConfigMap) error {
			if cm.Data == nil {
				cm.Data = map[string]string{}
			}
			cm.Data["level"] = level
			return nil
		}
	}
	in := newConfigMap("settings", nil)
	in.Labels = map[string]string{"from": "template"}
	before := in.DeepCopy()

	steps := []struct {
		mutate func(*core.ConfigMap) error
		want   client.OperationResult
		level  string
	}{
		{setLevel("debug"), client.OperationResultCreated, "debug"},
		{setLevel("debug"), client.OperationResultNone, "debug"},
		{setLevel("info"), client.OperationResultUpdated, "info"},
	}
	var last *core.ConfigMap
	for i, s := range steps {
		out, res, err := client.CreateOrUpdate(e.ctx, e.configMaps, in, s.mutate)
		if err != nil {
			e.t.Fatalf("step %d: CreateOrUpdate: %v", i, err)
		}
		if res != s.want || out.Data["level"] != s.level || out.Labels["from"] != "template" {
			e.t.Fatalf("step %d: %s with data %v labels %v, want %s with level %s", i, res, out.Data, out.Labels, s.want, s.level)
		}
		if stored := get(e, e.configMaps, Namespace, "settings"); stored.ResourceVersion != out.ResourceVersion {
			e.t.Fatalf("step %d: returned resourceVersion %s, stored %s", i, out.ResourceVersion, stored.ResourceVersion)
		}
		if last != nil && (res == client.OperationResultNone) != (out.ResourceVersion == last.ResourceVersion) {
			e.t.Fatalf("step %d: result %s but resourceVersion %s -> %s", i, res, last.ResourceVersion, out.ResourceVersion)
		}
		last = out
	}
	if !reflect.DeepEqual(in, before) {
		e.t.Fatal("CreateOrUpdate modified its argument")
	}

	boom := errors.New("boom")
	_, res, err := client.CreateOrUpdate(e.ctx, e.configMaps, newConfigMap("never", nil), func(*core.ConfigMap) error { return boom })
	if !errors.Is(err, boom) || res != client.OperationResultNone {
		e.t.Fatalf("failing mutation: %v, %s; want the error and %s", err, res, client.OperationResultNone)
	}
	wantNotFound(e, e.configMaps, Namespace, "never")

	_, _, err = client.CreateOrUpdate(e.ctx, e.configMaps, in, func(cm *core.ConfigMap) error {
		cm.Namespace = "elsewhere"
		return nil
	})
	if !errors.Is(err, client.ErrIdentityChanged) {
		e.t.Fatalf("moving mutation: got %v, want ErrIdentityChanged", err)
	}

	bad := newDeployment("bad", 1)
	_, _, err = client.CreateOrUpdate(e.ctx, e.deployments, bad, func(d *apps.Deployment) error {
		d.Spec.Replicas = ptr(int32(-1))
		return nil
	})
	e.wantErr("CreateOrUpdate of an invalid object", err, store.IsInvalid, "Invalid")
}

// testCreateOrUpdateConcurrent races writers on an object that does not exist yet: exactly
// one creates it, and every writer's change lands.
func testCreateOrUpdateConcurrent(e *env) {
	const writers = 8
	var created atomic.Int32
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Go(func() {
			_, res, err := client.CreateOrUpdate(e.ctx, e.configMaps, newConfigMap("shared", nil), func(cm *core.ConfigMap) error {
				if cm.Data == nil {
					cm.Data = map[string]string{}
				}
				cm.Data["w"+strconv.Itoa(w)] = "here"
				return nil
			})
			if err != nil {
				errs <- err
			}
			if res == client.OperationResultCreated {
				created.Add(1)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		e.t.Errorf("CreateOrUpdate: %v", err)
	}
	if n := created.Load(); n != 1 {
		e.t.Fatalf("%d writers report created, want 1", n)
	}
	if got := get(e, e.configMaps, Namespace, "shared"); len(got.Data) != writers {
		e.t.Fatalf("after %d concurrent CreateOrUpdates data is %v", writers, got.Data)
	}
}

func testRetryOnConflict(e *env) {
	create(e, e.configMaps, newConfigMap("cm", map[string]string{"n": "0"}))
	stale := get(e, e.configMaps, Namespace, "cm")
	if _, err := e.configMaps.Patch(e.ctx, Namespace, "cm", client.MergePatchType, []byte(`{"data":{"n":"1"}}`)); err != nil {
		e.t.Fatal(err)
	}
	attempts := 0
	b := client.Backoff{Steps: 3, Duration: time.Millisecond}
	err := client.RetryOnConflict(e.ctx, b, func() error {
		attempts++
		cm := stale
		if attempts > 1 {
			cm = get(e, e.configMaps, Namespace, "cm")
		}
		cm = cm.DeepCopy()
		cm.Data["n"] = "2"
		_, err := e.configMaps.Update(e.ctx, cm)
		return err
	})
	if err != nil || attempts != 2 {
		e.t.Fatalf("RetryOnConflict: %v after %d attempts, want success after 2", err, attempts)
	}

	attempts = 0
	err = client.RetryOnConflict(e.ctx, b, func() error {
		attempts++
		_, err := e.configMaps.Update(e.ctx, stale)
		return err
	})
	if !store.IsConflict(err) || attempts != 3 {
		e.t.Fatalf("RetryOnConflict with an always-stale object: %v after %d attempts, want Conflict after 3", err, attempts)
	}
}
