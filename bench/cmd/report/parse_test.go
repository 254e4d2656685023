package main

import (
	"reflect"
	"strings"
	"testing"
)

// sampleOutput is `go test -bench` output as the report sees it: headers, results with
// standard and custom units, b.Log lines, a result split by the benchmark's own printing,
// a failure line and the closing PASS/ok lines.
const sampleOutput = `goos: linux
goarch: amd64
pkg: github.com/skiff-dev/skiff/store/boltstore
cpu: AMD EPYC
BenchmarkCreate/writers=64-2        	    9964	    166795 ns/op	        58.65 cpu-µs/op	      5995 creates/s	        43.13 writes/txn
BenchmarkQueue/b=4P4C/impl=client-go-2     	 1000000	       677.5 ns/op	         1.000 gets/op	     106 B/op	       0 allocs/op
--- BENCH: BenchmarkScale/replicas=10000,nodes=100-2
    bench_test.go:77: 0→10000 available in 14.5s
BenchmarkScale/replicas=10000,nodes=100-2         	       1	28030703969 ns/op	       232.3 MiB-heap	        13.50 s-rollout
BenchmarkChatty-2
chatter from the benchmark
    3	   1234 ns/op	 7.000 things/op
BenchmarkFail-2   	--- FAIL: BenchmarkFail-2
BenchmarkWatch100 	       1	2616963431 ns/op	         0.9226 allocs/event	     11452 p99-µs
PASS
ok  	github.com/skiff-dev/skiff/store/boltstore	28.451s
`

func TestParseOutput(t *testing.T) {
	got, err := ParseOutput(strings.NewReader(sampleOutput))
	if err != nil {
		t.Fatal(err)
	}
	want := []Result{
		{"BenchmarkCreate/writers=64", 9964, map[string]float64{"ns/op": 166795, "cpu-µs/op": 58.65, "creates/s": 5995, "writes/txn": 43.13}},
		{"BenchmarkQueue/b=4P4C/impl=client-go", 1000000, map[string]float64{"ns/op": 677.5, "gets/op": 1, "B/op": 106, "allocs/op": 0}},
		{"BenchmarkScale/replicas=10000,nodes=100", 1, map[string]float64{"ns/op": 28030703969, "MiB-heap": 232.3, "s-rollout": 13.5}},
		{"BenchmarkChatty", 3, map[string]float64{"ns/op": 1234, "things/op": 7}},
		{"BenchmarkWatch100", 1, map[string]float64{"ns/op": 2616963431, "allocs/event": 0.9226, "p99-µs": 11452}},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("ParseOutput:\n got %+v\nwant %+v", got, want)
	}
}

func TestParseOutputErrors(t *testing.T) {
	for _, tc := range []struct {
		name, input, wantErr string
	}{
		{"value not a number", "BenchmarkX-2 \t 10 \t abc ns/op\n", `line 1 "BenchmarkX-2 \t 10 \t abc ns/op": value of ns/op: "abc" is not a number`},
		{"unit missing", "x\nBenchmarkX-2 \t 10 \t 5 ns/op 7\n", "line 2"},
		{"no values", "BenchmarkX-2 \t 10\n", "values: want value/unit pairs, got 0 fields"},
		{"unit twice", "BenchmarkX-2 \t 10 \t 5 ns/op 6 ns/op\n", "unit ns/op reported twice"},
		{"zero iterations", "BenchmarkX-2 \t 0 \t 5 ns/op\n", `iterations: "0" is not a positive count`},
		{"split line malformed", "BenchmarkX-2\n 10 five ns/op\n", "(figures of BenchmarkX-2)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseOutput(strings.NewReader(tc.input))
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("error %v, want one containing %q", err, tc.wantErr)
			}
		})
	}
}

func TestParseOutputNothing(t *testing.T) {
	got, err := ParseOutput(strings.NewReader("testing: warning: no tests to run\nPASS\n"))
	if err != nil || len(got) != 0 {
		t.Fatalf("got %v, %v; want no results and no error", got, err)
	}
}

func TestTrimProcs(t *testing.T) {
	for in, want := range map[string]string{
		"BenchmarkGet-2":                         "BenchmarkGet",
		"BenchmarkGet-16":                        "BenchmarkGet",
		"BenchmarkGet":                           "BenchmarkGet",
		"BenchmarkQueue/impl=client-go":          "BenchmarkQueue/impl=client-go",
		"BenchmarkQueue/impl=client-go-8":        "BenchmarkQueue/impl=client-go",
		"BenchmarkX-":                            "BenchmarkX-",
		"BenchmarkScale/nodes=1000,pods=30000-2": "BenchmarkScale/nodes=1000,pods=30000",
	} {
		if got := trimProcs(in); got != want {
			t.Errorf("trimProcs(%q) = %q, want %q", in, got, want)
		}
	}
}
