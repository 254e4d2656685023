package cli

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/printers"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// eventsFlags are the flags of events.
type eventsFlags struct {
	forObject string
	types     []string
	watch     bool
	output    string
	noHeaders bool
}

func (r *root) eventsCommand() *cobra.Command {
	var f eventsFlags
	cmd := &cobra.Command{
		Use:   "events [--for TYPE/NAME] [--types Normal,Warning] [-w]",
		Short: "List events, oldest first",
		Example: "  skiff events\n  skiff events --for deployment/web\n  skiff events -A --types Warning\n" +
			"  skiff events -w",
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return r.runEvents(cmd, f) },
	}
	fl := cmd.Flags()
	fl.StringVar(&f.forObject, "for", "", "only the events about this object, as TYPE/NAME")
	fl.StringSliceVar(&f.types, "types", nil, "only the events of these types (Normal, Warning)")
	fl.BoolVarP(&f.watch, "watch", "w", false, "after listing the events, watch for new ones")
	fl.StringVarP(&f.output, "output", "o", "", "output format: json or yaml")
	fl.BoolVar(&f.noHeaders, "no-headers", false, "do not print column headers")
	return cmd
}

// eventFilter selects the events of `events` and `describe`.
type eventFilter struct {
	kind, name string   // the involved object's kind and name; "" matches any
	uid        meta.UID // the involved object's uid; "" matches any
	types      []string // event types; empty matches any
}

func (f eventFilter) match(e *core.Event) bool {
	ref := e.InvolvedObject
	return (f.kind == "" || ref.Kind == f.kind) && (f.name == "" || ref.Name == f.name) &&
		(f.uid == "" || ref.UID == "" || ref.UID == f.uid) &&
		(len(f.types) == 0 || slices.ContainsFunc(f.types, func(t string) bool { return strings.EqualFold(t, e.Type) }))
}

// listEvents returns the events of namespace ns ("" for all) that f selects, oldest first,
// and the revision they were read at.
func listEvents(ctx context.Context, c client.Client, ns string, f eventFilter) ([]*core.Event, uint64, error) {
	objs, rv, err := listAll(ctx, c, mustKind(c.Scheme(), scheme.EventGVK), store.ListOptions{Namespace: ns})
	if err != nil {
		return nil, 0, err
	}
	var out []*core.Event
	for _, o := range objs {
		if e, ok := o.(*core.Event); ok && f.match(e) {
			out = append(out, e)
		}
	}
	printers.SortEvents(out)
	return out, rv, nil
}

// mustKind returns the kind of gvk, which the built-in scheme registers.
func mustKind(sch *scheme.Scheme, gvk scheme.GroupVersionKind) *scheme.KindInfo {
	info, err := sch.ForGVK(gvk)
	if err != nil {
		panic(err) // a scheme without the built-in kinds is a programming error
	}
	return info
}

func (r *root) runEvents(cmd *cobra.Command, f eventsFlags) error {
	if err := checkOutput(f.output, "", outputJSON, outputYAML); err != nil {
		return err
	}
	for _, t := range f.types {
		if !strings.EqualFold(t, core.EventTypeNormal) && !strings.EqualFold(t, core.EventTypeWarning) {
			return fmt.Errorf("valid --types are Normal or Warning")
		}
	}
	c, err := r.client()
	if err != nil {
		return err
	}
	filter := eventFilter{types: f.types}
	if f.forObject != "" {
		typ, name, ok := strings.Cut(f.forObject, "/")
		if !ok || name == "" {
			return usageError(cmd, "--for must be in resource/name form")
		}
		info, err := r.resolve(typ)
		if err != nil {
			return err
		}
		filter.kind, filter.name = info.GVK.Kind, name
	}
	ctx, ns := cmd.Context(), r.ns()
	events, rv, err := listEvents(ctx, c, ns, filter)
	if err != nil {
		return err
	}
	if f.output != "" {
		objs := make([]meta.Object, len(events))
		for i, e := range events {
			objs[i] = e
		}
		if err := printObjects(r.opts.Out, r.scheme, f.output, objs, false); err != nil {
			return err
		}
	} else {
		if len(events) == 0 && !f.watch {
			if r.allNamespaces {
				fmt.Fprintln(r.opts.ErrOut, "No events found.")
			} else {
				fmt.Fprintf(r.opts.ErrOut, "No events found in %s namespace.\n", ns)
			}
			return nil
		}
		t := &eventTable{out: r.opts.Out, allNamespaces: r.allNamespaces, noHeaders: f.noHeaders}
		for _, e := range events {
			t.add(e, r.opts.Clock.Now())
		}
		if err := t.flush(); err != nil {
			return err
		}
	}
	if !f.watch {
		return nil
	}
	return r.watchEvents(ctx, c, ns, filter, rv, f.output, &eventTable{out: r.opts.Out, allNamespaces: r.allNamespaces, noHeaders: true})
}

// watchEvents prints the events f selects as they come, until ctx ends.
func (r *root) watchEvents(ctx context.Context, c client.Client, ns string, f eventFilter, rv uint64, output string, t *eventTable) error {
	w, err := c.Watch(ctx, scheme.EventGVK, store.WatchOptions{Namespace: ns, ResourceVersion: rv})
	if err != nil {
		return err
	}
	defer w.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-w.ResultChan():
			if !ok {
				return nil
			}
			if e.Type == store.Error {
				return e.Err
			}
			ev, isEvent := e.Object.(*core.Event)
			if e.Type == store.Deleted || !isEvent || !f.match(ev) {
				continue
			}
			if output != "" {
				if err := printObjects(r.opts.Out, r.scheme, output, []meta.Object{ev}, true); err != nil {
					return err
				}
				continue
			}
			t.add(ev, r.opts.Clock.Now())
			if err := t.flush(); err != nil {
				return err
			}
		}
	}
}

// eventTable is the table of `kubectl events`: LAST SEEN TYPE REASON OBJECT MESSAGE, with a
// leading NAMESPACE column for -A. OBJECT is Kind/name.
type eventTable struct {
	out           io.Writer
	allNamespaces bool
	noHeaders     bool
	rows          []*core.Event
	w             *printers.Writer
	now           time.Time
}

func (t *eventTable) add(e *core.Event, now time.Time) {
	t.rows = append(t.rows, e)
	t.now = now
}

func (t *eventTable) flush() error {
	if t.w == nil {
		t.w = printers.NewWriter(t.out, eventsCommandTable, printers.Options{WithNamespace: t.allNamespaces, NoHeaders: t.noHeaders})
	}
	for _, e := range t.rows {
		t.w.Write(e, t.now)
	}
	t.rows = t.rows[:0]
	return t.w.Flush()
}

// eventsCommandTable lays out events as `kubectl events` does.
var eventsCommandTable = printers.Table{
	Columns:    []printers.Column{{Name: "LAST SEEN"}, {Name: "TYPE"}, {Name: "REASON"}, {Name: "OBJECT"}, {Name: "MESSAGE"}},
	NameColumn: -1,
	Cells: func(obj meta.Object, now time.Time) []string {
		e := obj.(*core.Event)
		return []string{printers.EventInterval(e, now), e.Type, e.Reason,
			e.InvolvedObject.Kind + "/" + e.InvolvedObject.Name, strings.TrimSpace(e.Message)}
	},
}
