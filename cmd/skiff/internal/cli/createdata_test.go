package cli

import (
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/scheme"
)

func TestCreateConfigMap(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	write := func(name, content string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	conf := write("nginx.conf", "worker_processes 2;\n")
	write("conf.d/a.conf", "a")
	write("conf.d/b.conf", "b")
	bin := write("logo.bin", "\xff\xfe\x00")
	env := write("app.env", "# settings\nMODE=fast\n\nLEVEL = 3\nURL=http://x/?a=b\n")

	got := e.ok("create", "configmap", "web", "--from-literal=greeting=hello=world", "--from-file="+conf,
		"--from-file=renamed.conf="+conf, "--from-file="+filepath.Join(dir, "conf.d"), "--from-file="+bin, "--from-env-file="+env)
	if got != "configmap/web created\n" {
		t.Errorf("create configmap: %q", got)
	}
	cm := e.get(scheme.ConfigMapGVK, "default", "web").(*core.ConfigMap)
	want := map[string]string{
		"greeting": "hello=world", "nginx.conf": "worker_processes 2;\n", "renamed.conf": "worker_processes 2;\n",
		"a.conf": "a", "b.conf": "b", "MODE": "fast", "LEVEL": " 3", "URL": "http://x/?a=b",
	}
	if !maps.Equal(cm.Data, want) {
		t.Errorf("data %v\nwant %v", cm.Data, want)
	}
	if string(cm.BinaryData["logo.bin"]) != "\xff\xfe\x00" || len(cm.BinaryData) != 1 {
		t.Errorf("binaryData %v", cm.BinaryData)
	}

	e.fails("error: cannot add key \"k\", another key by that name already exists in ConfigMap \"dup\"\n",
		"create", "cm", "dup", "--from-literal=k=1", "--from-literal=k=2")
	e.fails("error: invalid literal source novalue, expected key=value\n", "create", "cm", "x", "--from-literal=novalue")
	r := e.run("create", "cm", "x", "--from-literal=bad key=1")
	if r.code != 1 || !strings.HasPrefix(r.err, `The ConfigMap "x" is invalid: data[bad key]`) {
		t.Errorf("invalid key: %+v", r)
	}
	r = e.run("create", "cm", "x", "--from-file="+filepath.Join(dir, "missing"))
	if r.code != 1 || !strings.HasPrefix(r.err, "error: error reading ") {
		t.Errorf("missing file: %+v", r)
	}
	e.fails("Error from server (AlreadyExists): configmaps \"web\" already exists\n", "create", "configmap", "web")
}

func TestCreateSecret(t *testing.T) {
	e := newEnv(t)
	if got := e.ok("create", "secret", "generic", "db", "--from-literal=user=app", "--from-literal=password=s3cret"); got != "secret/db created\n" {
		t.Errorf("create secret: %q", got)
	}
	s := e.get(scheme.SecretGVK, "default", "db").(*core.Secret)
	if string(s.Data["user"]) != "app" || string(s.Data["password"]) != "s3cret" || s.Type != core.SecretTypeOpaque {
		t.Errorf("secret %v, type %q", s.Data, s.Type)
	}
	// The value is base64 in the JSON, as in Kubernetes.
	if out := e.ok("get", "secret", "db", "-o", "jsonpath={.data.password}"); out != "czNjcmV0" {
		t.Errorf("secret data in JSON: %q", out)
	}
}

func TestRun(t *testing.T) {
	e := newEnv(t)
	if got := e.ok("run", "web", "--image=nginx:1.27", "--port=80", "--env=MODE=fast"); got != "pod/web created\n" {
		t.Errorf("run: %q", got)
	}
	p := e.get(scheme.PodGVK, "default", "web").(*core.Pod)
	c := p.Spec.Containers[0]
	if p.Labels["run"] != "web" || c.Name != "web" || c.Image != "nginx:1.27" || c.Ports[0].ContainerPort != 80 ||
		c.Env[0] != (core.EnvVar{Name: "MODE", Value: "fast"}) || p.Spec.RestartPolicy != core.RestartPolicyAlways {
		t.Errorf("run made %+v", p)
	}
	e.ok("run", "pi", "--image=perl", "--restart=Never", "--labels=app=pi,tier=batch", "--command", "--", "perl", "-e", "print 1")
	p = e.get(scheme.PodGVK, "default", "pi").(*core.Pod)
	if !slices.Equal(p.Spec.Containers[0].Command, []string{"perl", "-e", "print 1"}) || p.Spec.Containers[0].Args != nil ||
		!maps.Equal(p.Labels, map[string]string{"app": "pi", "tier": "batch"}) || p.Spec.RestartPolicy != core.RestartPolicyNever {
		t.Errorf("run --command made %+v", p)
	}
	e.ok("run", "echo", "--image=busybox", "--", "echo", "hi")
	if args := e.get(scheme.PodGVK, "default", "echo").(*core.Pod).Spec.Containers[0].Args; !slices.Equal(args, []string{"echo", "hi"}) {
		t.Errorf("run args: %q", args)
	}
	e.fails("error: --image is required\nSee 'skiff run -h' for help and examples.\n", "run", "x")
	e.fails("error: invalid restart policy: Sometimes\nSee 'skiff run -h' for help and examples.\n", "run", "x", "--image=a", "--restart=Sometimes")
}
