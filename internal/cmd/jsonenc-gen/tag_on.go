//go:build skiff_jsongen

package main

// builtWithTag is true when the command was built with -tags skiff_jsongen, which leaves the
// files it writes out of the API packages.
const builtWithTag = true
