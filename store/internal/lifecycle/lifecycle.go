package lifecycle

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/google/uuid"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/internal/filter"
)

// PodGVK is the kind whose objects are deleted gracefully.
var PodGVK = scheme.GroupVersionKind{Version: "v1", Kind: "Pod"}

// DefaultTerminationGracePeriodSeconds is used for a pod without
// spec.terminationGracePeriodSeconds.
const DefaultTerminationGracePeriodSeconds = 30

// PrepareCreate readies obj, a copy owned by the caller, for storage: TypeMeta, defaults, a
// new uid, creationTimestamp (now, second precision), a generated name for generateName, no
// deletion fields, the strategy's PrepareForCreate (generation 1, status cleared) and
// validation. The returned error is a *store.StatusError (BadRequest or Invalid).
func PrepareCreate(info *scheme.KindInfo, obj meta.Object, now time.Time) error {
	setTypeMeta(info, obj)
	m := obj.GetObjectMeta()
	if m.ResourceVersion != "" {
		return store.NewBadRequest("resourceVersion should not be set on objects to be created")
	}
	info.Strategy.Default(obj)
	m.UID = meta.UID(uuid.NewString())
	m.CreationTimestamp = meta.NewTime(now)
	m.DeletionTimestamp = nil
	m.DeletionGracePeriodSeconds = nil
	if m.Name == "" && m.GenerateName != "" {
		m.Name = GenerateName(m.GenerateName)
	}
	info.Strategy.PrepareForCreate(obj)
	if errs := info.Strategy.Validate(obj); len(errs) > 0 {
		return store.NewInvalid(info.GVK, nameForError(m), errs)
	}
	return nil
}

// PrepareUpdate readies obj, a copy owned by the caller, to replace old: TypeMeta, defaults,
// uid (when empty), creationTimestamp and the deletion fields from old, the strategy's
// PrepareForUpdate (status carried over for kinds with a status subresource, generation
// bumped on spec change) and update validation.
func PrepareUpdate(info *scheme.KindInfo, obj, old meta.Object) error {
	setTypeMeta(info, obj)
	m, om := obj.GetObjectMeta(), old.GetObjectMeta()
	info.Strategy.Default(obj)
	if m.UID == "" {
		m.UID = om.UID
	}
	m.CreationTimestamp = om.CreationTimestamp
	m.DeletionTimestamp = om.DeletionTimestamp
	m.DeletionGracePeriodSeconds = om.DeletionGracePeriodSeconds
	info.Strategy.PrepareForUpdate(obj, old)
	if errs := info.Strategy.ValidateUpdate(obj, old); len(errs) > 0 {
		return store.NewInvalid(info.GVK, om.Name, errs)
	}
	return nil
}

// PrepareStatusUpdate readies obj to replace old through the status subresource: everything
// but status comes from old. Kinds without a status subresource are a BadRequest.
func PrepareStatusUpdate(info *scheme.KindInfo, obj, old meta.Object) error {
	if !info.HasStatus {
		return store.NewBadRequest(fmt.Sprintf("%s has no status subresource", info.GroupResource()))
	}
	setTypeMeta(info, obj)
	info.Strategy.PrepareForStatusUpdate(obj, old)
	if errs := info.Strategy.ValidateStatusUpdate(obj, old); len(errs) > 0 {
		return store.NewInvalid(info.GVK, old.GetObjectMeta().Name, errs)
	}
	return nil
}

// DeletesOnUpdate reports whether an update from old to obj completes a pending deletion:
// the update removes the last finalizers of an object whose deletionTimestamp is set and
// whose grace period is over (deletionGracePeriodSeconds unset or 0).
func DeletesOnUpdate(obj, old meta.Object) bool {
	m, om := obj.GetObjectMeta(), old.GetObjectMeta()
	if len(m.Finalizers) > 0 || len(om.Finalizers) == 0 || m.DeletionTimestamp == nil {
		return false
	}
	return m.DeletionGracePeriodSeconds == nil || *m.DeletionGracePeriodSeconds == 0
}

// DeleteAction is what a Delete does to the stored object.
type DeleteAction int

// The three outcomes of PlanDelete.
const (
	// DeleteNothing: the deletion is already pending; nothing changes.
	DeleteNothing DeleteAction = iota
	// DeleteMark: the object stays with the returned new state (deletionTimestamp set,
	// finalizers adjusted).
	DeleteMark
	// DeleteRemove: the object is removed now.
	DeleteRemove
)

// PlanDelete decides what a Delete with opts does to cur (the stored object, not modified).
// For DeleteMark it returns the new state, a copy. Preconditions that fail are a Conflict.
func PlanDelete(info *scheme.KindInfo, cur meta.Object, opts store.DeleteOptions, now time.Time) (DeleteAction, meta.Object, error) {
	cm := cur.GetObjectMeta()
	if err := checkPreconditions(info, cm, opts.Preconditions); err != nil {
		return DeleteNothing, nil, err
	}
	isPod := info.GVK == PodGVK
	var grace *int64
	if opts.GracePeriodSeconds != nil {
		g := max(*opts.GracePeriodSeconds, 1)
		if *opts.GracePeriodSeconds == 0 {
			g = 0
		}
		grace = &g
	}

	if cm.DeletionTimestamp != nil && isPod && cm.DeletionGracePeriodSeconds != nil && *cm.DeletionGracePeriodSeconds > 0 {
		// A graceful deletion is pending: only a shorter grace period changes anything.
		if grace == nil || *grace >= *cm.DeletionGracePeriodSeconds {
			return DeleteNothing, nil, nil
		}
		next := cur.DeepCopyObject()
		m := next.GetObjectMeta()
		ts := meta.NewTime(cm.DeletionTimestamp.Add(time.Duration(*grace-*cm.DeletionGracePeriodSeconds) * time.Second))
		m.DeletionTimestamp = &ts
		m.DeletionGracePeriodSeconds = ptr(*grace)
		if *grace == 0 && len(m.Finalizers) == 0 {
			return DeleteRemove, nil, nil
		}
		return DeleteMark, next, nil
	}

	finalizers, finalizersChanged := propagationFinalizers(info, cm.Finalizers, opts.PropagationPolicy)
	var period int64
	if isPod && cm.DeletionTimestamp == nil {
		period = podGracePeriod(cur, grace)
	}
	if period == 0 && len(finalizers) == 0 {
		return DeleteRemove, nil, nil
	}
	if cm.DeletionTimestamp != nil && !finalizersChanged && cm.DeletionGracePeriodSeconds != nil && *cm.DeletionGracePeriodSeconds == 0 {
		return DeleteNothing, nil, nil
	}
	next := cur.DeepCopyObject()
	m := next.GetObjectMeta()
	m.Finalizers = finalizers
	if m.DeletionTimestamp == nil {
		ts := meta.NewTime(now.Add(time.Duration(period) * time.Second))
		m.DeletionTimestamp = &ts
		if isPod && m.Generation > 0 {
			m.Generation++
		}
	}
	m.DeletionGracePeriodSeconds = ptr(period)
	return DeleteMark, next, nil
}

func checkPreconditions(info *scheme.KindInfo, m *meta.ObjectMeta, p *meta.Preconditions) error {
	if p == nil {
		return nil
	}
	if p.UID != nil && *p.UID != m.UID {
		return store.NewConflict(info.GroupResource(), m.Name,
			fmt.Sprintf("Precondition failed: UID in precondition: %v, UID in object meta: %v", *p.UID, m.UID))
	}
	if p.ResourceVersion != nil && *p.ResourceVersion != m.ResourceVersion {
		return store.NewConflict(info.GroupResource(), m.Name,
			fmt.Sprintf("Precondition failed: ResourceVersion in precondition: %v, ResourceVersion in object meta: %v", *p.ResourceVersion, m.ResourceVersion))
	}
	return nil
}

// DefaultPropagation returns the propagation policy a kind gets when a Delete names none and
// the object has no orphan or foregroundDeletion finalizer: Orphan for batch/v1 Job and
// v1 ReplicationController, Background otherwise.
func DefaultPropagation(gvk scheme.GroupVersionKind) meta.DeletionPropagation {
	if (gvk.Group == "batch" && gvk.Version == "v1" && gvk.Kind == "Job") || (gvk.Group == "" && gvk.Kind == "ReplicationController") {
		return meta.DeletePropagationOrphan
	}
	return meta.DeletePropagationBackground
}

// propagationFinalizers returns the finalizers after applying the deletion's propagation
// policy (explicit policy > existing orphan/foregroundDeletion finalizer > kind default), and
// whether they differ from fins.
func propagationFinalizers(info *scheme.KindInfo, fins []string, policy *meta.DeletionPropagation) ([]string, bool) {
	var p meta.DeletionPropagation
	switch {
	case policy != nil:
		p = *policy
	default:
		p = DefaultPropagation(info.GVK)
		for _, f := range fins {
			if f == meta.FinalizerOrphanDependents {
				p = meta.DeletePropagationOrphan
				break
			}
			if f == meta.FinalizerDeleteDependents {
				p = meta.DeletePropagationForeground
				break
			}
		}
	}
	out := make([]string, 0, len(fins)+1)
	for _, f := range fins {
		if f != meta.FinalizerOrphanDependents && f != meta.FinalizerDeleteDependents {
			out = append(out, f)
		}
	}
	switch p {
	case meta.DeletePropagationOrphan:
		out = append(out, meta.FinalizerOrphanDependents)
	case meta.DeletePropagationForeground:
		out = append(out, meta.FinalizerDeleteDependents)
	}
	changed := len(out) != len(fins)
	if !changed {
		seen := make(map[string]bool, len(fins))
		for _, f := range fins {
			seen[f] = true
		}
		for _, f := range out {
			if !seen[f] {
				changed = true
			}
		}
	}
	if !changed {
		return fins, false
	}
	if len(out) == 0 {
		out = nil
	}
	return out, true
}

// podGracePeriod is the grace period of a pod's deletion: the requested one, else
// spec.terminationGracePeriodSeconds, else 30; 0 for a pod never bound to a node or already
// Succeeded or Failed.
func podGracePeriod(pod meta.Object, requested *int64) int64 {
	if node, _ := filter.StringField(pod, "spec", "nodeName"); node == "" {
		return 0
	}
	if phase, _ := filter.StringField(pod, "status", "phase"); phase == "Succeeded" || phase == "Failed" {
		return 0
	}
	if requested != nil {
		return *requested
	}
	if g, _ := filter.Int64PtrField(pod, "spec", "terminationGracePeriodSeconds"); g != nil {
		return max(*g, 0)
	}
	return DefaultTerminationGracePeriodSeconds
}

// GenerateName returns prefix (cut to 58 bytes) followed by 5 random characters from
// Kubernetes' alphabet, which has no vowels and no 0, 1 or 3.
func GenerateName(prefix string) string {
	const alphabet = "bcdfghjklmnpqrstvwxz2456789"
	const maxPrefix = 63 - 5
	if len(prefix) > maxPrefix {
		prefix = prefix[:maxPrefix]
	}
	b := make([]byte, len(prefix), len(prefix)+5)
	copy(b, prefix)
	for range 5 {
		b = append(b, alphabet[rand.IntN(len(alphabet))])
	}
	return string(b)
}

func setTypeMeta(info *scheme.KindInfo, obj meta.Object) {
	if _, ok := obj.(*scheme.Unstructured); ok {
		return
	}
	tm := obj.GetTypeMeta()
	tm.APIVersion, tm.Kind = info.GVK.APIVersion(), info.GVK.Kind
}

func nameForError(m *meta.ObjectMeta) string {
	if m.Name != "" {
		return m.Name
	}
	return m.GenerateName
}

func ptr(v int64) *int64 { return &v }
