package core

import "github.com/skiff-dev/skiff/api/meta"

// Event reports something that happened to an object, e.g. a pod being scheduled or a
// container crashing. Repeated events are compressed into one by counting (Count,
// LastTimestamp) or, in the newer style, by Series.
type Event struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the event's metadata; events live in the namespace of the object.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// InvolvedObject is the object the event is about.
	InvolvedObject ObjectReference `json:"involvedObject"`
	// Reason is a short CamelCase reason, e.g. "Scheduled" or "BackOff".
	Reason string `json:"reason,omitempty"`
	// Message is a human-readable description.
	Message string `json:"message,omitempty"`
	// Source is the component that reported the event (old style).
	Source EventSource `json:"source,omitzero"`
	// FirstTimestamp is when the event was first recorded.
	FirstTimestamp meta.Time `json:"firstTimestamp,omitzero"`
	// LastTimestamp is when the event most recently occurred.
	LastTimestamp meta.Time `json:"lastTimestamp,omitzero"`
	// Count is how many times the event occurred.
	Count int32 `json:"count,omitempty"`
	// Type is Normal or Warning.
	Type string `json:"type,omitempty"`
	// EventTime is when the event first occurred, with microseconds (new style).
	EventTime meta.MicroTime `json:"eventTime,omitzero"`
	// Series describes a repeating event (new style).
	Series *EventSeries `json:"series,omitempty"`
	// Action is what was done, e.g. "Binding".
	Action string `json:"action,omitempty"`
	// Related is a second object involved, e.g. the node a pod was bound to.
	Related *ObjectReference `json:"related,omitempty"`
	// ReportingController is the controller that emitted the event, e.g.
	// "kubernetes.io/kubelet".
	ReportingController string `json:"reportingComponent"`
	// ReportingInstance is the instance of the controller, e.g. the kubelet's node name.
	ReportingInstance string `json:"reportingInstance"`
}

// EventList is a list of events.
type EventList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the list's metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the events.
	Items []Event `json:"items"`
}

// The event types.
const (
	// EventTypeNormal is for information.
	EventTypeNormal = "Normal"
	// EventTypeWarning is for something that may need attention.
	EventTypeWarning = "Warning"
)

// EventSource is the component that reported an event.
type EventSource struct {
	// Component name, e.g. "kubelet" or "default-scheduler".
	Component string `json:"component,omitempty"`
	// Host the component runs on.
	Host string `json:"host,omitempty"`
}

// EventSeries describes a repeating event.
type EventSeries struct {
	// Count of occurrences so far.
	Count int32 `json:"count,omitempty"`
	// LastObservedTime is the time of the last occurrence.
	LastObservedTime meta.MicroTime `json:"lastObservedTime,omitzero"`
}

// ObjectReference points at an object, optionally at a field within it.
type ObjectReference struct {
	// Kind of the object.
	Kind string `json:"kind,omitempty"`
	// Namespace of the object.
	Namespace string `json:"namespace,omitempty"`
	// Name of the object.
	Name string `json:"name,omitempty"`
	// UID of the object.
	UID meta.UID `json:"uid,omitempty"`
	// APIVersion of the object.
	APIVersion string `json:"apiVersion,omitempty"`
	// ResourceVersion of the object when the reference was made.
	ResourceVersion string `json:"resourceVersion,omitempty"`
	// FieldPath points within the object, e.g. "spec.containers{nginx}".
	FieldPath string `json:"fieldPath,omitempty"`
}
