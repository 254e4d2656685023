package scheme

import "strings"

// GroupVersionKind names a kind: its API group ("" for core), version and kind.
type GroupVersionKind struct {
	Group   string
	Version string
	Kind    string
}

// GVK is a short alias of GroupVersionKind.
type GVK = GroupVersionKind

// APIVersion returns "version" for the core group and "group/version" otherwise.
func (g GroupVersionKind) APIVersion() string {
	if g.Group == "" {
		return g.Version
	}
	return g.Group + "/" + g.Version
}

// String renders the GVK as "Kind.version.group" (or "Kind.version" for core).
func (g GroupVersionKind) String() string {
	if g.Group == "" {
		return g.Kind + "." + g.Version
	}
	return g.Kind + "." + g.Version + "." + g.Group
}

// FromAPIVersionAndKind builds a GVK from an apiVersion ("v1", "apps/v1") and a kind.
func FromAPIVersionAndKind(apiVersion, kind string) GroupVersionKind {
	group, version := SplitAPIVersion(apiVersion)
	return GroupVersionKind{Group: group, Version: version, Kind: kind}
}

// SplitAPIVersion splits "apps/v1" into ("apps", "v1") and "v1" into ("", "v1").
func SplitAPIVersion(apiVersion string) (group, version string) {
	if i := strings.IndexByte(apiVersion, '/'); i >= 0 {
		return apiVersion[:i], apiVersion[i+1:]
	}
	return "", apiVersion
}

// GroupResource names a resource within a group, e.g. {apps deployments}. Its String form is
// the one Kubernetes puts in error messages: "deployments.apps", or "pods" for core.
type GroupResource struct {
	Group    string
	Resource string
}

// String renders "resource.group", or "resource" for the core group.
func (g GroupResource) String() string {
	if g.Group == "" {
		return g.Resource
	}
	return g.Resource + "." + g.Group
}
