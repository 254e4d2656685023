package printers

import (
	"strings"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/resource"
	"github.com/skiff-dev/skiff/scheme"
)

func ptr[T any](v T) *T { return &v }

func om(name string, age time.Duration) meta.ObjectMeta {
	return meta.ObjectMeta{Name: name, Namespace: "default", CreationTimestamp: meta.NewTime(now.Add(-age))}
}

func render(t *testing.T, gvk scheme.GroupVersionKind, o Options, objs ...meta.Object) string {
	t.Helper()
	var b strings.Builder
	w := NewWriter(&b, ForKind(gvk), o)
	for _, obj := range objs {
		w.Write(obj, now)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func header(t *testing.T, gvk scheme.GroupVersionKind, wide bool) string {
	t.Helper()
	var b strings.Builder
	w := NewWriter(&b, ForKind(gvk), Options{Wide: wide})
	w.WriteHeader()
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func TestColumnsPerKind(t *testing.T) {
	tests := []struct {
		gvk        scheme.GroupVersionKind
		cols, wide string
	}{
		{scheme.PodGVK, "NAME READY STATUS RESTARTS AGE", "NAME READY STATUS RESTARTS AGE IP NODE NOMINATED NODE READINESS GATES"},
		{scheme.DeploymentGVK, "NAME READY UP-TO-DATE AVAILABLE AGE", "NAME READY UP-TO-DATE AVAILABLE AGE CONTAINERS IMAGES SELECTOR"},
		{scheme.ReplicaSetGVK, "NAME DESIRED CURRENT READY AGE", "NAME DESIRED CURRENT READY AGE CONTAINERS IMAGES SELECTOR"},
		{scheme.StatefulSetGVK, "NAME READY AGE", "NAME READY AGE CONTAINERS IMAGES"},
		{scheme.DaemonSetGVK, "NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE",
			"NAME DESIRED CURRENT READY UP-TO-DATE AVAILABLE NODE SELECTOR AGE CONTAINERS IMAGES SELECTOR"},
		{scheme.JobGVK, "NAME STATUS COMPLETIONS DURATION AGE", "NAME STATUS COMPLETIONS DURATION AGE CONTAINERS IMAGES SELECTOR"},
		{scheme.CronJobGVK, "NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE",
			"NAME SCHEDULE TIMEZONE SUSPEND ACTIVE LAST SCHEDULE AGE CONTAINERS IMAGES SELECTOR"},
		{scheme.NodeGVK, "NAME STATUS ROLES AGE VERSION",
			"NAME STATUS ROLES AGE VERSION INTERNAL-IP EXTERNAL-IP OS-IMAGE KERNEL-VERSION CONTAINER-RUNTIME"},
		{scheme.EventGVK, "LAST SEEN TYPE REASON OBJECT MESSAGE",
			"LAST SEEN TYPE REASON OBJECT SUBOBJECT SOURCE MESSAGE FIRST SEEN COUNT NAME"},
		{scheme.PersistentVolumeClaimGVK, "NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE",
			"NAME STATUS VOLUME CAPACITY ACCESS MODES STORAGECLASS VOLUMEATTRIBUTESCLASS AGE VOLUMEMODE"},
		{scheme.NamespaceGVK, "NAME STATUS AGE", "NAME STATUS AGE"},
		{scheme.ConfigMapGVK, "NAME DATA AGE", "NAME DATA AGE"},
		{scheme.SecretGVK, "NAME TYPE DATA AGE", "NAME TYPE DATA AGE"},
		{scheme.ServiceGVK, "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE", "NAME TYPE CLUSTER-IP EXTERNAL-IP PORT(S) AGE SELECTOR"},
		{scheme.ControllerRevisionGVK, "NAME CONTROLLER REVISION AGE", "NAME CONTROLLER REVISION AGE"},
		{scheme.LeaseGVK, "NAME HOLDER AGE", "NAME HOLDER AGE"},
		{scheme.GroupVersionKind{Group: "example.com", Version: "v1", Kind: "Widget"}, "NAME AGE", "NAME AGE"},
	}
	for _, tc := range tests {
		t.Run(tc.gvk.Kind, func(t *testing.T) {
			if got := header(t, tc.gvk, false); got != tc.cols {
				t.Errorf("columns = %q, want %q", got, tc.cols)
			}
			if got := header(t, tc.gvk, true); got != tc.wide {
				t.Errorf("wide columns = %q, want %q", got, tc.wide)
			}
		})
	}
}

func TestPodTableLayout(t *testing.T) {
	a := pod(core.PodRunning, []string{"a"}, cs("a", true, 0, running()))
	a.Name = "web-7854ff8877-x2x9z"
	b := pod(core.PodPending, []string{"a", "b"}, cs("a", false, 0, waiting("ContainerCreating")))
	b.Name = "db-0"
	b.CreationTimestamp = meta.NewTime(now.Add(-45 * time.Second))
	got := render(t, scheme.PodGVK, Options{}, a, b)
	want := "" +
		"NAME                   READY   STATUS              RESTARTS   AGE\n" +
		"web-7854ff8877-x2x9z   1/1     Running             0          60m\n" +
		"db-0                   0/2     ContainerCreating   0          45s\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	a.Spec.NodeName = "node-1"
	a.Status.PodIPs = []core.PodIP{{IP: "10.0.0.7"}}
	got = render(t, scheme.PodGVK, Options{Wide: true, WithNamespace: true, KindPrefix: "pod/"}, a)
	want = "" +
		"NAMESPACE   NAME                       READY   STATUS    RESTARTS   AGE   IP         NODE     NOMINATED NODE   READINESS GATES\n" +
		"default     pod/web-7854ff8877-x2x9z   1/1     Running   0          60m   10.0.0.7   node-1   <none>           <none>\n"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestWriterRemembersWidthsAcrossFlushes(t *testing.T) {
	var b strings.Builder
	w := NewWriter(&b, ForKind(scheme.NamespaceGVK), Options{})
	ns := func(name string) *core.Namespace {
		return &core.Namespace{ObjectMeta: om(name, time.Minute), Status: core.NamespaceStatus{Phase: core.NamespaceActive}}
	}
	w.Write(ns("a-long-namespace"), now)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	w.Write(ns("b"), now)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	want := "" +
		"NAME               STATUS   AGE\n" +
		"a-long-namespace   Active   60s\n" +
		"b                  Active   60s\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}

func TestNoHeadersAndShowLabels(t *testing.T) {
	n := &core.Namespace{ObjectMeta: om("x", time.Minute), Status: core.NamespaceStatus{Phase: core.NamespaceActive}}
	n.Labels = map[string]string{"b": "2", "a": "1"}
	got := render(t, scheme.NamespaceGVK, Options{NoHeaders: true, ShowLabels: true}, n)
	if want := "x     Active   60s   a=1,b=2\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestWorkloadRows(t *testing.T) {
	sel := &meta.LabelSelector{MatchLabels: map[string]string{"app": "web"}}
	tmpl := core.PodTemplateSpec{Spec: core.PodSpec{Containers: []core.Container{{Name: "nginx", Image: "nginx:1.25"}, {Name: "side", Image: "busybox"}}}}
	start := meta.NewTime(now.Add(-2 * time.Minute))
	done := meta.NewTime(now.Add(-time.Minute))
	tests := []struct {
		name string
		gvk  scheme.GroupVersionKind
		obj  meta.Object
		wide bool
		want string
	}{
		{"deployment", scheme.DeploymentGVK, &apps.Deployment{ObjectMeta: om("web", 5*time.Minute),
			Spec:   apps.DeploymentSpec{Replicas: ptr[int32](3), Selector: sel, Template: tmpl},
			Status: apps.DeploymentStatus{ReadyReplicas: 2, UpdatedReplicas: 3, AvailableReplicas: 2}}, true,
			"web 2/3 3 2 5m nginx,side nginx:1.25,busybox app=web"},
		{"replicaset", scheme.ReplicaSetGVK, &apps.ReplicaSet{ObjectMeta: om("web-abc", time.Hour),
			Spec:   apps.ReplicaSetSpec{Replicas: ptr[int32](3), Selector: sel, Template: tmpl},
			Status: apps.ReplicaSetStatus{Replicas: 3, ReadyReplicas: 1}}, false, "web-abc 3 3 1 60m"},
		{"statefulset", scheme.StatefulSetGVK, &apps.StatefulSet{ObjectMeta: om("db", 3*time.Hour),
			Spec:   apps.StatefulSetSpec{Replicas: ptr[int32](3), Selector: sel, Template: tmpl},
			Status: apps.StatefulSetStatus{ReadyReplicas: 3}}, true, "db 3/3 3h nginx,side nginx:1.25,busybox"},
		{"daemonset", scheme.DaemonSetGVK, &apps.DaemonSet{ObjectMeta: om("agent", 50*time.Hour),
			Spec: apps.DaemonSetSpec{Selector: sel, Template: core.PodTemplateSpec{Spec: core.PodSpec{
				NodeSelector: map[string]string{"kubernetes.io/os": "linux"}}}},
			Status: apps.DaemonSetStatus{DesiredNumberScheduled: 3, CurrentNumberScheduled: 3, NumberReady: 2,
				UpdatedNumberScheduled: 3, NumberAvailable: 2}}, false, "agent 3 3 2 3 2 kubernetes.io/os=linux 2d2h"},
		{"job complete", scheme.JobGVK, &batch.Job{ObjectMeta: om("pi", 3*time.Minute),
			Spec: batch.JobSpec{Completions: ptr[int32](1)},
			Status: batch.JobStatus{Succeeded: 1, StartTime: &start, CompletionTime: &done,
				Conditions: []batch.JobCondition{{Type: batch.JobComplete, Status: meta.ConditionTrue}}}}, false,
			"pi Complete 1/1 60s 3m"},
		{"job running in parallel", scheme.JobGVK, &batch.Job{ObjectMeta: om("work", 3*time.Minute),
			Spec:   batch.JobSpec{Parallelism: ptr[int32](2)},
			Status: batch.JobStatus{StartTime: &start}}, false, "work Running 0/1 of 2 2m 3m"},
		{"job failed", scheme.JobGVK, &batch.Job{ObjectMeta: om("bad", time.Minute),
			Status: batch.JobStatus{Conditions: []batch.JobCondition{{Type: batch.JobFailed, Status: meta.ConditionTrue}}}}, false,
			"bad Failed 0/1 60s"},
		{"job suspended", scheme.JobGVK, &batch.Job{ObjectMeta: om("later", time.Minute),
			Status: batch.JobStatus{Conditions: []batch.JobCondition{{Type: batch.JobSuspended, Status: meta.ConditionTrue}}}}, false,
			"later Suspended 0/1 60s"},
		{"cronjob", scheme.CronJobGVK, &batch.CronJob{ObjectMeta: om("tick", time.Hour),
			Spec:   batch.CronJobSpec{Schedule: "*/5 * * * *", Suspend: ptr(false)},
			Status: batch.CronJobStatus{LastScheduleTime: &start, Active: []core.ObjectReference{{Name: "tick-1"}}}}, false,
			"tick */5 * * * * <none> False 1 2m 60m"},
		{"controllerrevision", scheme.ControllerRevisionGVK, &apps.ControllerRevision{ObjectMeta: func() meta.ObjectMeta {
			m := om("db-5d8c7f9b4", time.Minute)
			m.OwnerReferences = []meta.OwnerReference{{APIVersion: "apps/v1", Kind: "StatefulSet", Name: "db", Controller: ptr(true)}}
			return m
		}(), Revision: 2}, false, "db-5d8c7f9b4 statefulset.apps/db 2 60s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, tc.gvk, Options{Wide: tc.wide, NoHeaders: true}, tc.obj)
			if got := strings.Join(strings.Fields(out), " "); got != tc.want {
				t.Errorf("row = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestCoreRows(t *testing.T) {
	storage := "standard"
	tests := []struct {
		name string
		gvk  scheme.GroupVersionKind
		obj  meta.Object
		wide bool
		want string
	}{
		{"ready node", scheme.NodeGVK, &core.Node{ObjectMeta: func() meta.ObjectMeta {
			m := om("node-1", 48*time.Hour)
			m.Labels = map[string]string{"node-role.kubernetes.io/control-plane": "", "kubernetes.io/role": "worker"}
			return m
		}(), Status: core.NodeStatus{Conditions: []core.NodeCondition{{Type: core.NodeReady, Status: core.ConditionTrue}},
			NodeInfo:  core.NodeSystemInfo{KubeletVersion: "v1.34.0-skiff"},
			Addresses: []core.NodeAddress{{Type: core.NodeInternalIP, Address: "10.0.0.1"}}}}, true,
			"node-1 Ready control-plane,worker 2d v1.34.0-skiff 10.0.0.1 <none> <unknown> <unknown> <unknown>"},
		{"cordoned not-ready node", scheme.NodeGVK, &core.Node{ObjectMeta: om("node-2", time.Minute),
			Spec:   core.NodeSpec{Unschedulable: true},
			Status: core.NodeStatus{Conditions: []core.NodeCondition{{Type: core.NodeReady, Status: core.ConditionUnknown}}}}, false,
			"node-2 NotReady,SchedulingDisabled <none> 60s"},
		{"node without conditions", scheme.NodeGVK, &core.Node{ObjectMeta: om("node-3", time.Minute)}, false,
			"node-3 Unknown <none> 60s"},
		{"bound pvc", scheme.PersistentVolumeClaimGVK, &core.PersistentVolumeClaim{ObjectMeta: om("data-db-0", time.Minute),
			Spec: core.PersistentVolumeClaimSpec{VolumeName: "pv-1", StorageClassName: &storage},
			Status: core.PersistentVolumeClaimStatus{Phase: core.ClaimBound,
				AccessModes: []core.PersistentVolumeAccessMode{core.ReadWriteOnce},
				Capacity:    core.ResourceList{core.ResourceStorage: resource.MustParse("1Gi")}}}, false,
			"data-db-0 Bound pv-1 1Gi RWO standard <unset> 60s"},
		{"service", scheme.ServiceGVK, &core.Service{ObjectMeta: om("web", time.Minute),
			Spec: core.ServiceSpec{Type: core.ServiceTypeNodePort, ClusterIPs: []string{"10.96.0.10"},
				Selector: map[string]string{"app": "web"},
				Ports:    []core.ServicePort{{Port: 80, Protocol: core.ProtocolTCP, NodePort: 30080}}}}, true,
			"web NodePort 10.96.0.10 <none> 80:30080/TCP 60s app=web"},
		{"configmap", scheme.ConfigMapGVK, &core.ConfigMap{ObjectMeta: om("cfg", time.Minute),
			Data: map[string]string{"a": "1"}, BinaryData: map[string][]byte{"b": nil}}, false, "cfg 2 60s"},
		{"secret", scheme.SecretGVK, &core.Secret{ObjectMeta: om("s", time.Minute), Type: core.SecretTypeOpaque,
			Data: map[string][]byte{"k": []byte("v")}}, false, "s Opaque 1 60s"},
		{"event", scheme.EventGVK, &core.Event{ObjectMeta: om("web.1", time.Minute),
			InvolvedObject: core.ObjectReference{Kind: "Deployment", Name: "web"}, Type: "Normal", Reason: "ScalingReplicaSet",
			Message: "Scaled up replica set web-abc to 3 ", FirstTimestamp: meta.NewTime(now.Add(-10 * time.Minute)),
			LastTimestamp: meta.NewTime(now.Add(-2 * time.Minute)), Count: 4,
			Source: core.EventSource{Component: "deployment-controller"}}, true,
			"2m Normal ScalingReplicaSet deployment/web deployment-controller Scaled up replica set web-abc to 3 10m 4 web.1"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			out := render(t, tc.gvk, Options{Wide: tc.wide, NoHeaders: true}, tc.obj)
			if got := strings.Join(strings.Fields(out), " "); got != tc.want {
				t.Errorf("row = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestEventIntervalAndSort(t *testing.T) {
	once := &core.Event{FirstTimestamp: meta.NewTime(now.Add(-30 * time.Second)), LastTimestamp: meta.NewTime(now.Add(-30 * time.Second)), Count: 1}
	repeated := &core.Event{FirstTimestamp: meta.NewTime(now.Add(-10 * time.Minute)), LastTimestamp: meta.NewTime(now.Add(-2 * time.Minute)), Count: 4}
	series := &core.Event{EventTime: meta.NewMicroTime(now.Add(-time.Hour)),
		Series: &core.EventSeries{Count: 7, LastObservedTime: meta.NewMicroTime(now.Add(-5 * time.Second))}}
	for _, tc := range []struct {
		e    *core.Event
		want string
	}{{once, "30s"}, {repeated, "2m (x4 over 10m)"}, {series, "5s (x7 over 60m)"}} {
		if got := EventInterval(tc.e, now); got != tc.want {
			t.Errorf("EventInterval = %q, want %q", got, tc.want)
		}
	}
	events := []*core.Event{series, once, repeated}
	SortEvents(events)
	if events[0] != repeated || events[1] != once || events[2] != series {
		t.Errorf("SortEvents order wrong")
	}
	e := &core.Event{ReportingController: "kubelet", ReportingInstance: "node-1"}
	if got := EventSource(e); got != "kubelet, node-1" {
		t.Errorf("EventSource = %q", got)
	}
}
