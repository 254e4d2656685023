package cronjob

import (
	"maps"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/internal/controllerref"
	"github.com/skiff-dev/skiff/scheme"
)

// InstantiateAnnotation marks a Job created from a CronJob by hand (JobFromCronJob), as
// kubectl create job --from=cronjob/NAME does.
const InstantiateAnnotation = "cronjob.kubernetes.io/instantiate"

// JobFromCronJob returns the Job that `kubectl create job NAME --from=cronjob/CRONJOB`
// creates: named name in the CronJob's namespace, with the job template's labels, its
// annotations plus cronjob.kubernetes.io/instantiate=manual, a copy of its spec, and a
// controller reference to the CronJob (without blockOwnerDeletion, as kubectl sets it). cj is
// not modified. The CronJob controller reports such a Job with an UnexpectedJob event, as
// Kubernetes does, and deletes it with the history once it is finished.
func JobFromCronJob(cj *batch.CronJob, name string) *batch.Job {
	ann := map[string]string{InstantiateAnnotation: "manual"}
	maps.Copy(ann, cj.Spec.JobTemplate.Annotations)
	return &batch.Job{
		TypeMeta: meta.TypeMeta{APIVersion: batch.GroupVersion, Kind: scheme.JobGVK.Kind},
		ObjectMeta: meta.ObjectMeta{
			Name:        name,
			Namespace:   cj.Namespace,
			Labels:      maps.Clone(cj.Spec.JobTemplate.Labels),
			Annotations: ann,
			OwnerReferences: []meta.OwnerReference{{
				APIVersion: batch.GroupVersion,
				Kind:       scheme.CronJobGVK.Kind,
				Name:       cj.Name,
				UID:        cj.UID,
				Controller: new(true),
			}},
		},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}
}

// jobForSchedule returns the Job of the run scheduled at t (cronjob.md §3 step 12): its
// deterministic name, the job template's labels and annotations, the scheduled-timestamp
// annotation in the CronJob's zone (UTC without timeZone, as Kubernetes writes it), the
// controller reference and a copy of the template's spec.
func jobForSchedule(cj *batch.CronJob, t time.Time) (*batch.Job, error) {
	loc := time.UTC
	if cj.Spec.TimeZone != nil {
		l, err := time.LoadLocation(*cj.Spec.TimeZone)
		if err != nil {
			return nil, err
		}
		loc = l
	}
	ann := maps.Clone(cj.Spec.JobTemplate.Annotations)
	if ann == nil {
		ann = map[string]string{}
	}
	ann[batch.CronJobScheduledTimestampAnnotation] = t.In(loc).Format(time.RFC3339)
	return &batch.Job{
		ObjectMeta: meta.ObjectMeta{
			Name:            jobName(cj.Name, t),
			Namespace:       cj.Namespace,
			Labels:          maps.Clone(cj.Spec.JobTemplate.Labels),
			Annotations:     ann,
			OwnerReferences: []meta.OwnerReference{controllerref.NewControllerRef(cj, scheme.CronJobGVK)},
		},
		Spec: *cj.Spec.JobTemplate.Spec.DeepCopy(),
	}, nil
}

// finishedStatus returns the type of the Job's True Complete or Failed condition, or "".
func finishedStatus(j *batch.Job) batch.JobConditionType {
	for _, c := range j.Status.Conditions {
		if (c.Type == batch.JobComplete || c.Type == batch.JobFailed) && c.Status == meta.ConditionTrue {
			return c.Type
		}
	}
	return ""
}

// compareByStartTime orders Jobs oldest first by status.startTime, Jobs without one last,
// ties by name: the order in which the history is trimmed.
func compareByStartTime(a, b *batch.Job) int {
	as, bs := a.Status.StartTime, b.Status.StartTime
	switch {
	case as == nil && bs == nil:
	case as == nil:
		return 1
	case bs == nil:
		return -1
	case !as.Equal(bs):
		return as.Compare(bs.Time)
	}
	switch {
	case a.Name < b.Name:
		return -1
	case a.Name > b.Name:
		return 1
	}
	return 0
}

// inActive reports whether the status lists a Job with this UID.
func inActive(cj *batch.CronJob, uid meta.UID) bool {
	for _, r := range cj.Status.Active {
		if r.UID == uid {
			return true
		}
	}
	return false
}

// activeUIDs returns the UIDs of the status's active list.
func activeUIDs(cj *batch.CronJob) map[meta.UID]bool {
	out := make(map[meta.UID]bool, len(cj.Status.Active))
	for _, r := range cj.Status.Active {
		out[r.UID] = true
	}
	return out
}

// inActiveByName reports whether the status lists a Job of this name.
func inActiveByName(cj *batch.CronJob, name string) bool {
	for _, r := range cj.Status.Active {
		if r.Name == name && r.Namespace == cj.Namespace {
			return true
		}
	}
	return false
}

// removeFromActive drops the Job with this UID from the status.
func removeFromActive(cj *batch.CronJob, uid meta.UID) {
	var out []core.ObjectReference
	for _, r := range cj.Status.Active {
		if r.UID != uid {
			out = append(out, r)
		}
	}
	cj.Status.Active = out
}

// jobRef returns the status reference to a Job.
func jobRef(j *batch.Job) core.ObjectReference {
	return core.ObjectReference{
		Kind:            scheme.JobGVK.Kind,
		APIVersion:      batch.GroupVersion,
		Namespace:       j.Namespace,
		Name:            j.Name,
		UID:             j.UID,
		ResourceVersion: j.ResourceVersion,
	}
}
