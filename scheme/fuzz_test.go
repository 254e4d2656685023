package scheme

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/skiff-dev/skiff/api/meta"
)

// fuzzManifestGlobs are the manifests FuzzDecodeKind starts from: the runnable examples and
// the API packages' test data.
var fuzzManifestGlobs = []string{
	"../examples/manifests/*.yaml",
	"../api/*/testdata/*.yaml",
}

// FuzzDecodeKind decodes fuzzed bytes strictly, as a client's manifest is decoded, into the
// built-in kind chosen by kind (an index into Kinds, modulo their number). The properties:
//   - no decoder, defaulter or validator panics, whatever the bytes (DecodeAll and Decode,
//     which choose the kind from the document, are run on the same bytes);
//   - an object that decodes encodes to JSON that decodes strictly again (no field the kind
//     does not know), into an object that encodes to the same bytes: decode, encode, decode
//     is stable;
//   - that JSON decodes by its own apiVersion and kind into the same kind, and its YAML form
//     decodes to the same object too;
//   - defaulting a decoded object and encoding it is stable in the same way.
func FuzzDecodeKind(f *testing.F) {
	s := NewBuiltin()
	kinds := s.Kinds()
	index := map[GroupVersionKind]int{}
	for i, k := range kinds {
		index[k.GVK] = i
	}
	for _, g := range fuzzManifestGlobs {
		files, err := filepath.Glob(g)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			for _, doc := range SplitDocuments(data) {
				o, err := s.Decode(doc)
				if err != nil {
					f.Fatalf("%s: %v", file, err)
				}
				// Each document with its own kind, and with the next kind, whose strict
				// decoding must reject or accept it cleanly.
				i := index[FromAPIVersionAndKind(o.GetTypeMeta().APIVersion, o.GetTypeMeta().Kind)]
				f.Add(uint8(i), doc)
				f.Add(uint8(i+1), doc)
			}
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, data []byte) {
		_, _ = s.DecodeAll(data)
		_, _ = s.Decode(data)

		info := kinds[int(kind)%len(kinds)]
		obj := info.New()
		if err := s.DecodeInto(data, obj); err != nil {
			return
		}
		enc := roundTrip(t, s, info, obj)
		// The YAML form of the same object decodes to it as well.
		y, err := s.EncodeYAML(obj)
		if err != nil {
			t.Fatalf("%s: EncodeYAML: %v", info.GVK, err)
		}
		fromYAML := info.New()
		if err := s.DecodeInto(y, fromYAML); err != nil {
			t.Fatalf("%s: the YAML encoding does not decode: %v\n%s", info.GVK, err, y)
		}
		if e, _ := s.Encode(fromYAML); !bytes.Equal(e, enc) {
			t.Fatalf("%s: through YAML the object changed:\n%s\n%s", info.GVK, enc, e)
		}
		// Defaults and validation take any decoded object without panicking; a defaulted
		// object round-trips like any other.
		if err := s.Default(obj); err != nil {
			t.Fatalf("%s: Default: %v", info.GVK, err)
		}
		_ = info.Strategy.Validate(obj)
		roundTrip(t, s, info, obj)
	})
}

// roundTrip encodes obj, checks that the encoding decodes strictly (by kind and by its own
// apiVersion and kind) to an object that encodes to the same bytes, and returns them.
func roundTrip(t *testing.T, s *Scheme, info *KindInfo, obj meta.Object) []byte {
	t.Helper()
	enc, err := s.Encode(obj)
	if err != nil {
		t.Fatalf("%s: Encode of a decoded object: %v", info.GVK, err)
	}
	again := info.New()
	if err := s.DecodeInto(enc, again); err != nil {
		t.Fatalf("%s: the encoding of a decoded object does not decode: %v\n%s", info.GVK, err, enc)
	}
	enc2, err := s.Encode(again)
	if err != nil {
		t.Fatalf("%s: Encode after the round trip: %v", info.GVK, err)
	}
	if !bytes.Equal(enc, enc2) {
		t.Fatalf("%s: decode, encode, decode is not stable:\n%s\n%s", info.GVK, enc, enc2)
	}
	byKind, err := s.Decode(enc)
	if err != nil {
		t.Fatalf("%s: Decode of its own encoding: %v\n%s", info.GVK, err, enc)
	}
	if e, _ := s.Encode(byKind); !bytes.Equal(e, enc) {
		t.Fatalf("%s: Decode by apiVersion and kind gave a different object:\n%s\n%s", info.GVK, enc, e)
	}
	return enc
}
