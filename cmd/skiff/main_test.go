package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			os.Stderr.WriteString("goleak: " + err.Error() + "\n")
			code = 1
		}
	}
	os.Exit(code)
}

// The binary, built once for every test.
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
	buildOut  []byte
)

// commandTimeout bounds every run of the binary: its expiry is a failure, never a wait.
const commandTimeout = 30 * time.Second

// buildSkiff builds the skiff binary into a temporary directory, once.
func buildSkiff(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "skiff-test-"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "skiff")
		buildOut, buildErr = exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("go build: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

// plane is a `skiff up` process.
type plane struct {
	cmd    *exec.Cmd
	server string
	mu     sync.Mutex // guards logs
	logs   bytes.Buffer
	done   chan struct{} // closed once stderr is drained
}

var serverRE = regexp.MustCompile(`server=(http://[0-9.:]+)`)

// startPlane runs `skiff up` on dir with a random loopback port and waits until it serves.
func startPlane(t *testing.T, bin, dir string) *plane {
	t.Helper()
	p := &plane{cmd: exec.Command(bin, "up", "--data", dir, "--listen", "127.0.0.1:0", "--metrics-addr", "127.0.0.1:0"),
		done: make(chan struct{})}
	stderr, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	found := make(chan string, 1)
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			p.mu.Lock()
			p.logs.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
			if m := serverRE.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			<-p.done
			_ = p.cmd.Wait()
		}
	})
	select {
	case p.server = <-found:
	case <-p.done:
		t.Fatalf("skiff up exited before serving:\n%s", p.log())
	case <-time.After(commandTimeout):
		t.Fatalf("skiff up did not serve in time:\n%s", p.log())
	}
	return p
}

func (p *plane) log() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// stop sends SIGTERM and waits for a clean exit.
func (p *plane) stop(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	<-p.done
	if err := p.cmd.Wait(); err != nil {
		t.Fatalf("skiff up after SIGTERM: %v\n%s", err, p.log())
	}
	if !strings.Contains(p.log(), `msg=Stopped`) {
		t.Errorf("skiff up did not report a clean stop:\n%s", p.log())
	}
}

// run runs the binary against the plane with stdin in.
func (p *plane) run(t *testing.T, bin, in string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return p.runAt(t, bin, "", in, args...)
}

// runAt runs the binary against the plane in directory dir ("" for the test's) with stdin in.
func (p *plane) runAt(t *testing.T, bin, dir, in string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SKIFF_SERVER="+p.server)
	cmd.Stdin = strings.NewReader(in)
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	if ee, ok := err.(*exec.ExitError); ok {
		return out.String(), errOut.String(), ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("skiff %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String(), 0
}

// eventually runs a command until its output satisfies cond, failing the test after
// commandTimeout: the plane's nodes work concurrently with the test.
func eventually(t *testing.T, p *plane, bin, what string, cond func(string) bool, args ...string) {
	t.Helper()
	deadline := time.Now().Add(commandTimeout)
	for {
		out, errOut, code := p.run(t, bin, "", args...)
		if code == 0 && cond(out) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s: last output %q, stderr %q", what, out, errOut)
		}
		<-time.After(20 * time.Millisecond)
	}
}

const manifests = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: nginx
        image: nginx:1.25
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: settings
data:
  mode: fast
---
apiVersion: v1
kind: Node
metadata:
  name: extra-node
`

func TestBinaryAgainstARunningPlane(t *testing.T) {
	bin := buildSkiff(t)
	dir := t.TempDir()
	p := startPlane(t, bin, dir)

	expect := func(wantOut, wantErr string, wantCode int, in string, args ...string) string {
		t.Helper()
		out, errOut, code := p.run(t, bin, in, args...)
		if code != wantCode || (wantOut != "*" && out != wantOut) || errOut != wantErr {
			t.Errorf("skiff %s: exit %d, stdout %q, stderr %q; want exit %d, stdout %q, stderr %q",
				strings.Join(args, " "), code, out, errOut, wantCode, wantOut, wantErr)
		}
		return out
	}

	expect("deployment.apps/web created\nconfigmap/settings created\nnode/extra-node created\n", "", 0, manifests, "apply", "-f", "-")
	expect("deployment.apps/web unchanged\nconfigmap/settings unchanged\nnode/extra-node unchanged\n", "", 0, manifests, "apply", "-f", "-")

	out := expect("*", "", 0, "", "get", "deploy")
	if lines := strings.Split(out, "\n"); !strings.HasPrefix(lines[0], "NAME   READY   UP-TO-DATE   AVAILABLE   AGE") ||
		!strings.HasPrefix(lines[1], "web    ") {
		t.Errorf("get deploy:\n%s", out)
	}
	var obj map[string]any
	if err := json.Unmarshal([]byte(expect("*", "", 0, "", "get", "deployment.apps", "web", "-o", "json")), &obj); err != nil || obj["kind"] != "Deployment" {
		t.Errorf("get -o json: %v %v", err, obj["kind"])
	}
	var list map[string]any
	if err := json.Unmarshal([]byte(expect("*", "", 0, "", "get", "deploy,cm", "-o", "json")), &list); err != nil ||
		list["kind"] != "List" || len(list["items"].([]any)) != 2 {
		t.Errorf("get -o json of two kinds: %v %v", err, list)
	}
	expect("", "Error from server (NotFound): deployments.apps \"nope\" not found\n", 1, "", "get", "deploy", "nope")
	expect("", "error: You must specify the type of resource to get. Use \"skiff api-resources\" for a complete list of supported resources.\n"+
		"See 'skiff get -h' for help and examples.\n", 1, "", "get")
	expect("", "error: the server doesn't have a resource type \"gizmos\"\n", 1, "", "get", "gizmos")

	// The plane's three simulated nodes, and one for the Node applied above, run pods.
	eventually(t, p, bin, "four Ready nodes", func(out string) bool { return strings.Count(out, " Ready ") == 4 }, "get", "nodes", "--no-headers")
	expect("pod/solo created\n", "", 0, "apiVersion: v1\nkind: Pod\nmetadata:\n  name: solo\nspec:\n  containers:\n  - name: app\n    image: nginx:1.25\n",
		"apply", "-f", "-")
	eventually(t, p, bin, "the pod to run", func(out string) bool {
		f := strings.Fields(out)
		return len(f) == 5 && f[0] == "solo" && f[1] == "1/1" && f[2] == "Running" && f[3] == "0"
	}, "get", "pod", "solo", "--no-headers")
	expect("pod \"solo\" deleted\n", "", 0, "", "delete", "pod", "solo")
	expect("", "No resources found in default namespace.\n", 0, "", "get", "pods", "--field-selector", "metadata.name=solo")

	expect("deployment.apps/web scaled\n", "", 0, "", "scale", "deploy/web", "--replicas=4")
	expect("deployment.apps/web paused\n", "", 0, "", "rollout", "pause", "deploy/web")
	expect("", "error: deployments.apps \"web\" is already paused\n", 1, "", "rollout", "pause", "deploy/web")
	expect("deployment.apps/web resumed\n", "", 0, "", "rollout", "resume", "deploy/web")
	expect("node/extra-node cordoned\n", "", 0, "", "cordon", "extra-node")
	expect("*", "", 0, "", "describe", "node", "extra-node")
	expect("deployment.apps \"web\" deleted\n", "", 0, "", "delete", "deploy", "web")
	expect("", "Error from server (NotFound): deployments.apps \"web\" not found\n", 1, "", "delete", "deploy", "web")
	if out := expect("*", "", 0, "", "version"); !strings.Contains(out, "Server Version: v") {
		t.Errorf("version: %q", out)
	}

	p.stop(t)
	_, errOut, code := p.run(t, bin, "", "get", "pods")
	if code != 1 || !strings.HasPrefix(errOut, "The connection to the server 127.0.0.1:") {
		t.Errorf("get pods against a stopped plane: exit %d, %q", code, errOut)
	}

	// A restart on the same data resumes where the plane left off.
	p = startPlane(t, bin, dir)
	expect("configmap/settings\n", "", 0, "", "get", "cm", "settings", "-o", "name")
	expect("", "No resources found in default namespace.\n", 0, "", "get", "deploy")
	if out := expect("*", "", 0, "", "get", "no", "extra-node", "--no-headers"); !strings.Contains(out, "SchedulingDisabled") {
		t.Errorf("node after restart: %q", out)
	}
	p.stop(t)
}

func TestBinaryUsage(t *testing.T) {
	bin := buildSkiff(t)
	cmd := exec.Command(bin, "scale", "deploy/web")
	var errOut bytes.Buffer
	cmd.Stderr = &errOut
	cmd.Stdout = io.Discard
	err := cmd.Run()
	ee, ok := err.(*exec.ExitError)
	if !ok || ee.ExitCode() != 1 {
		t.Fatalf("scale without --replicas: %v", err)
	}
	want := "error: The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0\nSee 'skiff scale -h' for help and examples.\n"
	if errOut.String() != want {
		t.Errorf("stderr %q, want %q", errOut.String(), want)
	}
}
