package printers

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/labels"
)

// Node role labels, as kubectl's findNodeRoles reads them.
const (
	labelNodeRolePrefix = "node-role.kubernetes.io/"
	labelNodeRole       = "kubernetes.io/role"
)

// NodeStatus returns the STATUS column of a node: Ready, NotReady or Unknown (no Ready
// condition), followed by ",SchedulingDisabled" for a cordoned node.
func NodeStatus(n *core.Node) string {
	var status []string
	if c := core.GetNodeCondition(&n.Status, core.NodeReady); c != nil {
		if c.Status == core.ConditionTrue {
			status = append(status, string(c.Type))
		} else {
			status = append(status, "Not"+string(c.Type))
		}
	}
	if len(status) == 0 {
		status = append(status, "Unknown")
	}
	if n.Spec.Unschedulable {
		status = append(status, "SchedulingDisabled")
	}
	return strings.Join(status, ",")
}

// NodeRoles returns the roles of a node from its node-role.kubernetes.io/<role> and
// kubernetes.io/role labels, sorted, or "<none>".
func NodeRoles(n *core.Node) string {
	set := map[string]bool{}
	for k, v := range n.Labels {
		switch {
		case strings.HasPrefix(k, labelNodeRolePrefix):
			if role := strings.TrimPrefix(k, labelNodeRolePrefix); role != "" {
				set[role] = true
			}
		case k == labelNodeRole && v != "":
			set[v] = true
		}
	}
	if len(set) == 0 {
		return "<none>"
	}
	roles := make([]string, 0, len(set))
	for r := range set {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	return strings.Join(roles, ",")
}

// nodeAddress returns the node's first address of type t, or "<none>".
func nodeAddress(n *core.Node, t core.NodeAddressType) string {
	for _, a := range n.Status.Addresses {
		if a.Type == t {
			return a.Address
		}
	}
	return "<none>"
}

// orUnknown returns s, or "<unknown>" when it is empty.
func orUnknown(s string) string {
	if s == "" {
		return "<unknown>"
	}
	return s
}

var nodeTable = Table{
	Columns: []Column{{Name: "NAME"}, {Name: "STATUS"}, {Name: "ROLES"}, {Name: "AGE"}, {Name: "VERSION"},
		{Name: "INTERNAL-IP", Wide: true}, {Name: "EXTERNAL-IP", Wide: true}, {Name: "OS-IMAGE", Wide: true},
		{Name: "KERNEL-VERSION", Wide: true}, {Name: "CONTAINER-RUNTIME", Wide: true}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		n := obj.(*core.Node)
		info := n.Status.NodeInfo
		return []string{n.Name, NodeStatus(n), NodeRoles(n), Since(n.CreationTimestamp, now), info.KubeletVersion,
			nodeAddress(n, core.NodeInternalIP), nodeAddress(n, core.NodeExternalIP), orUnknown(info.OSImage),
			orUnknown(info.KernelVersion), orUnknown(info.ContainerRuntimeVersion)}
	},
}

var namespaceTable = Table{
	Columns:    []Column{{Name: "NAME"}, {Name: "STATUS"}, {Name: "AGE"}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		n := obj.(*core.Namespace)
		return []string{n.Name, string(n.Status.Phase), Since(n.CreationTimestamp, now)}
	},
}

// accessModes renders access modes in kubectl's short form: RWO,ROX,RWX,RWOP.
func accessModes(modes []core.PersistentVolumeAccessMode) string {
	short := map[core.PersistentVolumeAccessMode]string{
		core.ReadWriteOnce: "RWO", core.ReadOnlyMany: "ROX", core.ReadWriteMany: "RWX", core.ReadWriteOncePod: "RWOP",
	}
	var out []string
	for _, want := range []core.PersistentVolumeAccessMode{core.ReadWriteOnce, core.ReadOnlyMany, core.ReadWriteMany, core.ReadWriteOncePod} {
		for _, m := range modes {
			if m == want {
				out = append(out, short[m])
				break
			}
		}
	}
	return strings.Join(out, ",")
}

// storageClassAnnotation is the beta annotation that takes precedence over
// spec.storageClassName, as in kubectl.
const storageClassAnnotation = "volume.beta.kubernetes.io/storage-class"

var pvcTable = Table{
	Columns: []Column{{Name: "NAME"}, {Name: "STATUS"}, {Name: "VOLUME"}, {Name: "CAPACITY"}, {Name: "ACCESS MODES"},
		{Name: "STORAGECLASS"}, {Name: "VOLUMEATTRIBUTESCLASS"}, {Name: "AGE"}, {Name: "VOLUMEMODE", Wide: true}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		c := obj.(*core.PersistentVolumeClaim)
		phase := string(c.Status.Phase)
		if c.DeletionTimestamp != nil {
			phase = "Terminating"
		}
		capacity, modes := "", ""
		if c.Spec.VolumeName != "" {
			modes = accessModes(c.Status.AccessModes)
			if q, ok := c.Status.Capacity[core.ResourceStorage]; ok {
				capacity = q.String()
			} else {
				capacity = "0"
			}
		}
		class := c.Annotations[storageClassAnnotation]
		if _, ok := c.Annotations[storageClassAnnotation]; !ok && c.Spec.StorageClassName != nil {
			class = *c.Spec.StorageClassName
		}
		vac := "<unset>"
		if c.Spec.VolumeAttributesClassName != nil && *c.Spec.VolumeAttributesClassName != "" {
			vac = *c.Spec.VolumeAttributesClassName
		}
		mode := "<unset>"
		if c.Spec.VolumeMode != nil {
			mode = string(*c.Spec.VolumeMode)
		}
		return []string{c.Name, phase, c.Spec.VolumeName, capacity, modes, class, vac, Since(c.CreationTimestamp, now), mode}
	},
}

var configMapTable = Table{
	Columns:    []Column{{Name: "NAME"}, {Name: "DATA"}, {Name: "AGE"}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		c := obj.(*core.ConfigMap)
		return []string{c.Name, fmt.Sprint(len(c.Data) + len(c.BinaryData)), Since(c.CreationTimestamp, now)}
	},
}

var secretTable = Table{
	Columns:    []Column{{Name: "NAME"}, {Name: "TYPE"}, {Name: "DATA"}, {Name: "AGE"}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		s := obj.(*core.Secret)
		return []string{s.Name, string(s.Type), fmt.Sprint(len(s.Data)), Since(s.CreationTimestamp, now)}
	},
}

// servicePorts renders a service's ports as kubectl's makePortString: 80/TCP,443:30443/TCP.
func servicePorts(ports []core.ServicePort) string {
	out := make([]string, len(ports))
	for i, p := range ports {
		if p.NodePort > 0 {
			out[i] = fmt.Sprintf("%d:%d/%s", p.Port, p.NodePort, p.Protocol)
		} else {
			out[i] = fmt.Sprintf("%d/%s", p.Port, p.Protocol)
		}
	}
	return strings.Join(out, ",")
}

// serviceExternalIP renders the EXTERNAL-IP column as kubectl's getServiceExternalIP.
func serviceExternalIP(s *core.Service) string {
	switch s.Spec.Type {
	case core.ServiceTypeClusterIP, core.ServiceTypeNodePort, "":
		if len(s.Spec.ExternalIPs) > 0 {
			return strings.Join(s.Spec.ExternalIPs, ",")
		}
		return "<none>"
	case core.ServiceTypeLoadBalancer:
		var ips []string
		for _, in := range s.Status.LoadBalancer.Ingress {
			if in.IP != "" {
				ips = append(ips, in.IP)
			} else if in.Hostname != "" {
				ips = append(ips, in.Hostname)
			}
		}
		ips = append(ips, s.Spec.ExternalIPs...)
		if len(ips) > 0 {
			return strings.Join(ips, ",")
		}
		return "<pending>"
	case core.ServiceTypeExternalName:
		return s.Spec.ExternalName
	}
	return "<unknown>"
}

var serviceTable = Table{
	Columns: []Column{{Name: "NAME"}, {Name: "TYPE"}, {Name: "CLUSTER-IP"}, {Name: "EXTERNAL-IP"}, {Name: "PORT(S)"},
		{Name: "AGE"}, {Name: "SELECTOR", Wide: true}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		s := obj.(*core.Service)
		ip := "<none>"
		if len(s.Spec.ClusterIPs) > 0 {
			ip = s.Spec.ClusterIPs[0]
		} else if s.Spec.ClusterIP != "" {
			ip = s.Spec.ClusterIP
		}
		ports := servicePorts(s.Spec.Ports)
		if ports == "" {
			ports = "<none>"
		}
		return []string{s.Name, string(s.Spec.Type), ip, serviceExternalIP(s), ports, Since(s.CreationTimestamp, now),
			labels.FormatLabels(s.Spec.Selector)}
	},
}

var leaseTable = Table{
	Columns:    []Column{{Name: "NAME"}, {Name: "HOLDER"}, {Name: "AGE"}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		l := obj.(*coordination.Lease)
		holder := ""
		if l.Spec.HolderIdentity != nil {
			holder = *l.Spec.HolderIdentity
		}
		return []string{l.Name, holder, Since(l.CreationTimestamp, now)}
	},
}

// genericTable is the table of kinds without one of their own: NAME AGE.
var genericTable = Table{
	Columns:    []Column{{Name: "NAME"}, {Name: "AGE"}},
	NameColumn: 0,
	Cells: func(obj meta.Object, now time.Time) []string {
		return []string{obj.GetName(), Since(obj.GetCreationTimestamp(), now)}
	},
}
