package cronjob

import (
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

// newCronJob returns a CronJob in the default namespace whose Jobs are suspended (no Job
// controller would run them anyway), changed by edits.
func newCronJob(name, schedule string, edits ...func(*batch.CronJob)) *batch.CronJob {
	cj := &batch.CronJob{
		ObjectMeta: meta.ObjectMeta{Namespace: "default", Name: name},
		Spec: batch.CronJobSpec{
			Schedule: schedule,
			JobTemplate: batch.JobTemplateSpec{
				ObjectMeta: meta.ObjectMeta{Labels: map[string]string{"app": name}, Annotations: map[string]string{"note": "from " + name}},
				Spec: batch.JobSpec{
					Suspend: new(true),
					Template: core.PodTemplateSpec{Spec: core.PodSpec{
						RestartPolicy: core.RestartPolicyNever,
						Containers:    []core.Container{{Name: "main", Image: "busybox:1.36"}},
					}},
				},
			},
		},
	}
	for _, ed := range edits {
		ed(cj)
	}
	return cj
}
