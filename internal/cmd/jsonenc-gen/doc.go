// Command jsonenc-gen writes the AppendJSON methods of skiff's API types: for every struct type
// reachable from a kind of the built-in scheme, a zz_generated.json.go in the type's package
// with code that appends exactly what encoding/json writes (HTML escaping off), field by field,
// without reflection. The store encodes every object it writes this way.
//
// It works from reflection rather than from source: it imports the API packages and reads
// their types with package reflect, the very information encoding/json reads. For that it has to
// be built without the files it writes (they might not compile against changed types), so the
// generated files carry the build constraint !skiff_jsongen and the command refuses to run
// unless built with that tag:
//
//	go run -tags skiff_jsongen ./internal/cmd/jsonenc-gen          # rewrite the files
//	go run -tags skiff_jsongen ./internal/cmd/jsonenc-gen -check   # fail if one is stale
//
// Run it anywhere inside the module (the API packages' doc.go files carry it as a go:generate
// directive, so go generate ./... runs it too). What encoding/json does that the generated code has no fast
// path for (floats, interfaces, arrays, TextMarshalers, structs from other modules) is left to
// encoding/json itself through jsonw.AppendStd; scheme's TestAppendJSONMatchesEncodingJSON
// checks the result against encoding/json on random objects of every kind.
package main
