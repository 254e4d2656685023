package scheme

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/internal/jsonw"
)

// stdJSON is the reference: encoding/json with HTML escaping off, as the store used to encode.
func stdJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// TestAppendJSONMatchesEncodingJSON is the differential test of the generated encoders:
// random objects of every typed kind, encoded by AppendJSON and by encoding/json, must give the
// same bytes.
func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	rounds := 400
	if testing.Short() {
		rounds = 100
	}
	s := NewBuiltin()
	for _, k := range s.Kinds() {
		if k.IsUnstructured() {
			continue
		}
		t.Run(k.GVK.Kind, func(t *testing.T) {
			if k.appendJSON == nil {
				t.Fatalf("%s registered without AppendJSON", k.GVK.Kind)
			}
			for seed := range uint64(rounds) {
				obj := k.New()
				f := &randFiller{r: rand.New(rand.NewPCG(seed, uint64(len(k.GVK.Kind))))}
				if seed > 0 { // seed 0 checks the empty object
					f.fill(reflect.ValueOf(obj).Elem(), 0)
				}
				want, werr := stdJSON(obj)
				got, gerr := k.AppendJSON([]byte("prefix"), obj)
				if (werr != nil) != (gerr != nil) {
					t.Fatalf("seed %d: encoding/json error %v, AppendJSON error %v", seed, werr, gerr)
				}
				if werr != nil {
					continue
				}
				if !bytes.HasPrefix(got, []byte("prefix")) {
					t.Fatalf("seed %d: AppendJSON did not append to b: %.40q", seed, got)
				}
				if got = got[len("prefix"):]; !bytes.Equal(got, want) {
					t.Fatalf("seed %d: AppendJSON differs from encoding/json at byte %d\n got: %s\nwant: %s",
						seed, firstDiff(got, want), got, want)
				}
				// With HTML escaping added, the bytes are json.Marshal's (the API server's).
				marshalled, _ := json.Marshal(obj)
				if escaped := jsonw.EscapeHTML(got, 0); !bytes.Equal(escaped, marshalled) {
					t.Fatalf("seed %d: escaped AppendJSON differs from json.Marshal at byte %d\n got: %s\nwant: %s",
						seed, firstDiff(escaped, marshalled), escaped, marshalled)
				}
			}
		})
	}
}

// TestAppendJSONReportsMarshalerErrors: an error of a MarshalJSON method (a RawExtension
// holding invalid JSON) comes back from AppendJSON instead of producing invalid output.
func TestAppendJSONReportsMarshalerErrors(t *testing.T) {
	cr := &apps.ControllerRevision{Data: apps.RawExtension{Raw: []byte(`{"a":`)}}
	if _, err := stdJSON(cr); err == nil {
		t.Fatal("encoding/json accepted invalid raw JSON")
	}
	if b, err := cr.AppendJSON(nil); err == nil {
		t.Fatalf("AppendJSON accepted invalid raw JSON: %s", b)
	}
	cr.Data.Raw = []byte("{ \"a\" :\n [1, 2] }")
	b, err := cr.AppendJSON(nil)
	if err != nil || !strings.Contains(string(b), `"data":{"a":[1,2]}`) {
		t.Fatalf("raw JSON not compacted: %s, %v", b, err)
	}
}

// TestAppendJSONWithoutEncoder: a kind registered without an encoder, and one held as
// Unstructured, encode through encoding/json (an embedded ObjectMeta's AppendJSON, promoted to
// the outer type, must not be taken for the object's).
func TestAppendJSONWithoutEncoder(t *testing.T) {
	s := NewBuiltin()
	if err := s.RegisterUnstructured(UnstructuredKind{GVK: GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}, Plural: "widgets", Namespaced: true}); err != nil {
		t.Fatal(err)
	}
	info, err := s.ForGVK(GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"})
	if err != nil {
		t.Fatal(err)
	}
	u := &Unstructured{TypeMeta: meta.TypeMeta{APIVersion: "example.com/v1", Kind: "Widget"},
		ObjectMeta: meta.ObjectMeta{Name: "w"}, Content: map[string]any{"spec": map[string]any{"size": 3, "html": "<b>"}}}
	got, err := info.AppendJSON(nil, u)
	want, _ := stdJSON(u)
	if err != nil || !bytes.Equal(got, want) || !bytes.Contains(got, []byte(`"size":3}`)) {
		t.Fatalf("AppendJSON = %s, %v; want %s", got, err, want)
	}
}

func firstDiff(a, b []byte) int {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return i
		}
	}
	return min(len(a), len(b))
}

// randFiller fills values at random, with the shapes where encoders go wrong: nil against
// empty, zero values, strings that need escaping or are not UTF-8, maps with many keys.
type randFiller struct {
	r *rand.Rand
}

var (
	timeType      = reflect.TypeFor[meta.Time]()
	microTimeType = reflect.TypeFor[meta.MicroTime]()
	quantityType  = reflect.TypeFor[resource.Quantity]()
	intstrType    = reflect.TypeFor[intstr.IntOrString]()
	rawType       = reflect.TypeFor[apps.RawExtension]()
)

var stringPieces = []string{"a", "web", "app.kubernetes.io/name", `"`, `\`, "\x00", "\x1f", "\b", "\f",
	"\n", "\r", "\t", "<", ">", "&", "é", "世界", "\u2028", "\u2029", "\xff", "\xe2\x82", "🙂", "\u007f", " "}

var quantities = []string{"0", "1", "250m", "1.5", "512Mi", "2Gi", "100k", "1e3", "0.1", "123456789012345678901234567890",
	"-3", "7Ei", "1n"}

var rawValues = []string{"", "null", "{}", `{"a":1}`, `[1, "x" , {"b" : null}]`, " \"s\" ", "12.5e3"}

func (f *randFiller) str() string {
	if f.r.IntN(4) == 0 {
		return ""
	}
	var b strings.Builder
	for range 1 + f.r.IntN(5) {
		b.WriteString(stringPieces[f.r.IntN(len(stringPieces))])
	}
	return b.String()
}

func (f *randFiller) fill(v reflect.Value, depth int) {
	switch v.Type() {
	case timeType:
		if f.r.IntN(3) > 0 {
			v.Set(reflect.ValueOf(meta.NewTime(time.Unix(f.r.Int64N(4e9), 0).In(time.FixedZone("x", 3600)))))
		}
		return
	case microTimeType:
		if f.r.IntN(3) > 0 {
			v.Set(reflect.ValueOf(meta.NewMicroTime(time.Unix(f.r.Int64N(4e9), f.r.Int64N(1e9)))))
		}
		return
	case quantityType:
		v.Set(reflect.ValueOf(resource.MustParse(quantities[f.r.IntN(len(quantities))])))
		return
	case intstrType:
		if f.r.IntN(2) == 0 {
			v.Set(reflect.ValueOf(intstr.FromInt(f.r.IntN(200) - 100)))
		} else {
			v.Set(reflect.ValueOf(intstr.FromString(f.str())))
		}
		return
	case rawType:
		if raw := rawValues[f.r.IntN(len(rawValues))]; raw != "" {
			v.Set(reflect.ValueOf(apps.RawExtension{Raw: []byte(raw)}))
		}
		return
	}
	if depth > 10 {
		return
	}
	switch v.Kind() {
	case reflect.Bool:
		v.SetBool(f.r.IntN(2) == 0)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if f.r.IntN(3) > 0 {
			v.SetInt(f.r.Int64N(2000) - 1000)
		}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		if f.r.IntN(3) > 0 {
			v.SetUint(f.r.Uint64N(256))
		}
	case reflect.Float32, reflect.Float64:
		v.SetFloat(f.r.NormFloat64() * 1e6)
	case reflect.String:
		v.SetString(f.str())
	case reflect.Pointer:
		if f.r.IntN(3) > 0 {
			v.Set(reflect.New(v.Type().Elem()))
			f.fill(v.Elem(), depth+1)
		}
	case reflect.Slice:
		switch n := f.r.IntN(8); {
		case n == 0:
		case n == 1:
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
		default:
			l := 1 + f.r.IntN(3)
			v.Set(reflect.MakeSlice(v.Type(), l, l))
			for i := range l {
				f.fill(v.Index(i), depth+1)
			}
		}
	case reflect.Map:
		switch n := f.r.IntN(8); {
		case n == 0:
		case n == 1:
			v.Set(reflect.MakeMap(v.Type()))
		default:
			m := reflect.MakeMap(v.Type())
			l := 1 + f.r.IntN(4)
			if n == 7 {
				l = 20 // more keys than the encoder's stack buffer holds
			}
			for i := range l {
				k := reflect.New(v.Type().Key()).Elem()
				f.fill(k, depth+1)
				if k.Kind() == reflect.String {
					k.SetString(fmt.Sprintf("%s%d", k.String(), i))
				}
				e := reflect.New(v.Type().Elem()).Elem()
				f.fill(e, depth+1)
				m.SetMapIndex(k, e)
			}
			v.Set(m)
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() && f.r.IntN(4) > 0 {
				f.fill(v.Field(i), depth+1)
			}
		}
	}
}
