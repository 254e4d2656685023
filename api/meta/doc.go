// Package meta holds the metadata every skiff object carries — TypeMeta, ObjectMeta, ListMeta,
// OwnerReference, LabelSelector, Condition and Time — and the Object and ObjectList interfaces
// that the store, the client, informers and controllers are written against.
//
// The JSON field names are exactly those of Kubernetes' k8s.io/apimachinery/pkg/apis/meta/v1,
// so manifests written for a real cluster decode unchanged.
//
// Differences from Kubernetes, on purpose:
//   - Object gives direct access to the embedded ObjectMeta (GetObjectMeta) besides the usual
//     getters, so hot paths avoid a dozen interface calls.
//   - There is no runtime.Object/schema.ObjectKind split: TypeMeta is reached through
//     GetTypeMeta, and apiVersion/kind are plain strings.
//   - Time marshals the zero value as null and accepts null, with second precision (RFC 3339);
//     MicroTime keeps microseconds for leases and events.
package meta

//go:generate go run github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen
//go:generate go run -tags skiff_jsongen github.com/skiff-dev/skiff/internal/cmd/jsonenc-gen
