package cli

import (
	"fmt"
	"strings"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/printers"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/store"
)

func (d *describer) deployment(dep *apps.Deployment) error {
	d.meta(&dep.ObjectMeta, true)
	d.line(0, "CreationTimestamp:\t%s", d.time(dep.CreationTimestamp))
	d.labels(0, "Labels", dep.Labels)
	d.annotations(0, dep.Annotations)
	d.line(0, "Selector:\t%s", labels.FormatLabelSelector(dep.Spec.Selector))
	st := dep.Status
	d.line(0, "Replicas:\t%d desired | %d updated | %d total | %d available | %d unavailable",
		replicasOf(dep.Spec.Replicas), st.UpdatedReplicas, st.Replicas, st.AvailableReplicas, st.UnavailableReplicas)
	d.line(0, "StrategyType:\t%s", dep.Spec.Strategy.Type)
	d.line(0, "MinReadySeconds:\t%d", dep.Spec.MinReadySeconds)
	if ru := dep.Spec.Strategy.RollingUpdate; ru != nil {
		d.line(0, "RollingUpdateStrategy:\t%s max unavailable, %s max surge", intOrString(ru.MaxUnavailable), intOrString(ru.MaxSurge))
	}
	d.podTemplate(&dep.Spec.Template)
	var rows []conditionRow
	for _, c := range dep.Status.Conditions {
		rows = append(rows, conditionRow{typ: string(c.Type), status: string(c.Status), reason: c.Reason})
	}
	d.conditions(rows, true, false)
	list, err := client.For[*apps.ReplicaSet](d.c).List(d.ctx, store.ListOptions{Namespace: dep.Namespace})
	if err != nil {
		return err
	}
	var newRS *apps.ReplicaSet
	var old []string
	for _, rs := range list.Items {
		if !owned(rs, dep.UID) {
			continue
		}
		t := rs.Spec.Template.DeepCopy()
		delete(t.Labels, apps.DefaultDeploymentUniqueLabelKey)
		if len(t.Labels) == 0 {
			t.Labels = nil
		}
		if newRS == nil && sameTemplate(t, &dep.Spec.Template) {
			newRS = rs
			continue
		}
		if replicasOf(rs.Spec.Replicas) > 0 || rs.Status.Replicas > 0 {
			old = append(old, rsSummary(rs))
		}
	}
	if len(old) == 0 {
		d.line(0, "OldReplicaSets:\t<none>")
	} else {
		d.line(0, "OldReplicaSets:\t%s", strings.Join(old, ", "))
	}
	if newRS == nil {
		d.line(0, "NewReplicaSet:\t<none>")
	} else {
		d.line(0, "NewReplicaSet:\t%s", rsSummary(newRS))
	}
	return nil
}

// rsSummary is kubectl's "web-abc (3/3 replicas created)".
func rsSummary(rs *apps.ReplicaSet) string {
	return fmt.Sprintf("%s (%d/%d replicas created)", rs.Name, rs.Status.Replicas, replicasOf(rs.Spec.Replicas))
}

func replicasOf(r *int32) int32 {
	if r == nil {
		return 0
	}
	return *r
}

func intOrString(v *intstr.IntOrString) string {
	if v == nil {
		return "<unset>"
	}
	return v.String()
}

// podsStatus writes kubectl's "Pods Status:\tN Running / N Waiting / N Succeeded / N Failed"
// for the pods the selector matches.
func (d *describer) podsStatus(ns string, sel *meta.LabelSelector, owner meta.UID) error {
	s, err := labels.FromLabelSelector(sel)
	if err != nil {
		return err
	}
	pods, err := client.For[*core.Pod](d.c).List(d.ctx, store.ListOptions{Namespace: ns, LabelSelector: s})
	if err != nil {
		return err
	}
	count := map[core.PodPhase]int{}
	for _, p := range pods.Items {
		if owner != "" && !owned(p, owner) {
			continue
		}
		count[p.Status.Phase]++
	}
	d.line(0, "Pods Status:\t%d Running / %d Waiting / %d Succeeded / %d Failed",
		count[core.PodRunning], count[core.PodPending], count[core.PodSucceeded], count[core.PodFailed])
	return nil
}

func (d *describer) replicaSet(rs *apps.ReplicaSet) error {
	d.meta(&rs.ObjectMeta, true)
	d.line(0, "Selector:\t%s", labels.FormatLabelSelector(rs.Spec.Selector))
	d.labels(0, "Labels", rs.Labels)
	d.annotations(0, rs.Annotations)
	d.controlledBy(rs)
	d.line(0, "Replicas:\t%d current / %d desired", rs.Status.Replicas, replicasOf(rs.Spec.Replicas))
	if err := d.podsStatus(rs.Namespace, rs.Spec.Selector, rs.UID); err != nil {
		return err
	}
	d.podTemplate(&rs.Spec.Template)
	var rows []conditionRow
	for _, c := range rs.Status.Conditions {
		rows = append(rows, conditionRow{typ: string(c.Type), status: string(c.Status), reason: c.Reason})
	}
	d.conditions(rows, true, false)
	return nil
}

func (d *describer) statefulSet(s *apps.StatefulSet) error {
	d.meta(&s.ObjectMeta, true)
	d.line(0, "CreationTimestamp:\t%s", d.time(s.CreationTimestamp))
	d.line(0, "Selector:\t%s", labels.FormatLabelSelector(s.Spec.Selector))
	d.labels(0, "Labels", s.Labels)
	d.annotations(0, s.Annotations)
	d.line(0, "Replicas:\t%d desired | %d total", replicasOf(s.Spec.Replicas), s.Status.Replicas)
	d.line(0, "Update Strategy:\t%s", s.Spec.UpdateStrategy.Type)
	if ru := s.Spec.UpdateStrategy.RollingUpdate; ru != nil && ru.Partition != nil {
		d.line(1, "Partition:\t%d", *ru.Partition)
	}
	if err := d.podsStatus(s.Namespace, s.Spec.Selector, s.UID); err != nil {
		return err
	}
	d.podTemplate(&s.Spec.Template)
	if len(s.Spec.VolumeClaimTemplates) == 0 {
		d.line(0, "Volume Claims:\t<none>")
	} else {
		d.line(0, "Volume Claims:")
		for _, c := range s.Spec.VolumeClaimTemplates {
			d.line(1, "Name:\t%s", c.Name)
			d.line(1, "StorageClass:\t%s", strOr(c.Spec.StorageClassName, ""))
			d.labels(1, "Labels", c.Labels)
			d.annotations(1, c.Annotations)
			q := c.Spec.Resources.Requests[core.ResourceStorage]
			d.line(1, "Capacity:\t%s", q.String())
			d.line(1, "Access Modes:\t%s", accessModeList(c.Spec.AccessModes))
		}
	}
	return nil
}

func strOr(s *string, def string) string {
	if s == nil {
		return def
	}
	return *s
}

func accessModeList(m []core.PersistentVolumeAccessMode) string {
	out := make([]string, len(m))
	for i, x := range m {
		out[i] = string(x)
	}
	return strings.Join(out, ", ")
}

func (d *describer) daemonSet(ds *apps.DaemonSet) error {
	d.meta(&ds.ObjectMeta, true)
	d.line(0, "Selector:\t%s", labels.FormatLabelSelector(ds.Spec.Selector))
	d.line(0, "Node-Selector:\t%s", labels.FormatLabels(ds.Spec.Template.Spec.NodeSelector))
	d.labels(0, "Labels", ds.Labels)
	d.annotations(0, ds.Annotations)
	st := ds.Status
	d.line(0, "Desired Number of Nodes Scheduled: %d", st.DesiredNumberScheduled)
	d.line(0, "Current Number of Nodes Scheduled: %d", st.CurrentNumberScheduled)
	d.line(0, "Number of Nodes Scheduled with Up-to-date Pods: %d", st.UpdatedNumberScheduled)
	d.line(0, "Number of Nodes Scheduled with Available Pods: %d", st.NumberAvailable)
	d.line(0, "Number of Nodes Misscheduled: %d", st.NumberMisscheduled)
	if err := d.podsStatus(ds.Namespace, ds.Spec.Selector, ds.UID); err != nil {
		return err
	}
	d.podTemplate(&ds.Spec.Template)
	return nil
}

func (d *describer) job(j *batch.Job) error {
	d.meta(&j.ObjectMeta, true)
	d.line(0, "Selector:\t%s", labels.FormatLabelSelector(j.Spec.Selector))
	d.labels(0, "Labels", j.Labels)
	d.annotations(0, j.Annotations)
	d.controlledBy(j)
	d.line(0, "Parallelism:\t%s", int32Or(j.Spec.Parallelism))
	d.line(0, "Completions:\t%s", int32Or(j.Spec.Completions))
	if j.Spec.CompletionMode != nil {
		d.line(0, "Completion Mode:\t%s", *j.Spec.CompletionMode)
	}
	suspend := j.Spec.Suspend != nil && *j.Spec.Suspend
	d.line(0, "Suspend:\t%t", suspend)
	d.line(0, "Backoff Limit:\t%s", int32Or(j.Spec.BackoffLimit))
	if j.Status.StartTime != nil {
		d.line(0, "Start Time:\t%s", d.time(*j.Status.StartTime))
	}
	if j.Status.CompletionTime != nil {
		d.line(0, "Completed At:\t%s", d.time(*j.Status.CompletionTime))
	}
	if dur := printers.JobDuration(j, d.now); dur != "" {
		d.line(0, "Duration:\t%s", dur)
	}
	if j.Spec.ActiveDeadlineSeconds != nil {
		d.line(0, "Active Deadline Seconds:\t%ds", *j.Spec.ActiveDeadlineSeconds)
	}
	ready := int32(0)
	if j.Status.Ready != nil {
		ready = *j.Status.Ready
	}
	d.line(0, "Pods Statuses:\t%d Active (%d Ready) / %d Succeeded / %d Failed", j.Status.Active, ready, j.Status.Succeeded, j.Status.Failed)
	d.podTemplate(&j.Spec.Template)
	var rows []conditionRow
	for _, c := range j.Status.Conditions {
		rows = append(rows, conditionRow{typ: string(c.Type), status: string(c.Status), reason: c.Reason, message: c.Message})
	}
	d.conditions(rows, true, true)
	return nil
}

func int32Or(v *int32) string {
	if v == nil {
		return "<unset>"
	}
	return fmt.Sprint(*v)
}

func int64Or(v *int64) string {
	if v == nil {
		return "<unset>"
	}
	return fmt.Sprint(*v)
}

func (d *describer) cronJob(cj *batch.CronJob) {
	d.meta(&cj.ObjectMeta, true)
	d.labels(0, "Labels", cj.Labels)
	d.annotations(0, cj.Annotations)
	d.line(0, "Schedule:\t%s", cj.Spec.Schedule)
	if cj.Spec.TimeZone != nil {
		d.line(0, "Time Zone:\t%s", *cj.Spec.TimeZone)
	}
	d.line(0, "Concurrency Policy:\t%s", cj.Spec.ConcurrencyPolicy)
	suspend := "<unset>"
	if cj.Spec.Suspend != nil {
		suspend = titleBool(*cj.Spec.Suspend)
	}
	d.line(0, "Suspend:\t%s", suspend)
	d.line(0, "Successful Job History Limit:\t%s", int32Or(cj.Spec.SuccessfulJobsHistoryLimit))
	d.line(0, "Failed Job History Limit:\t%s", int32Or(cj.Spec.FailedJobsHistoryLimit))
	d.line(0, "Starting Deadline Seconds:\t%s", int64Or(cj.Spec.StartingDeadlineSeconds))
	js := cj.Spec.JobTemplate.Spec
	d.line(0, "Selector:\t%s", labels.FormatLabelSelector(js.Selector))
	d.line(0, "Parallelism:\t%s", int32Or(js.Parallelism))
	d.line(0, "Completions:\t%s", int32Or(js.Completions))
	d.podTemplate(&js.Template)
	last := "<unset>"
	if cj.Status.LastScheduleTime != nil {
		last = d.time(*cj.Status.LastScheduleTime)
	}
	d.line(0, "Last Schedule Time:\t%s", last)
	var active []string
	for _, a := range cj.Status.Active {
		active = append(active, a.Name)
	}
	if len(active) == 0 {
		d.line(0, "Active Jobs:\t<none>")
	} else {
		d.line(0, "Active Jobs:\t%s", strings.Join(active, ", "))
	}
}

func (d *describer) node(n *core.Node) error {
	d.line(0, "Name:\t%s", n.Name)
	d.line(0, "Roles:\t%s", printers.NodeRoles(n))
	d.labels(0, "Labels", n.Labels)
	d.annotations(0, n.Annotations)
	d.line(0, "CreationTimestamp:\t%s", d.time(n.CreationTimestamp))
	if len(n.Spec.Taints) == 0 {
		d.line(0, "Taints:\t<none>")
	}
	for i, t := range n.Spec.Taints {
		if i == 0 {
			d.line(0, "Taints:\t%s", t.String())
		} else {
			d.line(0, "\t%s", t.String())
		}
	}
	d.line(0, "Unschedulable:\t%t", n.Spec.Unschedulable)
	if len(n.Status.Conditions) > 0 {
		_ = d.tw.Flush()
		d.line(0, "Conditions:")
		d.line(1, "Type\tStatus\tLastHeartbeatTime\tLastTransitionTime\tReason\tMessage")
		d.line(1, "----\t------\t-----------------\t------------------\t------\t-------")
		for _, c := range n.Status.Conditions {
			d.line(1, "%s\t%s\t%s\t%s\t%s\t%s", c.Type, c.Status, d.time(c.LastHeartbeatTime), d.time(c.LastTransitionTime), c.Reason, c.Message)
		}
	}
	d.line(0, "Addresses:")
	for _, a := range n.Status.Addresses {
		d.line(1, "%s:\t%s", a.Type, a.Address)
	}
	for _, rl := range []struct {
		title string
		list  core.ResourceList
	}{{"Capacity", n.Status.Capacity}, {"Allocatable", n.Status.Allocatable}} {
		if len(rl.list) > 0 {
			d.line(0, "%s:", rl.title)
			for _, k := range sortedKeys(rl.list) {
				q := rl.list[k]
				d.line(1, "%s:\t%s", k, q.String())
			}
		}
	}
	info := n.Status.NodeInfo
	d.line(0, "System Info:")
	d.line(1, "Machine ID:\t%s", info.MachineID)
	d.line(1, "Kernel Version:\t%s", info.KernelVersion)
	d.line(1, "OS Image:\t%s", info.OSImage)
	d.line(1, "Operating System:\t%s", info.OperatingSystem)
	d.line(1, "Architecture:\t%s", info.Architecture)
	d.line(1, "Container Runtime Version:\t%s", info.ContainerRuntimeVersion)
	d.line(1, "Kubelet Version:\t%s", info.KubeletVersion)
	pods, err := client.For[*core.Pod](d.c).List(d.ctx, store.ListOptions{})
	if err != nil {
		return err
	}
	var running []*core.Pod
	for _, p := range pods.Items {
		if p.Spec.NodeName == n.Name && !core.IsPodTerminal(p) {
			running = append(running, p)
		}
	}
	d.line(0, "Non-terminated Pods:\t(%d in total)", len(running))
	if len(running) > 0 {
		_ = d.tw.Flush()
		d.line(1, "Namespace\tName\tAge")
		d.line(1, "---------\t----\t---")
		for _, p := range running {
			d.line(1, "%s\t%s\t%s", p.Namespace, p.Name, printers.Since(p.CreationTimestamp, d.now))
		}
	}
	return nil
}

func (d *describer) namespace(ns *core.Namespace) {
	d.line(0, "Name:\t%s", ns.Name)
	d.labels(0, "Labels", ns.Labels)
	d.annotations(0, ns.Annotations)
	d.line(0, "Status:\t%s", ns.Status.Phase)
	d.line(0, "")
	d.line(0, "No resource quota.")
	d.line(0, "")
	d.line(0, "No LimitRange resource.")
}
