package cli

import (
	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

func podSpec(image string) core.PodSpec {
	return core.PodSpec{Containers: []core.Container{{Name: "app", Image: image}}}
}

func deployment(name string, replicas int32, image string) *apps.Deployment {
	lbl := map[string]string{"app": name}
	return &apps.Deployment{
		ObjectMeta: meta.ObjectMeta{Name: name, Namespace: "default", Labels: lbl},
		Spec: apps.DeploymentSpec{
			Replicas: &replicas,
			Selector: &meta.LabelSelector{MatchLabels: lbl},
			Template: core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: lbl}, Spec: podSpec(image)},
		},
	}
}

func statefulSet(name string, replicas int32, image string) *apps.StatefulSet {
	lbl := map[string]string{"app": name}
	return &apps.StatefulSet{
		ObjectMeta: meta.ObjectMeta{Name: name, Namespace: "default"},
		Spec: apps.StatefulSetSpec{
			Replicas:    &replicas,
			ServiceName: name,
			Selector:    &meta.LabelSelector{MatchLabels: lbl},
			Template:    core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: lbl}, Spec: podSpec(image)},
		},
	}
}

func daemonSet(name, image string) *apps.DaemonSet {
	lbl := map[string]string{"app": name}
	return &apps.DaemonSet{
		ObjectMeta: meta.ObjectMeta{Name: name, Namespace: "default"},
		Spec: apps.DaemonSetSpec{
			Selector: &meta.LabelSelector{MatchLabels: lbl},
			Template: core.PodTemplateSpec{ObjectMeta: meta.ObjectMeta{Labels: lbl}, Spec: podSpec(image)},
		},
	}
}

func runningPod(name, node string, labels map[string]string) *core.Pod {
	return &core.Pod{
		ObjectMeta: meta.ObjectMeta{Name: name, Namespace: "default", Labels: labels},
		Spec:       core.PodSpec{NodeName: node, Containers: []core.Container{{Name: "app", Image: "nginx"}}},
	}
}

func node(name string) *core.Node {
	return &core.Node{
		ObjectMeta: meta.ObjectMeta{Name: name},
		Status: core.NodeStatus{
			Conditions: []core.NodeCondition{{Type: core.NodeReady, Status: core.ConditionTrue}},
			NodeInfo:   core.NodeSystemInfo{KubeletVersion: "v1.35.0-skiff"},
		},
	}
}

// controllerRef returns a controller owner reference to obj of the given kind.
func controllerRef(kind string, obj meta.Object) meta.OwnerReference {
	t := true
	return meta.OwnerReference{APIVersion: "apps/v1", Kind: kind, Name: obj.GetName(), UID: obj.GetUID(), Controller: &t, BlockOwnerDeletion: &t}
}
