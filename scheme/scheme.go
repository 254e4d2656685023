package scheme

import (
	"fmt"
	"reflect"
	"sort"
	"strings"
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/internal/jsonw"
)

// KindInfo describes one registered kind. It is immutable once registered and shared: callers
// must not modify it.
type KindInfo struct {
	// GVK is the kind's group, version and kind.
	GVK GroupVersionKind
	// Plural is the REST resource name, e.g. "deployments".
	Plural string
	// Singular is the singular resource name, e.g. "deployment".
	Singular string
	// ShortNames are kubectl's abbreviations, e.g. "deploy".
	ShortNames []string
	// Namespaced reports whether objects live in a namespace.
	Namespaced bool
	// HasStatus reports whether the kind has a status subresource: Update ignores status
	// changes and UpdateStatus ignores everything else.
	HasStatus bool
	// Strategy holds the kind's lifecycle hooks; never nil once registered.
	Strategy Strategy

	goType  reflect.Type // the struct type (not the pointer); nil for unstructured kinds
	newFn   func() meta.Object
	access  *fieldAccess // spec/status access for typed kinds; nil for unstructured
	noSpec  bool
	initGen bool
	// appendJSON is Kind.AppendJSON; nil for encoding/json.
	appendJSON func(obj meta.Object, b []byte) ([]byte, error)
}

// setAppendJSON sets the encoder of a registered kind.
func setAppendJSON[T meta.Object](s *Scheme, gvk GroupVersionKind, fn func(T, []byte) ([]byte, error)) {
	info, err := s.ForGVK(gvk)
	if err != nil {
		panic(err)
	}
	info.appendJSON = func(obj meta.Object, b []byte) ([]byte, error) { return fn(obj.(T), b) }
}

// AppendJSON appends obj, an object of the kind, to b as JSON with HTML escaping off: through
// the kind's own encoder when it registered one (every built-in kind has), otherwise through
// encoding/json. Either way the bytes are the same; the store encodes every write this way.
func (k *KindInfo) AppendJSON(b []byte, obj meta.Object) ([]byte, error) {
	if k.appendJSON != nil {
		return k.appendJSON(obj, b)
	}
	return jsonw.AppendStd(b, obj)
}

// GroupResource returns the kind's group and plural resource name.
func (k *KindInfo) GroupResource() GroupResource {
	return GroupResource{Group: k.GVK.Group, Resource: k.Plural}
}

// New returns a new, empty object of the kind with its TypeMeta filled in.
func (k *KindInfo) New() meta.Object {
	o := k.newFn()
	tm := o.GetTypeMeta()
	tm.APIVersion, tm.Kind = k.GVK.APIVersion(), k.GVK.Kind
	return o
}

// IsUnstructured reports whether the kind has no Go type and is held as Unstructured.
func (k *KindInfo) IsUnstructured() bool { return k.goType == nil }

// Scheme is a registry of kinds. Registration is safe for concurrent use with lookups, but is
// meant to happen at start-up.
type Scheme struct {
	// mu guards the maps below.
	mu         sync.RWMutex
	byGVK      map[GroupVersionKind]*KindInfo
	byType     map[reflect.Type]*KindInfo
	byResource map[string][]*KindInfo // plural, singular, short names, lower-case kind, "plural.group"
}

// New returns an empty Scheme.
func New() *Scheme {
	return &Scheme{
		byGVK:      map[GroupVersionKind]*KindInfo{},
		byType:     map[reflect.Type]*KindInfo{},
		byResource: map[string][]*KindInfo{},
	}
}

// Kind describes a Go type to register. T is a pointer type such as *apps.Deployment.
type Kind[T meta.Object] struct {
	// GVK names the kind. Required.
	GVK GroupVersionKind
	// Plural, Singular and ShortNames name the REST resource. Plural is required; Singular
	// defaults to the lower-cased kind.
	Plural     string
	Singular   string
	ShortNames []string
	// Namespaced is true for namespaced kinds.
	Namespaced bool
	// HasStatus enables the status subresource; the Go type must have a Status field.
	HasStatus bool
	// NameRule validates metadata.name; nil means DNS-1123 subdomain.
	NameRule validation.NameFunc
	// Default fills in defaults; optional.
	Default func(T)
	// PrepareForCreate runs on create after the store set uid and timestamps, before
	// validation; optional. Status is already reset for kinds with HasStatus.
	PrepareForCreate func(T)
	// PrepareForUpdate runs on Update after the scheme carried over status and set
	// generation, before validation; optional.
	PrepareForUpdate func(newObj, oldObj T)
	// Validate checks a whole new object, metadata included (validation.ValidateObjectMeta).
	// When nil, the scheme checks the metadata alone.
	Validate func(T) validation.ErrorList
	// ValidateUpdate checks a whole update, metadata update rules included
	// (validation.ValidateObjectMetaUpdate). When nil, the scheme checks the metadata update
	// rules and then Validate's spec rules.
	ValidateUpdate func(newObj, oldObj T) validation.ErrorList
	// ValidateStatusUpdate checks an UpdateStatus, metadata update rules included. When nil,
	// the scheme checks the metadata update rules alone.
	ValidateStatusUpdate func(newObj, oldObj T) validation.ErrorList
	// GenerationOnAnnotations also bumps generation when annotations change (Deployment).
	GenerationOnAnnotations bool
	// KeepStatusOnCreate keeps the status a new object is created with (Node) instead of
	// clearing it.
	KeepStatusOnCreate bool
	// AppendJSON, optional, appends an object's JSON encoding to b without reflection; it must
	// write exactly what encoding/json writes with HTML escaping off. The built-in kinds have
	// generated ones (internal/cmd/jsonenc-gen). KindInfo.AppendJSON uses it, and
	// encoding/json when it is nil.
	AppendJSON func(obj T, b []byte) ([]byte, error)
}

// Register adds a Go kind to s. It fails if the GVK, Go type or resource name is taken.
func Register[T meta.Object](s *Scheme, k Kind[T]) error {
	var zero T
	rt := reflect.TypeOf(zero)
	if rt == nil || rt.Kind() != reflect.Pointer || rt.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("scheme: register %s: type parameter must be a pointer to a struct", k.GVK)
	}
	if k.GVK.Kind == "" || k.GVK.Version == "" || k.Plural == "" {
		return fmt.Errorf("scheme: register %v: GVK.Kind, GVK.Version and Plural are required", k.GVK)
	}
	acc, err := newFieldAccess(rt.Elem(), k.HasStatus)
	if err != nil {
		return fmt.Errorf("scheme: register %s: %w", k.GVK, err)
	}
	elem := rt.Elem()
	info := &KindInfo{
		GVK:        k.GVK,
		Plural:     k.Plural,
		Singular:   k.Singular,
		ShortNames: append([]string(nil), k.ShortNames...),
		Namespaced: k.Namespaced,
		HasStatus:  k.HasStatus,
		goType:     elem,
		newFn:      func() meta.Object { return reflect.New(elem).Interface().(meta.Object) },
		access:     acc,
		noSpec:     acc.spec == nil,
		initGen:    true,
	}
	info.Strategy = &typedStrategy[T]{kind: k, info: info}
	if k.AppendJSON != nil {
		info.appendJSON = func(obj meta.Object, b []byte) ([]byte, error) { return k.AppendJSON(obj.(T), b) }
	}
	return s.add(info)
}

// MustRegister is Register that panics on error, for start-up code.
func MustRegister[T meta.Object](s *Scheme, k Kind[T]) {
	if err := Register(s, k); err != nil {
		panic(err)
	}
}

func (s *Scheme) add(info *KindInfo) error {
	if info.Singular == "" {
		info.Singular = strings.ToLower(info.GVK.Kind)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.byGVK[info.GVK]; ok {
		return fmt.Errorf("%w: kind %s", ErrAlreadyRegistered, info.GVK)
	}
	if info.goType != nil {
		if _, ok := s.byType[info.goType]; ok {
			return fmt.Errorf("%w: Go type %s", ErrAlreadyRegistered, info.goType)
		}
	}
	full := info.Plural + "." + info.GVK.Group
	for _, existing := range s.byResource[info.Plural] {
		if existing.GVK.Group == info.GVK.Group {
			return fmt.Errorf("%w: resource %s", ErrAlreadyRegistered, full)
		}
	}
	s.byGVK[info.GVK] = info
	if info.goType != nil {
		s.byType[info.goType] = info
	}
	names := []string{info.Plural, info.Singular, strings.ToLower(info.GVK.Kind)}
	names = append(names, info.ShortNames...)
	if info.GVK.Group != "" {
		names = append(names, full, info.Singular+"."+info.GVK.Group, strings.ToLower(info.GVK.Kind)+"."+info.GVK.Group)
	}
	seen := map[string]bool{}
	for _, n := range names {
		n = strings.ToLower(n)
		if seen[n] {
			continue
		}
		seen[n] = true
		s.byResource[n] = append(s.byResource[n], info)
	}
	return nil
}

// ForGVK returns the kind registered for gvk.
func (s *Scheme) ForGVK(gvk GroupVersionKind) (*KindInfo, error) {
	s.mu.RLock()
	info := s.byGVK[gvk]
	s.mu.RUnlock()
	if info == nil {
		return nil, fmt.Errorf("%w: no kind %q is registered for version %q", ErrUnknownKind, gvk.Kind, gvk.APIVersion())
	}
	return info, nil
}

// ForObject returns the kind of obj: by its Go type, or for Unstructured by its TypeMeta.
func (s *Scheme) ForObject(obj meta.Object) (*KindInfo, error) {
	if u, ok := obj.(*Unstructured); ok {
		if u == nil {
			return nil, fmt.Errorf("%w: nil *Unstructured has no kind", ErrUnknownKind)
		}
		return s.ForGVK(FromAPIVersionAndKind(u.APIVersion, u.Kind))
	}
	t := reflect.TypeOf(obj)
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	s.mu.RLock()
	info := s.byType[t]
	s.mu.RUnlock()
	if info == nil {
		return nil, fmt.Errorf("%w: Go type %s is not registered", ErrUnknownKind, t)
	}
	return info, nil
}

// ForResource resolves what a user types on the command line or in a URL — a plural
// ("deployments"), singular, kind, short name ("deploy") or "plural.group"
// ("deployments.apps") — to a kind. Matching is case-insensitive. A name that several groups
// share resolves to the core group first, then to the lexically first group.
func (s *Scheme) ForResource(name string) (*KindInfo, error) {
	s.mu.RLock()
	infos := s.byResource[strings.ToLower(name)]
	s.mu.RUnlock()
	if len(infos) == 0 {
		return nil, fmt.Errorf("%w: the server doesn't have a resource type %q", ErrUnknownKind, name)
	}
	best := infos[0]
	for _, i := range infos[1:] {
		if i.GVK.Group < best.GVK.Group {
			best = i
		}
	}
	return best, nil
}

// ForGroupResource returns the kind served at group/plural.
func (s *Scheme) ForGroupResource(group, plural string) (*KindInfo, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, i := range s.byResource[plural] {
		if i.GVK.Group == group && i.Plural == plural {
			return i, nil
		}
	}
	return nil, fmt.Errorf("%w: the server could not find the requested resource %s", ErrUnknownKind, GroupResource{group, plural})
}

// Kinds returns every registered kind, sorted by group then kind.
func (s *Scheme) Kinds() []*KindInfo {
	s.mu.RLock()
	out := make([]*KindInfo, 0, len(s.byGVK))
	for _, i := range s.byGVK {
		out = append(out, i)
	}
	s.mu.RUnlock()
	sort.Slice(out, func(a, b int) bool {
		if out[a].GVK.Group != out[b].GVK.Group {
			return out[a].GVK.Group < out[b].GVK.Group
		}
		return out[a].GVK.Kind < out[b].GVK.Kind
	})
	return out
}

// New returns a new empty object for gvk with its TypeMeta set.
func (s *Scheme) New(gvk GroupVersionKind) (meta.Object, error) {
	info, err := s.ForGVK(gvk)
	if err != nil {
		return nil, err
	}
	return info.New(), nil
}

// SetTypeMeta fills obj's apiVersion and kind from its registered Go type, and returns the
// kind. Objects built in Go code often leave TypeMeta empty.
func (s *Scheme) SetTypeMeta(obj meta.Object) (*KindInfo, error) {
	info, err := s.ForObject(obj)
	if err != nil {
		return nil, err
	}
	tm := obj.GetTypeMeta()
	tm.APIVersion, tm.Kind = info.GVK.APIVersion(), info.GVK.Kind
	return info, nil
}
