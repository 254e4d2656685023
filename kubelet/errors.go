package kubelet

import "errors"

// Errors a Runtime wraps to tell the kubelet why a container could not start; each becomes
// the container's waiting reason, with the error's text as the message.
var (
	// ErrImagePull: the image could not be pulled (waiting reason ErrImagePull, then
	// ImagePullBackOff while the pull is backed off).
	ErrImagePull = errors.New("kubelet: image pull failed")
	// ErrCreateContainerConfig: the container's configuration is invalid (waiting reason
	// CreateContainerConfigError).
	ErrCreateContainerConfig = errors.New("kubelet: invalid container configuration")
)

// Errors of the Host's own methods.
var (
	// ErrNodeExists is returned by AddNode for a node the Host already runs.
	ErrNodeExists = errors.New("kubelet: node already added")
	// ErrUnknownNode is returned for a node the Host does not run.
	ErrUnknownNode = errors.New("kubelet: unknown node")
	// ErrAlreadyStarted is returned by a second call of Start.
	ErrAlreadyStarted = errors.New("kubelet: host already started")
)
