package meta

// Object is what every stored kind implements: it embeds TypeMeta and ObjectMeta and can deep
// copy itself. Objects handed out by informer caches are shared; never mutate one without
// DeepCopyObject first.
type Object interface {
	// GetTypeMeta returns the object's TypeMeta for reading or writing.
	GetTypeMeta() *TypeMeta
	// GetObjectMeta returns the object's ObjectMeta for reading or writing.
	GetObjectMeta() *ObjectMeta
	// DeepCopyObject returns a copy that shares no memory with the receiver.
	DeepCopyObject() Object

	GetName() string
	GetNamespace() string
	GetUID() UID
	GetResourceVersion() string
	GetGeneration() int64
	GetLabels() map[string]string
	GetAnnotations() map[string]string
	GetOwnerReferences() []OwnerReference
	GetFinalizers() []string
	GetDeletionTimestamp() *Time
	GetCreationTimestamp() Time

	SetName(string)
	SetNamespace(string)
	SetResourceVersion(string)
	SetLabels(map[string]string)
	SetAnnotations(map[string]string)
	SetOwnerReferences([]OwnerReference)
	SetFinalizers([]string)
}

// ObjectList is what every list kind (PodList, DeploymentList, ...) implements.
type ObjectList interface {
	// GetTypeMeta returns the list's TypeMeta.
	GetTypeMeta() *TypeMeta
	// GetListMeta returns the list's ListMeta.
	GetListMeta() *ListMeta
}

// GetObjectMeta returns m itself; embedding ObjectMeta gives every kind this method.
func (m *ObjectMeta) GetObjectMeta() *ObjectMeta { return m }

// GetName returns the name.
func (m *ObjectMeta) GetName() string { return m.Name }

// GetNamespace returns the namespace.
func (m *ObjectMeta) GetNamespace() string { return m.Namespace }

// GetUID returns the UID.
func (m *ObjectMeta) GetUID() UID { return m.UID }

// GetResourceVersion returns the resource version.
func (m *ObjectMeta) GetResourceVersion() string { return m.ResourceVersion }

// GetGeneration returns the generation.
func (m *ObjectMeta) GetGeneration() int64 { return m.Generation }

// GetLabels returns the labels (not a copy).
func (m *ObjectMeta) GetLabels() map[string]string { return m.Labels }

// GetAnnotations returns the annotations (not a copy).
func (m *ObjectMeta) GetAnnotations() map[string]string { return m.Annotations }

// GetOwnerReferences returns the owner references (not a copy).
func (m *ObjectMeta) GetOwnerReferences() []OwnerReference { return m.OwnerReferences }

// GetFinalizers returns the finalizers (not a copy).
func (m *ObjectMeta) GetFinalizers() []string { return m.Finalizers }

// GetDeletionTimestamp returns the deletion timestamp, nil when deletion was not requested.
func (m *ObjectMeta) GetDeletionTimestamp() *Time { return m.DeletionTimestamp }

// GetCreationTimestamp returns the creation timestamp.
func (m *ObjectMeta) GetCreationTimestamp() Time { return m.CreationTimestamp }

// SetName sets the name.
func (m *ObjectMeta) SetName(v string) { m.Name = v }

// SetNamespace sets the namespace.
func (m *ObjectMeta) SetNamespace(v string) { m.Namespace = v }

// SetResourceVersion sets the resource version.
func (m *ObjectMeta) SetResourceVersion(v string) { m.ResourceVersion = v }

// SetLabels sets the labels.
func (m *ObjectMeta) SetLabels(v map[string]string) { m.Labels = v }

// SetAnnotations sets the annotations.
func (m *ObjectMeta) SetAnnotations(v map[string]string) { m.Annotations = v }

// SetOwnerReferences sets the owner references.
func (m *ObjectMeta) SetOwnerReferences(v []OwnerReference) { m.OwnerReferences = v }

// SetFinalizers sets the finalizers.
func (m *ObjectMeta) SetFinalizers(v []string) { m.Finalizers = v }

// Key returns the cache key of an object: "namespace/name", or "name" for cluster-scoped
// objects.
func Key(o Object) string {
	m := o.GetObjectMeta()
	if m.Namespace == "" {
		return m.Name
	}
	return m.Namespace + "/" + m.Name
}

// GetControllerOf returns the owner reference with controller: true, or nil.
func GetControllerOf(o Object) *OwnerReference {
	refs := o.GetObjectMeta().OwnerReferences
	for i := range refs {
		if refs[i].IsController() {
			return &refs[i]
		}
	}
	return nil
}

// IsControlledBy reports whether o's controller reference points at owner (by UID).
func IsControlledBy(o, owner Object) bool {
	ref := GetControllerOf(o)
	return ref != nil && ref.UID == owner.GetObjectMeta().UID
}

// NewControllerRef returns an owner reference to owner with controller and blockOwnerDeletion
// set, as controllers put on the objects they create. The owner's TypeMeta must be filled in.
func NewControllerRef(owner Object) OwnerReference {
	t := true
	b := true
	tm := owner.GetTypeMeta()
	m := owner.GetObjectMeta()
	return OwnerReference{APIVersion: tm.APIVersion, Kind: tm.Kind, Name: m.Name, UID: m.UID, Controller: &t, BlockOwnerDeletion: &b}
}

// HasFinalizer reports whether o carries finalizer f.
func HasFinalizer(o Object, f string) bool {
	for _, x := range o.GetObjectMeta().Finalizers {
		if x == f {
			return true
		}
	}
	return false
}

// AddFinalizer adds f to o unless present; it reports whether o changed. Like every helper
// that changes an object, call it on a copy you own, never on a cached object.
func AddFinalizer(o Object, f string) bool {
	if HasFinalizer(o, f) {
		return false
	}
	m := o.GetObjectMeta()
	m.Finalizers = append(m.Finalizers, f)
	return true
}

// RemoveFinalizer removes every occurrence of f from o; it reports whether o changed.
func RemoveFinalizer(o Object, f string) bool {
	m := o.GetObjectMeta()
	out := m.Finalizers[:0:0]
	for _, x := range m.Finalizers {
		if x != f {
			out = append(out, x)
		}
	}
	changed := len(out) != len(m.Finalizers)
	if changed {
		if len(out) == 0 {
			out = nil
		}
		m.Finalizers = out
	}
	return changed
}

// FindCondition returns the condition of type t in conds, or nil.
func FindCondition(conds []Condition, t string) *Condition {
	for i := range conds {
		if conds[i].Type == t {
			return &conds[i]
		}
	}
	return nil
}

// SetCondition adds c to conds or updates the condition of the same type in place, so conds
// must be a slice the caller owns (never one from an informer cache). LastTransitionTime
// changes only when the status changes (if c has none, now is used). It returns the new slice and
// whether anything changed.
func SetCondition(conds []Condition, c Condition, now Time) ([]Condition, bool) {
	if c.LastTransitionTime.IsZero() {
		c.LastTransitionTime = now
	}
	existing := FindCondition(conds, c.Type)
	if existing == nil {
		return append(conds, c), true
	}
	if existing.Status != c.Status {
		*existing = c
		return conds, true
	}
	changed := existing.Reason != c.Reason || existing.Message != c.Message || existing.ObservedGeneration != c.ObservedGeneration
	existing.Reason, existing.Message, existing.ObservedGeneration = c.Reason, c.Message, c.ObservedGeneration
	return conds, changed
}

// RemoveCondition returns conds without the condition of type t, and whether one was
// removed. The result is a new slice; conds is not modified.
func RemoveCondition(conds []Condition, t string) ([]Condition, bool) {
	for i := range conds {
		if conds[i].Type == t {
			out := make([]Condition, 0, len(conds)-1)
			out = append(out, conds[:i]...)
			return append(out, conds[i+1:]...), true
		}
	}
	return conds, false
}

// IsConditionTrue reports whether conds has condition t with status True.
func IsConditionTrue(conds []Condition, t string) bool {
	c := FindCondition(conds, t)
	return c != nil && c.Status == ConditionTrue
}
