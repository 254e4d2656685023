package main

import "time"

// This file is the list of everything the report measures: the benchmark runs and the
// figures taken from them. When a benchmark is renamed or a new one lands, update it here
// (TestSuite checks that every figure names a run that exists and a benchmark the run's
// -bench pattern selects).
//
// Counts: cheap side-by-side benchmarks run several times and the table shows medians; the
// scale scenarios that take a few seconds run three times, the longest (scheduler, job,
// cronjob: tens of seconds to minutes) once. The whole report is meant to finish within 10
// minutes on a 2-core machine (on 2026-11-24, busy: 7.5 minutes, 2.5 of them building).

// Run names, as figures refer to them.
const (
	runStoreWrite = "store-write"
	runStoreRead  = "store-read"
	runStoreWatch = "store-watch"
	runQueue      = "workqueue"
	runInformer   = "informer"
	runInfMemory  = "informer-memory"
	runReconcile  = "controller"
	runKubelet    = "kubelet-scale"
	runSchedAlgo  = "scheduler-algorithm"
	runScheduler  = "scheduler-scale"
	runDeployment = "deployment-scale"
	runDaemonSet  = "daemonset-scale"
	runStateful   = "statefulset-scale"
	runJob        = "job-scale"
	runCronJob    = "cronjob-scale"
)

// runs are executed in this order.
var runs = []Run{
	{Name: runQueue, Module: "bench", Pkg: ".", Bench: "^(BenchmarkQueue|BenchmarkRateLimited)$",
		Benchtime: "300000x", Count: 5, Timeout: 3 * time.Minute},
	{Name: runInformer, Module: "bench", Pkg: ".", Bench: "^BenchmarkInformer(Sync|SyncOnly|Pipeline)$",
		Benchtime: "5x", Count: 5, Timeout: 4 * time.Minute},
	{Name: runInfMemory, Module: "bench", Pkg: ".", Bench: "^BenchmarkInformerMemory$",
		Benchtime: "1x", Count: 3, Timeout: 3 * time.Minute},
	{Name: runStoreWrite, Pkg: "./store/boltstore", Bench: "^(BenchmarkCreate|BenchmarkRawBolt)$",
		Benchtime: "500ms", Count: 5, Timeout: 3 * time.Minute},
	{Name: runStoreRead, Pkg: "./store/boltstore", Bench: "^(BenchmarkGet|BenchmarkList10k)$",
		Benchtime: "500ms", Count: 3, Timeout: 3 * time.Minute},
	{Name: runStoreWatch, Pkg: "./store/boltstore", Bench: "^BenchmarkWatch100$",
		Benchtime: "1x", Count: 3, Timeout: 2 * time.Minute},
	{Name: runReconcile, Pkg: "./controller", Bench: "^BenchmarkReconcile$",
		Benchtime: "3x", Count: 3, Timeout: 3 * time.Minute},
	{Name: runSchedAlgo, Pkg: "./scheduler", Bench: "^BenchmarkScheduleAlgorithm$",
		Benchtime: "20000x", Count: 3, Timeout: 2 * time.Minute},
	{Name: runScheduler, Pkg: "./scheduler", Bench: "^BenchmarkSchedule$",
		Benchtime: "1x", Count: 1, Timeout: 3 * time.Minute},
	{Name: runKubelet, Pkg: "./kubelet", Bench: "^BenchmarkScale$/startup=0s",
		Benchtime: "1x", Count: 3, Timeout: 3 * time.Minute},
	{Name: runDeployment, Pkg: "./controllers/deployment", Bench: "^BenchmarkScale$",
		Benchtime: "1x", Count: 3, Timeout: 4 * time.Minute},
	{Name: runDaemonSet, Pkg: "./controllers/daemonset", Bench: "^BenchmarkDaemonSet1000Nodes$",
		Benchtime: "1x", Count: 3, Timeout: 3 * time.Minute},
	{Name: runStateful, Pkg: "./controllers/statefulset", Bench: "^BenchmarkParallel500$",
		Benchtime: "1x", Count: 3, Timeout: 3 * time.Minute},
	{Name: runJob, Pkg: "./controllers/job", Bench: "^BenchmarkIndexedJob10k$",
		Benchtime: "1x", Count: 1, Timeout: 4 * time.Minute},
	{Name: runCronJob, Pkg: "./controllers/cronjob", Bench: "^Benchmark1000CronJobsOneHour$",
		Benchtime: "1x", Count: 1, Timeout: 6 * time.Minute},
}

// Benchmark names (without the -GOMAXPROCS suffix) that figures read.
const (
	kubeletScale    = "BenchmarkScale/nodes=1000,pods=30000,startup=0s"
	deploymentScale = "BenchmarkScale/replicas=10000,nodes=100"
)

// m is shorthand for a Metric.
func m(run, bench, unit string) Metric { return Metric{Run: run, Bench: bench, Unit: unit} }

// figures are the rows of the table, in order. Targets are the issues' acceptance figures.
var figures = []Figure{
	// #3 store
	{Name: "#3 store: durable creates/s, 1 writer (peer: raw bbolt, one Update per put)",
		Skiff: m(runStoreWrite, "BenchmarkCreate/writers=1", "creates/s"), Peer: m(runStoreWrite, "BenchmarkRawBolt/writers=1", "puts/s"),
		PeerName: "raw bbolt", Higher: true, Show: "writes/s"},
	{Name: "#3 store: writes per transaction, 1 writer (≥ 1: no more than one transaction per write)",
		Skiff: m(runStoreWrite, "BenchmarkCreate/writers=1", "writes/txn"), Higher: true, Show: "writes/txn", Targets: []Target{{AtLeast, 1}}},
	{Name: "#3 store: durable creates/s, 64 writers (peer: raw bbolt ceiling, db.Batch)",
		Skiff: m(runStoreWrite, "BenchmarkCreate/writers=64", "creates/s"), Peer: m(runStoreWrite, "BenchmarkRawBolt/writers=64", "puts/s"),
		PeerName: "raw bbolt", Higher: true, Show: "writes/s", Targets: []Target{{AtLeast, 40000}, {RatioAtLeast, 0.6}}},
	{Name: "#3 store: Get/s of 10,000 stored pods (parallel)",
		Skiff: m(runStoreRead, "BenchmarkGet", "gets/s"), Higher: true, Show: "gets/s", Targets: []Target{{AtLeast, 200000}}},
	{Name: "#3 store: List of 10,000 pods, label selector (1,000 match)",
		Skiff: m(runStoreRead, "BenchmarkList10k/selector", "ns/op"), Show: "ms", Scale: 1e-6},
	{Name: "#3 store: List of 10,000 pods, all",
		Skiff: m(runStoreRead, "BenchmarkList10k/all", "ns/op"), Show: "ms", Scale: 1e-6},
	{Name: "#3 store: watch delivery p50, 100 watchers, 5,000 writes/s",
		Skiff: m(runStoreWatch, "BenchmarkWatch100", "p50-µs"), Show: "ms", Scale: 1e-3},
	{Name: "#3 store: watch delivery p99, 100 watchers, 5,000 writes/s",
		Skiff: m(runStoreWatch, "BenchmarkWatch100", "p99-µs"), Show: "ms", Scale: 1e-3, Targets: []Target{{Below, 10}}},
	{Name: "#3 store: allocations per delivered watch event",
		Skiff: m(runStoreWatch, "BenchmarkWatch100", "allocs/event"), Show: "allocs"},

	// #4 workqueue
	{Name: "#4 workqueue (a) 1 producer/1 consumer, per Add+Get+Done",
		Skiff: m(runQueue, "BenchmarkQueue/a=1P1C/impl=skiff", "ns/op"), Peer: m(runQueue, "BenchmarkQueue/a=1P1C/impl=client-go", "ns/op"),
		Show: "ns", Targets: []Target{{RatioAtLeast, 1.5}}},
	{Name: "#4 workqueue (b) 4 producers/4 consumers, per Add+Get+Done",
		Skiff: m(runQueue, "BenchmarkQueue/b=4P4C/impl=skiff", "ns/op"), Peer: m(runQueue, "BenchmarkQueue/b=4P4C/impl=client-go", "ns/op"),
		Show: "ns", Targets: []Target{{RatioAtLeast, 1.5}}},
	{Name: "#4 workqueue (c) adds over 100 hot keys, per Add",
		Skiff: m(runQueue, "BenchmarkQueue/c=hot100/impl=skiff", "ns/op"), Peer: m(runQueue, "BenchmarkQueue/c=hot100/impl=client-go", "ns/op"),
		Show: "ns", Targets: []Target{{RatioAtLeast, 1.5}}},
	{Name: "#4 workqueue (d) AddRateLimited+Forget, time",
		Skiff: m(runQueue, "BenchmarkRateLimited/d=ratelimited/impl=skiff", "ns/op"), Peer: m(runQueue, "BenchmarkRateLimited/d=ratelimited/impl=client-go", "ns/op"),
		Show: "ns"},
	{Name: "#4 workqueue (d) AddRateLimited+Forget, allocations",
		Skiff: m(runQueue, "BenchmarkRateLimited/d=ratelimited/impl=skiff", "allocs/op"), Peer: m(runQueue, "BenchmarkRateLimited/d=ratelimited/impl=client-go", "allocs/op"),
		Show: "allocs/op", Targets: []Target{{FewerThanPeer, 0}}},

	// #5 informer
	{Name: "#5 informer (a) initial sync of 10,000 stored pods",
		Skiff: m(runInformer, "BenchmarkInformerSync/impl=skiff", "ns/op"), Peer: m(runInformer, "BenchmarkInformerSync/impl=client-go", "ns/op"),
		Show: "ms", Scale: 1e-6, Targets: []Target{{RatioAtLeast, 2}}},
	{Name: "#5 informer (a′) initial sync, informer only (no backend)",
		Skiff: m(runInformer, "BenchmarkInformerSyncOnly/impl=skiff", "ns/op"), Peer: m(runInformer, "BenchmarkInformerSyncOnly/impl=client-go", "ns/op"),
		Show: "ms", Scale: 1e-6},
	{Name: "#5 informer (b) event pipeline, two handlers",
		Skiff: m(runInformer, "BenchmarkInformerPipeline/impl=skiff", "events/s"), Peer: m(runInformer, "BenchmarkInformerPipeline/impl=client-go", "events/s"),
		Higher: true, Show: "events/s", Targets: []Target{{RatioAtLeast, 2}}},
	{Name: "#5 informer (c) heap per cached pod",
		Skiff: m(runInfMemory, "BenchmarkInformerMemory/impl=skiff", "B/pod"), Peer: m(runInfMemory, "BenchmarkInformerMemory/impl=client-go", "B/pod"),
		Show: "B", Targets: []Target{{RatioAtLeast, 1}}},

	// #6 controller runtime
	{Name: "#6 controller: no-op reconciles/s over 10,000 objects, 1 worker",
		Skiff: m(runReconcile, "BenchmarkReconcile/workers=1", "reconciles/s"), Higher: true, Show: "reconciles/s"},
	{Name: "#6 controller: no-op reconciles/s over 10,000 objects, 4 workers",
		Skiff: m(runReconcile, "BenchmarkReconcile/workers=4", "reconciles/s"), Higher: true, Show: "reconciles/s"},

	// #7 scheduler and kubelet
	{Name: "#7 scheduler: scheduling loop alone, 1,000 nodes",
		Skiff: m(runSchedAlgo, "BenchmarkScheduleAlgorithm/nodes=1000", "pods/s"), Higher: true, Show: "pods/s"},
	{Name: "#7 scheduler: 10,000 pods on 100 nodes, store included",
		Skiff: m(runScheduler, "BenchmarkSchedule/nodes=100/pods=10000/workers=0", "pods/s"), Higher: true, Show: "pods/s"},
	{Name: "#7 scheduler: 10,000 pods on 1,000 nodes, store included",
		Skiff: m(runScheduler, "BenchmarkSchedule/nodes=1000/pods=10000/workers=0", "pods/s"), Higher: true, Show: "pods/s"},
	{Name: "#7 kubelet: 1,000 nodes, 30,000 pods created until all Running",
		Skiff: m(runKubelet, kubeletScale, "s-to-running"), Show: "s", Targets: []Target{{Below, 20}}},
	{Name: "#7 kubelet: heap with 1,000 nodes and 30,000 pods Running",
		Skiff: m(runKubelet, kubeletScale, "heap-MiB"), Show: "MiB", Targets: []Target{{Below, 1024}}},

	// #8 deployment
	{Name: "#8 deployment: 0 → 10,000 replicas Available, 100 nodes",
		Skiff: m(runDeployment, deploymentScale, "s-scale-up"), Show: "s", Targets: []Target{{Below, 10}}},
	{Name: "#8 deployment: rolling update of 10,000 replicas",
		Skiff: m(runDeployment, deploymentScale, "s-rollout"), Show: "s", Targets: []Target{{Below, 15}}},
	{Name: "#8 deployment: CPU time of the scale-up (whole process)",
		Skiff: m(runDeployment, deploymentScale, "cpu-s-scale-up"), Show: "s"},
	{Name: "#8 deployment: CPU time of the rolling update (whole process)",
		Skiff: m(runDeployment, deploymentScale, "cpu-s-rollout"), Show: "s"},
	{Name: "#8 deployment: store writes per pod, scale-up",
		Skiff: m(runDeployment, deploymentScale, "writes/pod-scale-up"), Show: "writes"},
	{Name: "#8 deployment: store writes per pod, rolling update",
		Skiff: m(runDeployment, deploymentScale, "writes/pod-rollout"), Show: "writes"},
	{Name: "#8 deployment: heap after the rolling update",
		Skiff: m(runDeployment, deploymentScale, "MiB-heap"), Show: "MiB"},

	// #9 daemonset and statefulset
	{Name: "#9 daemonset: 1,000 nodes until every pod Ready",
		Skiff: m(runDaemonSet, "BenchmarkDaemonSet1000Nodes", "create-s"), Show: "s"},
	{Name: "#9 daemonset: rolling update on 1,000 nodes (maxUnavailable 10%)",
		Skiff: m(runDaemonSet, "BenchmarkDaemonSet1000Nodes", "update-s"), Show: "s"},
	{Name: "#9 daemonset: heap growth, 1,000 nodes",
		Skiff: m(runDaemonSet, "BenchmarkDaemonSet1000Nodes", "heap-MB"), Show: "MiB"},
	{Name: "#9 statefulset: 500 Parallel replicas until Ready",
		Skiff: m(runStateful, "BenchmarkParallel500", "create-s"), Show: "s"},
	{Name: "#9 statefulset: rolling update of 500 (maxUnavailable 10%)",
		Skiff: m(runStateful, "BenchmarkParallel500", "update-s"), Show: "s"},
	{Name: "#9 statefulset: scale 500 → 0",
		Skiff: m(runStateful, "BenchmarkParallel500", "scaledown-s"), Show: "s"},
	{Name: "#9 statefulset: heap growth, 500 replicas",
		Skiff: m(runStateful, "BenchmarkParallel500", "heap-MB"), Show: "MiB"},

	// #10 job and cronjob
	{Name: "#10 job: Indexed, 10,000 completions, parallelism 500, 100 nodes (real time)",
		Skiff: m(runJob, "BenchmarkIndexedJob10k", "real-s/job"), Show: "s"},
	{Name: "#10 job: heap in use at the end",
		Skiff: m(runJob, "BenchmarkIndexedJob10k", "heap-MiB"), Show: "MiB"},
	{Name: "#10 cronjob: 1,000 CronJobs `* * * * *` through one simulated hour (real time)",
		Skiff: m(runCronJob, "Benchmark1000CronJobsOneHour", "real-s/sim-hour"), Show: "s"},
	{Name: "#10 cronjob: slowest simulated minute",
		Skiff: m(runCronJob, "Benchmark1000CronJobsOneHour", "slowest-minute-s"), Show: "s"},
	{Name: "#10 cronjob: heap in use at the end (60,000 Jobs)",
		Skiff: m(runCronJob, "Benchmark1000CronJobsOneHour", "heap-MiB"), Show: "MiB"},
}
