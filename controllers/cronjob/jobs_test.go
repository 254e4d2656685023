package cronjob

import (
	"slices"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func TestJobFromCronJob(t *testing.T) {
	cj := newCronJob("backup", "@daily")
	cj.UID = "cj-uid"
	j := JobFromCronJob(cj, "backup-now")
	if j.Name != "backup-now" || j.Namespace != "default" || j.APIVersion != "batch/v1" || j.Kind != "Job" {
		t.Errorf("identity: %+v %+v", j.TypeMeta, j.ObjectMeta)
	}
	if j.Annotations[InstantiateAnnotation] != "manual" || j.Annotations["note"] != "from backup" || j.Labels["app"] != "backup" {
		t.Errorf("labels %v, annotations %v", j.Labels, j.Annotations)
	}
	ref := meta.GetControllerOf(j)
	if ref == nil || ref.Kind != "CronJob" || ref.APIVersion != "batch/v1" || ref.Name != "backup" || ref.UID != "cj-uid" || ref.BlockOwnerDeletion != nil {
		t.Errorf("controller reference %+v", ref)
	}
	j.Spec.Template.Spec.Containers[0].Image = "changed"
	j.Labels["app"] = "changed"
	j.Annotations["note"] = "changed"
	if cj.Spec.JobTemplate.Spec.Template.Spec.Containers[0].Image == "changed" || cj.Spec.JobTemplate.Labels["app"] == "changed" ||
		cj.Spec.JobTemplate.Annotations["note"] == "changed" {
		t.Error("the Job shares memory with the CronJob")
	}
}

func TestJobForSchedule(t *testing.T) {
	run := time.Date(2025, time.July, 4, 13, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		tz   *string
		want string
	}{
		{nil, "2025-07-04T13:00:00Z"},
		{new("Asia/Tokyo"), "2025-07-04T22:00:00+09:00"},
		{new("America/New_York"), "2025-07-04T09:00:00-04:00"},
	} {
		cj := newCronJob("nightly", "0 * * * *", func(cj *batch.CronJob) { cj.Spec.TimeZone = tc.tz; cj.UID = "u" })
		j, err := jobForSchedule(cj, run)
		if err != nil {
			t.Fatal(err)
		}
		if got := j.Annotations[batch.CronJobScheduledTimestampAnnotation]; got != tc.want {
			t.Errorf("timeZone %v: scheduled timestamp %q, want %q", tc.tz, got, tc.want)
		}
		if j.Name != "nightly-29193900" || !meta.IsControlledBy(j, cj) || *meta.GetControllerOf(j).BlockOwnerDeletion != true {
			t.Errorf("job %s, owners %+v", j.Name, j.OwnerReferences)
		}
		if j.Annotations["note"] != "from nightly" || cj.Spec.JobTemplate.Annotations[batch.CronJobScheduledTimestampAnnotation] != "" {
			t.Errorf("annotations: job %v, template %v", j.Annotations, cj.Spec.JobTemplate.Annotations)
		}
	}
	if _, err := jobForSchedule(newCronJob("x", "@daily", func(cj *batch.CronJob) { cj.Spec.TimeZone = new("Nowhere/Land") }), run); err == nil {
		t.Error("an unknown zone made a Job")
	}
}

func TestCompareByStartTime(t *testing.T) {
	job := func(name string, start int) *batch.Job {
		j := &batch.Job{ObjectMeta: meta.ObjectMeta{Name: name}}
		if start >= 0 {
			j.Status.StartTime = new(meta.NewTime(base.Add(time.Duration(start) * time.Minute)))
		}
		return j
	}
	jobs := []*batch.Job{job("e", -1), job("c", 5), job("b", 1), job("a", 5), job("d", -1)}
	slices.SortFunc(jobs, compareByStartTime)
	var got []string
	for _, j := range jobs {
		got = append(got, j.Name)
	}
	if want := []string{"b", "a", "c", "d", "e"}; !slices.Equal(got, want) {
		t.Errorf("order %v, want %v", got, want)
	}
}

func TestActiveList(t *testing.T) {
	cj := newCronJob("x", "@daily")
	cj.Status.Active = []core.ObjectReference{{Namespace: "default", Name: "x-1", UID: "1"}, {Namespace: "default", Name: "x-2", UID: "2"}}
	if !inActive(cj, "2") || inActive(cj, "3") || !inActiveByName(cj, "x-1") || inActiveByName(cj, "x-3") {
		t.Error("lookups")
	}
	removeFromActive(cj, "1")
	if len(cj.Status.Active) != 1 || cj.Status.Active[0].UID != "2" {
		t.Errorf("after removal: %v", cj.Status.Active)
	}
}
