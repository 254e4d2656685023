package podcontrol

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/store"
)

// Event reasons recorded by PodControl, Kubernetes' (pkg/controller/controller_utils.go).
const (
	SuccessfulCreateReason = "SuccessfulCreate"
	FailedCreateReason     = "FailedCreate"
	SuccessfulDeleteReason = "SuccessfulDelete"
	FailedDeleteReason     = "FailedDelete"
)

// NamespaceTerminatingCause is the status cause of a create refused because its namespace is
// being deleted (core/v1's NamespaceTerminatingCause).
const NamespaceTerminatingCause = "NamespaceTerminating"

var (
	// ErrNoLabels is returned by CreatePod for a template without labels.
	ErrNoLabels = errors.New("podcontrol: unable to create pods, no labels")
	// ErrInvalidControllerRef is returned by CreatePod for a controller reference that is
	// not one: missing apiVersion, kind, name or uid, or controller/blockOwnerDeletion unset.
	ErrInvalidControllerRef = errors.New("podcontrol: invalid controller reference")
)

// PodControl creates and deletes the pods of controllers through a client, recording what it
// does as events on the controller object. It is safe for concurrent use.
type PodControl struct {
	pods     *client.Typed[*core.Pod]
	recorder controller.EventRecorder
}

// New returns a PodControl writing through c and recording events with rec.
func New(c client.Client, rec controller.EventRecorder) *PodControl {
	return &PodControl{pods: client.For[*core.Pod](c), recorder: rec}
}

// CreatePod creates in namespace a pod made from template by PodFromTemplate, owned through
// ref by owner, and records SuccessfulCreate or FailedCreate on owner (no event when the
// namespace is terminating). It returns the created pod. owner and template are not
// modified.
func (pc *PodControl) CreatePod(ctx context.Context, namespace string, template *core.PodTemplateSpec, owner meta.Object, ref meta.OwnerReference) (*core.Pod, error) {
	if err := ValidateControllerRef(ref); err != nil {
		return nil, err
	}
	pod := PodFromTemplate(template, owner.GetName(), &ref)
	if len(pod.Labels) == 0 {
		return nil, ErrNoLabels
	}
	pod.Namespace = namespace
	created, err := pc.pods.Create(ctx, pod)
	if err != nil {
		if !IsNamespaceTerminating(err) {
			pc.recorder.Eventf(owner, core.EventTypeWarning, FailedCreateReason, "Error creating: %v", err)
		}
		return nil, err
	}
	pc.recorder.Eventf(owner, core.EventTypeNormal, SuccessfulCreateReason, "Created pod: %v", created.Name)
	return created, nil
}

// DeletePod deletes the named pod (gracefully, with its own grace period) and records
// SuccessfulDelete on owner, or FailedDelete for an error other than NotFound. NotFound is
// returned as is, without an event: the pod is already gone.
func (pc *PodControl) DeletePod(ctx context.Context, namespace, name string, owner meta.Object) error {
	if _, err := pc.pods.Delete(ctx, namespace, name); err != nil {
		if store.IsNotFound(err) {
			return err
		}
		pc.recorder.Eventf(owner, core.EventTypeWarning, FailedDeleteReason, "Error deleting: %v", err)
		return fmt.Errorf("unable to delete pods: %w", err)
	}
	pc.recorder.Eventf(owner, core.EventTypeNormal, SuccessfulDeleteReason, "Deleted pod: %v", name)
	return nil
}

// PodFromTemplate returns the pod a controller named ownerName creates from template: the
// template's labels, annotations and finalizers (copied), generateName "<ownerName>-" (or
// ownerName when that is not a valid prefix), ref as its only owner reference when not nil,
// and a deep copy of the template's spec. The namespace is left for the caller.
func PodFromTemplate(template *core.PodTemplateSpec, ownerName string, ref *meta.OwnerReference) *core.Pod {
	pod := &core.Pod{
		ObjectMeta: meta.ObjectMeta{
			GenerateName: PodNamePrefix(ownerName),
			Labels:       maps.Clone(template.Labels),
			Annotations:  maps.Clone(template.Annotations),
			Finalizers:   slices.Clone(template.Finalizers),
		},
		Spec: *template.Spec.DeepCopy(),
	}
	if ref != nil {
		pod.OwnerReferences = []meta.OwnerReference{*ref.DeepCopy()}
	}
	return pod
}

// PodNamePrefix returns the generateName of the pods of a controller: "<name>-", or name
// alone when the dashed form is not a valid pod name prefix.
func PodNamePrefix(controllerName string) string {
	prefix := controllerName + "-"
	if len(validation.NameIsDNSSubdomain(prefix, true)) != 0 {
		return controllerName
	}
	return prefix
}

// ValidateControllerRef checks that ref can own a controller's pods: apiVersion, kind, name
// and uid set, controller and blockOwnerDeletion true. The error wraps
// ErrInvalidControllerRef.
func ValidateControllerRef(ref meta.OwnerReference) error {
	var why string
	switch {
	case ref.APIVersion == "":
		why = "apiVersion is empty"
	case ref.Kind == "":
		why = "kind is empty"
	case ref.Name == "" || ref.UID == "":
		why = "name or uid is empty"
	case ref.Controller == nil || !*ref.Controller:
		why = "controller must be true"
	case ref.BlockOwnerDeletion == nil || !*ref.BlockOwnerDeletion:
		why = "blockOwnerDeletion must be true"
	default:
		return nil
	}
	return fmt.Errorf("%w: %s", ErrInvalidControllerRef, why)
}

// IsNamespaceTerminating reports whether err refused a write because its namespace is being
// deleted: a *store.StatusError carrying the NamespaceTerminating cause.
func IsNamespaceTerminating(err error) bool {
	var se *store.StatusError
	if !errors.As(err, &se) {
		return false
	}
	for _, c := range se.Causes {
		if c.Type == NamespaceTerminatingCause {
			return true
		}
	}
	return false
}
