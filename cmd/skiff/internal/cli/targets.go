package cli

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// target is one object a command acts on.
type target struct {
	info *scheme.KindInfo
	ns   string
	name string
}

// selection is how delete, label, annotate, patch and set image name their objects, as
// kubectl's resource builder takes them: TYPE NAME..., TYPE/NAME..., TYPE with -l SELECTOR
// or --all, or the objects of the manifests given to -f.
type selection struct {
	file          fileFlags
	labelSelector string
	all           bool
	// quiet leaves out the "No resources found" message when a selector matches nothing.
	quiet bool
}

// addFlags adds -f/-R (for the manifests' objects) and, when selectors is true, -l and --all.
// what completes the help of -f ("of the objects to delete"), verb that of -l and --all.
func (s *selection) addFlags(cmd *cobra.Command, what, verb string, selectors bool) {
	s.file.add(cmd, what)
	if selectors {
		cmd.Flags().StringVarP(&s.labelSelector, "selector", "l", "", verb+" the objects that match this label selector")
		cmd.Flags().BoolVar(&s.all, "all", false, verb+" every object of the type in the namespace")
	}
}

// targets resolves the objects args and s name. Objects selected by -l or --all are listed
// now; named ones are not read. When a selector matches nothing, it prints what kubectl
// prints for that ("No resources found in default namespace."), unless s.quiet, and returns
// no targets and no error.
func (r *root) targets(cmd *cobra.Command, c client.Client, args []string, s selection) ([]target, error) {
	if len(s.file.files) > 0 {
		if len(args) > 0 {
			return nil, usageError(cmd, "when paths, URLs, or stdin is provided as input, you may not specify resources as arguments as well")
		}
		verb := strings.TrimPrefix(cmd.CommandPath(), cmd.Root().Name()+" ")
		ms, err := r.readAndPrepare(verb, s.file.files, s.file.recursive, namespaceFlagSet(cmd))
		if err != nil {
			return nil, err
		}
		out := make([]target, 0, len(ms))
		for _, m := range ms {
			out = append(out, target{m.info, m.obj.GetNamespace(), m.obj.GetName()})
		}
		return out, nil
	}
	if s.all && s.labelSelector != "" {
		return nil, usageError(cmd, "cannot set --all and --selector at the same time")
	}
	reqs, err := r.parseRequests(cmd, args, false)
	if err != nil {
		return nil, err
	}
	var out []target
	for _, q := range reqs {
		ns := r.namespaceFor(q.info)
		if len(q.names) > 0 {
			if s.all || s.labelSelector != "" {
				return nil, usageError(cmd, "name cannot be provided when a selector or --all is specified")
			}
			for _, n := range q.names {
				out = append(out, target{q.info, ns, n})
			}
			continue
		}
		if !s.all && s.labelSelector == "" {
			return nil, usageError(cmd, "resource(s) were provided, but no name was specified")
		}
		ls, _, err := selectors(s.labelSelector, "")
		if err != nil {
			return nil, err
		}
		objs, _, err := listAll(cmd.Context(), c, q.info, store.ListOptions{Namespace: ns, LabelSelector: ls})
		if err != nil {
			return nil, err
		}
		for _, o := range objs {
			out = append(out, target{q.info, o.GetNamespace(), o.GetName()})
		}
	}
	if len(out) == 0 && !s.quiet {
		fmt.Fprintln(r.opts.ErrOut, noResourcesMessage(r.ns(), anyNamespaced(reqs)))
	}
	return out, nil
}

// splitPairs separates kubectl's "TYPE NAME... KEY=VALUE... KEY-..." arguments (label,
// annotate, set image) into the resource arguments and the pairs after them: an argument
// is a pair when it holds "=" after its first character or ends with "-" (and is not "-").
// what names the pairs in the error for a resource after a pair ("label").
func splitPairs(cmd *cobra.Command, args []string, what string) (resources, pairs []string, err error) {
	for _, a := range args {
		isPair := (strings.Contains(a, "=") && a[0] != '=') || (strings.HasSuffix(a, "-") && a != "-")
		switch {
		case isPair:
			pairs = append(pairs, a)
		case len(pairs) > 0:
			return nil, nil, usageError(cmd, "all resources must be specified before %s changes: %s", what, a)
		default:
			resources = append(resources, a)
		}
	}
	return resources, pairs, nil
}

// pairRules say which pairs parsePairs accepts.
type pairRules struct {
	what        string // the pairs' name in errors: "label"
	allowRemove bool   // KEY- removes KEY
	singleEqual bool   // a value may not hold "=" (labels)
}

// parsePairs parses KEY=VALUE pairs into set and, when the rules allow it, KEY- pairs into
// remove.
func parsePairs(pairs []string, rules pairRules) (set map[string]string, remove []string, err error) {
	what := rules.what
	set = map[string]string{}
	for _, p := range pairs {
		switch k, v, ok := strings.Cut(p, "="); {
		case ok:
			if k == "" || rules.singleEqual && strings.Contains(v, "=") {
				return nil, nil, fmt.Errorf("invalid %s spec: %s", what, p)
			}
			set[k] = v
		case rules.allowRemove && strings.HasSuffix(p, "-") && len(p) > 1:
			remove = append(remove, strings.TrimSuffix(p, "-"))
		default:
			return nil, nil, fmt.Errorf("invalid %s spec: %s", what, p)
		}
	}
	for _, k := range remove {
		if _, ok := set[k]; ok {
			return nil, nil, fmt.Errorf("can not both modify and remove %s in the same command", what)
		}
	}
	return set, remove, nil
}
