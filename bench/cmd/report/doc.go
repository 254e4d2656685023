// Command report runs every performance benchmark of skiff in one go and prints one
// markdown table: each figure with skiff's value, client-go's (or another peer's, such as
// raw bbolt) where there is one, their ratio, the target the issues set and whether it is
// met.
//
// Run it in the bench module, which is a module of its own (so `go run ./bench/cmd/report`
// from the repository root does not work; `go -C bench` does):
//
//	go -C bench run ./cmd/report [-quick] [-o ../docs/PERFORMANCE.md]
//
// It builds the test binary of each package once (`go test -c`), then runs the benchmarks
// of suite.go one invocation after another, never two at a time: the side-by-side
// benchmarks of the bench module (workqueue, informer) and of the store several times each,
// taking medians, and the big scale scenarios (kubelet, scheduler, deployment, daemonset,
// statefulset, job, cronjob) once. It parses the standard benchmark output, custom units of
// b.ReportMetric included, and compares values only within one process run.
//
// Flags:
//
//	-quick       run every benchmark once
//	-o FILE      also write the report to FILE
//	-raw FILE    keep the raw benchmark output
//	-only REGEXP run only the runs whose name matches
//	-list        list the runs and figures
//	-root DIR    the skiff repository (found above the current directory by default)
//
// The exit status is 1 when a run failed or a figure has no value, whether or not the
// targets are met: the table says which are.
package main
