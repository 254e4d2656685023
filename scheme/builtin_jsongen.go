//go:build skiff_jsongen

package scheme

// addBuiltinEncoders does nothing in the build of internal/cmd/jsonenc-gen, which leaves out
// the methods it generates.
func addBuiltinEncoders(*Scheme) {}
