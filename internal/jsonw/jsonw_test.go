package jsonw

import (
	"bytes"
	"encoding/json"
	"testing"
)

// std is the reference: encoding/json with HTML escaping off.
func std(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

var samples = []string{"", "plain", `quote " and \ backslash`, "\x00\x01\x1f\x7f", "\b\f\n\r\t", "<html>&amp;",
	"é 世界 🙂", "\u2028\u2029", "bad \xff utf8 \xe2\x82", "\xed\xa0\x80 surrogate", "ends in \xc3"}

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range samples {
		if got, want := AppendString([]byte("x"), s), append([]byte("x"), std(t, s)...); !bytes.Equal(got, want) {
			t.Errorf("AppendString(%q) = %s, want %s", s, got, want)
		}
	}
}

func FuzzAppendString(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := AppendString(nil, s), std(t, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendString(%q) = %s, want %s", s, got, want)
		}
	})
}

func TestAppendHelpersMatchEncodingJSON(t *testing.T) {
	type name string
	many := map[name]string{}
	for i := range 40 {
		many[name(rune('a'+i%26))+name(rune('A'+i))] = "v"
	}
	cases := []struct {
		got  []byte
		want any
	}{
		{AppendBytes(nil, nil), []byte(nil)},
		{AppendBytes(nil, []byte{}), []byte{}},
		{AppendBytes(nil, []byte("\x00binary\xff")), []byte("\x00binary\xff")},
		{AppendStringMap[name, string](nil, nil), map[name]string(nil)},
		{AppendStringMap(nil, map[name]string{}), map[name]string{}},
		{AppendStringMap(nil, map[name]string{"b": "2", "a": "<1>", "B": "\n"}), map[name]string{"b": "2", "a": "<1>", "B": "\n"}},
		{AppendStringMap(nil, many), many},
		{AppendInt(nil, -42), -42},
		{AppendUint(nil, 42), uint(42)},
		{AppendBool(nil, true), true},
	}
	for i, c := range cases {
		if want := std(t, c.want); !bytes.Equal(c.got, want) {
			t.Errorf("case %d: %s, want %s", i, c.got, want)
		}
	}
	b, err := AppendMarshaler([]byte("x"), json.RawMessage(" { \"a\" : [ 1 ] } "))
	if err != nil || string(b) != `x{"a":[1]}` {
		t.Errorf("AppendMarshaler = %s, %v", b, err)
	}
	if _, err := AppendMarshaler(nil, json.RawMessage("{")); err == nil {
		t.Error("AppendMarshaler accepted invalid JSON")
	}
	b, err = AppendStd([]byte("x"), map[string]float64{"f": 1.5e21})
	if want := append([]byte("x"), std(t, map[string]float64{"f": 1.5e21})...); err != nil || !bytes.Equal(b, want) {
		t.Errorf("AppendStd = %s, %v; want %s", b, err, want)
	}
}

func TestAppendStringAllocatesNothing(t *testing.T) {
	buf := make([]byte, 0, 256)
	m := map[string]string{"app": "web", "tier": "frontend", "pod-template-hash": "7d4b9c8f6d"}
	if n := testing.AllocsPerRun(100, func() {
		b := AppendString(buf[:0], "needs \"escaping\" \u2028")
		_ = AppendStringMap(b, m)
	}); n != 0 {
		t.Errorf("%v allocations per run, want 0", n)
	}
}

func TestEscapeHTMLMatchesMarshal(t *testing.T) {
	for _, s := range samples {
		want, _ := json.Marshal(map[string]string{s: s})
		got := EscapeHTML(AppendStringMap([]byte("<x>"), map[string]string{s: s}), 3)
		if !bytes.Equal(got[3:], want) || string(got[:3]) != "<x>" {
			t.Errorf("EscapeHTML for %q = %s, want <x>%s", s, got, want)
		}
	}
}
