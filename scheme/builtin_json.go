//go:build !skiff_jsongen

package scheme

import (
	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/batch"
	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
)

// addBuiltinEncoders gives every built-in kind its generated AppendJSON. The generator
// (internal/cmd/jsonenc-gen) builds without the generated methods, and so without this file.
func addBuiltinEncoders(s *Scheme) {
	setAppendJSON(s, PodGVK, (*core.Pod).AppendJSON)
	setAppendJSON(s, NodeGVK, (*core.Node).AppendJSON)
	setAppendJSON(s, NamespaceGVK, (*core.Namespace).AppendJSON)
	setAppendJSON(s, PersistentVolumeClaimGVK, (*core.PersistentVolumeClaim).AppendJSON)
	setAppendJSON(s, ConfigMapGVK, (*core.ConfigMap).AppendJSON)
	setAppendJSON(s, SecretGVK, (*core.Secret).AppendJSON)
	setAppendJSON(s, ServiceGVK, (*core.Service).AppendJSON)
	setAppendJSON(s, EventGVK, (*core.Event).AppendJSON)
	setAppendJSON(s, DeploymentGVK, (*apps.Deployment).AppendJSON)
	setAppendJSON(s, ReplicaSetGVK, (*apps.ReplicaSet).AppendJSON)
	setAppendJSON(s, StatefulSetGVK, (*apps.StatefulSet).AppendJSON)
	setAppendJSON(s, DaemonSetGVK, (*apps.DaemonSet).AppendJSON)
	setAppendJSON(s, ControllerRevisionGVK, (*apps.ControllerRevision).AppendJSON)
	setAppendJSON(s, JobGVK, (*batch.Job).AppendJSON)
	setAppendJSON(s, CronJobGVK, (*batch.CronJob).AppendJSON)
	setAppendJSON(s, LeaseGVK, (*coordination.Lease).AppendJSON)
}
