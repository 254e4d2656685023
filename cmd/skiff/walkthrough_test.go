package main

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// readmeWalkthrough returns the command lines of the README's walkthrough: the "./skiff"
// lines between its markers, without the "./skiff" and trailing comments, split into
// arguments.
func readmeWalkthrough(t *testing.T, readme string) [][]string {
	t.Helper()
	const begin, end = "<!-- walkthrough:", "<!-- end walkthrough -->"
	i, j := strings.Index(readme, begin), strings.Index(readme, end)
	if i < 0 || j < i {
		t.Fatalf("README has no walkthrough between %q and %q", begin, end)
	}
	var cmds [][]string
	for _, line := range strings.Split(readme[i:j], "\n") {
		line, ok := strings.CutPrefix(strings.TrimSpace(line), "./skiff ")
		if !ok {
			continue
		}
		if k := strings.Index(line, "  #"); k >= 0 {
			line = line[:k]
		}
		args, err := splitWords(line)
		if err != nil {
			t.Fatalf("walkthrough line %q: %v", line, err)
		}
		cmds = append(cmds, args)
	}
	if len(cmds) < 5 {
		t.Fatalf("the README walkthrough has %d commands", len(cmds))
	}
	return cmds
}

// splitWords splits a command line as a shell does for words, single and double quotes only:
// anything more (escapes, variables, pipes) has no place in the walkthrough.
func splitWords(s string) ([]string, error) {
	var words []string
	var cur strings.Builder
	inWord := false
	var quote rune
	for _, c := range s {
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteRune(c)
		case c == '\'' || c == '"':
			quote, inWord = c, true
		case c == ' ' || c == '\t':
			if inWord {
				words = append(words, cur.String())
				cur.Reset()
				inWord = false
			}
		case strings.ContainsRune(`\$|&;<>()*?`+"`", c):
			return nil, &wordError{c}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, &wordError{quote}
	}
	if inWord {
		words = append(words, cur.String())
	}
	return words, nil
}

type wordError struct{ c rune }

func (e *wordError) Error() string { return "unsupported shell syntax at " + string(e.c) }

func TestSplitWords(t *testing.T) {
	got, err := splitWords(`patch deploy x -p '{"a": [1, 2]}' --type "json"`)
	want := []string{"patch", "deploy", "x", "-p", `{"a": [1, 2]}`, "--type", "json"}
	if err != nil || strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("splitWords = %q, %v; want %q", got, err, want)
	}
	for _, bad := range []string{`get pods | head`, `get 'pods`, `get $X`} {
		if _, err := splitWords(bad); err == nil {
			t.Errorf("splitWords(%q) accepted it", bad)
		}
	}
}

// TestReadmeWalkthrough runs the README's walkthrough, line by line, against a real plane,
// from the repository's root as the README says: every command must succeed, and the
// rollout, the rollback and the deletion must have the effects the comments promise.
func TestReadmeWalkthrough(t *testing.T) {
	bin := buildSkiff(t)
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	p := startPlane(t, bin, t.TempDir())
	image := func() string {
		t.Helper()
		out, errOut, code := p.runAt(t, bin, root, "", "get", "deployment", "nginx-deployment", "-o", "json")
		var d struct {
			Spec struct {
				Template struct {
					Spec struct {
						Containers []struct{ Image string }
					}
				}
			}
		}
		if code != 0 || json.Unmarshal([]byte(out), &d) != nil || len(d.Spec.Template.Spec.Containers) == 0 {
			t.Fatalf("get deployment: exit %d, %q, %q", code, out, errOut)
		}
		return d.Spec.Template.Spec.Containers[0].Image
	}
	var set, undone, drained, deleted bool
	for _, args := range readmeWalkthrough(t, string(readme)) {
		line := strings.Join(args, " ")
		if watching(args) {
			p.watchUntil(t, bin, root, args, func(out string) bool { return strings.Count(out, " Running ") >= 3 })
			continue
		}
		out, errOut, code := p.runAt(t, bin, root, "", args...)
		if code != 0 {
			t.Fatalf("skiff %s: exit %d\nstdout:\n%s\nstderr:\n%s", line, code, out, errOut)
		}
		switch {
		case strings.HasPrefix(line, "set image"):
			set = true
			if got := image(); got != "nginx:1.27" {
				t.Errorf("after set image: image %q", got)
			}
		case strings.HasPrefix(line, "rollout undo"):
			undone = true
			if got := image(); got != "nginx:1.14.2" {
				t.Errorf("after rollout undo: image %q", got)
			}
		case strings.HasPrefix(line, "get pods -o jsonpath"):
			lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
			for _, l := range lines {
				name, image, ok := strings.Cut(l, "\t")
				if !ok || !strings.HasPrefix(name, "nginx-deployment-") || !strings.HasPrefix(image, "nginx:") {
					t.Errorf("jsonpath output line %q, want NAME<tab>IMAGE:\n%s", l, out)
					break
				}
			}
		case strings.HasPrefix(line, "drain node-1"):
			drained = true
			out, _, _ := p.runAt(t, bin, root, "", "get", "pods", "-o", `jsonpath={.items[?(@.spec.nodeName=="node-1")].metadata.name}`)
			if out != "" {
				t.Errorf("pods still on the drained node: %s", out)
			}
		case strings.HasPrefix(line, "delete deployment"):
			deleted = true
			// delete waits for the deployment; the garbage collector then removes its
			// replica sets and their pods, concurrently.
			eventually(t, p, bin, "the deployment's replica sets and pods to go", func(out string) bool {
				return !strings.Contains(out, "nginx-deployment")
			}, "get", "deployment,replicaset,pods", "--no-headers")
		}
	}
	if !set || !undone || !drained || !deleted {
		t.Errorf("the walkthrough lost a step: set image %v, rollout undo %v, drain %v, delete %v", set, undone, drained, deleted)
	}
	p.stop(t)
}

// watching reports whether args run a watch (get -w), which only ends when stopped.
func watching(args []string) bool {
	for _, a := range args {
		if a == "-w" || a == "--watch" {
			return true
		}
	}
	return false
}

// watchUntil runs a watching command until its output satisfies cond, then stops it as
// Ctrl-C would; it fails the test if the command ends by itself or cond does not hold
// within commandTimeout.
func (p *plane) watchUntil(t *testing.T, bin, dir string, args []string, cond func(string) bool) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "SKIFF_SERVER="+p.server)
	var out lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	deadline := time.NewTimer(commandTimeout)
	defer deadline.Stop()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond(out.String()) {
		select {
		case err := <-exited:
			t.Fatalf("skiff %s ended by itself (%v):\n%s", strings.Join(args, " "), err, out.String())
		case <-deadline.C:
			_ = cmd.Process.Kill()
			<-exited
			t.Fatalf("skiff %s: condition not met in %v:\n%s", strings.Join(args, " "), commandTimeout, out.String())
		case <-tick.C:
		}
	}
	_ = cmd.Process.Signal(os.Interrupt)
	if err := <-exited; err != nil {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() > 1 {
			t.Errorf("skiff %s after Ctrl-C: %v", strings.Join(args, " "), err)
		}
	}
}

// lockedBuffer is a bytes.Buffer that a command writes while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex // guards b
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
