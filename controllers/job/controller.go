package job

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/controllers/internal/expectations"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/workqueue"
)

// Manager is what Add needs from the manager that runs the controller. *manager.Manager
// implements it.
type Manager interface {
	controller.Manager
	// EventRecorder returns a recorder of events from component.
	EventRecorder(component string) *controller.Recorder
}

// indexOrphanPods files pods without a controller reference under their namespace: the
// candidates for adoption, found without scanning the namespace.
const indexOrphanPods = "batch.job/orphans"

// Add builds the Job controller and adds it to mgr, which starts it (at once if mgr is
// running): the controller that syncs Jobs (ControllerName) and the one that removes the
// tracking finalizer of orphaned pods (OrphanControllerName). It watches Jobs and pods
// through mgr's shared informers, adding the controller-UID index and an index of orphan
// pods to the pod informer. It fails if opts do not validate or a controller cannot be built.
func Add(mgr Manager, opts Options) error {
	_, err := add(mgr, opts)
	return err
}

// add is Add, returning the controllers for the package's tests.
func add(mgr Manager, opts Options) ([]*controller.Controller, error) {
	if err := opts.Validate(); err != nil {
		return nil, err
	}
	opts = opts.withDefaults()
	if opts.Recorder == nil {
		opts.Recorder = mgr.EventRecorder(ComponentName)
	}
	f := mgr.Informers()
	jobInf, podInf := informer.For[*batch.Job](f), informer.For[*core.Pod](f)
	if err := addIndex(podInf, informer.IndexControllerUID, informer.ControllerUIDIndexFunc[*core.Pod]); err != nil {
		return nil, err
	}
	if err := addIndex(podInf, indexOrphanPods, orphanPodIndexFunc); err != nil {
		return nil, err
	}
	c := mgr.Client()
	r := &Reconciler{
		opts:       opts,
		jobs:       client.For[*batch.Job](c),
		pods:       client.For[*core.Pod](c),
		jobLister:  jobInf.Lister(),
		podLister:  podInf.Lister(),
		podControl: podcontrol.New(c, opts.Recorder),
		recorder:   opts.Recorder,
		clock:      mgr.Clock(),
		exp:        expectations.New[reconcile.Request](mgr.Clock()),
		finalizers: newFinalizerExpectations(),
		backoff:    newBackoffStore(),
	}
	log := mgr.Logger().WithValues("controllerGroup", batch.GroupName, "controllerKind", "Job")
	newController := func(name string, rec reconcile.Reconciler, workers int) (*controller.Controller, error) {
		return controller.New(name, rec, controller.Options{
			MaxConcurrentReconciles: workers,
			RateLimiter:             workqueue.NewItemExponentialFailureRateLimiter[reconcile.Request](apiBackOff, maxAPIBackOff),
			Clock:                   mgr.Clock(),
			Logger:                  log,
			Metrics:                 mgr.Metrics(),
		})
	}
	jobCtrl, err := newController(ControllerName, r, opts.Workers)
	if err != nil {
		return nil, err
	}
	orphanCtrl, err := newController(OrphanControllerName, &orphanReconciler{r}, 1)
	if err != nil {
		return nil, err
	}
	for _, w := range []struct {
		c   *controller.Controller
		src controller.Source
	}{
		{jobCtrl, controller.Kind(jobInf, jobHandler{r})},
		{jobCtrl, controller.Kind(podInf, podHandler{r})},
		{orphanCtrl, controller.Kind(podInf, orphanPodHandler{r})},
		{orphanCtrl, controller.Kind(jobInf, finishedJobPodsHandler{r})},
	} {
		if err := w.c.Watch(w.src); err != nil {
			return nil, err
		}
	}
	for _, ctrl := range []*controller.Controller{jobCtrl, orphanCtrl} {
		if err := mgr.Add(ctrl); err != nil {
			return nil, err
		}
	}
	return []*controller.Controller{jobCtrl, orphanCtrl}, nil
}

// addIndex adds an index to inf, unless another controller already added one of that name
// (IndexControllerUID is shared by design; indexOrphanPods is this package's).
func addIndex[T meta.Object](inf *informer.Informer[T], name string, fn informer.IndexFunc[T]) error {
	err := inf.AddIndexers(informer.Indexers[T]{name: fn})
	if err != nil && !errors.Is(err, informer.ErrIndexExists) {
		return fmt.Errorf("job: %w", err)
	}
	return nil
}

// orphanPodIndexFunc files a pod without a controller reference under its namespace.
func orphanPodIndexFunc(p *core.Pod) []string {
	if meta.GetControllerOf(p) != nil {
		return nil
	}
	return []string{p.Namespace}
}

// jobHandler turns Job events into requests (job.md §4): a creation, a deletion and a spec
// change (a new generation) sync at once; other updates — mostly the controller's own status
// writes — after the batch period. A changed activeDeadlineSeconds re-arms the deadline.
type jobHandler struct{ r *Reconciler }

var _ controller.EventHandler[*batch.Job] = jobHandler{}

func (h jobHandler) Create(_ context.Context, j *batch.Job, q controller.Queue) {
	q.Add(controller.RequestFor(j))
}

func (h jobHandler) Update(_ context.Context, oldJob, curJob *batch.Job, q controller.Queue) {
	req := controller.RequestFor(curJob)
	if oldJob.UID != curJob.UID {
		h.r.forget(req)
	}
	if oldJob.Generation == curJob.Generation {
		q.AddAfter(req, syncBatchPeriod)
	} else {
		q.Add(req)
	}
	if curJob.Status.StartTime == nil || curJob.Spec.ActiveDeadlineSeconds == nil {
		return
	}
	if ads := oldJob.Spec.ActiveDeadlineSeconds; ads == nil || *ads != *curJob.Spec.ActiveDeadlineSeconds {
		total := time.Duration(*curJob.Spec.ActiveDeadlineSeconds) * time.Second
		q.AddAfter(req, total-h.r.clock.Since(curJob.Status.StartTime.Time))
	}
}

func (h jobHandler) Delete(_ context.Context, j *batch.Job, q controller.Queue) {
	q.Add(controller.RequestFor(j))
}

// podHandler turns pod events into Job requests after the batch period, observing
// expectations: a pod with a controller reference wakes its Job only (found by name, checked
// by UID); an orphan wakes every Job of its namespace whose selector matches it, so that one
// adopts it.
type podHandler struct{ r *Reconciler }

var _ controller.EventHandler[*core.Pod] = podHandler{}

// Create observes the creation of an owned pod. A pod that arrives already terminating (seen
// first after a restart) counts as deleted, not created.
func (h podHandler) Create(_ context.Context, pod *core.Pod, q controller.Queue) {
	if pod.DeletionTimestamp != nil {
		h.deleted(pod, false, q)
		return
	}
	if ref := meta.GetControllerOf(pod); ref != nil {
		j, ok := h.r.resolve(pod.Namespace, ref)
		if !ok {
			return
		}
		req := controller.RequestFor(j)
		h.r.exp.CreationObserved(req)
		q.AddAfter(req, syncBatchPeriod)
		return
	}
	for _, j := range h.r.matchingJobs(pod) {
		q.AddAfter(controller.RequestFor(j), syncBatchPeriod)
	}
}

// Update wakes the Jobs concerned by a change. A pod that started terminating counts as
// deleted at once. A removed tracking finalizer is observed for the owner (old and new, if
// the controller reference changed: finalizers may be re-added and removed during an
// ownership transfer, and the latest state is what counts).
func (h podHandler) Update(_ context.Context, oldPod, curPod *core.Pod, q controller.Queue) {
	if oldPod.ResourceVersion == curPod.ResourceVersion {
		return // a resync: nothing changed
	}
	if curPod.DeletionTimestamp != nil {
		h.deleted(curPod, false, q)
		return
	}
	finalizerRemoved := !hasTrackingFinalizer(curPod)
	curRef, oldRef := meta.GetControllerOf(curPod), meta.GetControllerOf(oldPod)
	refChanged := !sameRef(curRef, oldRef)
	if refChanged && oldRef != nil {
		if j, ok := h.r.resolve(oldPod.Namespace, oldRef); ok {
			req := controller.RequestFor(j)
			if finalizerRemoved {
				h.r.finalizers.removalObserved(req, curPod.UID)
			}
			q.AddAfter(req, syncBatchPeriod)
		}
	}
	if curRef != nil {
		j, ok := h.r.resolve(curPod.Namespace, curRef)
		if !ok {
			return
		}
		req := controller.RequestFor(j)
		if finalizerRemoved {
			h.r.finalizers.removalObserved(req, curPod.UID)
		}
		q.AddAfter(req, syncBatchPeriod)
		return
	}
	if refChanged || !maps.Equal(oldPod.Labels, curPod.Labels) {
		for _, j := range h.r.matchingJobs(curPod) {
			q.AddAfter(controller.RequestFor(j), syncBatchPeriod)
		}
	}
}

// Delete observes the deletion of an owned pod and wakes its Job.
func (h podHandler) Delete(_ context.Context, pod *core.Pod, q controller.Queue) {
	h.deleted(pod, true, q)
}

// deleted handles a pod that is gone (final) or terminating. Pods of Jobs that are gone or
// finished are left to the orphan controller.
func (h podHandler) deleted(pod *core.Pod, final bool, q controller.Queue) {
	j, ok := h.r.resolve(pod.Namespace, meta.GetControllerOf(pod))
	if !ok || isFinished(j) {
		return
	}
	req := controller.RequestFor(j)
	h.r.exp.DeletionObserved(req, pod.UID)
	if final || !hasTrackingFinalizer(pod) {
		h.r.finalizers.removalObserved(req, pod.UID)
	}
	q.AddAfter(req, syncBatchPeriod)
}

// sameRef reports whether two controller references are equal (both nil included).
func sameRef(a, b *meta.OwnerReference) bool {
	if a == nil || b == nil {
		return a == b
	}
	return a.APIVersion == b.APIVersion && a.Kind == b.Kind && a.Name == b.Name && a.UID == b.UID
}

// resolve returns the Job a pod's controller reference names, from the cache.
func (r *Reconciler) resolve(namespace string, ref *meta.OwnerReference) (*batch.Job, bool) {
	return controllerref.Resolve(r.jobLister, scheme.JobGVK, namespace, ref)
}

// matchingJobs returns the Jobs of the pod's namespace whose selector matches it: the
// candidates to adopt an orphan. Invalid and empty selectors match nothing.
func (r *Reconciler) matchingJobs(pod *core.Pod) []*batch.Job {
	var out []*batch.Job
	set := labels.Set(pod.Labels)
	for _, j := range r.jobLister.Namespace(pod.Namespace).List(nil) {
		sel, err := labels.FromLabelSelector(j.Spec.Selector)
		if err != nil || sel.Empty() {
			continue
		}
		if sel.Matches(set) {
			out = append(out, j)
		}
	}
	return out
}

// forget drops what the controller remembers of a Job that is gone.
func (r *Reconciler) forget(req reconcile.Request) {
	r.exp.Delete(req)
	r.finalizers.forget(req)
	r.backoff.remove(req)
}
