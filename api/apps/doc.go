// Package apps holds the apps/v1 kinds — Deployment, ReplicaSet, StatefulSet, DaemonSet and
// ControllerRevision, each with its List — together with their defaults, validation and
// DeepCopy, and the well-known labels and annotations the workload controllers use.
//
// The JSON field names are those of Kubernetes' k8s.io/api/apps/v1, so real manifests decode
// strictly. The behaviour of each kind is described in ../shared/spec/ (deployment.md,
// replicaset.md, statefulset.md, daemonset.md); section 1 of each lists the defaults that
// Default* applies and the rules that Validate* enforces.
//
// Entry points, used by the scheme:
//   - DefaultDeployment, DefaultReplicaSet, DefaultStatefulSet, DefaultDaemonSet fill in unset
//     fields, including the pod template's (core.DefaultPodTemplateSpec) and the claim
//     templates' (core.DefaultPVC).
//   - ValidateX checks an object on create and ValidateXUpdate on update, for every kind; the
//     ValidateXStatusUpdate functions check status subresource writes. Errors carry
//     Kubernetes' field paths and wording, e.g.
//     spec.template.metadata.labels: Invalid value: map[string]string{"app":"web"}: `selector` does not match template `labels`.
//   - SetDaemonSetTemplateGeneration maintains the server-owned
//     deprecated.daemonset.template.generation annotation; the scheme calls it on create and
//     update, before validation.
//
// Differences from Kubernetes, on purpose:
//   - Struct fields Kubernetes marks omitempty are omitzero here, so empty specs, statuses and
//     condition times are left out of the JSON instead of being written as {} or null.
//   - ControllerRevision.Data is a RawExtension that only holds JSON bytes (there is no
//     embedded runtime.Object form).
//   - StatefulSet rollingUpdate.maxUnavailable is always accepted and validated (Kubernetes
//     gates it behind MaxUnavailableStatefulSet) but not defaulted.
//   - Condition status fields use meta.ConditionStatus (core.ConditionStatus is the same type).
//   - A StatefulSet's pod template is validated like any pod template, with a volume added for
//     each volume claim template (as the controller adds them to its pods), and the claim
//     templates are validated as claims. (Kubernetes long skipped the pod spec of a
//     StatefulSet template, because mounts of claim volumes name no volume of the spec.)
//   - "empty selector is invalid for <kind>" names the kind (Kubernetes says "deployment" for
//     ReplicaSets too).
//   - In "field is immutable" and similar errors the bad value prints as JSON (selectors in
//     selector syntax), not as a Go struct.
package apps

//go:generate go run github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen
//go:generate go run -tags skiff_jsongen github.com/skiff-dev/skiff/internal/cmd/jsonenc-gen
