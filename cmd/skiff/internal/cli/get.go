package cli

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/printers"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// getFlags are the flags of get.
type getFlags struct {
	output        string
	labelSelector string
	fieldSelector string
	watch         bool
	watchOnly     bool
	noHeaders     bool
	showLabels    bool
}

func (r *root) getCommand() *cobra.Command {
	var f getFlags
	cmd := &cobra.Command{
		Use:   "get (TYPE[,TYPE...] [NAME...] | TYPE/NAME...) [flags]",
		Short: "Display one or many objects",
		Long: "Display one or many objects in a table, or as JSON, YAML, names, a kubectl JSONPath template\n" +
			"(-o jsonpath='{.items[*].metadata.name}') or custom columns (-o custom-columns=NAME:.metadata.name).\n\n" +
			"TYPE is a resource name as kubectl accepts it: a plural (pods), singular (pod), short name\n" +
			"(po, deploy, rs, sts, ds, cj, no, ev, pvc, ns) or a name qualified by its group\n" +
			"(deployments.apps); \"all\" lists the common workload kinds.",
		Example: "  skiff get pods\n  skiff get deploy web -o yaml\n  skiff get po -l app=web -o wide\n" +
			"  skiff get deployments,replicasets -A\n  skiff get pods -w\n" +
			"  skiff get pods -o jsonpath='{range .items[*]}{.metadata.name}{\"\\t\"}{.spec.nodeName}{\"\\n\"}{end}'\n" +
			"  skiff get pods -o custom-columns=NAME:.metadata.name,IMAGES:.spec.containers[*].image",
		RunE: func(cmd *cobra.Command, args []string) error { return r.runGet(cmd, args, f) },
	}
	fl := cmd.Flags()
	fl.StringVarP(&f.output, "output", "o", "", "output format: wide, json, yaml, name, jsonpath=TEMPLATE or custom-columns=HEADER:PATH,...")
	fl.StringVarP(&f.labelSelector, "selector", "l", "", "label selector to filter on, e.g. -l app=web,tier!=db")
	fl.StringVar(&f.fieldSelector, "field-selector", "", "field selector to filter on, e.g. --field-selector status.phase=Running")
	fl.BoolVarP(&f.watch, "watch", "w", false, "after listing the requested objects, watch for changes")
	fl.BoolVar(&f.watchOnly, "watch-only", false, "watch for changes to the requested objects, without listing them first")
	fl.BoolVar(&f.noHeaders, "no-headers", false, "do not print column headers")
	fl.BoolVar(&f.showLabels, "show-labels", false, "add a column with the labels of each object")
	return cmd
}

// getResult is what get found for one kind.
type getResult struct {
	info *scheme.KindInfo
	objs []meta.Object
	rv   uint64 // the list's revision, for a watch
}

func (r *root) runGet(cmd *cobra.Command, args []string, f getFlags) error {
	out, err := r.parseOutput(f.output, true, outputTable, outputWide, outputJSON, outputYAML, outputName)
	if err != nil {
		return err
	}
	c, err := r.client()
	if err != nil {
		return err
	}
	reqs, err := r.parseRequests(cmd, args, true)
	if err != nil {
		return err
	}
	named := false
	for _, q := range reqs {
		named = named || len(q.names) > 0
	}
	if named && f.labelSelector != "" {
		return usageError(cmd, "name cannot be provided when a selector is specified")
	}
	if named && r.allNamespaces {
		return errors.New("a resource cannot be retrieved by name across all namespaces")
	}
	watch := f.watch || f.watchOnly
	if watch && (len(reqs) > 1 || len(reqs[0].names) > 1) {
		return fmt.Errorf("watch is only supported on individual resources and resource collections, but %d resources were found", countRequested(reqs))
	}
	ls, fs, err := selectors(f.labelSelector, f.fieldSelector)
	if err != nil {
		return err
	}

	ctx := cmd.Context()
	var results []getResult
	var errs []error
	for _, q := range reqs {
		res := getResult{info: q.info}
		ns := r.namespaceFor(q.info)
		if len(q.names) == 0 {
			res.objs, res.rv, err = listAll(ctx, c, q.info, store.ListOptions{Namespace: ns, LabelSelector: ls, FieldSelector: fs})
			if err != nil {
				errs = append(errs, err)
				continue
			}
		}
		for _, name := range q.names {
			obj, err := c.Get(ctx, q.info.GVK, ns, name)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			res.objs = append(res.objs, obj)
			if rv, err := store.ParseResourceVersion(obj.GetResourceVersion()); err == nil {
				res.rv = rv
			}
		}
		results = append(results, res)
	}
	if watch && len(errs) > 0 {
		return errs[0]
	}

	single := len(reqs) == 1 && len(reqs[0].names) == 1
	now := r.opts.Clock.Now()
	popts := printers.Options{Wide: out.format == outputWide, WithNamespace: r.allNamespaces, NoHeaders: f.noHeaders, ShowLabels: f.showLabels}
	var table *printers.Writer
	if out.table != nil {
		// Custom columns: one table for every kind, as kubectl prints them.
		table = printers.NewWriter(r.opts.Out, *out.table, printers.Options{NoHeaders: f.noHeaders})
	}
	if !f.watchOnly {
		switch {
		case watch && out.perObject():
			// A watch prints the objects it starts from one by one, like its events.
			for _, res := range results {
				for _, obj := range res.objs {
					if err := r.printWatched(obj, out, table); err != nil {
						return err
					}
				}
			}
		case out.format == outputJSONPath:
			var all []meta.Object
			for _, res := range results {
				all = append(all, res.objs...)
			}
			if err := executeTemplate(r.opts.Out, r.scheme, out.tmpl, all, single); err != nil {
				return err
			}
		case out.format == outputCustomColumns:
			rows := 0
			for _, res := range results {
				for _, obj := range res.objs {
					table.Write(obj, now)
					rows++
				}
			}
			if err := table.Flush(); err != nil {
				return err
			}
			if rows == 0 && len(errs) == 0 && !watch {
				fmt.Fprintln(r.opts.ErrOut, noResourcesMessage(r.ns(), anyNamespaced(reqs)))
			}
		case out.perObject():
			var all []meta.Object
			for _, res := range results {
				all = append(all, res.objs...)
			}
			if len(all) > 0 || len(errs) == 0 {
				if err := printObjects(r.opts.Out, r.scheme, out.format, all, single); err != nil {
					return err
				}
			}
		default:
			printed := false
			for _, res := range results {
				if len(res.objs) == 0 {
					continue
				}
				if printed {
					fmt.Fprintln(r.opts.Out)
				}
				printed = true
				o := popts
				o.WithNamespace = r.allNamespaces && res.info.Namespaced
				if len(reqs) > 1 {
					o.KindPrefix = kindString(res.info) + "/"
				}
				table = printers.NewWriter(r.opts.Out, printers.ForKind(res.info.GVK), o)
				for _, obj := range res.objs {
					table.Write(obj, now)
				}
				if err := table.Flush(); err != nil {
					return err
				}
			}
			if !printed && len(errs) == 0 && !watch {
				fmt.Fprintln(r.opts.ErrOut, noResourcesMessage(r.ns(), anyNamespaced(reqs)))
			}
		}
	}
	if err := r.reportErrors(errs); err != nil {
		return err
	}
	if !watch {
		return nil
	}
	q, res := reqs[0], results[0]
	if table == nil {
		popts.WithNamespace = r.allNamespaces && q.info.Namespaced
		table = printers.NewWriter(r.opts.Out, printers.ForKind(q.info.GVK), popts)
	}
	if len(q.names) == 1 {
		fs = fields.AndSelectors(nonNil(fs), fields.OneTermEqualSelector("metadata.name", q.names[0]))
	}
	return r.watchGet(ctx, c, q.info, store.WatchOptions{Namespace: r.namespaceFor(q.info), LabelSelector: ls,
		FieldSelector: fs, ResourceVersion: res.rv}, out, table)
}

func nonNil(fs fields.Selector) fields.Selector {
	if fs == nil {
		return fields.Everything()
	}
	return fs
}

func countRequested(reqs []request) int {
	n := 0
	for _, q := range reqs {
		n += max(1, len(q.names))
	}
	return n
}

func anyNamespaced(reqs []request) bool {
	for _, q := range reqs {
		if q.info.Namespaced {
			return true
		}
	}
	return false
}

// watchGet prints every change the watch sees, in the output format, until ctx ends. A watch
// whose revision was compacted starts over from the current state.
func (r *root) watchGet(ctx context.Context, c client.Client, info *scheme.KindInfo, opts store.WatchOptions,
	output outputMode, table *printers.Writer) error {
	for {
		w, err := c.Watch(ctx, info.GVK, opts)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		err = r.printWatch(ctx, w, info, output, table, &opts)
		w.Stop()
		if ctx.Err() != nil {
			return nil
		}
		if !store.IsGone(err) {
			return err
		}
		opts.ResourceVersion = 0 // relist: Added events for what exists now
	}
}

// printWatch prints the events of w until it ends, recording in opts the revision seen.
func (r *root) printWatch(ctx context.Context, w store.Watcher, info *scheme.KindInfo, output outputMode,
	table *printers.Writer, opts *store.WatchOptions) error {
	for {
		var e store.Event
		var ok bool
		select {
		case e, ok = <-w.ResultChan():
		case <-ctx.Done():
			return nil
		}
		if !ok {
			if ctx.Err() != nil {
				return nil
			}
			return errors.New("the watch ended unexpectedly")
		}
		switch e.Type {
		case store.Error:
			return e.Err
		case store.Bookmark:
			opts.ResourceVersion = e.Revision
			continue
		}
		opts.ResourceVersion = e.Revision
		if err := r.printWatched(e.Object, output, table); err != nil {
			return err
		}
	}
}

// printWatched prints one object of a watch: alone (not in a List) in the JSON, YAML, name
// and JSONPath formats, as a row of table otherwise.
func (r *root) printWatched(obj meta.Object, output outputMode, table *printers.Writer) error {
	switch output.format {
	case outputJSONPath:
		return executeTemplate(r.opts.Out, r.scheme, output.tmpl, []meta.Object{obj}, true)
	case outputJSON, outputYAML, outputName:
		if output.format == outputYAML {
			fmt.Fprintln(r.opts.Out, "---")
		}
		return printObjects(r.opts.Out, r.scheme, output.format, []meta.Object{obj}, true)
	}
	table.Write(obj, r.opts.Clock.Now())
	return table.Flush()
}
