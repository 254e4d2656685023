package printers

import (
	"fmt"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
)

// containerColumns are the CONTAINERS and IMAGES columns of -o wide.
var containerColumns = []Column{{Name: "CONTAINERS", Wide: true}, {Name: "IMAGES", Wide: true}}

// wide appends the CONTAINERS, IMAGES and (if withSelector) SELECTOR columns of -o wide.
func wide(cols []Column, withSelector bool) []Column {
	cols = append(cols, containerColumns...)
	if withSelector {
		cols = append(cols, Column{Name: "SELECTOR", Wide: true})
	}
	return cols
}

// containerCells returns the comma-separated container names and images, as kubectl's
// layoutContainerCells does.
func containerCells(cs []core.Container) (names, images string) {
	n := make([]string, len(cs))
	im := make([]string, len(cs))
	for i, c := range cs {
		n[i], im[i] = c.Name, c.Image
	}
	return strings.Join(n, ","), strings.Join(im, ",")
}

// replicas returns *r, or 0 when unset.
func replicas(r *int32) int32 {
	if r == nil {
		return 0
	}
	return *r
}

var deploymentTable = Table{
	Columns:    wide([]Column{{Name: "NAME"}, {Name: "READY"}, {Name: "UP-TO-DATE"}, {Name: "AVAILABLE"}, {Name: "AGE"}}, true),
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		d := obj.(*apps.Deployment)
		names, images := containerCells(d.Spec.Template.Spec.Containers)
		return []string{d.Name, fmt.Sprintf("%d/%d", d.Status.ReadyReplicas, replicas(d.Spec.Replicas)),
			fmt.Sprint(d.Status.UpdatedReplicas), fmt.Sprint(d.Status.AvailableReplicas), Since(d.CreationTimestamp, now),
			names, images, labels.FormatLabelSelector(d.Spec.Selector)}
	},
}

var replicaSetTable = Table{
	Columns:    wide([]Column{{Name: "NAME"}, {Name: "DESIRED"}, {Name: "CURRENT"}, {Name: "READY"}, {Name: "AGE"}}, true),
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		rs := obj.(*apps.ReplicaSet)
		names, images := containerCells(rs.Spec.Template.Spec.Containers)
		return []string{rs.Name, fmt.Sprint(replicas(rs.Spec.Replicas)), fmt.Sprint(rs.Status.Replicas),
			fmt.Sprint(rs.Status.ReadyReplicas), Since(rs.CreationTimestamp, now),
			names, images, labels.FormatLabelSelector(rs.Spec.Selector)}
	},
}

var statefulSetTable = Table{
	Columns:    wide([]Column{{Name: "NAME"}, {Name: "READY"}, {Name: "AGE"}}, false),
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		s := obj.(*apps.StatefulSet)
		names, images := containerCells(s.Spec.Template.Spec.Containers)
		return []string{s.Name, fmt.Sprintf("%d/%d", s.Status.ReadyReplicas, replicas(s.Spec.Replicas)),
			Since(s.CreationTimestamp, now), names, images}
	},
}

var daemonSetTable = Table{
	Columns: wide([]Column{{Name: "NAME"}, {Name: "DESIRED"}, {Name: "CURRENT"}, {Name: "READY"}, {Name: "UP-TO-DATE"},
		{Name: "AVAILABLE"}, {Name: "NODE SELECTOR"}, {Name: "AGE"}}, true),
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		d := obj.(*apps.DaemonSet)
		names, images := containerCells(d.Spec.Template.Spec.Containers)
		st := d.Status
		return []string{d.Name, fmt.Sprint(st.DesiredNumberScheduled), fmt.Sprint(st.CurrentNumberScheduled),
			fmt.Sprint(st.NumberReady), fmt.Sprint(st.UpdatedNumberScheduled), fmt.Sprint(st.NumberAvailable),
			labels.FormatLabels(d.Spec.Template.Spec.NodeSelector), Since(d.CreationTimestamp, now),
			names, images, labels.FormatLabelSelector(d.Spec.Selector)}
	},
}

var controllerRevisionTable = Table{
	Columns:    []Column{{Name: "NAME"}, {Name: "CONTROLLER"}, {Name: "REVISION"}, {Name: "AGE"}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		r := obj.(*apps.ControllerRevision)
		controller := "<none>"
		if ref := meta.GetControllerOf(r); ref != nil {
			group, _ := scheme.SplitAPIVersion(ref.APIVersion)
			controller = strings.ToLower(ref.Kind)
			if group != "" {
				controller += "." + group
			}
			controller += "/" + ref.Name
		}
		return []string{r.Name, controller, fmt.Sprint(r.Revision), Since(r.CreationTimestamp, now)}
	},
}

// JobStatus returns the STATUS column of a job as kubectl prints it: Complete, Failed,
// Terminating, Suspended, FailureTarget, SuccessCriteriaMet or Running.
func JobStatus(j *batch.Job) string {
	has := func(t batch.JobConditionType) bool {
		for _, c := range j.Status.Conditions {
			if c.Type == t && c.Status == meta.ConditionTrue {
				return true
			}
		}
		return false
	}
	switch {
	case has(batch.JobComplete):
		return "Complete"
	case has(batch.JobFailed):
		return "Failed"
	case j.DeletionTimestamp != nil:
		return "Terminating"
	case has(batch.JobSuspended):
		return "Suspended"
	case has(batch.JobFailureTarget):
		return "FailureTarget"
	case has(batch.JobSuccessCriteriaMet):
		return "SuccessCriteriaMet"
	}
	return "Running"
}

// JobCompletions returns the COMPLETIONS column of a job: "succeeded/completions", or for a
// job without completions "succeeded/1", with " of <parallelism>" when it runs several pods.
func JobCompletions(j *batch.Job) string {
	switch {
	case j.Spec.Completions != nil:
		return fmt.Sprintf("%d/%d", j.Status.Succeeded, *j.Spec.Completions)
	case j.Spec.Parallelism != nil && *j.Spec.Parallelism > 1:
		return fmt.Sprintf("%d/1 of %d", j.Status.Succeeded, *j.Spec.Parallelism)
	}
	return fmt.Sprintf("%d/1", j.Status.Succeeded)
}

// JobDuration returns the DURATION column of a job: from its start to its completion, or to
// now while it runs; "" before it starts.
func JobDuration(j *batch.Job, now time.Time) string {
	switch {
	case j.Status.StartTime == nil:
		return ""
	case j.Status.CompletionTime == nil:
		return HumanDuration(now.Sub(j.Status.StartTime.Time))
	}
	return HumanDuration(j.Status.CompletionTime.Sub(j.Status.StartTime.Time))
}

var jobTable = Table{
	Columns:    wide([]Column{{Name: "NAME"}, {Name: "STATUS"}, {Name: "COMPLETIONS"}, {Name: "DURATION"}, {Name: "AGE"}}, true),
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		j := obj.(*batch.Job)
		names, images := containerCells(j.Spec.Template.Spec.Containers)
		return []string{j.Name, JobStatus(j), JobCompletions(j), JobDuration(j, now), Since(j.CreationTimestamp, now),
			names, images, labels.FormatLabelSelector(j.Spec.Selector)}
	},
}

var cronJobTable = Table{
	Columns: wide([]Column{{Name: "NAME"}, {Name: "SCHEDULE"}, {Name: "TIMEZONE"}, {Name: "SUSPEND"}, {Name: "ACTIVE"},
		{Name: "LAST SCHEDULE"}, {Name: "AGE"}}, true),
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		c := obj.(*batch.CronJob)
		names, images := containerCells(c.Spec.JobTemplate.Spec.Template.Spec.Containers)
		last := "<none>"
		if c.Status.LastScheduleTime != nil {
			last = Since(*c.Status.LastScheduleTime, now)
		}
		tz := "<none>"
		if c.Spec.TimeZone != nil {
			tz = *c.Spec.TimeZone
		}
		return []string{c.Name, c.Spec.Schedule, tz, boolPtr(c.Spec.Suspend), fmt.Sprint(len(c.Status.Active)),
			last, Since(c.CreationTimestamp, now), names, images, labels.FormatLabelSelector(c.Spec.JobTemplate.Spec.Selector)}
	},
}

// boolPtr renders an optional bool as kubectl's printBoolPtr: True, False or <unset>.
func boolPtr(b *bool) string {
	switch {
	case b == nil:
		return "<unset>"
	case *b:
		return "True"
	}
	return "False"
}
