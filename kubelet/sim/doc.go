// Package sim is the simulated container runtime of skiff's kubelet: a kubelet.Runtime
// whose containers are records in memory, so that one process can host thousands of nodes
// running tens of thousands of pods.
//
// # Basics
//
//	rt := sim.New(sim.Options{Clock: clk})
//	host, err := kubelet.NewHost(c, factory, kubelet.Options{Runtime: rt, Clock: clk})
//
// A container's life is a function of times on the clock, fixed when it starts: it runs
// after a startup delay (its first start only: the image is pulled once), its application
// is ready after a readiness delay, and it exits at a planned time or when stopped. Nothing
// runs in the background and no timer is armed: the kubelet asks ContainerStatus, whose
// NextChange says when the status will change, and syncs the pod again at that moment. With
// a fake clock, stepping the clock is all it takes to move every container forward.
//
// What containers do:
//
//   - Regular containers of pods with restartPolicy Always, and sidecars, run until stopped.
//   - Regular containers of batch pods (restartPolicy Never or OnFailure) exit 0 after
//     Options.BatchRunTime.
//   - Regular init containers complete (exit 0) as soon as they run.
//   - A stop signal ends a container at once with exit code 143; with
//     AnnotationIgnoreSIGTERM it runs on until SIGKILL at the end of the grace period (137).
//   - Probes of every kind succeed while the container runs and is healthy; readiness
//     probes also wait for the readiness delay.
//   - Images whose name ends in ":doesnotexist" cannot be pulled (ErrImagePull).
//
// Per-pod annotations change this: AnnotationStartup, AnnotationReadyAfter,
// AnnotationRunFor, AnnotationExitCode, AnnotationCrash, AnnotationIgnoreSIGTERM and
// AnnotationUnhealthyAfter. Invalid values make the container fail with
// CreateContainerConfigError, naming the annotation.
//
// # Caveats
//
// The readiness delay also applies to containers without a readiness probe, through
// ContainerStatus.ReadyAt: a real application is ready when it is, probe or not, and
// simulated workloads (rolling updates with minReadySeconds, for instance) need that.
//
// Hooks other than a sleep action take no time. Nothing is executed: exec, HTTP, TCP and
// gRPC handlers are not looked at.
package sim
