package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/jsonpath"
	"github.com/skiff-dev/skiff/store"
)

// waitFlags are the flags of wait.
type waitFlags struct {
	selection
	forCondition string
	timeout      time.Duration
}

func (r *root) waitCommand() *cobra.Command {
	var f waitFlags
	cmd := &cobra.Command{
		Use:   "wait (TYPE NAME | TYPE/NAME | TYPE -l SELECTOR | TYPE --all | -f FILENAME) --for=delete|--for=condition=NAME[=VALUE]|--for=jsonpath='{PATH}'[=VALUE]",
		Short: "Wait for a condition on one or many objects",
		Long: "Wait until each object is deleted, has a status condition (by type, status True unless\n" +
			"given; both compared ignoring case), or has a value at a JSONPath (any value unless given).\n" +
			"A condition reported for an older generation of the object (observedGeneration below\n" +
			"metadata.generation) does not count. Each object met prints \"condition met\"; when\n" +
			"--timeout (default 30s; 0 checks once, negative waits a week) passes first, wait fails.",
		Example: "  skiff wait --for=condition=Available deployment/web --timeout=60s\n" +
			"  skiff wait --for=condition=Ready pod -l app=web\n" +
			"  skiff wait --for=jsonpath='{.status.phase}'=Running pod/web-abc\n" +
			"  skiff wait --for=delete pod/web-abc --timeout=60s",
		RunE: func(cmd *cobra.Command, args []string) error { return r.runWait(cmd, args, f) },
	}
	f.selection.addFlags(cmd, "of the objects to wait for", "wait for", true)
	cmd.Flags().StringVar(&f.forCondition, "for", "", "delete, condition=NAME[=VALUE] or jsonpath='{PATH}'[=VALUE]")
	cmd.Flags().DurationVar(&f.timeout, "timeout", 30*time.Second, "how long to wait before giving up: 0 checks once, negative waits a week")
	return cmd
}

// waitCondition checks one state of an object (nil: it does not exist).
type waitCondition func(obj meta.Object) (bool, error)

func (r *root) runWait(cmd *cobra.Command, args []string, f waitFlags) error {
	forDelete := strings.EqualFold(f.forCondition, "delete")
	var check waitCondition
	if !forDelete {
		var err error
		if check, err = r.parseWaitFor(f.forCondition); err != nil {
			return err
		}
	}
	if len(args) == 0 && len(f.file.files) == 0 {
		return usageError(cmd, "one or more resources must be specified as <resource> <name> or <resource>/<name>")
	}
	c, err := r.client()
	if err != nil {
		return err
	}
	timeout := f.timeout
	if timeout < 0 {
		timeout = 7 * 24 * time.Hour
	}
	ctx, cancel := r.withTimeout(cmd.Context(), max(timeout, time.Nanosecond))
	defer cancel()
	f.quiet = true // kubectl's wait says "no matching resources found" instead
	targets, err := r.targets(cmd, c, args, f.selection)
	if err != nil {
		return err
	}
	if len(targets) == 0 && !forDelete {
		return errors.New("no matching resources found")
	}
	for _, t := range targets {
		var met bool
		var err error
		if forDelete {
			met, err = r.waitDeleted(ctx, c, t, f.timeout == 0)
		} else {
			met, err = r.waitMet(ctx, c, t, check, f.timeout == 0)
		}
		switch {
		case err == nil && met:
			fmt.Fprintln(r.opts.Out, objectName(t.info, t.name), "condition met")
		case err == nil:
		case errors.Is(context.Cause(ctx), errTimeout):
			return fmt.Errorf("%v on %s/%s", errTimeout, t.info.Plural, t.name)
		case cmd.Context().Err() != nil:
			return nil // interrupted
		default:
			return err
		}
	}
	return nil
}

// waitDeleted waits until t is gone. An object that does not exist to begin with is not
// reported (as kubectl, which skips it). once checks without waiting (--timeout=0).
func (r *root) waitDeleted(ctx context.Context, c client.Client, t target, once bool) (bool, error) {
	obj, err := c.Get(ctx, t.info.GVK, t.ns, t.name)
	if store.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if once {
		return false, fmt.Errorf("condition not met for %s/%s", t.info.GroupResource(), t.name)
	}
	return true, waitGone(ctx, c, t.info, t.ns, t.name, obj.GetUID())
}

// waitMet waits until check holds for t. The object's deletion meanwhile is NotFound, as is
// its absence. once checks without waiting (--timeout=0).
func (r *root) waitMet(ctx context.Context, c client.Client, t target, check waitCondition, once bool) (bool, error) {
	notFound := store.NewNotFound(t.info.GroupResource(), t.name)
	if once {
		obj, err := c.Get(ctx, t.info.GVK, t.ns, t.name)
		if err != nil {
			return false, err
		}
		if ok, err := check(obj); ok || err != nil {
			return ok, err
		}
		return false, fmt.Errorf("condition not met for %s/%s", t.info.GroupResource(), t.name)
	}
	_, err := watchObject(ctx, c, t.info, t.ns, t.name, func(obj meta.Object) (bool, error) {
		if obj == nil {
			return false, notFound
		}
		return check(obj)
	})
	return err == nil, err
}

// parseWaitFor parses --for=condition=... and --for=jsonpath=... into a check of an object.
func (r *root) parseWaitFor(spec string) (waitCondition, error) {
	switch {
	case strings.HasPrefix(spec, "condition="):
		name, want, ok := strings.Cut(strings.TrimPrefix(spec, "condition="), "=")
		if !ok {
			want = "true"
		}
		if name == "" {
			return nil, fmt.Errorf("unrecognized condition: %q", spec)
		}
		return func(obj meta.Object) (bool, error) { return r.conditionMet(obj, name, want) }, nil
	case strings.HasPrefix(spec, "jsonpath="):
		parts := strings.Split(strings.TrimPrefix(spec, "jsonpath="), "=")
		if len(parts) > 2 || parts[0] == "" {
			return nil, errors.New("jsonpath wait format must be --for=jsonpath='{.status.readyReplicas}'=3 or --for=jsonpath='{.status.readyReplicas}'")
		}
		expr := parts[0]
		if !strings.HasPrefix(expr, "{") && !strings.HasPrefix(expr, ".") {
			expr = "." + expr
		}
		path, err := jsonpath.ParsePath(expr)
		if err != nil {
			return nil, fmt.Errorf("error parsing jsonpath %s, %v", parts[0], err)
		}
		anyValue := len(parts) == 1
		var want string
		if !anyValue {
			if want = strings.Trim(parts[1], `'"`); want == "" {
				return nil, errors.New("jsonpath wait value cannot be empty")
			}
		}
		return func(obj meta.Object) (bool, error) { return r.jsonPathMet(obj, path, anyValue, want) }, nil
	}
	return nil, fmt.Errorf("unrecognized condition: %q", spec)
}

// conditionMet reports whether obj has a status condition of type name (ignoring case) with
// status want (ignoring case), reported for its current generation.
func (r *root) conditionMet(obj meta.Object, name, want string) (bool, error) {
	v, err := objectJSON(r.scheme, obj)
	if err != nil {
		return false, err
	}
	m, _ := v.(map[string]any)
	status, _ := m["status"].(map[string]any)
	conds, _ := status["conditions"].([]any)
	for _, ci := range conds {
		cond, _ := ci.(map[string]any)
		typ, _ := cond["type"].(string)
		st, ok := cond["status"].(string)
		if !ok || !strings.EqualFold(typ, name) {
			continue
		}
		observed, ok := intField(cond["observedGeneration"])
		if !ok {
			observed, ok = intField(status["observedGeneration"])
		}
		if ok && observed < obj.GetObjectMeta().Generation {
			return false, nil
		}
		return strings.EqualFold(st, want), nil
	}
	return false, nil
}

// jsonPathMet reports whether path selects one value in obj, equal to want as text (any
// value when anyValue). Several values, or an object or list, are errors.
func (r *root) jsonPathMet(obj meta.Object, path *jsonpath.Path, anyValue bool, want string) (bool, error) {
	v, err := objectJSON(r.scheme, obj)
	if err != nil {
		return false, err
	}
	vals := path.Eval(v)
	switch {
	case len(vals) == 0:
		return false, nil
	case len(vals) > 1:
		return false, errors.New("given jsonpath expression matches more than one value")
	case anyValue:
		return true, nil
	}
	switch vals[0].(type) {
	case map[string]any, []any:
		return false, errors.New("jsonpath leads to a nested object or list which is not supported")
	}
	s, err := jsonpath.Text(vals[0])
	return strings.TrimSpace(s) == strings.TrimSpace(want), err
}

// intField returns a JSON number as an int64.
func intField(v any) (int64, bool) {
	n, ok := v.(interface{ Int64() (int64, error) })
	if !ok {
		return 0, false
	}
	i, err := n.Int64()
	return i, err == nil
}
