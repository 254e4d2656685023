package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Result is one line of `go test -bench` output: a benchmark run N times, and every value
// it reported, keyed by unit (ns/op, B/op, allocs/op and the benchmark's own b.ReportMetric
// units such as creates/s).
type Result struct {
	Name    string // without the -GOMAXPROCS suffix
	N       int64
	Metrics map[string]float64
}

// ParseOutput reads `go test -bench` output and returns its result lines in order. Lines
// that are not results (headers, PASS, logs of b.Log, test output) are skipped. A result
// split over two lines, as happens when a benchmark writes to standard output while it runs
// (the name first, the figures on a later line), is joined again. A line that starts like a
// result but is malformed is an error naming the line.
func ParseOutput(r io.Reader) ([]Result, error) {
	var (
		out     []Result
		pending string // a benchmark name printed alone, waiting for its figures
		lineNo  int
	)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 4*1024*1024)
	for sc.Scan() {
		lineNo++
		line := sc.Text()
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		switch {
		case strings.HasPrefix(line, "Benchmark"):
			if len(fields) == 1 {
				pending = fields[0]
				continue
			}
			if _, err := strconv.ParseInt(fields[1], 10, 64); err != nil {
				// "BenchmarkX-2 --- FAIL: ..." and the like: not a result.
				pending = ""
				continue
			}
			res, err := parseFields(fields[0], fields[1:])
			if err != nil {
				return nil, fmt.Errorf("line %d %q: %w", lineNo, line, err)
			}
			out = append(out, res)
			pending = ""
		case pending != "" && isDigits(fields[0]) && len(fields) >= 3:
			res, err := parseFields(pending, fields)
			if err != nil {
				return nil, fmt.Errorf("line %d %q (figures of %s): %w", lineNo, line, pending, err)
			}
			out = append(out, res)
			pending = ""
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// parseFields parses "N value unit value unit ..." for the benchmark called name.
func parseFields(name string, fields []string) (Result, error) {
	n, err := strconv.ParseInt(fields[0], 10, 64)
	if err != nil || n <= 0 {
		return Result{}, fmt.Errorf("iterations: %q is not a positive count", fields[0])
	}
	rest := fields[1:]
	if len(rest) == 0 || len(rest)%2 != 0 {
		return Result{}, fmt.Errorf("values: want value/unit pairs, got %d fields", len(rest))
	}
	res := Result{Name: trimProcs(name), N: n, Metrics: make(map[string]float64, len(rest)/2)}
	for i := 0; i < len(rest); i += 2 {
		v, err := strconv.ParseFloat(rest[i], 64)
		if err != nil {
			return Result{}, fmt.Errorf("value of %s: %q is not a number", rest[i+1], rest[i])
		}
		if _, dup := res.Metrics[rest[i+1]]; dup {
			return Result{}, fmt.Errorf("unit %s reported twice", rest[i+1])
		}
		res.Metrics[rest[i+1]] = v
	}
	return res, nil
}

// trimProcs removes the "-N" that the testing package appends to a benchmark's name when
// GOMAXPROCS is not 1. A name whose own last part ends in dash and digits would lose them
// too; none of skiff's do.
func trimProcs(name string) string {
	i := strings.LastIndexByte(name, '-')
	if i < 0 || i == len(name)-1 || !isDigits(name[i+1:]) {
		return name
	}
	return name[:i]
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
