package cli

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/printers"
)

// object writes the description of obj, by kind.
func (d *describer) object(obj meta.Object) error {
	switch o := obj.(type) {
	case *core.Pod:
		d.pod(o)
	case *apps.Deployment:
		return d.deployment(o)
	case *apps.ReplicaSet:
		return d.replicaSet(o)
	case *apps.StatefulSet:
		return d.statefulSet(o)
	case *apps.DaemonSet:
		return d.daemonSet(o)
	case *batch.Job:
		return d.job(o)
	case *batch.CronJob:
		d.cronJob(o)
	case *core.Node:
		return d.node(o)
	case *core.Namespace:
		d.namespace(o)
	default:
		return d.generic(obj)
	}
	return nil
}

func (d *describer) pod(p *core.Pod) {
	d.meta(&p.ObjectMeta, true)
	priority := int32(0)
	if p.Spec.Priority != nil {
		priority = *p.Spec.Priority
	}
	d.line(0, "Priority:\t%d", priority)
	if p.Spec.PriorityClassName != "" {
		d.line(0, "Priority Class Name:\t%s", p.Spec.PriorityClassName)
	}
	d.line(0, "Service Account:\t%s", orDefault(p.Spec.ServiceAccountName, "default"))
	node := "<none>"
	if p.Spec.NodeName != "" {
		node = p.Spec.NodeName
		if p.Status.HostIP != "" {
			node += "/" + p.Status.HostIP
		}
	}
	d.line(0, "Node:\t%s", node)
	if p.Status.StartTime != nil {
		d.line(0, "Start Time:\t%s", d.time(*p.Status.StartTime))
	}
	d.labels(0, "Labels", p.Labels)
	d.annotations(0, p.Annotations)
	if p.DeletionTimestamp != nil {
		d.line(0, "Status:\tTerminating (lasts %s)", printers.Since(*p.DeletionTimestamp, d.now))
		if p.DeletionGracePeriodSeconds != nil {
			d.line(0, "Termination Grace Period:\t%ds", *p.DeletionGracePeriodSeconds)
		}
	} else {
		d.line(0, "Status:\t%s", p.Status.Phase)
	}
	if p.Status.Reason != "" {
		d.line(0, "Reason:\t%s", p.Status.Reason)
	}
	if p.Status.Message != "" {
		d.line(0, "Message:\t%s", p.Status.Message)
	}
	ip := p.Status.PodIP
	if ip == "" && len(p.Status.PodIPs) > 0 {
		ip = p.Status.PodIPs[0].IP
	}
	d.line(0, "IP:\t%s", ip)
	if len(p.Status.PodIPs) > 0 {
		d.line(0, "IPs:")
		for _, a := range p.Status.PodIPs {
			d.line(1, "IP:\t%s", a.IP)
		}
	} else {
		d.line(0, "IPs:\t<none>")
	}
	d.controlledBy(p)
	if len(p.Spec.InitContainers) > 0 {
		d.containers("Init Containers", p.Spec.InitContainers, p.Status.InitContainerStatuses, 0)
	}
	d.containers("Containers", p.Spec.Containers, p.Status.ContainerStatuses, 0)
	var rows []conditionRow
	for _, c := range p.Status.Conditions {
		rows = append(rows, conditionRow{typ: string(c.Type), status: string(c.Status)})
	}
	d.conditions(rows, false, false)
	d.volumes(p.Spec.Volumes, 0)
	d.line(0, "QoS Class:\t%s", orDefault(string(p.Status.QOSClass), string(core.ComputePodQOS(p))))
	d.labels(0, "Node-Selectors", p.Spec.NodeSelector)
	d.tolerations(p.Spec.Tolerations)
}

func (d *describer) tolerations(ts []core.Toleration) {
	if len(ts) == 0 {
		d.line(0, "Tolerations:\t<none>")
		return
	}
	for i, t := range ts {
		s := t.Key
		if t.Value != "" {
			s += "=" + t.Value
		}
		if t.Effect != "" {
			s += ":" + string(t.Effect)
		}
		// A bare "operator: Exists" tolerates everything.
		if t.Operator == core.TolerationOpExists && t.Value == "" {
			if t.Key != "" || t.Effect != "" {
				s += " "
			}
			s += "op=Exists"
		}
		if t.TolerationSeconds != nil {
			s += fmt.Sprintf(" for %ds", *t.TolerationSeconds)
		}
		if i == 0 {
			d.line(0, "Tolerations:\t%s", s)
		} else {
			d.line(0, "\t%s", s)
		}
	}
}

// containers writes a Containers (or Init Containers) section at level 0 (a pod) or 1 (a
// pod template); statuses may be nil (a pod template). As in kubectl, the fields of a
// container are at level 2 either way, and its name one space further in than the title.
func (d *describer) containers(title string, cs []core.Container, statuses []core.ContainerStatus, level int) {
	d.line(level, "%s:", title)
	for _, c := range cs {
		st := core.GetContainerStatus(statuses, c.Name)
		d.line(0, "%s%s:", strings.Repeat(" ", level+2), c.Name)
		l := 2
		if st != nil {
			d.line(l, "Container ID:\t%s", st.ContainerID)
		}
		d.line(l, "Image:\t%s", c.Image)
		if st != nil {
			d.line(l, "Image ID:\t%s", st.ImageID)
		}
		d.ports(l, c.Ports)
		if len(c.Command) > 0 {
			d.line(l, "Command:")
			for _, a := range c.Command {
				d.line(l+1, "%s", a)
			}
		}
		if len(c.Args) > 0 {
			d.line(l, "Args:")
			for _, a := range c.Args {
				d.line(l+1, "%s", a)
			}
		}
		if st != nil {
			d.containerState(l, "State", st.State)
			if st.LastTerminationState.Terminated != nil || st.LastTerminationState.Waiting != nil || st.LastTerminationState.Running != nil {
				d.containerState(l, "Last State", st.LastTerminationState)
			}
			d.line(l, "Ready:\t%s", titleBool(st.Ready))
			d.line(l, "Restart Count:\t%d", st.RestartCount)
		}
		d.resources(l, "Limits", c.Resources.Limits)
		d.resources(l, "Requests", c.Resources.Requests)
		if len(c.Env) == 0 {
			d.line(l, "Environment:\t<none>")
		} else {
			d.line(l, "Environment:")
			for _, e := range c.Env {
				v := e.Value
				if e.ValueFrom != nil {
					v = "<set from a reference>"
				}
				d.line(l+1, "%s:\t%s", e.Name, v)
			}
		}
		if len(c.VolumeMounts) == 0 {
			d.line(l, "Mounts:\t<none>")
		} else {
			d.line(l, "Mounts:")
			for _, m := range c.VolumeMounts {
				mode := "rw"
				if m.ReadOnly {
					mode = "ro"
				}
				d.line(l+1, "%s from %s (%s)", m.MountPath, m.Name, mode)
			}
		}
	}
}

func (d *describer) ports(level int, ports []core.ContainerPort) {
	if len(ports) == 0 {
		d.line(level, "Port:\t<none>")
		d.line(level, "Host Port:\t<none>")
		return
	}
	var p, hp []string
	for _, x := range ports {
		proto := orDefault(string(x.Protocol), string(core.ProtocolTCP))
		p = append(p, fmt.Sprintf("%d/%s", x.ContainerPort, proto))
		hp = append(hp, fmt.Sprintf("%d/%s", x.HostPort, proto))
	}
	title := "Port"
	if len(ports) > 1 {
		title = "Ports"
	}
	d.line(level, "%s:\t%s", title, strings.Join(p, ", "))
	d.line(level, "Host %s:\t%s", title, strings.Join(hp, ", "))
}

func (d *describer) containerState(level int, title string, s core.ContainerState) {
	switch {
	case s.Running != nil:
		d.line(level, "%s:\tRunning", title)
		d.line(level+1, "Started:\t%s", d.time(s.Running.StartedAt))
	case s.Waiting != nil:
		d.line(level, "%s:\tWaiting", title)
		if s.Waiting.Reason != "" {
			d.line(level+1, "Reason:\t%s", s.Waiting.Reason)
		}
		if s.Waiting.Message != "" {
			d.line(level+1, "Message:\t%s", s.Waiting.Message)
		}
	case s.Terminated != nil:
		t := s.Terminated
		d.line(level, "%s:\tTerminated", title)
		if t.Reason != "" {
			d.line(level+1, "Reason:\t%s", t.Reason)
		}
		if t.Message != "" {
			d.line(level+1, "Message:\t%s", t.Message)
		}
		d.line(level+1, "Exit Code:\t%d", t.ExitCode)
		if t.Signal != 0 {
			d.line(level+1, "Signal:\t%d", t.Signal)
		}
		d.line(level+1, "Started:\t%s", d.time(t.StartedAt))
		d.line(level+1, "Finished:\t%s", d.time(t.FinishedAt))
	default:
		d.line(level, "%s:\tWaiting", title)
	}
}

func (d *describer) resources(level int, title string, rl core.ResourceList) {
	if len(rl) == 0 {
		return
	}
	d.line(level, "%s:", title)
	for _, k := range sortedKeys(rl) {
		q := rl[k]
		d.line(level+1, "%s:\t%s", k, q.String())
	}
}

func (d *describer) volumes(vs []core.Volume, level int) {
	if len(vs) == 0 {
		d.line(level, "Volumes:\t<none>")
		return
	}
	d.line(level, "Volumes:")
	for _, v := range vs {
		d.line(level+1, "%s:", v.Name)
		switch {
		case v.ConfigMap != nil:
			d.line(level+2, "Type:\tConfigMap (a volume populated by a ConfigMap)")
			d.line(level+2, "Name:\t%s", v.ConfigMap.Name)
		case v.Secret != nil:
			d.line(level+2, "Type:\tSecret (a volume populated by a Secret)")
			d.line(level+2, "SecretName:\t%s", v.Secret.SecretName)
		case v.PersistentVolumeClaim != nil:
			d.line(level+2, "Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)")
			d.line(level+2, "ClaimName:\t%s", v.PersistentVolumeClaim.ClaimName)
		case v.EmptyDir != nil:
			d.line(level+2, "Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)")
		case v.HostPath != nil:
			d.line(level+2, "Type:\tHostPath (bare host directory volume)")
			d.line(level+2, "Path:\t%s", v.HostPath.Path)
		default:
			d.line(level+2, "Type:\t<unknown>")
		}
	}
}

// podTemplate writes the "Pod Template:" section of a workload.
func (d *describer) podTemplate(t *core.PodTemplateSpec) {
	d.line(0, "Pod Template:")
	d.labels(1, "Labels", t.Labels)
	if len(t.Annotations) > 0 {
		d.annotations(1, t.Annotations)
	}
	if t.Spec.ServiceAccountName != "" {
		d.line(1, "Service Account:\t%s", t.Spec.ServiceAccountName)
	}
	if len(t.Spec.InitContainers) > 0 {
		d.containers("Init Containers", t.Spec.InitContainers, nil, 1)
	}
	d.containers("Containers", t.Spec.Containers, nil, 1)
	d.volumes(t.Spec.Volumes, 1)
	if len(t.Spec.NodeSelector) > 0 {
		d.labels(1, "Node-Selectors", t.Spec.NodeSelector)
	}
}

// describePodTemplate writes the pod template section alone, for rollout history.
func describePodTemplate(w io.Writer, t *core.PodTemplateSpec) {
	d := newDescriber(w, time.Time{})
	d.podTemplate(t)
	_ = d.tw.Flush()
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func titleBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}
