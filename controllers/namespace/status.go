package namespace

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
)

// The deletion conditions of a terminating namespace, with Kubernetes' reasons and messages
// (pkg/controller/namespace/deletion/status_condition_utils.go). Discovery and group-version
// parsing cannot fail in skiff: those two are always False.
var conditionOrder = []core.NamespaceConditionType{
	core.NamespaceDeletionDiscoveryFailure,
	core.NamespaceDeletionGVParsingFailure,
	core.NamespaceDeletionContentFailure,
	core.NamespaceContentRemaining,
	core.NamespaceFinalizersRemaining,
}

var (
	okReasons = map[core.NamespaceConditionType]string{
		core.NamespaceDeletionDiscoveryFailure: "ResourcesDiscovered",
		core.NamespaceDeletionGVParsingFailure: "ParsedGroupVersions",
		core.NamespaceDeletionContentFailure:   "ContentDeleted",
		core.NamespaceContentRemaining:         "ContentRemoved",
		core.NamespaceFinalizersRemaining:      "ContentHasNoFinalizers",
	}
	okMessages = map[core.NamespaceConditionType]string{
		core.NamespaceDeletionDiscoveryFailure: "All resources successfully discovered",
		core.NamespaceDeletionGVParsingFailure: "All legacy kube types successfully parsed",
		core.NamespaceDeletionContentFailure:   "All content successfully deleted, may be waiting on finalization",
		core.NamespaceContentRemaining:         "All content successfully removed",
		core.NamespaceFinalizersRemaining:      "All content-preserving finalizers finished",
	}
)

// conditions returns the deletion conditions that describe c, in a fixed order.
func conditions(c *content) []core.NamespaceCondition {
	out := make([]core.NamespaceCondition, 0, len(conditionOrder))
	for _, t := range conditionOrder {
		cond := core.NamespaceCondition{Type: t, Status: core.ConditionFalse, Reason: okReasons[t], Message: okMessages[t]}
		switch {
		case t == core.NamespaceDeletionContentFailure && len(c.errs) > 0:
			cond.Status, cond.Reason = core.ConditionTrue, "ContentDeletionFailed"
			cond.Message = fmt.Sprintf("Failed to delete all resource types, %d remaining: %v", len(c.errs), errors.Join(c.errs...))
			cond.Message = strings.ReplaceAll(cond.Message, "\n", ", ")
		case t == core.NamespaceContentRemaining && len(c.left) > 0:
			cond.Status, cond.Reason = core.ConditionTrue, "SomeResourcesRemain"
			cond.Message = "Some resources are remaining: " + summary(c.left, "%s has %d resource instances")
		case t == core.NamespaceFinalizersRemaining && len(c.finalizers) > 0:
			cond.Status, cond.Reason = core.ConditionTrue, "SomeFinalizersRemain"
			cond.Message = "Some content in the namespace has finalizers remaining: " + summary(c.finalizers, "%s in %d resource instances")
		}
		out = append(out, cond)
	}
	return out
}

// summary renders counts as format(key, count), sorted by key, joined by ", ".
func summary(counts map[string]int, format string) string {
	parts := make([]string, 0, len(counts))
	for _, k := range slices.Sorted(maps.Keys(counts)) {
		parts = append(parts, fmt.Sprintf(format, k, counts[k]))
	}
	return strings.Join(parts, ", ")
}

// setConditions writes the deletion conditions of c into ns's status when they changed,
// keeping the lastTransitionTime of every condition whose status did not change.
func (r *Reconciler) setConditions(ctx context.Context, ns *core.Namespace, c *content) error {
	want, now := conditions(c), r.clock.Now()
	_, err := client.GuaranteedUpdateStatus(ctx, r.namespaces, "", ns.Name, func(cur *core.Namespace) error {
		if cur.UID != ns.UID {
			return nil
		}
		cur.Status.Conditions = mergeConditions(cur.Status.Conditions, want, now)
		return nil
	})
	return err
}

// mergeConditions returns want, each condition keeping old's lastTransitionTime when its
// status is unchanged and getting now otherwise. Conditions of old that want does not name
// are kept.
func mergeConditions(old, want []core.NamespaceCondition, now time.Time) []core.NamespaceCondition {
	out := make([]core.NamespaceCondition, 0, len(want))
	for _, w := range want {
		w.LastTransitionTime = meta.NewTime(now)
		if i := slices.IndexFunc(old, func(o core.NamespaceCondition) bool { return o.Type == w.Type }); i >= 0 && old[i].Status == w.Status {
			w.LastTransitionTime = old[i].LastTransitionTime
		}
		out = append(out, w)
	}
	for _, o := range old {
		if !slices.ContainsFunc(want, func(w core.NamespaceCondition) bool { return w.Type == o.Type }) {
			out = append(out, o)
		}
	}
	return out
}
