package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// request is one kind of a command line with the names given for it (none: all objects).
type request struct {
	info  *scheme.KindInfo
	names []string
}

// allResources are the kinds `get all` lists, in kubectl's order.
var allResources = []string{"pods", "services", "daemonsets", "deployments", "replicasets", "statefulsets", "jobs", "cronjobs"}

// resolve returns the kind a command-line resource name denotes: a plural, singular, kind
// or short name, optionally qualified by its group ("deployments.apps").
func (r *root) resolve(name string) (*scheme.KindInfo, error) {
	info, err := r.scheme.ForResource(name)
	if err != nil {
		return nil, fmt.Errorf("the server doesn't have a resource type %q", name)
	}
	return info, nil
}

// parseRequests parses kubectl's resource arguments: "TYPE[,TYPE...] [NAME...]" or
// "TYPE/NAME [TYPE/NAME...]". allowAll lets "all" stand for allResources.
func (r *root) parseRequests(cmd *cobra.Command, args []string, allowAll bool) ([]request, error) {
	if len(args) == 0 {
		return nil, usageError(cmd, "You must specify the type of resource to %s. Use \"skiff api-resources\" for a complete list of supported resources.", cmd.Name())
	}
	if strings.Contains(args[0], "/") {
		var reqs []request
		for _, a := range args {
			typ, name, ok := strings.Cut(a, "/")
			if !ok || typ == "" || name == "" {
				if !ok {
					return nil, usageError(cmd, "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'skiff %s resource/<resource_name>' instead of 'skiff %s resource resource/<resource_name>')", cmd.Name(), cmd.Name())
				}
				return nil, usageError(cmd, "arguments in resource/name form must have a single resource and name")
			}
			info, err := r.resolve(typ)
			if err != nil {
				return nil, err
			}
			if n := len(reqs); n > 0 && reqs[n-1].info == info {
				reqs[n-1].names = append(reqs[n-1].names, name)
			} else {
				reqs = append(reqs, request{info: info, names: []string{name}})
			}
		}
		return reqs, nil
	}
	names := args[1:]
	for _, n := range names {
		if strings.Contains(n, "/") {
			return nil, usageError(cmd, "there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'skiff %s resource/<resource_name>' instead of 'skiff %s resource resource/<resource_name>')", cmd.Name(), cmd.Name())
		}
	}
	var types []string
	for _, t := range strings.Split(args[0], ",") {
		if t == "" {
			continue
		}
		if allowAll && t == "all" {
			types = append(types, allResources...)
			continue
		}
		types = append(types, t)
	}
	var reqs []request
	for _, t := range types {
		info, err := r.resolve(t)
		if err != nil {
			return nil, err
		}
		reqs = append(reqs, request{info: info, names: names})
	}
	return reqs, nil
}

// kindString returns how kubectl names a kind in messages: "deployment.apps", "pod".
func kindString(info *scheme.KindInfo) string {
	s := strings.ToLower(info.GVK.Kind)
	if info.GVK.Group != "" {
		s += "." + info.GVK.Group
	}
	return s
}

// objectName returns "deployment.apps/web", the form of -o name and of kubectl's action
// messages.
func objectName(info *scheme.KindInfo, name string) string { return kindString(info) + "/" + name }

// namespaceFor returns the namespace to use for objects of info: "" for cluster-scoped kinds.
func (r *root) namespaceFor(info *scheme.KindInfo) string {
	if !info.Namespaced {
		return ""
	}
	return r.ns()
}

// selectors parses -l and --field-selector values.
func selectors(labelSel, fieldSel string) (labels.Selector, fields.Selector, error) {
	var ls labels.Selector
	var fs fields.Selector
	if labelSel != "" {
		s, err := labels.Parse(labelSel)
		if err != nil {
			return nil, nil, err
		}
		ls = s
	}
	if fieldSel != "" {
		s, err := fields.ParseSelector(fieldSel)
		if err != nil {
			return nil, nil, err
		}
		fs = s
	}
	return ls, fs, nil
}

// listAll returns every object of info in namespace ns ("" for all) that matches the
// selectors, reading every page.
func listAll(ctx context.Context, c client.Client, info *scheme.KindInfo, opts store.ListOptions) ([]meta.Object, uint64, error) {
	var out []meta.Object
	for {
		res, err := c.List(ctx, info.GVK, opts)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, res.Items...)
		if res.Continue == "" {
			return out, res.ResourceVersion, nil
		}
		opts.Continue = res.Continue
	}
}

// noResourcesMessage is kubectl's message for an empty list.
func noResourcesMessage(ns string, namespaced bool) string {
	if ns == "" || !namespaced {
		return "No resources found"
	}
	return fmt.Sprintf("No resources found in %s namespace.", ns)
}
