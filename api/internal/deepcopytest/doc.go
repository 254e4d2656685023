// Package deepcopytest checks the deep-copy methods and JSON tags of API types, for use in the
// tests of api/meta, api/core, api/apps and the other API packages.
//
// Basics: give Check a pointer to a value of the type under test. It fills every exported
// field through reflection — non-nil pointers, slices of two elements, maps of two entries,
// non-zero numbers and strings, nested structs, JSON-like maps in fields of type any — calls
// the type's DeepCopyObject and DeepCopy methods, and fails the test unless each copy equals
// the original and shares no pointer, map or slice backing array with it:
//
//	func TestDeepCopy(t *testing.T) {
//		for _, obj := range []any{&core.Pod{}, &core.PodList{}, &core.ResourceList{}} {
//			t.Run(fmt.Sprintf("%T", obj), func(t *testing.T) { deepcopytest.Check(t, obj) })
//		}
//	}
//
// CheckJSONRoundTrip fills a value the same way, marshals it to JSON and back, and fails unless
// the result is equal: a field with a missing or duplicate JSON name, a json:"-" by mistake,
// or a custom marshaler that loses data shows up there. It also requires an explicit JSON name
// on every exported field that is not embedded.
//
// Times are filled so that they survive JSON: time.Time and meta.Time with whole seconds in
// UTC, meta.MicroTime with microseconds. intstr.IntOrString holds either an int or a string.
// Recursive types are filled two levels deep.
//
// Caveats: unexported fields are left zero, so a copy that mishandles them goes unnoticed;
// fields of a non-empty interface type, or of a type whose JSON form constrains its value,
// need FillWith; a field that legitimately cannot round trip is left out with SkipFields.
package deepcopytest
