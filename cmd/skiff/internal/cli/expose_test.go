package cli

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

func TestExpose(t *testing.T) {
	e := newEnv(t)
	e.create(deployment("web", 1, "nginx"))
	svc := func(name string) *core.Service { return e.get(scheme.ServiceGVK, "default", name).(*core.Service) }

	if got := e.ok("expose", "deployment", "web", "--port=80", "--target-port=8080"); got != "service/web exposed\n" {
		t.Errorf("expose: %q", got)
	}
	s := svc("web")
	if !maps.Equal(s.Spec.Selector, map[string]string{"app": "web"}) || !maps.Equal(s.Labels, map[string]string{"app": "web"}) ||
		len(s.Spec.Ports) != 1 || s.Spec.Ports[0].Port != 80 || s.Spec.Ports[0].TargetPort != intstr.FromInt(8080) || s.Spec.Ports[0].Protocol != core.ProtocolTCP {
		t.Errorf("service %+v", s)
	}

	// Without --port: one port per container port, named when there are several.
	d := deployment("api", 1, "api")
	d.Spec.Template.Spec.Containers[0].Ports = []core.ContainerPort{{ContainerPort: 8080}, {ContainerPort: 9090, Protocol: core.ProtocolUDP}}
	e.create(d)
	e.ok("expose", "deploy/api", "--name=api-svc", "--type=NodePort", "--labels=team=a")
	s = svc("api-svc")
	var ports []string
	for _, p := range s.Spec.Ports {
		ports = append(ports, p.Name+":"+p.TargetPort.String()+"/"+string(p.Protocol))
	}
	if !slices.Equal(ports, []string{"port-1:8080/TCP", "port-2:9090/UDP"}) || s.Spec.Type != core.ServiceTypeNodePort ||
		!maps.Equal(s.Labels, map[string]string{"team": "a"}) {
		t.Errorf("service %v, type %q, labels %v", ports, s.Spec.Type, s.Labels)
	}

	// A pod, by its labels; another selector by flag.
	e.create(runningPod("db", "", map[string]string{"role": "db"}))
	e.ok("expose", "pod/db", "--port=5432", "--name=db-svc", "--selector=role=db,tier=data")
	if s := svc("db-svc"); !maps.Equal(s.Spec.Selector, map[string]string{"role": "db", "tier": "data"}) {
		t.Errorf("selector %v", s.Spec.Selector)
	}

	// --dry-run prints the manifest and creates nothing.
	out := e.ok("expose", "deploy/web", "--port=80", "--name=preview", "--dry-run=client", "-o", "yaml")
	if !strings.Contains(out, "kind: Service\n") || !strings.Contains(out, "  - port: 80\n") {
		t.Errorf("expose --dry-run -o yaml:\n%s", out)
	}
	if _, err := e.c.Get(e.ctx, scheme.ServiceGVK, "default", "preview"); !store.IsNotFound(err) {
		t.Errorf("a dry run created the service: %v", err)
	}

	e.fails("error: couldn't find port via --port flag or introspection\n", "expose", "deploy/web", "--name=x")
	e.fails("Error from server (AlreadyExists): services \"web\" already exists\n", "expose", "deploy/web", "--port=80")
	e.create(statefulSet("st", 1, "x"))
	e.fails("error: cannot expose a StatefulSet\n", "expose", "sts/st", "--port=80")
	e.fails("Error from server (NotFound): deployments.apps \"nope\" not found\n", "expose", "deploy/nope", "--port=80")
}
