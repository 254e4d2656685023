package podgc

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/controller"
	"github.com/skiff-dev/skiff/controllers/internal/podindex"
	"github.com/skiff-dev/skiff/informer"
)

// Names of the two controllers in their manager, logs and metrics.
const (
	// ControllerName is the controller that deletes orphaned pods and terminating pods of
	// out-of-service nodes.
	ControllerName = "pod-garbage-collector"
	// TerminatedControllerName is the controller that keeps the number of finished pods at
	// or below Options.TerminatedPodThreshold.
	TerminatedControllerName = "pod-garbage-collector-terminated"
)

// Defaults of Options.
const (
	// DefaultTerminatedPodThreshold is kube-controller-manager's default
	// --terminated-pod-gc-threshold.
	DefaultTerminatedPodThreshold = 12500
	// DefaultQuarantine is how long a pod's node must stay missing before the pod is
	// deleted (Kubernetes' quarantineTime).
	DefaultQuarantine = 40 * time.Second
	// DefaultWorkers is the number of pods the orphan controller processes at once.
	DefaultWorkers = 4
)

// Messages of the DisruptionTarget condition and reason, as Kubernetes writes them.
const (
	// ReasonDeletionByPodGC is the reason of the DisruptionTarget condition of an orphaned
	// pod.
	ReasonDeletionByPodGC = "DeletionByPodGC"
	orphanMessage         = "PodGC: node no longer exists"
)

// indexPodsByPhase is the pod informer index of finished pods by phase; the controllers also
// use the pods-by-node index (package podindex).
const indexPodsByPhase = "status.phase"

// Options configure the controllers. The zero value means the defaults.
type Options struct {
	// TerminatedPodThreshold is how many finished pods (Succeeded or Failed) may exist
	// before the oldest are deleted. Default DefaultTerminatedPodThreshold; a negative value
	// turns this collection off, as a threshold of 0 does in Kubernetes.
	TerminatedPodThreshold int
	// Quarantine is how long a pod's node must have been found missing before the pod is
	// deleted. Default DefaultQuarantine.
	Quarantine time.Duration
	// Workers is the number of pods the orphan controller processes at once. Default
	// DefaultWorkers.
	Workers int
}

// Validate reports options that cannot work.
func (o Options) Validate() error {
	var errs []error
	if o.Quarantine < 0 {
		errs = append(errs, errors.New("the Quarantine must not be negative"))
	}
	if o.Workers < 0 {
		errs = append(errs, errors.New("the number of Workers must not be negative"))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("podgc: invalid options: %w", err)
	}
	return nil
}

func (o Options) withDefaults() Options {
	if o.TerminatedPodThreshold == 0 {
		o.TerminatedPodThreshold = DefaultTerminatedPodThreshold
	}
	if o.Quarantine == 0 {
		o.Quarantine = DefaultQuarantine
	}
	if o.Workers == 0 {
		o.Workers = DefaultWorkers
	}
	return o
}

// Add builds both controllers on mgr's shared informers and adds them to mgr.
func Add(mgr controller.Manager, opts Options) error {
	if err := opts.Validate(); err != nil {
		return err
	}
	opts = opts.withDefaults()
	pods := informer.For[*core.Pod](mgr.Informers())
	if err := podindex.Add(pods); err != nil {
		return fmt.Errorf("podgc: %w", err)
	}
	if err := pods.AddIndexers(informer.Indexers[*core.Pod]{indexPodsByPhase: podsByPhase}); err != nil && !errors.Is(err, informer.ErrIndexExists) {
		return fmt.Errorf("podgc: %w", err)
	}
	nodes := informer.For[*core.Node](mgr.Informers())
	orphans := &orphanReconciler{
		pods:       client.For[*core.Pod](mgr.Client()),
		nodeClient: client.For[*core.Node](mgr.Client()),
		podLister:  pods.Lister(),
		nodeLister: nodes.Lister(),
		clock:      mgr.Clock(),
		quarantine: opts.Quarantine,
		missing:    map[string]time.Time{},
	}
	if err := controller.NewBuilder[*core.Pod](mgr).
		Named(ControllerName).
		WithWorkers(opts.Workers).
		WithPredicates(controller.PredicateFuncs[*core.Pod]{
			CreateFunc: func(p *core.Pod) bool { return p.Spec.NodeName != "" },
			UpdateFunc: func(old, cur *core.Pod) bool {
				return cur.Spec.NodeName != "" && (old.Spec.NodeName != cur.Spec.NodeName || (old.DeletionTimestamp == nil) != (cur.DeletionTimestamp == nil))
			},
			DeleteFunc: func(*core.Pod) bool { return false },
		}).
		Watch(controller.Watches(controller.MapFunc[*core.Node](podindex.RequestsOfNode(pods.Lister())), controller.PredicateFuncs[*core.Node]{
			CreateFunc: func(*core.Node) bool { return false },
			UpdateFunc: func(old, cur *core.Node) bool {
				return core.IsNodeReady(old) != core.IsNodeReady(cur) || outOfService(old) != outOfService(cur)
			},
		})).
		Complete(orphans); err != nil {
		return err
	}
	if opts.TerminatedPodThreshold < 0 {
		return nil
	}
	terminated := &terminatedReconciler{
		pods:      client.For[*core.Pod](mgr.Client()),
		podLister: pods.Lister(),
		threshold: opts.TerminatedPodThreshold,
	}
	return controller.NewBuilder[*core.Pod](mgr).
		Named(TerminatedControllerName).
		WithWorkers(1).
		WithPredicates(controller.PredicateFuncs[*core.Pod]{
			CreateFunc: func(*core.Pod) bool { return false },
			UpdateFunc: func(*core.Pod, *core.Pod) bool { return false },
			DeleteFunc: func(*core.Pod) bool { return false },
		}).
		Watch(controller.Watches(terminated.sweepRequest, controller.PredicateFuncs[*core.Pod]{
			CreateFunc: core.IsPodTerminal,
			UpdateFunc: func(old, cur *core.Pod) bool { return !core.IsPodTerminal(old) && core.IsPodTerminal(cur) },
			DeleteFunc: func(*core.Pod) bool { return false },
		})).
		Complete(terminated)
}

// podsByPhase files a finished pod under its phase; other pods are not indexed.
func podsByPhase(p *core.Pod) []string {
	if !core.IsPodTerminal(p) {
		return nil
	}
	return []string{string(p.Status.Phase)}
}

// outOfService reports whether the node carries the out-of-service taint.
func outOfService(n *core.Node) bool {
	return slices.ContainsFunc(n.Spec.Taints, func(t core.Taint) bool { return t.Key == core.TaintNodeOutOfService })
}
