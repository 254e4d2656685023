package client

import "github.com/skiff-dev/skiff/api/meta"

// ObjectKey names an object within its kind: its namespace ("" for cluster-scoped kinds) and
// name.
type ObjectKey struct {
	Namespace string
	Name      string
}

// ObjectKeyFromObject returns the key of obj.
func ObjectKeyFromObject(obj meta.Object) ObjectKey {
	m := obj.GetObjectMeta()
	return ObjectKey{Namespace: m.Namespace, Name: m.Name}
}

// String returns "namespace/name", or "name" for a cluster-scoped object: the form of
// meta.Key and of informer cache keys.
func (k ObjectKey) String() string {
	if k.Namespace == "" {
		return k.Name
	}
	return k.Namespace + "/" + k.Name
}
