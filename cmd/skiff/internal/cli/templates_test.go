package cli

import (
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
)

func templatePods(e *env) {
	a := runningPod("a", "node-1", map[string]string{"app": "web"})
	a.Spec.Containers = append(a.Spec.Containers, core.Container{Name: "sidecar", Image: "envoy:1.30"})
	e.create(a)
	e.create(runningPod("b", "", map[string]string{"app": "db"}))
}

func TestGetJSONPath(t *testing.T) {
	e := newEnv(t)
	templatePods(e)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"get", "pods", "-o", "jsonpath={.items[*].metadata.name}"}, "a b"},
		{[]string{"get", "pod", "a", "-o", "jsonpath={.metadata.name}/{.spec.containers[*].image}"}, "a/nginx envoy:1.30"},
		{[]string{"get", "pods", "-o", `jsonpath={range .items[*]}{.metadata.name}{"\t"}{.spec.nodeName}{"\n"}{end}`}, "a\tnode-1\nb\t\n"},
		{[]string{"get", "pods", "-l", "app=db", "-o", "jsonpath={.items[0].metadata.labels}"}, `{"app":"db"}`},
		{[]string{"get", "pods", "-o", `jsonpath={.items[?(@.spec.nodeName=="node-1")].metadata.name}`}, "a"},
		{[]string{"get", "pods", "-l", "app=none", "-o", "jsonpath={.items[*].metadata.name}"}, ""},
	} {
		r := e.run(tc.args...)
		if r.code != 0 || r.out != tc.want || r.err != "" {
			t.Errorf("skiff %s: exit %d, out %q, err %q; want out %q", strings.Join(tc.args, " "), r.code, r.out, r.err, tc.want)
		}
	}
	e.fails("error: jsonpath format specified but no template given\n", "get", "pods", "-o", "jsonpath")
	e.fails("error: error parsing jsonpath {.items[*], unclosed action \"{.items[*]\"\n", "get", "pods", "-o", "jsonpath={.items[*]")
}

func TestGetCustomColumns(t *testing.T) {
	e := newEnv(t)
	templatePods(e)
	got := e.ok("get", "pods", "-o", "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image,APP:metadata.labels.app")
	want := "NAME   NODE     IMAGES             APP\n" +
		"a      node-1   nginx,envoy:1.30   web\n" +
		"b      <none>   nginx              db\n"
	if got != want {
		t.Errorf("custom-columns:\n%s\nwant\n%s", got, want)
	}
	if got := e.ok("get", "pod", "b", "--no-headers", "-o", "custom-columns=N:{.metadata.name}"); got != "b\n" {
		t.Errorf("custom-columns --no-headers: %q", got)
	}
	e.fails("error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n", "get", "pods", "-o", "custom-columns=NAME")
	if r := e.run("get", "pods", "-l", "app=none", "-o", "custom-columns=N:.metadata.name"); r.code != 0 || r.err != "No resources found in default namespace.\n" {
		t.Errorf("custom-columns of nothing: %+v", r)
	}
}

func TestGetWatchJSONPath(t *testing.T) {
	e := newEnv(t)
	e.create(runningPod("a", "", nil))
	out, _, stop := e.start("get", "pods", "-w", "-o", `jsonpath={.metadata.name}{"\n"}`)
	eventually(t, "the initial list", func() bool { return out.String() == "a\n" })
	e.create(runningPod("b", "", nil))
	eventually(t, "the watched pod", func() bool { return out.String() == "a\nb\n" })
	if code := stop(); code != 0 {
		t.Errorf("get -w ended with %d", code)
	}
}
