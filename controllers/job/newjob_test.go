package job

import (
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// newJob returns a Job of one container in the default namespace with restartPolicy Never,
// changed by edits.
func newJob(name string, edits ...func(*batch.Job)) *batch.Job {
	j := &batch.Job{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec: batch.JobSpec{Template: core.PodTemplateSpec{Spec: core.PodSpec{
			RestartPolicy: core.RestartPolicyNever,
			Containers:    []core.Container{{Name: "main", Image: "busybox:1.36"}},
		}}},
	}
	for _, e := range edits {
		e(j)
	}
	return j
}
