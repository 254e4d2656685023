package apiserver

import (
	"cmp"
	"net/http"
	"regexp"
	"slices"
	"strconv"

	"github.com/skiff-dev/skiff/scheme"
)

// The discovery documents, in the JSON shapes of k8s.io/apimachinery's metav1.APIVersions,
// APIGroupList, APIGroup and APIResourceList, which client-go's discovery client and kubectl
// read. Only the legacy (unaggregated) form is served: a client asking for the aggregated
// APIGroupDiscoveryList gets the plain JSON of its fallback and reads that.

type apiVersions struct {
	Kind                       string          `json:"kind"`
	APIVersion                 string          `json:"apiVersion"`
	Versions                   []string        `json:"versions"`
	ServerAddressByClientCIDRs []serverAddress `json:"serverAddressByClientCIDRs"`
}

type serverAddress struct {
	ClientCIDR    string `json:"clientCIDR"`
	ServerAddress string `json:"serverAddress"`
}

type apiGroupList struct {
	Kind       string     `json:"kind"`
	APIVersion string     `json:"apiVersion"`
	Groups     []apiGroup `json:"groups"`
}

type apiGroup struct {
	Kind             string                     `json:"kind,omitempty"`
	APIVersion       string                     `json:"apiVersion,omitempty"`
	Name             string                     `json:"name"`
	Versions         []groupVersionForDiscovery `json:"versions"`
	PreferredVersion groupVersionForDiscovery   `json:"preferredVersion"`
}

type groupVersionForDiscovery struct {
	GroupVersion string `json:"groupVersion"`
	Version      string `json:"version"`
}

type apiResourceList struct {
	Kind         string        `json:"kind"`
	APIVersion   string        `json:"apiVersion"`
	GroupVersion string        `json:"groupVersion"`
	Resources    []apiResource `json:"resources"`
}

type apiResource struct {
	Name         string   `json:"name"`
	SingularName string   `json:"singularName"`
	Namespaced   bool     `json:"namespaced"`
	Group        string   `json:"group,omitempty"`
	Version      string   `json:"version,omitempty"`
	Kind         string   `json:"kind"`
	Verbs        []string `json:"verbs"`
	ShortNames   []string `json:"shortNames,omitempty"`
	Categories   []string `json:"categories,omitempty"`
}

// Verbs served on a resource and on its subresources.
var (
	resourceVerbs    = []string{"create", "delete", "get", "list", "patch", "update", "watch"}
	subresourceVerbs = []string{"get", "patch", "update"}
)

// inAllCategory are the kinds kubectl's "get all" shows, as in Kubernetes.
var inAllCategory = map[scheme.GroupVersionKind]bool{
	scheme.PodGVK: true, scheme.ServiceGVK: true, scheme.DeploymentGVK: true, scheme.ReplicaSetGVK: true,
	scheme.StatefulSetGVK: true, scheme.DaemonSetGVK: true, scheme.JobGVK: true, scheme.CronJobGVK: true,
}

// discovery holds the documents computed from the scheme once, by New. It is read-only.
type discovery struct {
	coreVersions []string                   // versions of the core group, preferred first
	groups       []apiGroup                 // named groups, sorted by name
	byGroup      map[string]apiGroup        // name -> group
	resources    map[string]apiResourceList // "group/version" or "v1" -> its resources
}

// newDiscovery computes the discovery documents of every kind of sch.
func newDiscovery(sch *scheme.Scheme) *discovery {
	d := &discovery{byGroup: map[string]apiGroup{}, resources: map[string]apiResourceList{}}
	versions := map[string][]string{} // group -> versions
	for _, k := range sch.Kinds() {
		gv := k.GVK.APIVersion()
		list, ok := d.resources[gv]
		if !ok {
			list = apiResourceList{Kind: "APIResourceList", APIVersion: "v1", GroupVersion: gv, Resources: []apiResource{}}
			versions[k.GVK.Group] = append(versions[k.GVK.Group], k.GVK.Version)
		}
		r := apiResource{
			Name: k.Plural, SingularName: k.Singular, Namespaced: k.Namespaced, Kind: k.GVK.Kind,
			Verbs: resourceVerbs, ShortNames: k.ShortNames,
		}
		if inAllCategory[k.GVK] {
			r.Categories = []string{"all"}
		}
		list.Resources = append(list.Resources, r)
		if k.HasStatus {
			list.Resources = append(list.Resources, apiResource{
				Name: k.Plural + "/status", Namespaced: k.Namespaced, Kind: k.GVK.Kind, Verbs: subresourceVerbs})
		}
		if _, ok := scalers[k.GVK]; ok {
			list.Resources = append(list.Resources, apiResource{
				Name: k.Plural + "/scale", Namespaced: k.Namespaced, Group: ScaleGVK.Group, Version: ScaleGVK.Version,
				Kind: ScaleGVK.Kind, Verbs: subresourceVerbs})
		}
		d.resources[gv] = list
	}
	for group, vs := range versions {
		sortVersions(vs)
		if group == "" {
			d.coreVersions = vs
			continue
		}
		g := apiGroup{Name: group}
		for _, v := range vs {
			g.Versions = append(g.Versions, groupVersionForDiscovery{GroupVersion: group + "/" + v, Version: v})
		}
		g.PreferredVersion = g.Versions[0]
		d.groups = append(d.groups, g)
	}
	slices.SortFunc(d.groups, func(a, b apiGroup) int { return cmp.Compare(a.Name, b.Name) })
	for _, g := range d.groups {
		d.byGroup[g.Name] = g
	}
	return d
}

// kubeVersion matches the versions Kubernetes orders by priority: v1, v2beta1, v1alpha2.
var kubeVersion = regexp.MustCompile(`^v([1-9][0-9]*)(?:(alpha|beta)([1-9][0-9]*))?$`)

// sortVersions sorts API versions as Kubernetes prefers them; see compareVersions.
func sortVersions(vs []string) { slices.SortFunc(vs, compareVersions) }

// compareVersions orders API versions as Kubernetes prefers them: GA before beta before
// alpha, higher major and then higher minor numbers first, and versions that do not follow
// the pattern last, alphabetically.
func compareVersions(a, b string) int {
	ma, mb := kubeVersion.FindStringSubmatch(a), kubeVersion.FindStringSubmatch(b)
	switch {
	case ma == nil && mb == nil:
		return cmp.Compare(a, b)
	case ma == nil:
		return 1
	case mb == nil:
		return -1
	}
	stability := map[string]int{"": 0, "beta": 1, "alpha": 2}
	if sa, sb := stability[ma[2]], stability[mb[2]]; sa != sb {
		return sa - sb
	}
	if c := atoi(mb[1]) - atoi(ma[1]); c != 0 {
		return c
	}
	return atoi(mb[3]) - atoi(ma[3])
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s) // the pattern guarantees digits; "" (no minor) is 0
	return n
}

// serveDiscovery answers the discovery paths: /api, /api/<v>, /apis, /apis/<g>,
// /apis/<g>/<v>.
func (s *Server) serveDiscovery(w http.ResponseWriter, r *http.Request, rt route) {
	if r.Method != http.MethodGet {
		s.writeMethodNotAllowed(w, r, http.MethodGet)
		return
	}
	d := s.disc
	switch rt.kind {
	case routeLegacyRoot:
		writeJSON(w, http.StatusOK, apiVersions{Kind: "APIVersions", APIVersion: "v1", Versions: nonNil(d.coreVersions),
			ServerAddressByClientCIDRs: []serverAddress{{ClientCIDR: "0.0.0.0/0", ServerAddress: r.Host}}})
		return
	case routeGroups:
		writeJSON(w, http.StatusOK, apiGroupList{Kind: "APIGroupList", APIVersion: "v1", Groups: nonNil(d.groups)})
		return
	case routeGroup:
		if g, ok := d.byGroup[rt.group]; ok {
			g.Kind, g.APIVersion = "APIGroup", "v1"
			writeJSON(w, http.StatusOK, g)
			return
		}
	case routeLegacyVersion:
		if list, ok := d.resources[rt.version]; ok && slices.Contains(d.coreVersions, rt.version) {
			writeJSON(w, http.StatusOK, list)
			return
		}
	case routeGroupVersion:
		if list, ok := d.resources[rt.group+"/"+rt.version]; ok {
			writeJSON(w, http.StatusOK, list)
			return
		}
	}
	s.writeError(w, r, errPathNotFound())
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
