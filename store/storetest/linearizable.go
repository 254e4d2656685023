package storetest

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/store"
)

var concurrencyTests = []test{
	{"Linearizable", testLinearizable},
}

// The linearizability test drives concurrent Create, Update (conditional and unconditional),
// Get and Delete on a few keys from many goroutines, records the history and checks it with
// porcupine against a sequential model of one register per key.

type linOp int

const (
	opCreate linOp = iota
	opUpdate
	opGet
	opDelete
)

type linInput struct {
	key   string
	op    linOp
	value string // create and update
	rv    string // update: the resourceVersion sent ("" = unconditional)
}

type linOutput struct {
	reason store.Reason // "" on success
	found  bool         // get
	value  string       // get
	rv     string       // create, update, get
	other  error        // an error the model does not expect
}

type linState struct {
	exists bool
	value  string
	rv     string
}

var linModel = porcupine.Model{
	Partition: func(h []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		var keys []string
		for _, op := range h {
			k := op.Input.(linInput).key
			if _, ok := byKey[k]; !ok {
				keys = append(keys, k)
			}
			byKey[k] = append(byKey[k], op)
		}
		out := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() any { return linState{} },
	Step: func(state, input, output any) (bool, any) {
		s, in, out := state.(linState), input.(linInput), output.(linOutput)
		if out.other != nil {
			return false, s
		}
		switch in.op {
		case opCreate:
			if s.exists {
				return out.reason == store.ReasonAlreadyExists, s
			}
			return out.reason == "" && newer(out.rv, s.rv), linState{true, in.value, out.rv}
		case opUpdate:
			if !s.exists {
				return out.reason == store.ReasonNotFound, s
			}
			if in.rv != "" && in.rv != s.rv {
				return out.reason == store.ReasonConflict, s
			}
			return out.reason == "" && newer(out.rv, s.rv), linState{true, in.value, out.rv}
		case opGet:
			if !s.exists {
				return out.reason == store.ReasonNotFound, s
			}
			return out.reason == "" && out.found && out.value == s.value && out.rv == s.rv, s
		case opDelete:
			if !s.exists {
				return out.reason == store.ReasonNotFound, s
			}
			return out.reason == "", linState{rv: s.rv}
		}
		return false, s
	},
	DescribeOperation: func(input, output any) string {
		in, out := input.(linInput), output.(linOutput)
		return fmt.Sprintf("%s op%d(%s,%s) -> %s %v %s %s", in.key, in.op, in.value, in.rv, out.reason, out.found, out.value, out.rv)
	},
}

// newer reports whether resourceVersion a is after b (b may be empty).
func newer(a, b string) bool {
	x, err1 := strconv.ParseUint(a, 10, 64)
	if b == "" {
		return err1 == nil
	}
	y, err2 := strconv.ParseUint(b, 10, 64)
	return err1 == nil && err2 == nil && x > y
}

func testLinearizable(t *testing.T, e *env) {
	const clients, opsPerClient = 8, 120
	keys := []string{"k0", "k1", "k2"}
	start := time.Now()
	var mu sync.Mutex
	var history []porcupine.Operation
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 7))
			lastRV := map[string]string{}
			for i := range opsPerClient {
				in := linInput{key: keys[rng.IntN(len(keys))], op: linOp(rng.IntN(4)), value: fmt.Sprintf("c%d-%d", c, i)}
				if in.op == opUpdate && rng.IntN(2) == 0 {
					in.rv = lastRV[in.key]
				}
				call := time.Since(start).Nanoseconds()
				out := e.linApply(in)
				ret := time.Since(start).Nanoseconds()
				if out.rv != "" {
					lastRV[in.key] = out.rv
				}
				mu.Lock()
				history = append(history, porcupine.Operation{ClientId: c, Input: in, Call: call, Output: out, Return: ret})
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	res, info := porcupine.CheckOperationsVerbose(linModel, history, 60*time.Second)
	switch res {
	case porcupine.Ok:
	case porcupine.Unknown:
		t.Log("linearizability check timed out; history not verified")
	default:
		_ = info
		m := linModel
		m.Partition = nil
		for _, part := range linModel.Partition(history) {
			if porcupine.CheckOperations(m, part) {
				continue
			}
			slices.SortFunc(part, func(a, b porcupine.Operation) int { return int(a.Call - b.Call) })
			for _, op := range part {
				t.Logf("[%d,%d] c%d %s", op.Call, op.Return, op.ClientId, linModel.DescribeOperation(op.Input, op.Output))
			}
			break
		}
		t.Fatalf("history of %d operations is not linearizable", len(history))
	}
}

// linApply runs one operation against the store.
func (e *env) linApply(in linInput) linOutput {
	var out linOutput
	result := func(err error) bool {
		if err == nil {
			return true
		}
		out.reason = store.ReasonOf(err)
		switch out.reason {
		case store.ReasonNotFound, store.ReasonAlreadyExists, store.ReasonConflict:
		default:
			out.other = err
		}
		return false
	}
	switch in.op {
	case opCreate:
		o, err := e.s.Create(e.ctx, ConfigMap("lin", in.key, map[string]string{"v": in.value}), store.CreateOptions{})
		if result(err) {
			out.rv = o.GetResourceVersion()
		}
	case opUpdate:
		cm := ConfigMap("lin", in.key, map[string]string{"v": in.value})
		cm.ResourceVersion = in.rv
		o, err := e.s.Update(e.ctx, cm, store.UpdateOptions{})
		if result(err) {
			out.rv = o.GetResourceVersion()
		}
	case opGet:
		o, err := e.s.Get(e.ctx, configMapGVK, "lin", in.key)
		if result(err) {
			out.found, out.value, out.rv = true, o.(*core.ConfigMap).Data["v"], o.GetResourceVersion()
		}
	case opDelete:
		_, err := e.s.Delete(e.ctx, configMapGVK, "lin", in.key, store.DeleteOptions{})
		result(err)
	}
	return out
}
