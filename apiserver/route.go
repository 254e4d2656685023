package apiserver

import "strings"

// routeKind says what a request path names.
type routeKind uint8

const (
	routeNone          routeKind = iota // nothing this server serves: 404
	routeLegacyRoot                     // /api: the core group's versions
	routeLegacyVersion                  // /api/v1: the core group's resources
	routeGroups                         // /apis: every named group
	routeGroup                          // /apis/<group>: one group's versions
	routeGroupVersion                   // /apis/<group>/<version>: its resources
	routeResource                       // a collection, an object or a subresource
)

// route is what a request path names. Paths follow kube-apiserver's layout:
//
//	/api/v1/<resource>[/<name>[/<subresource>]]                            core, cluster-scoped or all namespaces
//	/api/v1/namespaces/<namespace>/<resource>[/<name>[/<subresource>]]     core, namespaced
//	/apis/<group>/<version>/...                                            the same below a named group
//
// The collection form of a namespaced resource without a namespace lists or watches every
// namespace. The namespaces resource itself is cluster-scoped: namespaces/<name> and
// namespaces/<name>/{status,finalize} name a namespace, not a namespace's resources.
type route struct {
	kind routeKind
	// group and version of the resource or discovery document ("" group: core).
	group, version string
	// namespace from a namespaces/<namespace>/ prefix, "" without one.
	namespace string
	// resource is the plural resource name, name the object's (empty for a collection),
	// subresource e.g. "status" or "scale".
	resource, name, subresource string
}

// namespaceSubresources are the subresources of a namespace, which keep
// namespaces/<name>/<subresource> from reading as the collection <subresource> of namespace
// <name>.
var namespaceSubresources = map[string]bool{"status": true, "finalize": true}

// parsePath reads a request path. Leading and trailing slashes are ignored; any empty
// segment, an unknown prefix or too many segments give routeNone. It does not check that the
// group, version or resource exist.
func parsePath(path string) route {
	trimmed := strings.Trim(path, "/")
	if trimmed == "" {
		return route{}
	}
	segs := strings.Split(trimmed, "/")
	for _, s := range segs {
		if s == "" || s == "." || s == ".." {
			return route{}
		}
	}
	var r route
	var rest []string
	switch segs[0] {
	case "api":
		switch len(segs) {
		case 1:
			return route{kind: routeLegacyRoot}
		case 2:
			return route{kind: routeLegacyVersion, version: segs[1]}
		}
		r.version, rest = segs[1], segs[2:]
	case "apis":
		switch len(segs) {
		case 1:
			return route{kind: routeGroups}
		case 2:
			return route{kind: routeGroup, group: segs[1]}
		case 3:
			return route{kind: routeGroupVersion, group: segs[1], version: segs[2]}
		}
		r.group, r.version, rest = segs[1], segs[2], segs[3:]
	default:
		return route{}
	}
	if rest[0] == "namespaces" && len(rest) > 2 && !(len(rest) == 3 && namespaceSubresources[rest[2]]) {
		r.namespace, rest = rest[1], rest[2:]
	}
	if len(rest) > 3 {
		return route{}
	}
	r.kind, r.resource = routeResource, rest[0]
	if len(rest) > 1 {
		r.name = rest[1]
	}
	if len(rest) > 2 {
		r.subresource = rest[2]
	}
	return r
}
