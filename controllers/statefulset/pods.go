package statefulset

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/store"
)

// This file writes a StatefulSet's pods and claims, recording Kubernetes' events
// (../shared/spec/statefulset.md §7): it is Kubernetes' StatefulPodControl.

// recordPodEvent records the outcome of verb ("create", "delete", "update") on pod.
func (r *Reconciler) recordPodEvent(verb string, set *apps.StatefulSet, pod *core.Pod, err error) {
	title := strings.ToUpper(verb[:1]) + verb[1:]
	if err == nil {
		r.recorder.Eventf(set, core.EventTypeNormal, "Successful"+title, "%s Pod %s in StatefulSet %s successful", verb, pod.Name, set.Name)
		return
	}
	r.recorder.Eventf(set, core.EventTypeWarning, "Failed"+title, "%s Pod %s in StatefulSet %s failed error: %v", verb, pod.Name, set.Name, err)
}

// recordClaimEvent records the outcome of verb on a pod's claim.
func (r *Reconciler) recordClaimEvent(verb string, set *apps.StatefulSet, pod *core.Pod, claim *core.PersistentVolumeClaim, err error) {
	title := strings.ToUpper(verb[:1]) + verb[1:]
	if err == nil {
		r.recorder.Eventf(set, core.EventTypeNormal, "Successful"+title, "%s Claim %s Pod %s in StatefulSet %s success", verb, claim.Name, pod.Name, set.Name)
		return
	}
	r.recorder.Eventf(set, core.EventTypeWarning, "Failed"+title, "%s Claim %s for Pod %s in StatefulSet %s failed error: %v", verb, claim.Name, pod.Name, set.Name, err)
}

// createClaims creates the claims of pod that do not exist yet. A claim being deleted is an
// error (errClaimDeleting): the pod must not start on a claim about to vanish. A claim
// created meanwhile by someone else (AlreadyExists: the cache was behind) is fine.
func (r *Reconciler) createClaims(ctx context.Context, set *apps.StatefulSet, pod *core.Pod) error {
	var errs []error
	for _, c := range podClaims(set, ordinalOf(pod)) {
		existing, err := r.claimLister.Namespace(c.Namespace).Get(c.Name)
		switch {
		case store.IsNotFound(err):
			_, err := r.claims.Create(ctx, c)
			if store.IsAlreadyExists(err) {
				continue
			}
			r.recordClaimEvent("create", set, pod, c, err)
			if err != nil {
				errs = append(errs, fmt.Errorf("creating claim %s: %w", c.Name, err))
			}
		case err != nil:
			errs = append(errs, err)
		case existing.DeletionTimestamp != nil:
			errs = append(errs, fmt.Errorf("%w: %s", errClaimDeleting, c.Name))
		}
	}
	return errors.Join(errs...)
}

// claimsStale reports whether one of pod's claims belongs to an earlier pod of the same name
// (see claimIsStale).
func (r *Reconciler) claimsStale(set *apps.StatefulSet, pod *core.Pod) bool {
	for _, c := range podClaims(set, ordinalOf(pod)) {
		if existing, err := r.claimLister.Namespace(c.Namespace).Get(c.Name); err == nil && claimIsStale(existing, set, pod) {
			return true
		}
	}
	return false
}

// createPod creates pod's claims, then pod, then points the claims' owner references as the
// retention policy says, recording the events. AlreadyExists (the cache is behind) is
// returned without an event.
func (r *Reconciler) createPod(ctx context.Context, set *apps.StatefulSet, pod *core.Pod) error {
	if err := r.createClaims(ctx, set, pod); err != nil {
		r.recordPodEvent("create", set, pod, err)
		return err
	}
	created, err := r.pods.Create(ctx, pod)
	if store.IsAlreadyExists(err) {
		return err // the cache is behind: the pod's event will sync the set again
	}
	if err == nil {
		err = r.fixClaimRefs(ctx, set, created)
		if err != nil {
			r.recordPodEvent("update", set, created, err)
			return err
		}
	}
	r.recordPodEvent("create", set, pod, err)
	return err
}

// deletePod deletes pod (gracefully; this very pod: its UID is a precondition). A pod already
// gone is not an error.
func (r *Reconciler) deletePod(ctx context.Context, set *apps.StatefulSet, pod *core.Pod) error {
	_, err := r.pods.Delete(ctx, pod.Namespace, pod.Name, client.PreconditionUID(pod.UID))
	if store.IsNotFound(err) {
		return nil
	}
	r.recordPodEvent("delete", set, pod, err)
	return err
}

// claimsMatchPolicy reports whether the existing claims of pod carry the owner references
// the retention policy wants. Missing claims match (they are fixed once created).
func (r *Reconciler) claimsMatchPolicy(set *apps.StatefulSet, pod *core.Pod) bool {
	for _, c := range podClaims(set, ordinalOf(pod)) {
		existing, err := r.claimLister.Namespace(c.Namespace).Get(c.Name)
		if err != nil {
			continue
		}
		if !claimMatchesPolicy(existing, set, pod) && !hasUnexpectedController(existing, set, pod) {
			return false
		}
	}
	return true
}

// fixClaimRefs updates the owner references of pod's existing claims as the retention
// policy wants.
func (r *Reconciler) fixClaimRefs(ctx context.Context, set *apps.StatefulSet, pod *core.Pod) error {
	var errs []error
	for _, c := range podClaims(set, ordinalOf(pod)) {
		existing, err := r.claimLister.Namespace(c.Namespace).Get(c.Name)
		if store.IsNotFound(err) {
			// The cache may not show a claim just created: read it to be sure.
			existing, err = r.claims.Get(ctx, c.Namespace, c.Name)
			if store.IsNotFound(err) {
				continue
			}
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !updateClaimRefs(existing.DeepCopyObject().(*core.PersistentVolumeClaim), set, pod) {
			continue
		}
		_, err = client.GuaranteedUpdate(ctx, r.claims, c.Namespace, c.Name, func(cur *core.PersistentVolumeClaim) error {
			updateClaimRefs(cur, set, pod)
			return nil
		})
		if err != nil && !store.IsNotFound(err) {
			r.recordClaimEvent("update", set, pod, c, err)
			errs = append(errs, fmt.Errorf("updating claim %s: %w", c.Name, err))
		}
	}
	return errors.Join(errs...)
}

// updatePod brings an existing pod back in line with set: its identity labels, its missing
// claims, and its claims' owner references. A pod's volumes cannot change once it exists,
// so storage is fixed by creating the claims its volumes should point at.
func (r *Reconciler) updatePod(ctx context.Context, set *apps.StatefulSet, pod *core.Pod) error {
	if !storageMatches(set, pod) {
		if err := r.createClaims(ctx, set, pod); err != nil {
			r.recordPodEvent("update", set, pod, err)
			return err
		}
	}
	if !r.claimsMatchPolicy(set, pod) {
		if err := r.fixClaimRefs(ctx, set, pod); err != nil {
			r.recordPodEvent("update", set, pod, err)
			return err
		}
	}
	if identityMatches(set, pod) {
		return nil
	}
	_, err := client.GuaranteedUpdate(ctx, r.pods, pod.Namespace, pod.Name, func(cur *core.Pod) error {
		if cur.UID != pod.UID {
			return errReplaced
		}
		setIdentityLabels(set, cur)
		return nil
	})
	if errors.Is(err, errReplaced) || store.IsNotFound(err) {
		return nil
	}
	r.recordPodEvent("update", set, pod, err)
	return err
}
