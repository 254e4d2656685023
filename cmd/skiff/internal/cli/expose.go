package cli

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/apps"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
)

// exposeFlags are the flags of expose.
type exposeFlags struct {
	port       int32
	targetPort string
	protocol   string
	name       string
	typ        string
	selector   string
	labels     string
}

func (r *root) exposeCommand() *cobra.Command {
	var f exposeFlags
	cmd := &cobra.Command{
		Use:   "expose (TYPE NAME | TYPE/NAME) [--port=PORT] [--target-port=PORT] [--name=NAME] [--type=TYPE] [--selector=SELECTOR]",
		Short: "Make a service for a deployment, replica set, pod or service",
		Long: "Create a service that selects the pods of a deployment, replica set or pod (or the pods\n" +
			"another service selects), by their selector or labels unless --selector says otherwise.\n" +
			"Without --port, the service gets one port per container port of the pod template. The\n" +
			"service takes the object's name and labels unless --name and --labels are given.\n" +
			"skiff's nodes are simulated: a service is an object others may read, nothing routes to it.",
		Example: "  skiff expose deployment web --port=80 --target-port=8080\n  skiff expose pod/db --port=5432 --name=db",
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usageError(cmd, "one resource must be specified as <resource> <name> or <resource>/<name>")
			}
			c, err := r.client()
			if err != nil {
				return err
			}
			reqs, err := r.parseRequests(cmd, args, false)
			if err != nil {
				return err
			}
			if len(reqs) != 1 || len(reqs[0].names) != 1 {
				return usageError(cmd, "expose takes exactly one resource and name")
			}
			info, name := reqs[0].info, reqs[0].names[0]
			obj, err := c.Get(cmd.Context(), info.GVK, r.namespaceFor(info), name)
			if err != nil {
				return err
			}
			svc, err := r.serviceFor(obj, info, f)
			if err != nil {
				return err
			}
			return r.createObjectAs(cmd, c, svc, "exposed")
		},
	}
	fl := cmd.Flags()
	fl.Int32Var(&f.port, "port", 0, "the service's port (default: each container port of the pod template)")
	fl.StringVar(&f.targetPort, "target-port", "", "the container port, by number or name, traffic goes to (default: the port)")
	fl.StringVar(&f.protocol, "protocol", "", "TCP, UDP or SCTP (default: the container port's, else TCP)")
	fl.StringVar(&f.name, "name", "", "the service's name (default: the object's)")
	fl.StringVar(&f.typ, "type", "", "ClusterIP (default), NodePort or LoadBalancer")
	fl.StringVarP(&f.selector, "selector", "l", "", "the pods to select, KEY=VALUE,... (default: the object's selector or labels)")
	fl.StringVar(&f.labels, "labels", "", "the service's labels, KEY=VALUE,... (default: the object's)")
	r.addCreateOutputFlags(cmd, false)
	return cmd
}

// serviceFor builds the service expose makes for obj.
func (r *root) serviceFor(obj meta.Object, info *scheme.KindInfo, f exposeFlags) (*core.Service, error) {
	var selector map[string]string
	var ports []core.ContainerPort
	var err error
	switch o := obj.(type) {
	case *core.Pod:
		selector, ports = o.Labels, containerPorts(&o.Spec)
	case *apps.Deployment:
		ports = containerPorts(&o.Spec.Template.Spec)
		if selector, err = labelSelectorMap(o.Spec.Selector, info, o.Name, f.selector); err != nil {
			return nil, err
		}
	case *apps.ReplicaSet:
		ports = containerPorts(&o.Spec.Template.Spec)
		if selector, err = labelSelectorMap(o.Spec.Selector, info, o.Name, f.selector); err != nil {
			return nil, err
		}
	case *core.Service:
		selector = o.Spec.Selector
		for _, p := range o.Spec.Ports {
			ports = append(ports, core.ContainerPort{Name: p.Name, ContainerPort: p.Port, Protocol: p.Protocol})
		}
	default:
		return nil, fmt.Errorf("cannot expose a %s", info.GVK.Kind)
	}
	if f.selector != "" {
		set, _, err := parsePairs(strings.Split(f.selector, ","), pairRules{what: "selector", singleEqual: true})
		if err != nil {
			return nil, err
		}
		selector = set
	}
	if len(selector) == 0 {
		return nil, fmt.Errorf("couldn't retrieve selectors via --selector flag or introspection: %s %q has none", kindString(info), obj.GetName())
	}
	svc := &core.Service{
		ObjectMeta: meta.ObjectMeta{Name: obj.GetName(), Namespace: obj.GetNamespace(), Labels: maps.Clone(obj.GetLabels())},
		Spec:       core.ServiceSpec{Selector: maps.Clone(selector), Type: core.ServiceType(f.typ)},
	}
	if f.name != "" {
		svc.Name = f.name
	}
	if f.labels != "" {
		set, _, err := parsePairs(strings.Split(f.labels, ","), pairRules{what: "label", singleEqual: true})
		if err != nil {
			return nil, err
		}
		svc.Labels = set
	}
	target := func(port int32) intstr.IntOrString {
		if f.targetPort == "" {
			return intstr.FromInt(int(port))
		}
		if n, err := strconv.Atoi(f.targetPort); err == nil {
			return intstr.FromInt(n)
		}
		return intstr.FromString(f.targetPort)
	}
	if f.port > 0 {
		proto := core.Protocol(f.protocol)
		if proto == "" && len(ports) == 1 {
			proto = ports[0].Protocol
		}
		svc.Spec.Ports = []core.ServicePort{{Port: f.port, TargetPort: target(f.port), Protocol: orTCP(proto)}}
		return svc, nil
	}
	if len(ports) == 0 {
		return nil, fmt.Errorf("couldn't find port via --port flag or introspection")
	}
	for i, p := range ports {
		sp := core.ServicePort{Port: p.ContainerPort, TargetPort: target(p.ContainerPort), Protocol: orTCP(p.Protocol)}
		if f.protocol != "" {
			sp.Protocol = core.Protocol(f.protocol)
		}
		if len(ports) > 1 {
			sp.Name = "port-" + strconv.Itoa(i+1)
		}
		svc.Spec.Ports = append(svc.Spec.Ports, sp)
	}
	return svc, nil
}

// labelSelectorMap returns a workload's selector as the equality map a service selects with
// (labels.LabelSelectorAsMap: matchLabels, and In expressions of one value), unless
// --selector (flag) replaces it.
func labelSelectorMap(sel *meta.LabelSelector, info *scheme.KindInfo, name, flag string) (map[string]string, error) {
	if flag != "" {
		return nil, nil
	}
	m, err := labels.LabelSelectorAsMap(sel)
	if err != nil {
		return nil, fmt.Errorf("couldn't retrieve selectors via --selector flag or introspection: %s %q: %v", kindString(info), name, err)
	}
	return m, nil
}

// containerPorts returns the ports of a pod spec's containers, in order.
func containerPorts(spec *core.PodSpec) []core.ContainerPort {
	var out []core.ContainerPort
	for _, c := range spec.Containers {
		out = append(out, c.Ports...)
	}
	return out
}

func orTCP(p core.Protocol) core.Protocol {
	if p == "" {
		return core.ProtocolTCP
	}
	return p
}
