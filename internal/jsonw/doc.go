// Package jsonw holds the helpers that the generated AppendJSON methods of skiff's API types
// call (see internal/cmd/jsonenc-gen). Together they write exactly the bytes encoding/json
// writes with HTML escaping turned off (json.Encoder.SetEscapeHTML(false), without the
// trailing newline), only without reflection and without allocating: a stored Pod is encoded
// several times faster. Where the generated code meets a value it has no fast path for, it
// calls AppendStd, which is encoding/json itself.
//
// Kubernetes has no counterpart: its API server encodes with encoding/json (and protobuf).
package jsonw
