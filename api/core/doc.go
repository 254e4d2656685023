// Package core holds the core ("v1") kinds: Pod, Node, Namespace, PersistentVolumeClaim,
// ConfigMap, Secret, Service and Event, with their list types, PodTemplateSpec (used by every
// workload kind), and the full pod model — PodSpec, Container, EphemeralContainer, every
// volume source, security contexts, affinity, tolerations, topology spread, probes, lifecycle
// hooks, resources — plus PodStatus and the container statuses.
//
// Besides the types the package has, for the scheme and for the other api packages:
//   - defaults (defaults.go): DefaultPod, DefaultPodSpec, DefaultPodTemplateSpec,
//     DefaultContainer, DefaultProbe, DefaultVolume, DefaultNode, DefaultNamespace, DefaultPVC,
//     DefaultPVCSpec, DefaultService, DefaultSecret and DefaultConfigMap, applied by the API
//     server on create and update, as in ../shared/spec/pod-lifecycle.md §1 (Events have no
//     defaults);
//   - validation (validation_*.go): ValidatePod, ValidatePodUpdate, ValidatePodStatusUpdate,
//     ValidatePodSpec, ValidatePodTemplateSpec, ValidatePVCSpec, ValidateTolerations,
//     ValidateTaints, ValidateNodeSelector, and per kind Validate<Kind> and
//     Validate<Kind>Update, returning field errors with Kubernetes' paths and wording
//     ("spec.containers[0].image: Required value"). They expect defaulted objects, as the API
//     server defaults before it validates: fields that have defaults are Required;
//   - helpers (helpers_*.go) used across skiff: pod readiness and availability, pod
//     conditions, effective resource requests and QoS class, taints and tolerations, node
//     selector and affinity matching, object references.
//
// JSON field names are exactly Kubernetes' (k8s.io/api/core/v1), so any manifest a real
// cluster accepts decodes strictly into these types, and fields skiff does not act on are
// stored and returned unchanged. Optional non-pointer structs use omitzero, so empty ones are
// left out of the JSON rather than written as {}.
//
// Differences from Kubernetes, on purpose:
//   - Only the kinds skiff's controllers, scheduler and kubelet need are here; there is no
//     ReplicationController, PersistentVolume, Endpoints, ServiceAccount, LimitRange or
//     ResourceQuota.
//   - Zero timestamps are omitted from JSON instead of being written as null.
//   - ConditionStatus is meta.ConditionStatus, so core.ConditionTrue == meta.ConditionTrue.
//   - Validation covers what a control plane without kubelets on real machines can check
//     and what users trip over (names, images, ports, resources, probes, volumes, mounts,
//     tolerations, affinity, DNS); rules that depend on feature gates or node OS specifics
//     (sysctl allow-lists, Windows options, AppArmor annotations) are not enforced.
//   - Services get no cluster IP or node port allocation; those fields are validated and
//     stored as given.
//   - UpdatePodCondition takes the transition time from the caller (who reads a clock)
//     instead of reading the wall clock.
//   - ValidatePVCUpdate lets the storage request grow whether or not the claim is bound.
//   - Regular containers may set restartPolicy (Always, OnFailure, Never), which Kubernetes
//     allows only behind a feature gate.
package core

//go:generate go run github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen
//go:generate go run -tags skiff_jsongen github.com/skiff-dev/skiff/internal/cmd/jsonenc-gen
