package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"
)

// serverRE finds the API server's address in the logs of up.
var serverRE = regexp.MustCompile(`server=(http://[0-9.:]+)`)

// startUp runs `skiff up` on dir with a random loopback port, waits until it serves, and
// returns the server's URL and a function that stops it (as SIGINT would) and returns its
// exit code and logs.
func startUp(t *testing.T, dir string, extra ...string) (server string, stop func() (int, string)) {
	t.Helper()
	var out, errOut syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	args := append([]string{"up", "--data", dir, "--listen", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"}, extra...)
	go func() {
		done <- Run(ctx, args, Options{Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }})
	}()
	stopped := false
	stop = func() (int, string) {
		if !stopped {
			stopped = true
			cancel()
		}
		return <-done, errOut.String()
	}
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	eventually(t, "skiff up to serve", func() bool {
		select {
		case code := <-done:
			done <- code
			t.Fatalf("skiff up exited %d:\n%s", code, errOut.String())
		default:
		}
		return serverRE.MatchString(errOut.String())
	})
	return serverRE.FindStringSubmatch(errOut.String())[1], stop
}

// over runs a command line against the API server at server, through the HTTP client.
func over(t *testing.T, server string, in string, args ...string) result {
	t.Helper()
	var out, errOut syncBuffer
	code := Run(context.Background(), append(args, "--server", server), Options{In: strings.NewReader(in), Out: &out, ErrOut: &errOut,
		Getenv: func(string) string { return "" }})
	return result{out: out.String(), err: errOut.String(), code: code}
}

func TestUpServesTheAPIAndResumes(t *testing.T) {
	dir := t.TempDir()
	server, stop := startUp(t, dir)

	if r := over(t, server, "", "get", "ns", "-o", "name"); r.code != 0 || r.out != "namespace/default\nnamespace/kube-node-lease\nnamespace/kube-public\nnamespace/kube-system\n" {
		t.Errorf("get ns: %+v", r)
	}
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\ndata:\n  a: b\n"
	if r := over(t, server, cm, "apply", "-f", "-"); r.code != 0 || r.out != "configmap/kept created\n" {
		t.Errorf("apply: %+v", r)
	}
	if r := over(t, server, cm, "apply", "-f", "-"); r.code != 0 || r.out != "configmap/kept unchanged\n" {
		t.Errorf("apply again: %+v", r)
	}
	if r := over(t, server, "", "get", "deploy", "nope"); r.code != 1 || r.err != "Error from server (NotFound): deployments.apps \"nope\" not found\n" {
		t.Errorf("get missing: %+v", r)
	}
	// A watch over HTTP.
	var out, errOut syncBuffer
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"get", "cm", "-w", "--server", server}, Options{Out: &out, ErrOut: &errOut, Getenv: func(string) string { return "" }})
	}()
	eventually(t, "the initial list", func() bool { return strings.Contains(out.String(), "kept ") })
	if r := over(t, server, "", "create", "cm", "-f", "-"); r.code != 1 {
		t.Errorf("create cm without -f is a usage error: %+v", r)
	}
	if r := over(t, server, "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: later\n", "create", "-f", "-"); r.code != 0 {
		t.Errorf("create: %+v", r)
	}
	eventually(t, "the watched object", func() bool { return strings.Contains(out.String(), "later ") })
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("get -w exited %d: %s", code, errOut.String())
	}

	if r := over(t, server, "", "version"); r.code != 0 || !strings.Contains(r.out, "Server Version: v") {
		t.Errorf("version: %+v", r)
	}
	code, logs := stop()
	if code != 0 || !strings.Contains(logs, "Stopped") {
		t.Fatalf("up exited %d:\n%s", code, logs)
	}
	if r := over(t, server, "", "get", "ns"); r.code != 1 || !strings.HasPrefix(r.err, "The connection to the server 127.0.0.1:") {
		t.Errorf("get after stop: %+v", r)
	}

	server, stop = startUp(t, dir)
	if r := over(t, server, "", "get", "cm", "kept", "-o", "jsonpath"); r.code != 1 {
		t.Errorf("bad output format accepted: %+v", r)
	}
	if r := over(t, server, "", "get", "cm", "kept", "--no-headers"); r.code != 0 || !strings.HasPrefix(r.out, "kept ") {
		t.Errorf("after restart: %+v", r)
	}
	if code, logs := stop(); code != 0 {
		t.Errorf("second up exited %d:\n%s", code, logs)
	}
}

func TestUpRejectsBadFlags(t *testing.T) {
	e := newEnv(t)
	r := e.run("up", "--data", t.TempDir(), "--nodes", "-1", "--node-memory", "lots")
	if r.code != 1 || r.err != "error: --nodes must not be negative\n--node-memory \"lots\" is not a positive quantity\n" {
		t.Errorf("bad flags: %+v", r)
	}
}

func TestUpWithToken(t *testing.T) {
	server, stop := startUp(t, t.TempDir(), "--token", "s3cret")
	if r := over(t, server, "", "get", "ns", "-o", "name"); r.code != 1 || r.err != "error: You must be logged in to the server (Unauthorized)\n" {
		t.Errorf("without the token: %+v", r)
	}
	if r := over(t, server, "", "get", "ns", "-o", "name", "--token", "s3cret"); r.code != 0 {
		t.Errorf("with the token: %+v", r)
	}
	stop()
}
