//go:build !skiff_jsongen

package main

// builtWithTag is false: the command was built without -tags skiff_jsongen and refuses to run.
const builtWithTag = false
