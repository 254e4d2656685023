package boltstore

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/storetest"
)

// The crash test re-executes the test binary as a child that writes continuously and prints
// one line per acknowledged write; the parent kills it with SIGKILL at a random moment,
// reopens the store and checks that every acknowledged write survived and that the revision
// never went backwards.

const (
	crashChildEnv  = "SKIFF_BOLTSTORE_CRASH_DIR"
	crashRoundEnv  = "SKIFF_BOLTSTORE_CRASH_ROUND"
	crashRounds    = 20
	crashWriters   = 4
	crashNamespace = "crash"
)

// crashChild is the child's main: it never returns.
func crashChild() {
	s, err := Open(os.Getenv(crashChildEnv), Options{Scheme: scheme.NewBuiltin()})
	if err != nil {
		fmt.Fprintln(os.Stderr, "open:", err)
		os.Exit(2)
	}
	round := os.Getenv(crashRoundEnv)
	var outMu sync.Mutex
	ack := func(format string, args ...any) {
		outMu.Lock()
		fmt.Fprintf(os.Stdout, format+"\n", args...) // one write(2) per line: atomic on a pipe
		outMu.Unlock()
	}
	ack("ready")
	ctx := context.Background()
	for w := range crashWriters {
		go func() {
			rng := rand.New(rand.NewPCG(uint64(w), uint64(len(round))))
			var live []string
			for i := 0; ; i++ {
				switch n := rng.IntN(10); {
				case n < 2 && len(live) > 0: // update
					name := live[rng.IntN(len(live))]
					val := strconv.Itoa(i)
					out, err := s.Update(ctx, storetest.ConfigMap(crashNamespace, name, map[string]string{"v": val}), store.UpdateOptions{})
					if err != nil {
						fmt.Fprintln(os.Stderr, "update:", err)
						os.Exit(3)
					}
					ack("U %s %s %s", name, out.GetResourceVersion(), val)
				case n < 3 && len(live) > 0: // delete
					j := rng.IntN(len(live))
					name := live[j]
					ack("d %s", name) // the delete may land even if the process dies before its ack
					out, err := s.Delete(ctx, scheme.ConfigMapGVK, crashNamespace, name, store.DeleteOptions{})
					if err != nil {
						fmt.Fprintln(os.Stderr, "delete:", err)
						os.Exit(3)
					}
					live = append(live[:j], live[j+1:]...)
					ack("D %s %s", name, out.GetResourceVersion())
				default: // create
					name := fmt.Sprintf("r%s-w%d-%d", round, w, i)
					out, err := s.Create(ctx, storetest.ConfigMap(crashNamespace, name, map[string]string{"v": "0"}), store.CreateOptions{})
					if err != nil {
						fmt.Fprintln(os.Stderr, "create:", err)
						os.Exit(3)
					}
					live = append(live, name)
					ack("C %s %s 0", name, out.GetResourceVersion())
				}
			}
		}()
	}
	select {}
}

type ackedState struct {
	exists   bool
	deleting bool // a delete was started but not acknowledged
	rev      uint64
	value    string
}

func TestCrashSafety(t *testing.T) {
	dir := t.TempDir()
	acked := map[string]ackedState{}
	var lastRev uint64
	totalAcks := 0
	for round := range crashRounds {
		lines := runCrashChild(t, dir, round, time.Duration(rand.IntN(40))*time.Millisecond)
		maxAcked := uint64(0)
		for _, l := range lines {
			f := strings.Fields(l)
			if len(f) == 2 && f[0] == "d" {
				a := acked[f[1]]
				a.deleting = true
				acked[f[1]] = a
				continue
			}
			if len(f) < 3 {
				t.Fatalf("round %d: bad line %q", round, l)
			}
			rev, err := strconv.ParseUint(f[2], 10, 64)
			if err != nil {
				t.Fatalf("round %d: bad line %q", round, l)
			}
			maxAcked = max(maxAcked, rev)
			switch f[0] {
			case "C", "U":
				acked[f[1]] = ackedState{exists: true, rev: rev, value: f[3]}
			case "D":
				acked[f[1]] = ackedState{rev: rev}
			}
			totalAcks++
		}
		s, err := Open(dir, Options{Scheme: scheme.NewBuiltin()})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		rev := s.CurrentRevision()
		if rev < lastRev || rev < maxAcked {
			s.Close()
			t.Fatalf("round %d: revision %d after restart; before the crash it was at least %d (last open %d)", round, rev, maxAcked, lastRev)
		}
		lastRev = rev
		for name, a := range acked {
			obj, err := s.Get(context.Background(), scheme.ConfigMapGVK, crashNamespace, name)
			switch {
			case !a.exists && !store.IsNotFound(err):
				t.Errorf("round %d: %s was deleted at %d (acknowledged) but is back: %v", round, name, a.rev, err)
			case a.exists && a.deleting && store.IsNotFound(err):
				acked[name] = ackedState{} // the unacknowledged delete landed
			case a.exists && err != nil:
				t.Errorf("round %d: acknowledged write of %s at %d lost: %v", round, name, a.rev, err)
			case a.exists:
				got := rv(t, obj)
				if got < a.rev || (got == a.rev && obj.(*core.ConfigMap).Data["v"] != a.value) {
					t.Errorf("round %d: %s at %d = %q, acknowledged %q at %d", round, name, got, obj.(*core.ConfigMap).Data["v"], a.value, a.rev)
				}
				// A write in flight at the kill may have landed: adopt what is there.
				acked[name] = ackedState{exists: true, rev: got, value: obj.(*core.ConfigMap).Data["v"], deleting: a.deleting}
			}
		}
		s.Close()
		if t.Failed() {
			return
		}
	}
	t.Logf("%d rounds, %d acknowledged writes, final revision %d", crashRounds, totalAcks, lastRev)
	if totalAcks < crashRounds {
		t.Fatalf("only %d acknowledged writes in %d rounds: the child barely ran", totalAcks, crashRounds)
	}
}

// runCrashChild starts a writer child on dir, lets it write for about d after it is ready,
// kills it with SIGKILL and returns the acknowledgement lines it printed.
func runCrashChild(t *testing.T, dir string, round int, d time.Duration) []string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir, crashRoundEnv+"="+strconv.Itoa(round))
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	if !sc.Scan() || sc.Text() != "ready" {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatalf("round %d: child did not start: %s", round, stderr.String())
	}
	timer := time.AfterFunc(d, func() { cmd.Process.Kill() })
	defer timer.Stop()
	var lines []string
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	err = cmd.Wait()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != -1 {
		t.Fatalf("round %d: child ended with %v, not SIGKILL: %s", round, err, stderr.String())
	}
	return lines
}

func rv(t *testing.T, obj interface{ GetResourceVersion() string }) uint64 {
	t.Helper()
	n, err := store.ParseResourceVersion(obj.GetResourceVersion())
	if err != nil {
		t.Fatal(err)
	}
	return n
}
