package job

import (
	"context"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
	"github.com/skiff-dev/skiff/store"
)

// orphanReconciler removes the tracking finalizer of pods that no running Job will ever
// count (job.md §3): orphans, pods whose Job is gone, and pods of finished Jobs. Its requests
// name pods. A pod controlled by something other than a batch/v1 Job, by a Job another
// controller manages, or by a Job still running is left alone.
type orphanReconciler struct{ r *Reconciler }

var _ reconcile.Reconciler = (*orphanReconciler)(nil)

// Reconcile removes the finalizer of the pod req names if it is still an orphan.
func (o *orphanReconciler) Reconcile(ctx context.Context, req reconcile.Request) (reconcile.Result, error) {
	pod, err := o.r.podLister.Namespace(req.Namespace).Get(req.Name)
	if store.IsNotFound(err) {
		return reconcile.Result{}, nil
	}
	if err != nil {
		return reconcile.Result{}, err
	}
	if !o.r.isOrphanWithFinalizer(pod) {
		return reconcile.Result{}, nil
	}
	return reconcile.Result{}, client.IgnoreNotFound(o.r.removeTrackingFinalizer(ctx, pod))
}

// isOrphanWithFinalizer reports whether no running Job will remove the pod's tracking
// finalizer.
func (r *Reconciler) isOrphanWithFinalizer(pod *core.Pod) bool {
	if !hasTrackingFinalizer(pod) {
		return false
	}
	ref := meta.GetControllerOf(pod)
	if ref == nil {
		return true
	}
	if ref.Kind != "Job" || ref.APIVersion != batch.GroupVersion {
		return false // another kind's: not ours to touch
	}
	j, ok := r.resolve(pod.Namespace, ref)
	if !ok {
		return true
	}
	return !managedByOther(j) && isFinished(j)
}

// removeTrackingFinalizer removes the finalizer from the stored pod (a read-modify-write, so
// that concurrent changes to the other finalizers are kept). A pod that is gone returns
// NotFound.
func (r *Reconciler) removeTrackingFinalizer(ctx context.Context, pod *core.Pod) error {
	_, err := client.GuaranteedUpdate(ctx, r.pods, pod.Namespace, pod.Name, func(p *core.Pod) error {
		if p.UID != pod.UID {
			return store.NewNotFound(r.pods.Kind().GroupResource(), pod.Name) // another pod took the name
		}
		meta.RemoveFinalizer(p, batch.JobTrackingFinalizer)
		return nil
	})
	return err
}

// orphanPodHandler queues the pods whose finalizer only the orphan controller will remove.
type orphanPodHandler struct{ r *Reconciler }

var _ controller.EventHandler[*core.Pod] = orphanPodHandler{}

func (h orphanPodHandler) Create(_ context.Context, pod *core.Pod, q controller.Queue) {
	h.queue(pod, q)
}

func (h orphanPodHandler) Update(_ context.Context, _, pod *core.Pod, q controller.Queue) {
	h.queue(pod, q)
}

func (h orphanPodHandler) Delete(context.Context, *core.Pod, controller.Queue) {}

func (h orphanPodHandler) queue(pod *core.Pod, q controller.Queue) {
	if h.r.isOrphanWithFinalizer(pod) {
		q.Add(controller.RequestFor(pod))
	}
}

// finishedJobPodsHandler queues, when a Job is deleted or seen finished, its pods that still
// carry the tracking finalizer: the Job's own sync no longer removes them.
type finishedJobPodsHandler struct{ r *Reconciler }

var _ controller.EventHandler[*batch.Job] = finishedJobPodsHandler{}

func (h finishedJobPodsHandler) Create(_ context.Context, j *batch.Job, q controller.Queue) {
	if isFinished(j) {
		h.queuePods(j, q)
	}
}

func (h finishedJobPodsHandler) Update(_ context.Context, _, j *batch.Job, q controller.Queue) {
	if isFinished(j) {
		h.queuePods(j, q)
	}
}

func (h finishedJobPodsHandler) Delete(_ context.Context, j *batch.Job, q controller.Queue) {
	h.queuePods(j, q)
}

func (h finishedJobPodsHandler) queuePods(j *batch.Job, q controller.Queue) {
	pods, _ := h.r.podLister.ByIndex(informer.IndexControllerUID, string(j.UID)) // the index exists (Add)
	for _, p := range pods {
		if hasTrackingFinalizer(p) {
			q.Add(controller.RequestFor(p))
		}
	}
}
