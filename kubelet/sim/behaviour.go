package sim

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/kubelet"
)

// Pod annotations that override how the simulated containers of a pod behave. Durations
// are in Go syntax ("1.5s", "2m"), booleans as strconv.ParseBool reads them. They are read
// each time a container starts; an invalid value makes the start fail with
// CreateContainerConfigError.
const (
	// AnnotationStartup is the time between the first start of a container and its
	// process running (image pull and creation; the container is ContainerCreating).
	// Restarts take no time. Default Options.StartupDelay.
	AnnotationStartup = "sim.skiff.dev/startup"
	// AnnotationReadyAfter is how long a container runs before its application is ready:
	// readiness probes fail until then, and a container without one is not ready until
	// then. Default Options.ReadyDelay.
	AnnotationReadyAfter = "sim.skiff.dev/ready-after"
	// AnnotationRunFor makes containers exit by themselves after running this long, with
	// AnnotationExitCode. Without it, containers of batch pods (restartPolicy Never or
	// OnFailure) exit after Options.BatchRunTime and other containers run until stopped.
	AnnotationRunFor = "sim.skiff.dev/run-for"
	// AnnotationExitCode is the exit code of containers that exit by themselves. Default 0.
	AnnotationExitCode = "sim.skiff.dev/exit-code"
	// AnnotationCrash ("true") makes every container, init containers included, exit with a
	// non-zero code (AnnotationExitCode if non-zero, else 1) on every start: right after
	// starting, or after AnnotationRunFor.
	AnnotationCrash = "sim.skiff.dev/crash"
	// AnnotationIgnoreSIGTERM ("true") makes containers ignore their stop signal: they run
	// until SIGKILL at the end of the grace period. Otherwise they exit at once, with code
	// 143 (128 + SIGTERM).
	AnnotationIgnoreSIGTERM = "sim.skiff.dev/ignore-sigterm"
	// AnnotationUnhealthyAfter makes containers unhealthy once they have run this long:
	// liveness, startup and readiness probes fail from then on. Default: never.
	AnnotationUnhealthyAfter = "sim.skiff.dev/unhealthy-after"
)

// ImageDoesNotExistSuffix marks images whose pull fails: an image named "x:doesnotexist"
// gives ErrImagePull, then ImagePullBackOff.
const ImageDoesNotExistSuffix = ":doesnotexist"

// Exit codes of stopped processes.
const (
	exitSIGTERM = 128 + 15
	exitSIGKILL = 128 + 9
)

// behaviour is what a pod's annotations and the runtime's options say its containers do.
type behaviour struct {
	startup        time.Duration
	readyAfter     time.Duration
	runFor         time.Duration // <0: run until stopped
	exitCode       int32
	crash          bool
	ignoreSIGTERM  bool
	unhealthyAfter time.Duration // <0: never
}

// behaviourOf reads the annotations of pod for a container that is a regular init
// container (init) or a sidecar (sidecar), or neither.
func (r *Runtime) behaviourOf(pod *core.Pod, init, sidecar bool) (behaviour, error) {
	ann := pod.Annotations
	b := behaviour{startup: r.opts.StartupDelay, readyAfter: r.opts.ReadyDelay, runFor: -1, unhealthyAfter: -1}
	var errs []string
	duration := func(key string, into *time.Duration) {
		v, ok := ann[key]
		if !ok {
			return
		}
		d, err := time.ParseDuration(strings.TrimSpace(v))
		if err != nil || d < 0 {
			errs = append(errs, fmt.Sprintf("%s: %q is not a non-negative duration", key, v))
			return
		}
		*into = d
	}
	boolean := func(key string, into *bool) {
		v, ok := ann[key]
		if !ok {
			return
		}
		x, err := strconv.ParseBool(strings.TrimSpace(v))
		if err != nil {
			errs = append(errs, fmt.Sprintf("%s: %q is not a boolean", key, v))
			return
		}
		*into = x
	}
	duration(AnnotationStartup, &b.startup)
	duration(AnnotationReadyAfter, &b.readyAfter)
	duration(AnnotationRunFor, &b.runFor)
	duration(AnnotationUnhealthyAfter, &b.unhealthyAfter)
	boolean(AnnotationCrash, &b.crash)
	boolean(AnnotationIgnoreSIGTERM, &b.ignoreSIGTERM)
	if v, ok := ann[AnnotationExitCode]; ok {
		n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 32)
		if err != nil || n < 0 || n > 255 {
			errs = append(errs, fmt.Sprintf("%s: %q is not an exit code (0 to 255)", AnnotationExitCode, v))
		}
		b.exitCode = int32(n)
	}
	if len(errs) > 0 {
		return b, fmt.Errorf("%w: invalid %s annotations: %s", kubelet.ErrCreateContainerConfig, "sim.skiff.dev", strings.Join(errs, "; "))
	}

	batch := pod.Spec.RestartPolicy == core.RestartPolicyNever || pod.Spec.RestartPolicy == core.RestartPolicyOnFailure
	switch {
	case b.crash:
		b.runFor = max(b.runFor, 0)
		if b.exitCode == 0 {
			b.exitCode = 1
		}
	case sidecar:
		b.runFor = -1 // sidecars serve the pod's lifetime
	case init:
		b.runFor, b.exitCode = 0, 0 // regular init containers complete at once
	case b.runFor < 0 && batch:
		b.runFor = r.opts.BatchRunTime
	}
	return b, nil
}
