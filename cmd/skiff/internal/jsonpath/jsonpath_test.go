package jsonpath

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// podList is a List of two pods in the generic JSON form get prints, numbers as json.Number.
const podList = `{
  "apiVersion": "v1", "kind": "List",
  "items": [
    {"metadata": {"name": "web-1", "labels": {"app": "web", "pod-template-hash": "7d4b", "app.kubernetes.io/name": "shop"}},
     "spec": {"nodeName": "node-1", "containers": [
        {"name": "nginx", "image": "nginx:1.27", "ports": [{"containerPort": 80}, {"containerPort": 443}]},
        {"name": "envoy", "image": "envoy:1.30", "ports": [{"containerPort": 9901}]}]},
     "status": {"phase": "Running", "conditions": [{"type": "Ready", "status": "True"}, {"type": "PodScheduled", "status": "True"}]}},
    {"metadata": {"name": "db-0", "labels": {"app": "db"}},
     "spec": {"nodeName": "node-2", "containers": [{"name": "postgres", "image": "postgres:17", "ports": [{"containerPort": 5432}]}]},
     "status": {"phase": "Pending", "conditions": [{"type": "Ready", "status": "False"}]}}
  ]
}`

func decode(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestExecute(t *testing.T) {
	data := decode(t, podList)
	for _, tc := range []struct{ tmpl, want string }{
		{`{.kind}`, "List"},
		{`{.items[*].metadata.name}`, "web-1 db-0"},
		{`{.items[0].metadata.name}`, "web-1"},
		{`{.items[-1].metadata.name}`, "db-0"},
		{`{.items[5].metadata.name}`, ""},                        // out of range: nothing, as kubectl's default
		{`{.items[*].metadata.missing}`, ""},                     // missing field: nothing
		{`{.items[0].spec.containers[0:2].name}`, "nginx envoy"}, // slice
		{`{.items[0].spec.containers[::2].name}`, "nginx"},
		{`{.items[0].spec.containers[-1:].name}`, "envoy"},
		{`{.items[0].spec.containers[0,1].image}`, "nginx:1.27 envoy:1.30"},
		{`{.items[0].metadata.labels.pod-template-hash}`, "7d4b"},        // dashes need no quotes
		{`{.items[0].metadata.labels.app\.kubernetes\.io/name}`, "shop"}, // escaped dots
		{`{.items[0].metadata.labels['app.kubernetes.io/name']}`, "shop"},
		{`{.items[0].metadata.labels["app","pod-template-hash"]}`, "web 7d4b"},
		{`{..containerPort}`, "80 443 9901 5432"},
		{`{.items[*].spec.containers[*].ports[*].containerPort}`, "80 443 9901 5432"},
		{`{.items[?(@.status.phase=="Running")].metadata.name}`, "web-1"},
		{`{.items[?(@.status.phase != 'Running')].metadata.name}`, "db-0"},
		{`{.items[*].spec.containers[?(@.ports[0].containerPort > 100)].name}`, "envoy postgres"},
		{`{.items[*].spec.containers[?(@.ports[0].containerPort <= 80)].name}`, "nginx"},
		{`{.items[?(@.metadata.labels.pod-template-hash)].metadata.name}`, "web-1"}, // exists
		{`{.items[*].status.conditions[?(@.type=="Ready")].status}`, "True False"},
		{`{.items[0].metadata.labels}`, `{"app":"web","app.kubernetes.io/name":"shop","pod-template-hash":"7d4b"}`},
		{`{.items[0].spec.containers[1].ports}`, `[{"containerPort":9901}]`},
		{`{.items[1].metadata.labels.*}`, "db"},
		{`{range .items[*]}{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}{end}`, "web-1\tnode-1\ndb-0\tnode-2\n"},
		{`{range .items[*]}[{range .spec.containers[*]}{.name}={.image};{end}]{end}`, "[nginx=nginx:1.27;envoy=envoy:1.30;][postgres=postgres:17;]"},
		{`names: {.items[*].metadata.name} (done)`, "names: web-1 db-0 (done)"},
		{`{$.items[1].metadata.name}{@.kind}`, "db-0List"},
	} {
		tmpl, err := Parse(tc.tmpl)
		if err != nil {
			t.Errorf("Parse(%s): %v", tc.tmpl, err)
			continue
		}
		var out bytes.Buffer
		if err := tmpl.Execute(&out, data); err != nil {
			t.Errorf("Execute(%s): %v", tc.tmpl, err)
			continue
		}
		if out.String() != tc.want {
			t.Errorf("%s\n got %q\nwant %q", tc.tmpl, out.String(), tc.want)
		}
	}
}

func TestValues(t *testing.T) {
	data := decode(t, `{"n": 3, "f": 0.25, "big": 12345678901234567890, "b": false, "z": null, "s": "x y"}`)
	tmpl, err := Parse(`{.n}|{.f}|{.big}|{.b}|{.z}|{.s}`)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := tmpl.Execute(&out, data); err != nil {
		t.Fatal(err)
	}
	// Numbers print as written (no float rounding of big integers), null as JSON's null.
	if want := "3|0.25|12345678901234567890|false|null|x y"; out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
	if s, _ := Text(0.5); s != "0.5" {
		t.Errorf("Text(0.5) = %q", s)
	}
}

func TestParseErrors(t *testing.T) {
	for tmpl, want := range map[string]string{
		`{.metadata.name`:         "unclosed action",
		`{range .items[*]}{.x}`:   "{range .items[*]} is not closed by {end}",
		`{end}`:                   "{end} without a {range}",
		`{}`:                      "empty action",
		`{.items[}`:               "unterminated",
		`{.items[a]}`:             `array index "a" is not a number`,
		`{.items[1:2:0]}`:         "slice step 0 must be positive",
		`{.items[?(@.x=="a"]}`:    "unterminated filter",
		`{.items[?(@.x==bogus)]}`: `"bogus" is neither a path, a string, a number nor a boolean`,
		`{.items[?(@.x==)]}`:      "an operand is missing",
		`{metadata}`:              "a step starts with . or [",
		`{.}`:                     "a field name is missing",
		`{"abc}`:                  "unclosed action",
		`{'\q'}`:                  "malformed quoted string",
	} {
		_, err := Parse(tmpl)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%s) = %v, want an error with %q", tmpl, err, want)
		}
	}
}

func TestPathEval(t *testing.T) {
	data := decode(t, podList)
	for path, want := range map[string]int{
		".items[*]":                     2,
		"{.items[*].spec.containers}":   2, // braces allowed
		"@.items[*].spec.containers[*]": 3,
		"..name":                        5, // 2 metadata names, 3 container names
		".items[*].nope":                0,
	} {
		p, err := ParsePath(path)
		if err != nil {
			t.Errorf("ParsePath(%s): %v", path, err)
			continue
		}
		if got := len(p.Eval(data)); got != want {
			t.Errorf("%s selects %d values, want %d", path, got, want)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`{.items[*].metadata.name}`, `{range .items[*]}{.a}{"\n"}{end}`,
		`{.a[?(@.b=="c")].d}`, `{..x}`, `{.a['b.c',"d"][1:-1:2]}`, `x{'\n'}y`} {
		f.Add(s)
	}
	data := decode(f, podList)
	f.Fuzz(func(t *testing.T, s string) {
		tmpl, err := Parse(s)
		if err != nil {
			return
		}
		var out bytes.Buffer
		_ = tmpl.Execute(&out, data) // must not panic
	})
}
