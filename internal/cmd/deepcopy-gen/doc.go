// Command deepcopy-gen writes zz_generated.deepcopy.go for one package of skiff's API: deep-copy
// methods for its types, so that objects read from a shared informer cache can be copied before
// they are changed.
//
// # Usage
//
// Put this line in the package's doc.go (or a gen.go) and run go generate:
//
//	//go:generate go run github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen
//
// It runs in the package directory and (re)writes zz_generated.deepcopy.go there; it leaves
// the file untouched when nothing changed and removes it when the package no longer has a type
// to generate for. Flags:
//
//	-dir DIR   the package directory (default ".")
//	-o FILE    the output file name (default zz_generated.deepcopy.go)
//	-check     write nothing; exit 1 if the file is missing or out of date (for CI)
//
// # What it writes
//
// For every exported named struct type declared in the package's non-test, non-generated files:
//
//	func (in *T) DeepCopyInto(out *T)  // in must be non-nil
//	func (in *T) DeepCopy() *T         // nil for a nil receiver
//
// and, when T embeds both meta.TypeMeta and meta.ObjectMeta (an object kind):
//
//	func (in *T) DeepCopyObject() meta.Object
//
// For every exported named map or slice type (type ResourceList map[ResourceName]Quantity) it
// writes value-receiver methods, as Kubernetes does:
//
//	func (in T) DeepCopyInto(out *T)  // a nil in gives a nil *out
//	func (in T) DeepCopy() T
//
// An unexported struct, map or slice type gets the same methods when a generated type needs
// them. List kinds (TypeMeta and ListMeta) get DeepCopy and DeepCopyInto only; meta.ObjectList
// has no copy method.
//
// # Directives
//
// A line in a type's doc comment controls it:
//
//	// +skiff:deepcopy=false   write nothing for this type
//	// +skiff:deepcopy=true    generate for this type even though it is unexported
//
// A method already declared by hand is not written again: a type with a hand-written
// DeepCopyInto still gets a generated DeepCopy (which calls it) unless that is hand-written too.
// A type that opts out but is held by value, pointer, slice or map in a generated type must
// have a hand-written DeepCopyInto, or generation fails.
//
// # How fields are copied
//
//   - Booleans, numbers, strings, named basic types, time.Time, resource.Quantity (whose
//     big.Int is never mutated once stored), and any struct or array whose fields are all of
//     these (meta.Time, meta.MicroTime, intstr.IntOrString) are copied by the initial
//     *out = *in; so a ResourceList is copied with maps.Clone.
//   - Pointers get a new value; slices and maps are made anew and their elements copied
//     recursively (slices of pointers, maps of slices, maps of structs, and so on). A map
//     whose values hold no references (map[string]string) is copied with maps.Clone, which
//     copies the table without hashing the keys again.
//   - A named type with a DeepCopyInto method has it called. Types of other packages of this
//     module are assumed to have the generated methods even when their own generated file does
//     not exist yet, so packages can be generated in any order. A struct type of another
//     module that holds references must have DeepCopyInto.
//   - any (and interface{}) holds JSON-like values: it is copied with meta.DeepCopyJSONValue,
//     also inside map[string]any and []any.
//   - An interface type that declares DeepCopyObject (such as meta.Object) is copied with it.
//
// # Limits
//
// Generic types, type aliases, named pointer, array, interface and function types get no
// methods of their own (fields of such types are still copied). Channels, functions,
// unsafe.Pointer and interfaces without DeepCopyObject cannot be copied: generation fails with
// the field's position. Map keys are copied by assignment, so a key holding a pointer is
// shared. A field of struct type T by value copies through T's methods, so a hand-written
// DeepCopyInto is trusted to be right.
//
// The package is type-checked with go/types: packages of this module (and other modules) are
// read from source, function bodies skipped and their type errors ignored; the standard
// library comes from export data. Output is gofmt'ed, sorted by type name, and deterministic.
package main
