package soak

import (
	"fmt"
	"strconv"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
)

// The workload's names and marks.
const (
	// Namespace holds the whole workload.
	Namespace = "soak"
	// RevisionAnnotation is the template annotation the soak bumps to roll a workload.
	RevisionAnnotation = "soak.skiff.dev/rev"
	// TaintKey is the NoSchedule taint the soak puts on nodes.
	TaintKey = "soak.skiff.dev/tainted"
	// SeqKey is the ConfigMap data key of the ledger writer's counter.
	SeqKey = "seq"
	// addedNodePrefix names the nodes the soak adds.
	addedNodePrefix = "soak-node-"
)

// deploymentStrategies are the rolling-update bounds of the Deployments, one each.
var deploymentStrategies = []struct{ surge, unavailable intstr.IntOrString }{
	{intstr.FromInt(1), intstr.FromInt(0)},
	{intstr.FromInt(0), intstr.FromInt(1)},
	{intstr.FromInt(2), intstr.FromInt(1)},
	{intstr.FromString("25%"), intstr.FromString("25%")},
}

// Workload sizes.
const (
	numStatefulSets    = 2
	initialReplicas    = 3
	jobCompletions     = 3
	jobParallelism     = 2
	jobTTLSeconds      = 20
	cronHistoryLimit   = 2
	daemonMaxUnavailab = "20%"
)

func deploymentName(i int) string  { return fmt.Sprintf("web-%d", i) }
func statefulSetName(i int) string { return fmt.Sprintf("db-%d", i) }

// daemonSets are the DaemonSets: the first does not tolerate the soak taint, the second
// does.
var daemonSets = []string{"agent", "logger"}

// cronJobs are the CronJobs and their schedules.
var cronJobs = []struct {
	name, schedule string
	policy         batch.ConcurrencyPolicy
}{
	{"tick", "@every 20s", batch.ForbidConcurrent},
	{"tock", "@every 30s", batch.AllowConcurrent},
}

func podTemplate(app string, rev int) core.PodTemplateSpec {
	return core.PodTemplateSpec{
		ObjectMeta: meta.ObjectMeta{
			Labels:      map[string]string{"app": app},
			Annotations: map[string]string{RevisionAnnotation: strconv.Itoa(rev)},
		},
		Spec: core.PodSpec{Containers: []core.Container{{Name: "main", Image: "registry.local/" + app + ":1"}}},
	}
}

func newDeployment(i int) *apps.Deployment {
	name := deploymentName(i)
	s := deploymentStrategies[i%len(deploymentStrategies)]
	return &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name},
		Spec: apps.DeploymentSpec{
			Replicas: ptr(int32(initialReplicas)),
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: podTemplate(name, 0),
			Strategy: apps.DeploymentStrategy{
				Type:          apps.RollingUpdateDeploymentStrategyType,
				RollingUpdate: &apps.RollingUpdateDeployment{MaxSurge: intstr.Ptr(s.surge), MaxUnavailable: intstr.Ptr(s.unavailable)},
			},
		},
	}
}

func newStatefulSet(i int) *apps.StatefulSet {
	name := statefulSetName(i)
	return &apps.StatefulSet{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name},
		Spec: apps.StatefulSetSpec{
			Replicas:            ptr(int32(initialReplicas)),
			Selector:            &meta.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template:            podTemplate(name, 0),
			ServiceName:         name,
			PodManagementPolicy: apps.OrderedReadyPodManagement,
		},
	}
}

func newDaemonSet(i int) *apps.DaemonSet {
	name := daemonSets[i]
	ds := &apps.DaemonSet{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: name},
		Spec: apps.DaemonSetSpec{
			Selector: &meta.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: podTemplate(name, 0),
			UpdateStrategy: apps.DaemonSetUpdateStrategy{
				Type:          apps.RollingUpdateDaemonSetStrategyType,
				RollingUpdate: &apps.RollingUpdateDaemonSet{MaxUnavailable: intstr.Ptr(intstr.FromString(daemonMaxUnavailab))},
			},
		},
	}
	if i == 1 {
		ds.Spec.Template.Spec.Tolerations = []core.Toleration{{Key: TaintKey, Operator: core.TolerationOpExists, Effect: core.TaintEffectNoSchedule}}
	}
	return ds
}

func jobSpec(completions, parallelism int32) batch.JobSpec {
	t := podTemplate("batch", 0)
	t.Labels = nil // the Job controller adds its own
	t.Spec.RestartPolicy = core.RestartPolicyNever
	return batch.JobSpec{
		Completions:  ptr(completions),
		Parallelism:  ptr(parallelism),
		BackoffLimit: ptr(int32(1000)), // pods the soak kills count as failures
		Template:     t,
	}
}

func newJob(n int) *batch.Job {
	j := &batch.Job{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: fmt.Sprintf("batch-%d", n)},
		Spec:       jobSpec(jobCompletions, jobParallelism),
	}
	if n%2 == 1 {
		j.Spec.TTLSecondsAfterFinished = ptr(int32(jobTTLSeconds))
	}
	return j
}

func newCronJob(i int) *batch.CronJob {
	c := cronJobs[i]
	return &batch.CronJob{
		ObjectMeta: meta.ObjectMeta{Namespace: Namespace, Name: c.name},
		Spec: batch.CronJobSpec{
			Schedule:                   c.schedule,
			ConcurrencyPolicy:          c.policy,
			SuccessfulJobsHistoryLimit: ptr(int32(cronHistoryLimit)),
			FailedJobsHistoryLimit:     ptr(int32(cronHistoryLimit)),
			JobTemplate:                batch.JobTemplateSpec{Spec: jobSpec(1, 1)},
		},
	}
}

func newNode(name string) *core.Node {
	return &core.Node{ObjectMeta: meta.ObjectMeta{Name: name, Labels: map[string]string{"soak.skiff.dev/added": "true"}}}
}

func hasSoakTaint(n *core.Node) bool {
	for _, t := range n.Spec.Taints {
		if t.Key == TaintKey {
			return true
		}
	}
	return false
}

func ptr[T any](v T) *T { return &v }
