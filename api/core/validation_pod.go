package core

import (
	"fmt"
	"math"
	"strings"

	"github.com/skiff-dev/skiff/api/validation"
)

// Validation in this package follows Kubernetes' rules and wording. The Validate functions
// expect defaulted objects, as the API server applies defaults before validating: fields with
// defaults (restartPolicy, dnsPolicy, imagePullPolicy, port protocol, ...) are Required here.

// ValidatePod checks a pod on create: its metadata (namespaced, DNS-subdomain name), its spec,
// and that no ephemeral containers are set (they are added to running pods only).
func ValidatePod(pod *Pod) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&pod.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	specPath := validation.NewPath("spec")
	errs = append(errs, validatePodSpec(&pod.Spec, true, specPath)...)
	if len(pod.Spec.EphemeralContainers) > 0 {
		errs = append(errs, validation.Forbidden(specPath.Child("ephemeralContainers"), "cannot be set on create"))
	}
	return errs
}

// ValidatePodSpec checks a pod spec at path p, as it appears in a pod or a template.
func ValidatePodSpec(spec *PodSpec, p *validation.Path) validation.ErrorList {
	return validatePodSpec(spec, false, p)
}

// ValidatePodTemplateSpec checks a pod template at path p (e.g. spec.template of a
// Deployment): its labels and annotations and its spec. Templates may not have ephemeral
// containers. Workload kinds add their own rules (restartPolicy, selector matching labels).
func ValidatePodTemplateSpec(t *PodTemplateSpec, p *validation.Path) validation.ErrorList {
	mp := p.Child("metadata")
	errs := validateLabelMap(t.Labels, mp.Child("labels"))
	errs = append(errs, validation.ValidateAnnotations(t.Annotations, mp.Child("annotations"))...)
	errs = append(errs, validatePodSpec(&t.Spec, false, p.Child("spec"))...)
	if len(t.Spec.EphemeralContainers) > 0 {
		errs = append(errs, validation.Forbidden(p.Child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"))
	}
	return errs
}

// validatePodSpec checks a spec; isPod adds the checks that apply to pods but not templates.
func validatePodSpec(spec *PodSpec, isPod bool, p *path) errorList {
	errs := validateVolumes(spec.Volumes, isPod, p.Child("volumes"))
	errs = append(errs, validatePodResourceClaims(spec.ResourceClaims, p.Child("resourceClaims"))...)
	ctx := &podContext{volumes: spec.Volumes, claims: spec.ResourceClaims, isPod: isPod, hostNetwork: spec.HostNetwork}
	errs = append(errs, validateInitContainers(spec.InitContainers, ctx, p.Child("initContainers"))...)
	errs = append(errs, validateContainers(spec.Containers, ctx, p.Child("containers"))...)
	if len(spec.EphemeralContainers) > 0 {
		targets := ctx.names.clone()
		errs = append(errs, validateEphemeralContainers(spec.EphemeralContainers, &targets, ctx, p.Child("ephemeralContainers"))...)
	}
	errs = append(errs, validateHostPorts(spec, p)...)
	errs = append(errs, requiredEnum(spec.RestartPolicy, p.Child("restartPolicy"),
		RestartPolicyAlways, RestartPolicyOnFailure, RestartPolicyNever)...)
	errs = append(errs, requiredEnum(spec.DNSPolicy, p.Child("dnsPolicy"),
		DNSClusterFirst, DNSClusterFirstWithHostNet, DNSDefault, DNSNone)...)
	errs = append(errs, validateDNSConfig(spec.DNSConfig, spec.DNSPolicy, p.Child("dnsConfig"))...)
	errs = append(errs, validateLabelMap(spec.NodeSelector, p.Child("nodeSelector"))...)
	if spec.SecurityContext != nil {
		errs = append(errs, validatePodSecurityContext(spec.SecurityContext, spec, p)...)
	}
	errs = append(errs, validateAffinity(spec.Affinity, p.Child("affinity"))...)
	errs = append(errs, ValidateTolerations(spec.Tolerations, p.Child("tolerations"))...)
	errs = append(errs, validateTopologySpreadConstraints(spec.TopologySpreadConstraints, p.Child("topologySpreadConstraints"))...)
	for i, a := range spec.HostAliases {
		ip := p.Child("hostAliases").Index(i)
		errs = append(errs, validateIP(a.IP, ip.Child("ip"))...)
		for j, h := range a.Hostnames {
			errs = append(errs, validateDNSSubdomain(h, ip.Child("hostnames").Index(j))...)
		}
	}
	for _, f := range [...]struct{ field, name string }{{"hostname", spec.Hostname}, {"subdomain", spec.Subdomain}} {
		if f.name != "" {
			errs = append(errs, validateDNSLabel(f.name, p.Child(f.field))...)
		}
	}
	for _, f := range [...]struct{ field, name string }{{"serviceAccountName", spec.ServiceAccountName},
		{"nodeName", spec.NodeName}, {"priorityClassName", spec.PriorityClassName}, {"schedulerName", spec.SchedulerName}} {
		if f.name != "" {
			errs = append(errs, validateDNSSubdomain(f.name, p.Child(f.field))...)
		}
	}
	if spec.RuntimeClassName != nil {
		errs = append(errs, validateDNSSubdomain(*spec.RuntimeClassName, p.Child("runtimeClassName"))...)
	}
	if h := spec.HostnameOverride; h != nil {
		errs = append(errs, validateDNSSubdomain(*h, p.Child("hostnameOverride"))...)
		if spec.SetHostnameAsFQDN != nil && *spec.SetHostnameAsFQDN {
			errs = append(errs, validation.Invalid(p.Child("hostnameOverride"), *h, "cannot be set when setHostnameAsFQDN is true"))
		}
	}
	if d := spec.ActiveDeadlineSeconds; d != nil && (*d < 1 || *d > math.MaxInt32) {
		errs = append(errs, validation.Invalid(p.Child("activeDeadlineSeconds"), *d, "must be between 1 and 2147483647, inclusive"))
	}
	if g := spec.TerminationGracePeriodSeconds; g != nil {
		errs = append(errs, validation.ValidateNonnegative(*g, p.Child("terminationGracePeriodSeconds"))...)
	}
	for i, g := range spec.ReadinessGates {
		errs = append(errs, validateQualifiedName(string(g.ConditionType), p.Child("readinessGates").Index(i).Child("conditionType"))...)
	}
	errs = append(errs, validateSchedulingGates(spec.SchedulingGates, p.Child("schedulingGates"))...)
	errs = append(errs, validateResourceList(spec.Overhead, nodeResources, "", p.Child("overhead"))...)
	if spec.Resources != nil {
		errs = append(errs, validatePodResources(spec.Resources, p.Child("resources"))...)
	}
	if spec.OS != nil {
		errs = append(errs, requiredEnum(spec.OS.Name, p.Child("os", "name"), Linux, Windows)...)
	}
	errs = append(errs, optionalEnum(spec.PreemptionPolicy, p.Child("preemptionPolicy"), PreemptLowerPriority, PreemptNever)...)
	if w := spec.WorkloadRef; w != nil {
		errs = append(errs, requiredName(w.Name, p.Child("workloadRef", "name"))...)
		errs = append(errs, requiredString(w.PodGroup, p.Child("workloadRef", "podGroup"))...)
	}
	return sortErrors(errs)
}

// validateHostPorts reports two containers asking for the same host port, protocol and IP.
func validateHostPorts(spec *PodSpec, p *path) errorList {
	var errs errorList
	seen := map[string]bool{}
	check := func(cs []Container, field string) {
		for i := range cs {
			for j, port := range cs[i].Ports {
				if port.HostPort == 0 {
					continue
				}
				key := fmt.Sprintf("%s/%d/%s", port.HostIP, port.HostPort, port.Protocol)
				if seen[key] {
					errs = append(errs, validation.Duplicate(p.Child(field).Index(i).Child("ports").Index(j).Child("hostPort"),
						fmt.Sprintf("%d/%s", port.HostPort, port.Protocol)))
				}
				seen[key] = true
			}
		}
	}
	check(spec.InitContainers, "initContainers")
	check(spec.Containers, "containers")
	return errs
}

const (
	maxDNSNameservers  = 3
	maxDNSSearchPaths  = 32
	maxDNSSearchLength = 2048
)

func validateDNSConfig(c *PodDNSConfig, policy DNSPolicy, p *path) errorList {
	var errs errorList
	if policy == DNSNone {
		if c == nil {
			return errorList{validation.Required(p, "must provide `dnsConfig` when `dnsPolicy` is None")}
		}
		if len(c.Nameservers) == 0 {
			errs = append(errs, validation.Required(p.Child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"))
		}
	}
	if c == nil {
		return errs
	}
	if len(c.Nameservers) > maxDNSNameservers {
		errs = append(errs, validation.Invalid(p.Child("nameservers"), c.Nameservers,
			fmt.Sprintf("must not have more than %d nameservers", maxDNSNameservers)))
	}
	for i, ns := range c.Nameservers {
		errs = append(errs, validateIP(ns, p.Child("nameservers").Index(i))...)
	}
	if len(c.Searches) > maxDNSSearchPaths {
		errs = append(errs, validation.Invalid(p.Child("searches"), c.Searches,
			fmt.Sprintf("must not have more than %d search paths", maxDNSSearchPaths)))
	}
	if n := len(strings.Join(c.Searches, " ")); n > maxDNSSearchLength {
		errs = append(errs, validation.Invalid(p.Child("searches"), c.Searches,
			fmt.Sprintf("must not have more than %d characters (including spaces) in the search list", maxDNSSearchLength)))
	}
	for i, s := range c.Searches {
		errs = append(errs, validateDNSSubdomain(strings.TrimSuffix(s, "."), p.Child("searches").Index(i))...)
	}
	for i, o := range c.Options {
		if o.Name == "" {
			errs = append(errs, validation.Required(p.Child("options").Index(i).Child("name"), "must not be empty"))
		}
	}
	return errs
}

func validateSchedulingGates(gates []PodSchedulingGate, p *path) errorList {
	var errs errorList
	var seen nameSet
	for i, g := range gates {
		errs = append(errs, validateQualifiedName(g.Name, p.Index(i).Child("name"))...)
		if seen.has(g.Name) {
			errs = append(errs, validation.Duplicate(p.Index(i), g.Name))
		}
		seen.add(g.Name)
	}
	return errs
}

func validatePodResourceClaims(claims []PodResourceClaim, p *path) errorList {
	var errs errorList
	var names nameSet
	for i, c := range claims {
		ip := p.Index(i)
		switch {
		case c.Name == "":
			errs = append(errs, validation.Required(ip.Child("name"), ""))
		case names.has(c.Name):
			errs = append(errs, validation.Duplicate(ip, c.Name))
		default:
			errs = append(errs, validateDNSLabel(c.Name, ip.Child("name"))...)
		}
		names.add(c.Name)
		switch {
		case c.ResourceClaimName == nil && c.ResourceClaimTemplateName == nil:
			errs = append(errs, validation.Invalid(ip, c.Name, "must specify one of: `resourceClaimName`, `resourceClaimTemplateName`"))
		case c.ResourceClaimName != nil && c.ResourceClaimTemplateName != nil:
			errs = append(errs, validation.Invalid(ip, c.Name, "at most one of `resourceClaimName` or `resourceClaimTemplateName` may be specified"))
		case c.ResourceClaimName != nil:
			errs = append(errs, validateDNSSubdomain(*c.ResourceClaimName, ip.Child("resourceClaimName"))...)
		default:
			errs = append(errs, validateDNSSubdomain(*c.ResourceClaimTemplateName, ip.Child("resourceClaimTemplateName"))...)
		}
	}
	return errs
}

// validatePodResources checks pod-level resources: only cpu, memory and huge pages.
func validatePodResources(r *ResourceRequirements, p *path) errorList {
	errs := validateResourceRequirements(r, nil, p)
	for _, rl := range []struct {
		field string
		list  ResourceList
	}{{"limits", r.Limits}, {"requests", r.Requests}} {
		var buf [8]ResourceName
		for _, name := range appendSortedKeys(buf[:0], rl.list) {
			if name != ResourceCPU && name != ResourceMemory && !isHugePages(name) {
				errs = append(errs, validation.NotSupported(p.Child(rl.field).Key(string(name)), string(name),
					[]string{string(ResourceCPU), string(ResourceMemory), ResourceHugePagesPrefix + "*"}))
			}
		}
	}
	if len(r.Claims) > 0 {
		errs = append(errs, validation.Forbidden(p.Child("claims"), "claims may not be set for Resources at pod-level"))
	}
	return errs
}
