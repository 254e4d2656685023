package printers

import "github.com/skiff-dev/skiff/scheme"

// tables maps the built-in kinds to their tables.
var tables = map[scheme.GroupVersionKind]Table{
	scheme.PodGVK:                   podTable,
	scheme.NodeGVK:                  nodeTable,
	scheme.NamespaceGVK:             namespaceTable,
	scheme.PersistentVolumeClaimGVK: pvcTable,
	scheme.ConfigMapGVK:             configMapTable,
	scheme.SecretGVK:                secretTable,
	scheme.ServiceGVK:               serviceTable,
	scheme.EventGVK:                 eventTable,
	scheme.DeploymentGVK:            deploymentTable,
	scheme.ReplicaSetGVK:            replicaSetTable,
	scheme.StatefulSetGVK:           statefulSetTable,
	scheme.DaemonSetGVK:             daemonSetTable,
	scheme.ControllerRevisionGVK:    controllerRevisionTable,
	scheme.JobGVK:                   jobTable,
	scheme.CronJobGVK:               cronJobTable,
	scheme.LeaseGVK:                 leaseTable,
}

// ForKind returns the table of kind gvk: kubectl's columns for the built-in kinds, NAME and
// AGE for any other kind. The cells function of a built-in kind's table expects objects of
// that kind's Go type.
func ForKind(gvk scheme.GroupVersionKind) Table {
	if t, ok := tables[gvk]; ok {
		return t
	}
	return genericTable
}
