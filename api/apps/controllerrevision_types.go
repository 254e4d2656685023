package apps

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/skiff-dev/skiff/api/meta"
)

// ControllerRevision is an immutable snapshot of a StatefulSet's or DaemonSet's pod template,
// kept so that the controller can tell which pods are up to date and can roll back. Its Data
// is opaque to the API.
type ControllerRevision struct {
	meta.TypeMeta `json:",inline"`
	// ObjectMeta is the standard object metadata.
	meta.ObjectMeta `json:"metadata,omitzero"`
	// Data is the snapshot, any JSON value (the controllers store a
	// {"spec":{"template":...}} patch).
	Data RawExtension `json:"data,omitzero"`
	// Revision orders the revisions of one owner; a higher number is newer.
	Revision int64 `json:"revision"`
}

// ControllerRevisionList is a list of ControllerRevisions.
type ControllerRevisionList struct {
	meta.TypeMeta `json:",inline"`
	// ListMeta is the standard list metadata.
	meta.ListMeta `json:"metadata,omitzero"`
	// Items are the ControllerRevisions.
	Items []ControllerRevision `json:"items"`
}

// RawExtension holds an arbitrary JSON value verbatim, like Kubernetes' runtime.RawExtension
// used as JSON: it unmarshals by keeping the bytes and marshals by writing them back. An empty
// RawExtension marshals as null.
type RawExtension struct {
	// Raw is the JSON encoding of the value; nil means no value.
	Raw []byte
}

// IsZero reports whether r holds no value, so that omitzero drops it.
func (r RawExtension) IsZero() bool { return len(r.Raw) == 0 }

// MarshalJSON returns the raw bytes, or null when there are none.
func (r RawExtension) MarshalJSON() ([]byte, error) {
	if len(r.Raw) == 0 {
		return []byte("null"), nil
	}
	if !json.Valid(r.Raw) {
		return nil, errors.New("apps: RawExtension holds invalid JSON")
	}
	return r.Raw, nil
}

// UnmarshalJSON keeps a copy of b; null leaves r empty.
func (r *RawExtension) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		r.Raw = nil
		return nil
	}
	r.Raw = append(r.Raw[:0:0], b...)
	return nil
}
