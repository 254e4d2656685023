package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
	"unicode"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/printers"
	"github.com/skiff-dev/skiff/store"
)

func (r *root) describeCommand() *cobra.Command {
	var selector string
	cmd := &cobra.Command{
		Use:   "describe (TYPE [NAME_PREFIX...] | TYPE/NAME...)",
		Short: "Show the details of objects, with their events",
		Long: "Show the details of objects: their fields, conditions, related objects and recent events.\n" +
			"A NAME that is not an object's exact name describes every object whose name starts with it.",
		Example: "  skiff describe deployment web\n  skiff describe pods -l app=web\n  skiff describe node/node-1",
		RunE: func(cmd *cobra.Command, args []string) error {
			c, err := r.client()
			if err != nil {
				return err
			}
			reqs, err := r.parseRequests(cmd, args, false)
			if err != nil {
				return err
			}
			ls, _, err := selectors(selector, "")
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			var objs []meta.Object
			var errs []error
			for _, q := range reqs {
				ns := r.namespaceFor(q.info)
				if len(q.names) == 0 {
					list, _, err := listAll(ctx, c, q.info, store.ListOptions{Namespace: ns, LabelSelector: ls})
					if err != nil {
						errs = append(errs, err)
					}
					objs = append(objs, list...)
					continue
				}
				for _, name := range q.names {
					obj, err := c.Get(ctx, q.info.GVK, ns, name)
					if store.IsNotFound(err) {
						// As kubectl: a name that is nobody's is a prefix.
						list, _, lerr := listAll(ctx, c, q.info, store.ListOptions{Namespace: ns})
						matched := false
						for _, o := range list {
							if lerr == nil && strings.HasPrefix(o.GetName(), name) {
								objs, matched = append(objs, o), true
							}
						}
						if !matched {
							errs = append(errs, err)
						}
						continue
					}
					if err != nil {
						errs = append(errs, err)
						continue
					}
					objs = append(objs, obj)
				}
			}
			for i, obj := range objs {
				if i > 0 {
					fmt.Fprint(r.opts.Out, "\n\n")
				}
				if err := r.describe(ctx, c, obj); err != nil {
					errs = append(errs, err)
				}
			}
			if len(objs) == 0 && len(errs) == 0 {
				fmt.Fprintln(r.opts.ErrOut, noResourcesMessage(r.ns(), anyNamespaced(reqs)))
			}
			return r.reportErrors(errs)
		},
	}
	cmd.Flags().StringVarP(&selector, "selector", "l", "", "describe the objects that match this label selector")
	return cmd
}

// describer writes what describe says about one object, its events aside, kubectl style:
// "Label:\tvalue" lines aligned by a tabwriter, nested levels indented by two spaces.
type describer struct {
	ctx context.Context
	c   client.Client
	tw  *tabwriter.Writer
	now time.Time
}

// line writes one line at the given nesting level.
func (d *describer) line(level int, format string, args ...any) {
	fmt.Fprintf(d.tw, strings.Repeat("  ", level)+format+"\n", args...)
}

// time renders a timestamp as kubectl's describe does (RFC 1123 with numeric zone, in the
// zone of the command's clock), "<unset>" when zero.
func (d *describer) time(t meta.Time) string {
	if t.IsZero() {
		return "<unset>"
	}
	return t.In(d.now.Location()).Format(time.RFC1123Z)
}

// describe writes the description of obj and its events.
func (r *root) describe(ctx context.Context, c client.Client, obj meta.Object) error {
	var b bytes.Buffer
	d := &describer{ctx: ctx, c: c, tw: tabwriter.NewWriter(&b, 0, 8, 2, ' ', 0), now: r.opts.Clock.Now()}
	if err := d.object(obj); err != nil {
		return err
	}
	info, err := c.Scheme().ForObject(obj)
	if err != nil {
		return err
	}
	events, _, err := listEvents(ctx, c, obj.GetNamespace(), eventFilter{kind: info.GVK.Kind, name: obj.GetName(), uid: obj.GetUID()})
	if err != nil {
		return err
	}
	d.events(events)
	if err := d.tw.Flush(); err != nil {
		return err
	}
	_, err = r.opts.Out.Write(b.Bytes())
	return err
}

// meta writes Name, Namespace (for namespaced objects), Labels and Annotations.
func (d *describer) meta(m *meta.ObjectMeta, namespaced bool) {
	d.line(0, "Name:\t%s", m.Name)
	if namespaced {
		d.line(0, "Namespace:\t%s", m.Namespace)
	}
}

// labels writes "Title:\tk=v" with one label per line, sorted, or <none>.
func (d *describer) labels(level int, title string, l map[string]string) {
	if len(l) == 0 {
		d.line(level, "%s:\t<none>", title)
		return
	}
	keys := sortedKeys(l)
	for i, k := range keys {
		if i == 0 {
			d.line(level, "%s:\t%s=%s", title, k, l[k])
		} else {
			d.line(level, "\t%s=%s", k, l[k])
		}
	}
}

// maxAnnotationLen is where describe cuts long annotation values, as kubectl does.
const maxAnnotationLen = 140

// annotations writes "Annotations:\tk: v" lines, sorted, without the last-applied
// configuration, long values cut.
func (d *describer) annotations(level int, a map[string]string) {
	keys := sortedKeys(a)
	first := true
	for _, k := range keys {
		if k == lastAppliedAnnotation {
			continue
		}
		v := strings.TrimSpace(a[k])
		if len(v) > maxAnnotationLen {
			v = v[:maxAnnotationLen-3] + "..."
		}
		v = strings.ReplaceAll(v, "\n", " ")
		if first {
			d.line(level, "Annotations:\t%s: %s", k, v)
			first = false
		} else {
			d.line(level, "\t%s: %s", k, v)
		}
	}
	if first {
		d.line(level, "Annotations:\t<none>")
	}
}

// controlledBy writes "Controlled By:\tKind/name" when obj has a controller.
func (d *describer) controlledBy(obj meta.Object) {
	if ref := meta.GetControllerOf(obj); ref != nil {
		d.line(0, "Controlled By:\t%s/%s", ref.Kind, ref.Name)
	}
}

// events writes kubectl's Events section.
func (d *describer) events(events []*core.Event) {
	if len(events) == 0 {
		d.line(0, "Events:\t<none>")
		return
	}
	_ = d.tw.Flush()
	d.line(0, "Events:")
	d.line(1, "Type\tReason\tAge\tFrom\tMessage")
	d.line(1, "----\t------\t----\t----\t-------")
	for _, e := range events {
		from := e.Source.Component
		if from == "" {
			from = e.ReportingController
		}
		d.line(1, "%s\t%s\t%s\t%s\t%s", e.Type, e.Reason, printers.EventInterval(e, d.now), from, strings.TrimSpace(e.Message))
	}
}

// conditionRow is one row of a Conditions table.
type conditionRow struct {
	typ, status, reason, message string
}

// conditions writes a Conditions table with the given columns (Type and Status always).
func (d *describer) conditions(rows []conditionRow, withReason, withMessage bool) {
	if len(rows) == 0 {
		return
	}
	head, dash := "Type\tStatus", "----\t------"
	if withReason {
		head, dash = head+"\tReason", dash+"\t------"
	}
	if withMessage {
		head, dash = head+"\tMessage", dash+"\t-------"
	}
	d.line(0, "Conditions:")
	d.line(1, "%s", head)
	d.line(1, "%s", dash)
	for _, r := range rows {
		cells := r.typ + "\t" + r.status
		if withReason {
			cells += "\t" + r.reason
		}
		if withMessage {
			cells += "\t" + r.message
		}
		d.line(1, "%s", cells)
	}
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// generic describes an object of a kind without a describer of its own: its metadata, then
// every other top-level field, recursively, with kubectl's "Camel Case" keys.
func (d *describer) generic(obj meta.Object) error {
	m := obj.GetObjectMeta()
	d.meta(m, m.Namespace != "")
	d.labels(0, "Labels", m.Labels)
	d.annotations(0, m.Annotations)
	data, err := json.Marshal(obj)
	if err != nil {
		return err
	}
	var v map[string]any
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	tm := obj.GetTypeMeta()
	if tm.APIVersion != "" {
		d.line(0, "API Version:\t%s", tm.APIVersion)
	}
	if tm.Kind != "" {
		d.line(0, "Kind:\t%s", tm.Kind)
	}
	for _, k := range sortedKeys(v) {
		switch k {
		case "apiVersion", "kind", "metadata":
			continue
		}
		d.value(0, k, v[k])
	}
	return nil
}

// value writes one field of a generic description.
func (d *describer) value(level int, key string, v any) {
	title := camelToTitle(key)
	switch v := v.(type) {
	case map[string]any:
		d.line(level, "%s:", title)
		for _, k := range sortedKeys(v) {
			d.value(level+1, k, v[k])
		}
	case []any:
		d.line(level, "%s:", title)
		for _, item := range v {
			if m, ok := item.(map[string]any); ok {
				for _, k := range sortedKeys(m) {
					d.value(level+1, k, m[k])
				}
				continue
			}
			d.line(level+1, "%v", item)
		}
	default:
		d.line(level, "%s:\t%v", title, v)
	}
}

// camelToTitle turns "lastScheduleTime" into "Last Schedule Time".
func camelToTitle(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i == 0 {
			b.WriteRune(unicode.ToUpper(r))
			continue
		}
		if unicode.IsUpper(r) {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// newDescriber returns a describer that writes to w without a client, for descriptions that
// need no other object (the pod template of rollout history).
func newDescriber(w io.Writer, now time.Time) *describer {
	return &describer{ctx: context.Background(), tw: tabwriter.NewWriter(w, 0, 8, 2, ' ', 0), now: now}
}
