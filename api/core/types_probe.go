package core

import "github.com/skiff-dev/skiff/api/intstr"

// Probe is a periodic health check of a container: exactly one handler plus timing.
type Probe struct {
	// ProbeHandler is the check to run.
	ProbeHandler `json:",inline"`
	// InitialDelaySeconds is the wait after the container starts before the first probe.
	InitialDelaySeconds int32 `json:"initialDelaySeconds,omitempty"`
	// TimeoutSeconds is how long one probe may take. Defaults to 1.
	TimeoutSeconds int32 `json:"timeoutSeconds,omitempty"`
	// PeriodSeconds is the interval between probes. Defaults to 10.
	PeriodSeconds int32 `json:"periodSeconds,omitempty"`
	// SuccessThreshold is how many consecutive successes count as passing after a failure.
	// Defaults to 1 and must be 1 for liveness and startup probes.
	SuccessThreshold int32 `json:"successThreshold,omitempty"`
	// FailureThreshold is how many consecutive failures count as failing. Defaults to 3.
	FailureThreshold int32 `json:"failureThreshold,omitempty"`
	// TerminationGracePeriodSeconds overrides the pod's grace period when a liveness or
	// startup probe failure kills the container.
	TerminationGracePeriodSeconds *int64 `json:"terminationGracePeriodSeconds,omitempty"`
}

// ProbeHandler is the check a probe runs; exactly one field is set.
type ProbeHandler struct {
	// Exec runs a command in the container; exit status 0 is success.
	Exec *ExecAction `json:"exec,omitempty"`
	// HTTPGet sends an HTTP GET; a status from 200 to 399 is success.
	HTTPGet *HTTPGetAction `json:"httpGet,omitempty"`
	// TCPSocket opens a TCP connection; connecting is success.
	TCPSocket *TCPSocketAction `json:"tcpSocket,omitempty"`
	// GRPC calls the gRPC health checking protocol.
	GRPC *GRPCAction `json:"grpc,omitempty"`
}

// ExecAction runs a command inside the container, without a shell.
type ExecAction struct {
	// Command is the command line; exit status 0 is success.
	Command []string `json:"command,omitempty"`
}

// HTTPGetAction is an HTTP GET request.
type HTTPGetAction struct {
	// Path to request. Defaults to "/".
	Path string `json:"path,omitempty"`
	// Port is a number or the name of a container port.
	Port intstr.IntOrString `json:"port"`
	// Host to connect to; defaults to the pod IP.
	Host string `json:"host,omitempty"`
	// Scheme is HTTP (default) or HTTPS.
	Scheme URIScheme `json:"scheme,omitempty"`
	// HTTPHeaders are extra request headers.
	HTTPHeaders []HTTPHeader `json:"httpHeaders,omitempty"`
}

// URIScheme is the scheme of an HTTP probe.
type URIScheme string

// The probe URI schemes.
const (
	URISchemeHTTP  URIScheme = "HTTP"
	URISchemeHTTPS URIScheme = "HTTPS"
)

// HTTPHeader is one HTTP header of a probe request.
type HTTPHeader struct {
	// Name of the header.
	Name string `json:"name"`
	// Value of the header.
	Value string `json:"value"`
}

// TCPSocketAction opens a TCP connection.
type TCPSocketAction struct {
	// Port is a number or the name of a container port.
	Port intstr.IntOrString `json:"port"`
	// Host to connect to; defaults to the pod IP.
	Host string `json:"host,omitempty"`
}

// GRPCAction calls the standard gRPC health check.
type GRPCAction struct {
	// Port is the gRPC port number.
	Port int32 `json:"port"`
	// Service is the service name sent in the health check request; nil sends none.
	Service *string `json:"service"`
}

// Lifecycle holds the hooks the kubelet runs around a container's life.
type Lifecycle struct {
	// PostStart runs right after the container is created; a failure restarts it.
	PostStart *LifecycleHandler `json:"postStart,omitempty"`
	// PreStop runs before the container is stopped; its time counts against the grace period.
	PreStop *LifecycleHandler `json:"preStop,omitempty"`
	// StopSignal overrides the image's stop signal.
	StopSignal *Signal `json:"stopSignal,omitempty"`
}

// LifecycleHandler is the action of a lifecycle hook; exactly one field is set.
type LifecycleHandler struct {
	// Exec runs a command in the container.
	Exec *ExecAction `json:"exec,omitempty"`
	// HTTPGet sends an HTTP GET.
	HTTPGet *HTTPGetAction `json:"httpGet,omitempty"`
	// TCPSocket is accepted for compatibility and does nothing, as in Kubernetes.
	TCPSocket *TCPSocketAction `json:"tcpSocket,omitempty"`
	// Sleep pauses for a number of seconds.
	Sleep *SleepAction `json:"sleep,omitempty"`
}

// SleepAction sleeps.
type SleepAction struct {
	// Seconds to sleep; must not be negative.
	Seconds int64 `json:"seconds"`
}

// Signal is a POSIX signal name such as "SIGTERM".
type Signal string

// Common stop signals. Any Linux signal name (SIGxxx or SIGRTMIN+n) is accepted.
const (
	SIGHUP  Signal = "SIGHUP"
	SIGINT  Signal = "SIGINT"
	SIGQUIT Signal = "SIGQUIT"
	SIGKILL Signal = "SIGKILL"
	SIGUSR1 Signal = "SIGUSR1"
	SIGUSR2 Signal = "SIGUSR2"
	SIGTERM Signal = "SIGTERM"
)
