package cli

import "testing"

func TestSoakRejectsBadFlags(t *testing.T) {
	e := newEnv(t)
	r := e.run("soak", "--duration", "0s", "--nodes", "0", "--converge-timeout", "-1s")
	want := "error: --duration 0s must be positive\n--nodes 0 must be at least 1\n--converge-timeout -1s must be positive\n"
	if r.code != 1 || r.err != want {
		t.Errorf("bad flags: %+v", r)
	}
	if r := e.run("soak", "extra"); r.code != 1 {
		t.Errorf("soak with an argument: %+v", r)
	}
}
