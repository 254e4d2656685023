package meta

// UID identifies one incarnation of an object: a re-created object with the same name gets a new
// UID. The store assigns it on create (a random UUID).
type UID string

// TypeMeta names an object's schema: its apiVersion (group/version, or just version for the core
// group) and kind. It is embedded inline in every kind.
type TypeMeta struct {
	// APIVersion is "v1" for core kinds and "<group>/<version>" for the rest, e.g. "apps/v1".
	APIVersion string `json:"apiVersion,omitempty"`
	// Kind is the object's kind in CamelCase, e.g. "Deployment".
	Kind string `json:"kind,omitempty"`
}

// GetTypeMeta returns the TypeMeta itself, so that every kind embedding it satisfies Object.
func (t *TypeMeta) GetTypeMeta() *TypeMeta { return t }

// Group returns the API group part of APIVersion ("" for the core group).
func (t *TypeMeta) Group() string {
	for i := 0; i < len(t.APIVersion); i++ {
		if t.APIVersion[i] == '/' {
			return t.APIVersion[:i]
		}
	}
	return ""
}

// ObjectMeta is the metadata every persisted object has. Field semantics follow
// ../shared/spec/objects.md §2.
type ObjectMeta struct {
	// Name is unique within a namespace (or cluster-wide for cluster-scoped kinds).
	Name string `json:"name,omitempty"`
	// GenerateName asks the store to pick a unique name with this prefix when Name is empty.
	GenerateName string `json:"generateName,omitempty"`
	// Namespace is required for namespaced kinds and empty for cluster-scoped ones.
	Namespace string `json:"namespace,omitempty"`
	// SelfLink is accepted and stored for compatibility; skiff never sets it.
	SelfLink string `json:"selfLink,omitempty"`
	// UID is set by the store on create and never changes.
	UID UID `json:"uid,omitempty"`
	// ResourceVersion is the store revision of the object's last write, as a decimal string.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// Generation counts changes to the desired state (spec); status writes leave it alone.
	Generation int64 `json:"generation,omitempty"`
	// CreationTimestamp is set by the store on create.
	CreationTimestamp Time `json:"creationTimestamp,omitzero"`
	// DeletionTimestamp is set when deletion was requested but the object must wait for
	// finalizers or a grace period.
	DeletionTimestamp *Time `json:"deletionTimestamp,omitempty"`
	// DeletionGracePeriodSeconds is the grace period the deletion was requested with.
	DeletionGracePeriodSeconds *int64 `json:"deletionGracePeriodSeconds,omitempty"`
	// Labels are identifying key/value pairs that selectors match.
	Labels map[string]string `json:"labels,omitempty"`
	// Annotations are non-identifying key/value pairs.
	Annotations map[string]string `json:"annotations,omitempty"`
	// OwnerReferences list the objects this one depends on; the garbage collector deletes it
	// when they are all gone.
	OwnerReferences []OwnerReference `json:"ownerReferences,omitempty"`
	// Finalizers must all be removed before a deleted object disappears.
	Finalizers []string `json:"finalizers,omitempty"`
	// ManagedFields is accepted and stored unchanged for compatibility; skiff does not
	// implement server-side apply field management.
	ManagedFields []ManagedFieldsEntry `json:"managedFields,omitempty"`
}

// ManagedFieldsEntry is kept only so that manifests exported from a real cluster decode. skiff
// stores it verbatim.
type ManagedFieldsEntry struct {
	Manager     string         `json:"manager,omitempty"`
	Operation   string         `json:"operation,omitempty"`
	APIVersion  string         `json:"apiVersion,omitempty"`
	Time        *Time          `json:"time,omitempty"`
	FieldsType  string         `json:"fieldsType,omitempty"`
	FieldsV1    map[string]any `json:"fieldsV1,omitempty"`
	Subresource string         `json:"subresource,omitempty"`
}

// OwnerReference points from a dependent to an object it belongs to.
type OwnerReference struct {
	// APIVersion of the owner, e.g. "apps/v1".
	APIVersion string `json:"apiVersion"`
	// Kind of the owner, e.g. "ReplicaSet".
	Kind string `json:"kind"`
	// Name of the owner (same namespace as the dependent).
	Name string `json:"name"`
	// UID of the owner; a reference whose UID does not match the live owner is dangling.
	UID UID `json:"uid"`
	// Controller marks the managing controller; at most one reference may set it.
	Controller *bool `json:"controller,omitempty"`
	// BlockOwnerDeletion makes a foreground deletion of the owner wait for this dependent.
	BlockOwnerDeletion *bool `json:"blockOwnerDeletion,omitempty"`
}

// IsController reports whether the reference has controller: true.
func (r OwnerReference) IsController() bool { return r.Controller != nil && *r.Controller }

// ListMeta is the metadata of a list response.
type ListMeta struct {
	// SelfLink is accepted for compatibility and never set.
	SelfLink string `json:"selfLink,omitempty"`
	// ResourceVersion is the store revision the list was read at; watch from it to follow on.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// Continue is the token for the next page, empty on the last page.
	Continue string `json:"continue,omitempty"`
	// RemainingItemCount is the number of items after this page, when known.
	RemainingItemCount *int64 `json:"remainingItemCount,omitempty"`
}

// GetListMeta returns the ListMeta itself, so that every list kind embedding it satisfies
// ObjectList.
func (l *ListMeta) GetListMeta() *ListMeta { return l }

// LabelSelector selects objects by labels: MatchLabels and MatchExpressions are ANDed. A nil
// selector matches nothing and an empty one matches everything (see package labels).
type LabelSelector struct {
	// MatchLabels requires each key to be present with exactly this value.
	MatchLabels map[string]string `json:"matchLabels,omitempty"`
	// MatchExpressions are set-based requirements.
	MatchExpressions []LabelSelectorRequirement `json:"matchExpressions,omitempty"`
}

// LabelSelectorOperator is the operator of a LabelSelectorRequirement.
type LabelSelectorOperator string

// The operators a LabelSelectorRequirement may use.
const (
	LabelSelectorOpIn           LabelSelectorOperator = "In"
	LabelSelectorOpNotIn        LabelSelectorOperator = "NotIn"
	LabelSelectorOpExists       LabelSelectorOperator = "Exists"
	LabelSelectorOpDoesNotExist LabelSelectorOperator = "DoesNotExist"
)

// LabelSelectorRequirement is one set-based requirement of a LabelSelector.
type LabelSelectorRequirement struct {
	// Key is the label key the requirement applies to.
	Key string `json:"key"`
	// Operator relates the key to the values.
	Operator LabelSelectorOperator `json:"operator"`
	// Values must be non-empty for In and NotIn and empty for Exists and DoesNotExist.
	Values []string `json:"values,omitempty"`
}

// ConditionStatus is the status of a condition: True, False or Unknown.
type ConditionStatus string

// The three condition statuses.
const (
	ConditionTrue    ConditionStatus = "True"
	ConditionFalse   ConditionStatus = "False"
	ConditionUnknown ConditionStatus = "Unknown"
)

// Condition is the standard condition shape of metav1.Condition, used by kinds that have no
// condition type of their own.
type Condition struct {
	// Type of condition in CamelCase, e.g. "Available".
	Type string `json:"type"`
	// Status is True, False or Unknown.
	Status ConditionStatus `json:"status"`
	// ObservedGeneration is the generation the condition was computed from.
	ObservedGeneration int64 `json:"observedGeneration,omitempty"`
	// LastTransitionTime is when Status last changed.
	LastTransitionTime Time `json:"lastTransitionTime,omitzero"`
	// Reason is a CamelCase reason for the last transition.
	Reason string `json:"reason"`
	// Message is a human-readable explanation.
	Message string `json:"message"`
}

// Status is the error shape the API returns (kind Status).
type Status struct {
	TypeMeta `json:",inline"`
	ListMeta `json:"metadata,omitzero"`
	// Status is "Success" or "Failure".
	Status string `json:"status,omitempty"`
	// Message is a human-readable description of the error.
	Message string `json:"message,omitempty"`
	// Reason is a machine-readable reason such as NotFound or Conflict.
	Reason string `json:"reason,omitempty"`
	// Details carries the object the error is about and field causes.
	Details *StatusDetails `json:"details,omitempty"`
	// Code is the HTTP status code.
	Code int32 `json:"code,omitempty"`
}

// StatusDetails names the object a Status is about and the field-level causes.
type StatusDetails struct {
	Name              string        `json:"name,omitempty"`
	Group             string        `json:"group,omitempty"`
	Kind              string        `json:"kind,omitempty"`
	UID               UID           `json:"uid,omitempty"`
	Causes            []StatusCause `json:"causes,omitempty"`
	RetryAfterSeconds int32         `json:"retryAfterSeconds,omitempty"`
}

// StatusCause is one field-level cause of an error.
type StatusCause struct {
	Type    string `json:"reason,omitempty"`
	Message string `json:"message,omitempty"`
	Field   string `json:"field,omitempty"`
}

// DeletionPropagation says how dependents are handled when their owner is deleted.
type DeletionPropagation string

// The three propagation policies (../shared/spec/objects.md §5).
const (
	DeletePropagationOrphan     DeletionPropagation = "Orphan"
	DeletePropagationBackground DeletionPropagation = "Background"
	DeletePropagationForeground DeletionPropagation = "Foreground"
)

// Preconditions must hold for a delete to proceed.
type Preconditions struct {
	UID             *UID    `json:"uid,omitempty"`
	ResourceVersion *string `json:"resourceVersion,omitempty"`
}

// DeleteOptions is the body of a DELETE request.
type DeleteOptions struct {
	TypeMeta           `json:",inline"`
	GracePeriodSeconds *int64               `json:"gracePeriodSeconds,omitempty"`
	Preconditions      *Preconditions       `json:"preconditions,omitempty"`
	OrphanDependents   *bool                `json:"orphanDependents,omitempty"`
	PropagationPolicy  *DeletionPropagation `json:"propagationPolicy,omitempty"`
	DryRun             []string             `json:"dryRun,omitempty"`
}

// Well-known finalizers that drive garbage collection.
const (
	FinalizerOrphanDependents = "orphan"
	FinalizerDeleteDependents = "foregroundDeletion"
)
