package soak

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// errSkipped means an operation had no target (no node left to untaint, say).
var errSkipped = errors.New("soak: no target")

// ledgerKinds are the kinds whose writes the ledger records.
var ledgerKinds = map[string]scheme.GroupVersionKind{
	"Deployment":  scheme.DeploymentGVK,
	"StatefulSet": scheme.StatefulSetGVK,
	"DaemonSet":   scheme.DaemonSetGVK,
	"ConfigMap":   scheme.ConfigMapGVK,
	"Node":        scheme.NodeGVK,
	"CronJob":     scheme.CronJobGVK,
}

// fingerprint sums up the fields of obj that only the soak writes.
func fingerprint(obj meta.Object) string {
	switch o := obj.(type) {
	case *apps.Deployment:
		return fmt.Sprintf("replicas=%d rev=%s", deref(o.Spec.Replicas, 1), o.Spec.Template.Annotations[RevisionAnnotation])
	case *apps.StatefulSet:
		return fmt.Sprintf("replicas=%d", deref(o.Spec.Replicas, 1))
	case *apps.DaemonSet:
		return "rev=" + o.Spec.Template.Annotations[RevisionAnnotation]
	case *core.ConfigMap:
		return SeqKey + "=" + o.Data[SeqKey]
	case *core.Node:
		return fmt.Sprintf("tainted=%t", hasSoakTaint(o))
	case *batch.CronJob:
		return "schedule=" + o.Spec.Schedule
	}
	return ""
}

func ledgerKey(obj meta.Object) LedgerKey {
	kind := ""
	switch obj.(type) {
	case *apps.Deployment:
		kind = "Deployment"
	case *apps.StatefulSet:
		kind = "StatefulSet"
	case *apps.DaemonSet:
		kind = "DaemonSet"
	case *core.ConfigMap:
		kind = "ConfigMap"
	case *core.Node:
		kind = "Node"
	case *batch.CronJob:
		kind = "CronJob"
	}
	return LedgerKey{Kind: kind, Namespace: obj.GetNamespace(), Name: obj.GetName()}
}

// record enters a write's outcome in the ledger: want is the object as written, got and err
// what the store answered.
func (r *runner) record(want, got meta.Object, err error) {
	k := ledgerKey(want)
	if err != nil {
		r.ledger.Failed(k, true, fingerprint(want))
		return
	}
	rev, _ := store.ParseResourceVersion(got.GetResourceVersion())
	r.ledger.Acked(k, true, fingerprint(got), rev)
}

// recordDelete enters a delete's outcome in the ledger.
func (r *runner) recordDelete(k LedgerKey, got meta.Object, err error) {
	switch {
	case err == nil && got.GetDeletionTimestamp() == nil:
		rev, _ := store.ParseResourceVersion(got.GetResourceVersion())
		r.ledger.Acked(k, false, "", rev)
	case err == nil || store.IsNotFound(err):
		r.ledger.Forget(k) // it stays a while (finalizers); no one writes it again
	default:
		r.ledger.Failed(k, false, "")
	}
}

// create creates obj and records it in the ledger.
func create[T meta.Object](ctx context.Context, r *runner, c client.Client, obj T) error {
	got, err := client.For[T](c).Create(ctx, obj)
	if err != nil && store.IsAlreadyExists(err) {
		return nil // a create that happened before a kill, retried
	}
	r.record(obj, got, err)
	return err
}

// update changes the named object with mutate (retrying conflicts) and records it.
func update[T meta.Object](ctx context.Context, r *runner, c client.Client, namespace, name string, mutate func(T) error) error {
	var want T
	got, err := client.GuaranteedUpdate(ctx, client.For[T](c), namespace, name, func(o T) error {
		if err := mutate(o); err != nil {
			return err
		}
		want = o.DeepCopyObject().(T)
		return nil
	})
	if errors.Is(err, errSkipped) {
		return err
	}
	if !isNil(want) { // mutate ran: the write was attempted
		r.record(want, got, err)
	}
	return err
}

func isNil[T meta.Object](o T) bool {
	var zero T
	return meta.Object(o) == meta.Object(zero)
}

// createWorkload creates the namespace and the long-lived workloads.
func (r *runner) createWorkload(ctx context.Context) error {
	c, err := r.client(ctx)
	if err != nil {
		return err
	}
	if _, err := client.For[*core.Namespace](c).Create(ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: Namespace}}); err != nil {
		return fmt.Errorf("soak: creating the namespace: %w", err)
	}
	var errs []error
	for i := range deploymentStrategies {
		errs = append(errs, create(ctx, r, c, newDeployment(i)))
	}
	for i := range numStatefulSets {
		errs = append(errs, create(ctx, r, c, newStatefulSet(i)))
	}
	for i := range daemonSets {
		errs = append(errs, create(ctx, r, c, newDaemonSet(i)))
	}
	for i := range cronJobs {
		errs = append(errs, create(ctx, r, c, newCronJob(i)))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("soak: creating the workload: %w", err)
	}
	return nil
}

// runOp carries out one operation of the schedule.
func (r *runner) runOp(ctx context.Context, op Op) error {
	c, err := r.client(ctx)
	if err != nil {
		return err
	}
	switch op.Kind {
	case OpScaleDeployment:
		name := deploymentName(int(op.Target % uint64(len(deploymentStrategies))))
		return update(ctx, r, c, Namespace, name, func(d *apps.Deployment) error {
			d.Spec.Replicas = ptr(int32(op.Value))
			return nil
		})
	case OpRollDeployment:
		name := deploymentName(int(op.Target % uint64(len(deploymentStrategies))))
		return update(ctx, r, c, Namespace, name, func(d *apps.Deployment) error {
			bump(&d.Spec.Template)
			return nil
		})
	case OpScaleStatefulSet:
		name := statefulSetName(int(op.Target % numStatefulSets))
		return update(ctx, r, c, Namespace, name, func(s *apps.StatefulSet) error {
			s.Spec.Replicas = ptr(int32(op.Value))
			return nil
		})
	case OpRollDaemonSet:
		name := daemonSets[op.Target%uint64(len(daemonSets))]
		return update(ctx, r, c, Namespace, name, func(ds *apps.DaemonSet) error {
			bump(&ds.Spec.Template)
			return nil
		})
	case OpCreateJob:
		r.mu.Lock()
		n := r.ops[OpCreateJob]
		r.mu.Unlock()
		_, err := client.For[*batch.Job](c).Create(ctx, newJob(n))
		if store.IsAlreadyExists(err) {
			return nil
		}
		return err
	case OpAddNode:
		r.mu.Lock()
		n := r.ops[OpAddNode]
		r.mu.Unlock()
		return create(ctx, r, c, newNode(fmt.Sprintf("%s%d", addedNodePrefix, n)))
	case OpTaintNode, OpUntaintNode:
		taint := op.Kind == OpTaintNode
		name, err := r.pickNode(ctx, c, op.Target, func(n *core.Node) bool { return hasSoakTaint(n) != taint })
		if err != nil {
			return err
		}
		return update(ctx, r, c, "", name, func(n *core.Node) error {
			if hasSoakTaint(n) == taint {
				return errSkipped
			}
			if taint {
				n.Spec.Taints = append(n.Spec.Taints, core.Taint{Key: TaintKey, Effect: core.TaintEffectNoSchedule})
			} else {
				n.Spec.Taints = slices.DeleteFunc(n.Spec.Taints, func(t core.Taint) bool { return t.Key == TaintKey })
			}
			return nil
		})
	case OpRemoveNode:
		return r.removeNode(ctx, c, op.Target)
	}
	return fmt.Errorf("soak: unknown operation %v", op.Kind)
}

// bump changes a pod template's revision annotation: a new template to roll out.
func bump(t *core.PodTemplateSpec) {
	n, _ := strconv.Atoi(t.Annotations[RevisionAnnotation])
	if t.Annotations == nil {
		t.Annotations = map[string]string{}
	}
	t.Annotations[RevisionAnnotation] = strconv.Itoa(n + 1)
}

// pickNode chooses among the live nodes that ok accepts, by name order.
func (r *runner) pickNode(ctx context.Context, c client.Client, n uint64, ok func(*core.Node) bool) (string, error) {
	l, err := client.For[*core.Node](c).List(ctx, store.ListOptions{})
	if err != nil {
		return "", err
	}
	var names []string
	for _, node := range l.Items {
		if node.DeletionTimestamp == nil && ok(node) {
			names = append(names, node.Name)
		}
	}
	slices.Sort(names)
	name, found := pick(names, n)
	if !found {
		return "", errSkipped
	}
	return name, nil
}

// removeNode switches off a node the soak added and deletes it, then deletes its pods at
// once, as the pod garbage collector that skiff does not have would.
func (r *runner) removeNode(ctx context.Context, c client.Client, n uint64) error {
	// Only nodes the soak added: the plane creates node-1 to node-N again when it starts.
	name, err := r.pickNode(ctx, c, n, func(n *core.Node) bool { return strings.HasPrefix(n.Name, addedNodePrefix) })
	if err != nil {
		return err
	}
	r.startDisruption()
	defer r.endDisruption()
	r.mu.Lock()
	host := r.plane.Kubelets()
	delete(r.silenced, name)
	r.mu.Unlock()
	_ = host.RemoveNode(name) // not served (yet): nothing to switch off
	got, err := client.For[*core.Node](c).Delete(ctx, "", name)
	r.recordDelete(LedgerKey{Kind: "Node", Name: name}, got, err)
	if err != nil && !store.IsNotFound(err) {
		return err
	}
	pods, err := client.For[*core.Pod](c).List(ctx, store.ListOptions{})
	if err != nil {
		return err
	}
	for _, p := range pods.Items {
		if p.Spec.NodeName == name {
			if _, err := client.For[*core.Pod](c).Delete(ctx, p.Namespace, p.Name, client.GracePeriod(0)); err != nil && !store.IsNotFound(err) {
				return err
			}
		}
	}
	return nil
}

// ledgerWriter writes ConfigMaps through the fault store until ctx is done: a steady stream
// of creates, updates and deletes whose acknowledgements the ledger keeps, in flight when
// the plane is killed.
func (r *runner) ledgerWriter(ctx context.Context) {
	const keys = 20
	seq := make([]int, keys)
	gen := make([]int, keys) // a deleted key comes back under a new name
	name := func(i int) string { return fmt.Sprintf("ledger-%d-%d", i, gen[i]) }
	t := time.NewTicker(25 * time.Millisecond)
	defer t.Stop()
	for i := 0; ; i = (i + 1) % keys {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		c, err := r.faultyClient(ctx)
		if err != nil {
			return
		}
		cms := client.For[*core.ConfigMap](c)
		seq[i]++
		cm := &core.ConfigMap{ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name(i)}, Data: map[string]string{SeqKey: strconv.Itoa(seq[i])}}
		switch {
		case seq[i] == 1:
			got, err := cms.Create(ctx, cm)
			if store.IsAlreadyExists(err) {
				got, err = cms.Update(ctx, cm) // the create happened before a kill
			}
			r.record(cm, got, err)
		case seq[i]%10 == 0:
			k := ledgerKey(cm)
			got, err := cms.Delete(ctx, Namespace, cm.Name)
			r.recordDelete(k, got, err)
			if err == nil || store.IsNotFound(err) {
				gen[i]++
				seq[i] = 0
			}
		default:
			got, err := cms.Update(ctx, cm) // no resourceVersion: unconditional
			r.record(cm, got, err)
			if store.IsNotFound(err) { // a delete that happened before a kill
				gen[i]++
				seq[i] = 0
			}
		}
		r.mu.Lock()
		r.ledgerWrites++
		r.mu.Unlock()
	}
}

// pickPod picks a running pod of the workload.
func pickPod(pods []*core.Pod, n uint64) (*core.Pod, bool) {
	var live []*core.Pod
	for _, p := range pods {
		if p.DeletionTimestamp == nil && p.Status.Phase == core.PodRunning && !strings.HasPrefix(p.Name, "ledger-") {
			live = append(live, p)
		}
	}
	slices.SortFunc(live, func(a, b *core.Pod) int { return strings.Compare(a.Name, b.Name) })
	return pick(live, n)
}
