// Package batch holds the batch/v1 kinds Job and CronJob, with their Lists, defaults,
// validation and DeepCopy, and the well-known labels, annotations and finalizer the job and
// cronjob controllers use.
//
// The JSON field names are those of Kubernetes' k8s.io/api/batch/v1, so real manifests decode
// strictly. Behaviour is described in ../shared/spec/job.md and cronjob.md; section 1 of each
// lists the defaults DefaultJob and DefaultCronJob apply and the rules ValidateJob and
// ValidateCronJob enforce.
//
// A Job's selector and the pod-template labels it matches are derived from the Job's UID,
// which exists only once the store assigns it: the store (through the scheme) calls
// GenerateJobSelector on create, after the UID is set and before validation, unless
// spec.manualSelector is true.
//
// Differences from Kubernetes, on purpose:
//   - Struct fields Kubernetes marks omitempty are omitzero here.
//   - Every feature the spec describes as GA (pod failure policy, backoff limit per index,
//     success policy, pod replacement policy, managedBy) is always on; there are no feature
//     gates.
//   - CronJob schedules are checked with github.com/robfig/cron/v3's standard parser, the
//     same library the controller uses, so a schedule that validates is one the controller
//     can run.
//   - The package embeds the IANA time zone database (time/tzdata), so that timeZone
//     validates the same on every host.
//   - A CronJob's job template also gets its labels and annotations validated, and the status
//     of its onPodConditions patterns defaulted to True, so that a template that validates
//     yields Jobs that validate.
//   - Job status validation covers the rules of ../shared/spec/job.md §9 (terminal conditions
//     never removed, never both Complete and Failed, counters that only grow, a fixed
//     completionTime), not every consistency check of recent Kubernetes releases.
//   - In "field is immutable" and similar errors the bad value prints as JSON (selectors in
//     selector syntax), not as a Go struct.
package batch

//go:generate go run github.com/skiff-dev/skiff/internal/cmd/deepcopy-gen
//go:generate go run -tags skiff_jsongen github.com/skiff-dev/skiff/internal/cmd/jsonenc-gen
