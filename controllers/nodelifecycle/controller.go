package nodelifecycle

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/podindex"
	"github.com/skiff-dev/skiff/informer"
	"github.com/skiff-dev/skiff/reconcile"
)

// Names of the two controllers in their manager, their logs and metrics, and the components
// their events are recorded as.
const (
	// ControllerName is the node health and tainting controller (Kubernetes'
	// node-lifecycle-controller; events as "node-controller").
	ControllerName = "nodelifecycle"
	// EvictionControllerName is the NoExecute taint eviction controller (Kubernetes'
	// taint-eviction-controller).
	EvictionControllerName = "taint-eviction-controller"
)

// Defaults of Options.
const (
	// DefaultGracePeriod is how long a node may go without a heartbeat before it is
	// unreachable: kube-controller-manager's --node-monitor-grace-period.
	DefaultGracePeriod = 40 * time.Second
	// DefaultWorkers is the default number of workers of each controller.
	DefaultWorkers = 8
)

// nodeLeaseNamespace is the namespace of the nodes' heartbeat Leases, each named after its
// node.
const nodeLeaseNamespace = core.NamespaceNodeLease

// indexPodsByNodeName is the pod informer index the controllers add (package podindex).
const indexPodsByNodeName = podindex.ByNodeName

// Options configure the controllers. The zero value means the defaults.
type Options struct {
	// GracePeriod is how long a node may go without renewing its Lease (or posting its
	// Ready condition) before it is marked unreachable. Default DefaultGracePeriod.
	GracePeriod time.Duration
	// Workers is the number of workers of each controller. Default DefaultWorkers.
	Workers int
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	var errs []error
	if o.GracePeriod < 0 {
		errs = append(errs, errors.New("the GracePeriod must not be negative"))
	}
	if o.Workers < 0 {
		errs = append(errs, errors.New("the number of Workers must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("nodelifecycle: invalid options: %w", err)
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.GracePeriod == 0 {
		o.GracePeriod = DefaultGracePeriod
	}
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	return o
}

// Manager is what the controllers need from the manager that runs them. *manager.Manager
// implements it.
type Manager interface {
	controller.Manager
	// EventRecorder returns a recorder of events from component.
	EventRecorder(component string) *controller.Recorder
}

// Add builds both controllers — node health and tainting (ControllerName), and NoExecute
// taint eviction (EvictionControllerName) — on mgr's shared informers and adds them to mgr.
func Add(mgr Manager, opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	opts = opts.withDefaults()
	pods := informer.For[*core.Pod](mgr.Informers())
	if err := podindex.Add(pods); err != nil {
		return fmt.Errorf("nodelifecycle: %w", err)
	}
	health := newHealthReconciler(mgr, opts)
	if err := controller.NewBuilder[*core.Node](mgr).
		Named(ControllerName).
		WithWorkers(opts.Workers).
		Watch(controller.Watches(controller.MapFunc[*coordination.Lease](leaseToNode))).
		Complete(health); err != nil {
		return err
	}
	eviction := newEvictionReconciler(mgr)
	return controller.NewBuilder[*core.Pod](mgr).
		Named(EvictionControllerName).
		WithWorkers(opts.Workers).
		WithPredicates(controller.PredicateFuncs[*core.Pod]{
			CreateFunc: func(p *core.Pod) bool { return p.Spec.NodeName != "" && p.DeletionTimestamp == nil },
			UpdateFunc: podMayMeetTaints,
			DeleteFunc: func(*core.Pod) bool { return false },
		}).
		Watch(controller.Watches(controller.MapFunc[*core.Node](podindex.RequestsOfNode(pods.Lister())), controller.PredicateFuncs[*core.Node]{
			UpdateFunc: func(old, cur *core.Node) bool {
				return !slices.Equal(noExecuteTaints(old.Spec.Taints), noExecuteTaints(cur.Spec.Taints))
			},
			DeleteFunc: func(*core.Node) bool { return false },
		})).
		Complete(eviction)
}

// leaseToNode maps a heartbeat Lease to its node.
func leaseToNode(_ context.Context, l *coordination.Lease) []reconcile.Request {
	if l.Namespace != nodeLeaseNamespace {
		return nil
	}
	return []reconcile.Request{{Name: l.Name}}
}

// podMayMeetTaints passes the pod updates that may change its eviction: a new binding, new
// tolerations. Deletions in progress are not evicted again.
func podMayMeetTaints(old, cur *core.Pod) bool {
	if cur.Spec.NodeName == "" || cur.DeletionTimestamp != nil {
		return false
	}
	return old.Spec.NodeName != cur.Spec.NodeName || !slices.EqualFunc(old.Spec.Tolerations, cur.Spec.Tolerations, tolerationEqual)
}

func tolerationEqual(a, b core.Toleration) bool {
	if !a.MatchToleration(&b) {
		return false
	}
	if a.TolerationSeconds == nil || b.TolerationSeconds == nil {
		return a.TolerationSeconds == b.TolerationSeconds
	}
	return *a.TolerationSeconds == *b.TolerationSeconds
}
