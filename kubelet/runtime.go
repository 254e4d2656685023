package kubelet

import (
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// Runtime runs the containers of pods: the part of a machine the kubelet drives, what the
// CRI is to the real kubelet. One Runtime may serve every node of a Host; pods are told
// apart by UID, containers within a pod by name.
//
// The kubelet calls a Runtime from its workers: never concurrently for the same pod, but
// concurrently for different pods, so implementations must be safe for that. Calls must not
// block on the container's progress: an operation that takes time (pulling an image,
// starting a process, a preStop hook, a process that handles its stop signal) is started by
// the call and its progress is reported by later ContainerStatus calls, whose NextChange
// says when to look again.
//
// Pod and container arguments are the kubelet's (shared, read-only) copies: a Runtime must
// not modify or retain them.
type Runtime interface {
	// RunPodSandbox creates the pod's sandbox (its network namespace) with address ip. It is
	// called once per pod before any container starts; calling it again for a pod that has
	// a sandbox is a no-op.
	RunPodSandbox(pod *core.Pod, ip string) error

	// StartContainer pulls c's image if needed, then creates and starts a new instance of
	// c in the pod's sandbox; the new instance replaces the latest one, which must have
	// exited (its Attempt is one more). A failed pull returns an error wrapping
	// ErrImagePull; an invalid configuration one wrapping ErrCreateContainerConfig; other
	// errors are reported as RunContainerError. The instance may take a while to run: its
	// status is ContainerCreated until then.
	StartContainer(pod *core.Pod, c *core.Container) error

	// StopContainer sends the latest instance of the named container its stop signal now,
	// and SIGKILL once timeout has passed if it is still running (timeout 0 kills at once).
	// Stopping an instance that has exited does nothing; a later call with a shorter
	// timeout brings the kill forward.
	StopContainer(pod *core.Pod, name string, timeout time.Duration) error

	// ContainerStatus returns the status of the latest instance of the named container, or
	// false if the container was never started in this pod.
	ContainerStatus(pod *core.Pod, name string) (ContainerStatus, bool)

	// RunHook starts a lifecycle handler (a preStop hook) in the named container and
	// returns the time at which it will have finished; a runtime that runs hooks
	// synchronously returns the current time.
	RunHook(pod *core.Pod, name string, h *core.LifecycleHandler) (time.Time, error)

	// Probe runs probe p of the given kind against the latest instance of the named
	// container and reports whether it succeeded. A container that is not running fails.
	Probe(pod *core.Pod, name string, kind ProbeKind, p *core.Probe) bool

	// RemovePod kills every container of the pod at once, removes them and the sandbox, and
	// forgets the pod. Removing an unknown pod does nothing.
	RemovePod(uid meta.UID)
}

// ContainerState is the lifecycle stage of a container instance.
type ContainerState uint8

// The stages of a container instance.
const (
	// ContainerCreated: the instance exists (its image is being pulled or it is being
	// created) but its process has not started yet.
	ContainerCreated ContainerState = iota + 1
	// ContainerRunning: the process is running.
	ContainerRunning
	// ContainerExited: the process has exited.
	ContainerExited
)

// String returns "Created", "Running" or "Exited".
func (s ContainerState) String() string {
	switch s {
	case ContainerCreated:
		return "Created"
	case ContainerRunning:
		return "Running"
	case ContainerExited:
		return "Exited"
	}
	return "Unknown"
}

// ContainerStatus is what a Runtime knows about the latest instance of a container.
type ContainerStatus struct {
	// ID names the instance, as "<runtime>://<id>" (status.containerStatuses[].containerID).
	ID string
	// Attempt counts the instances of the container started before this one: the
	// container's restartCount.
	Attempt int32
	// ImageRef is the resolved image (imageID), "" until the image is pulled.
	ImageRef string
	// State is the instance's stage.
	State ContainerState
	// StartedAt is when the process started (zero if it never did).
	StartedAt time.Time
	// FinishedAt is when it exited (ContainerExited only).
	FinishedAt time.Time
	// ExitCode is its exit code (ContainerExited only): 137 when killed by SIGKILL.
	ExitCode int32
	// Reason explains the exit (ContainerExited only): "Completed" for exit code 0,
	// "Error" otherwise, or a runtime's own reason such as "OOMKilled".
	Reason string
	// Message is an optional human-readable detail of the exit.
	Message string
	// ReadyAt, when set, is the earliest time the application in the container is ready
	// to serve; the kubelet reports a container without a readiness probe ready only from
	// then. Real runtimes leave it zero (ready as soon as started); the simulated runtime
	// sets it from its readiness delay.
	ReadyAt time.Time
	// NextChange is when this status will next change by itself (the process starts, the
	// application becomes ready, the process exits); the kubelet syncs the pod again then.
	// Zero means nothing changes until the kubelet acts.
	NextChange time.Time
}

// ProbeKind names the three container probes.
type ProbeKind uint8

// The probes, in the order the kubelet consults them: the startup probe gates the other two.
const (
	ProbeStartup ProbeKind = iota
	ProbeLiveness
	ProbeReadiness
	numProbeKinds
)

// String returns "startup", "liveness" or "readiness".
func (k ProbeKind) String() string {
	switch k {
	case ProbeStartup:
		return "startup"
	case ProbeLiveness:
		return "liveness"
	case ProbeReadiness:
		return "readiness"
	}
	return "unknown"
}
