package core

import (
	"fmt"
	"slices"
	"strings"

	"github.com/skiff-dev/skiff/api/intstr"
	"github.com/skiff-dev/skiff/api/validation"
)

var serviceTypes = []ServiceType{ServiceTypeClusterIP, ServiceTypeExternalName, ServiceTypeLoadBalancer, ServiceTypeNodePort}

// ValidateService checks a service: metadata (namespaced, DNS-1035-label name), a known type,
// ports (named and unique when more than one, valid numbers, protocols and target ports,
// node ports only where the type has them), selector labels, cluster and external IPs, the
// external name of ExternalName services, session affinity and traffic policies.
func ValidateService(svc *Service) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&svc.ObjectMeta, true, validation.NameIsDNS1035Label, validation.NewPath("metadata"))
	return append(errs, validateServiceSpec(&svc.Spec, validation.NewPath("spec"))...)
}

func validateServiceSpec(s *ServiceSpec, p *path) errorList {
	errs := requiredEnum(s.Type, p.Child("type"), serviceTypes...)
	headless := s.ClusterIP == ClusterIPNone
	if s.Type == ServiceTypeExternalName {
		ep := p.Child("externalName")
		name := strings.TrimSuffix(s.ExternalName, ".")
		if name == "" {
			errs = append(errs, validation.Required(ep, ""))
		} else {
			errs = append(errs, validateDNSSubdomain(name, ep)...)
		}
		if s.ClusterIP != "" || len(s.ClusterIPs) > 0 {
			errs = append(errs, validation.Forbidden(p.Child("clusterIPs"), "may not be set for ExternalName services"))
		}
	} else if len(s.Ports) == 0 && !headless {
		errs = append(errs, validation.Required(p.Child("ports"), ""))
	}
	errs = append(errs, validateServicePorts(s, p.Child("ports"))...)
	errs = append(errs, validateLabelMap(s.Selector, p.Child("selector"))...)
	if s.ClusterIP != "" && !headless {
		errs = append(errs, validateClusterIP(s.ClusterIP, p.Child("clusterIP"))...)
	}
	for i, ip := range s.ClusterIPs {
		ipp := p.Child("clusterIPs").Index(i)
		if i == 0 && s.ClusterIP != "" && ip != s.ClusterIP {
			errs = append(errs, validation.Invalid(ipp, ip, "must match `clusterIP` if specified"))
		}
		if ip != ClusterIPNone {
			errs = append(errs, validateClusterIP(ip, ipp)...)
		}
	}
	for i, ip := range s.ExternalIPs {
		errs = append(errs, validateIP(ip, p.Child("externalIPs").Index(i))...)
	}
	errs = append(errs, requiredEnum(s.SessionAffinity, p.Child("sessionAffinity"), ServiceAffinityClientIP, ServiceAffinityNone)...)
	if c := s.SessionAffinityConfig; c != nil {
		cp := p.Child("sessionAffinityConfig")
		switch {
		case s.SessionAffinity != ServiceAffinityClientIP:
			errs = append(errs, validation.Invalid(cp, "", fmt.Sprintf("must not be set when session affinity is %s", s.SessionAffinity)))
		case c.ClientIP != nil && c.ClientIP.TimeoutSeconds != nil:
			if t := *c.ClientIP.TimeoutSeconds; t <= 0 || t > 86400 {
				errs = append(errs, validation.Invalid(cp.Child("clientIP", "timeoutSeconds"), t, "must be greater than 0 and less than 86400"))
			}
		}
	}
	externallyReachable := s.Type == ServiceTypeNodePort || s.Type == ServiceTypeLoadBalancer ||
		(s.Type == ServiceTypeClusterIP && len(s.ExternalIPs) > 0)
	if s.ExternalTrafficPolicy != "" {
		if !externallyReachable {
			errs = append(errs, validation.Invalid(p.Child("externalTrafficPolicy"), string(s.ExternalTrafficPolicy),
				"may only be set for externally-accessible services"))
		} else {
			errs = append(errs, requiredEnum(s.ExternalTrafficPolicy, p.Child("externalTrafficPolicy"),
				ServiceExternalTrafficPolicyCluster, ServiceExternalTrafficPolicyLocal)...)
		}
	}
	errs = append(errs, optionalEnum(s.InternalTrafficPolicy, p.Child("internalTrafficPolicy"),
		ServiceInternalTrafficPolicyCluster, ServiceInternalTrafficPolicyLocal)...)
	errs = append(errs, optionalEnum(s.IPFamilyPolicy, p.Child("ipFamilyPolicy"),
		IPFamilyPolicySingleStack, IPFamilyPolicyPreferDualStack, IPFamilyPolicyRequireDualStack)...)
	if len(s.IPFamilies) > 2 {
		errs = append(errs, validation.Invalid(p.Child("ipFamilies"), s.IPFamilies, "may specify no more than one IP for each IP family"))
	}
	for i, f := range s.IPFamilies {
		fp := p.Child("ipFamilies").Index(i)
		errs = append(errs, requiredEnum(f, fp, IPv4Protocol, IPv6Protocol)...)
		if slices.Contains(s.IPFamilies[:i], f) {
			errs = append(errs, validation.Duplicate(fp, string(f)))
		}
	}
	if len(s.LoadBalancerSourceRanges) > 0 && s.Type != ServiceTypeLoadBalancer {
		errs = append(errs, validation.Forbidden(p.Child("loadBalancerSourceRanges"), "may only be used when `type` is 'LoadBalancer'"))
	}
	for i, r := range s.LoadBalancerSourceRanges {
		errs = append(errs, validateCIDR(strings.TrimSpace(r), p.Child("loadBalancerSourceRanges").Index(i))...)
	}
	if s.LoadBalancerClass != nil && s.Type != ServiceTypeLoadBalancer {
		errs = append(errs, validation.Forbidden(p.Child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"))
	}
	if s.AllocateLoadBalancerNodePorts != nil && s.Type != ServiceTypeLoadBalancer {
		errs = append(errs, validation.Forbidden(p.Child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"))
	}
	return errs
}

func validateClusterIP(ip string, p *path) errorList {
	if len(validateIP(ip, p)) > 0 {
		return errorList{validation.Invalid(p, ip, "must be empty, 'None', or a valid IP address")}
	}
	return nil
}

func validateServicePorts(s *ServiceSpec, p *path) errorList {
	var errs errorList
	names := map[string]bool{}
	ports := map[string]bool{}
	for i, sp := range s.Ports {
		ip := p.Index(i)
		if sp.Name == "" {
			if len(s.Ports) > 1 {
				errs = append(errs, validation.Required(ip.Child("name"), ""))
			}
		} else {
			errs = append(errs, validateDNSLabel(sp.Name, ip.Child("name"))...)
			if names[sp.Name] {
				errs = append(errs, validation.Duplicate(ip.Child("name"), sp.Name))
			}
			names[sp.Name] = true
		}
		errs = append(errs, validatePortNumber(sp.Port, ip.Child("port"))...)
		errs = append(errs, requiredEnum(sp.Protocol, ip.Child("protocol"), supportedProtocols...)...)
		if sp.TargetPort != intstr.FromInt(0) {
			errs = append(errs, validatePortNumOrName(sp.TargetPort, ip.Child("targetPort"))...)
		}
		if sp.NodePort != 0 {
			if s.Type != ServiceTypeNodePort && s.Type != ServiceTypeLoadBalancer {
				errs = append(errs, validation.Forbidden(ip.Child("nodePort"),
					fmt.Sprintf("may not be used when `type` is '%s'", s.Type)))
			} else {
				errs = append(errs, validatePortNumber(sp.NodePort, ip.Child("nodePort"))...)
			}
		}
		if sp.AppProtocol != nil {
			errs = append(errs, validateQualifiedName(*sp.AppProtocol, ip.Child("appProtocol"))...)
		}
		key := fmt.Sprintf("%d/%s", sp.Port, sp.Protocol)
		if ports[key] {
			errs = append(errs, validation.Duplicate(ip, key))
		}
		ports[key] = true
	}
	return errs
}

// ValidateServiceUpdate checks an update of a service: everything ValidateService checks, and
// an assigned cluster IP may not change unless the service becomes or stops being of type
// ExternalName.
func ValidateServiceUpdate(newSvc, oldSvc *Service) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newSvc.ObjectMeta, &oldSvc.ObjectMeta, true,
		validation.NameIsDNS1035Label, validation.NewPath("metadata"))
	specPath := validation.NewPath("spec")
	errs = append(errs, validateServiceSpec(&newSvc.Spec, specPath)...)
	typeChange := (newSvc.Spec.Type == ServiceTypeExternalName) != (oldSvc.Spec.Type == ServiceTypeExternalName)
	if !typeChange && oldSvc.Spec.ClusterIP != "" && newSvc.Spec.ClusterIP != oldSvc.Spec.ClusterIP {
		errs = append(errs, validation.Invalid(specPath.Child("clusterIP"), newSvc.Spec.ClusterIP, "field is immutable"))
	}
	return errs
}
