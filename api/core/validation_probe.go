package core

import (
	"github.com/skiff-dev/skiff/api/validation"
)

// probeKind says which probe is being validated; liveness and startup probes have stricter
// rules than readiness probes.
type probeKind int

const (
	livenessProbe probeKind = iota
	readinessProbe
	startupProbe
)

// validateProbesAndLifecycle checks a container's three probes and its lifecycle hooks.
func validateProbesAndLifecycle(c *Container, p *path) errorList {
	var errs errorList
	errs = append(errs, validateProbe(c.LivenessProbe, livenessProbe, p.Child("livenessProbe"))...)
	errs = append(errs, validateProbe(c.ReadinessProbe, readinessProbe, p.Child("readinessProbe"))...)
	errs = append(errs, validateProbe(c.StartupProbe, startupProbe, p.Child("startupProbe"))...)
	if l := c.Lifecycle; l != nil {
		lp := p.Child("lifecycle")
		if l.PostStart != nil {
			errs = append(errs, validateLifecycleHandler(l.PostStart, lp.Child("postStart"))...)
		}
		if l.PreStop != nil {
			errs = append(errs, validateLifecycleHandler(l.PreStop, lp.Child("preStop"))...)
		}
		if l.StopSignal != nil && *l.StopSignal == "" {
			errs = append(errs, validation.Required(lp.Child("stopSignal"), ""))
		}
	}
	return errs
}

// validateProbe checks one probe: exactly one handler, non-negative timing, successThreshold 1
// for liveness and startup probes, and a positive terminationGracePeriodSeconds that readiness
// probes may not have.
func validateProbe(pr *Probe, kind probeKind, p *path) errorList {
	if pr == nil {
		return nil
	}
	errs := validateHandlers(p, []handler{
		{"exec", pr.Exec != nil}, {"httpGet", pr.HTTPGet != nil},
		{"tcpSocket", pr.TCPSocket != nil}, {"grpc", pr.GRPC != nil},
	})
	errs = append(errs, validateExec(pr.Exec, p.Child("exec"))...)
	errs = append(errs, validateHTTPGet(pr.HTTPGet, p.Child("httpGet"))...)
	if pr.TCPSocket != nil {
		errs = append(errs, validatePortNumOrName(pr.TCPSocket.Port, p.Child("tcpSocket", "port"))...)
	}
	if pr.GRPC != nil {
		errs = append(errs, validatePortNumber(pr.GRPC.Port, p.Child("grpc", "port"))...)
	}
	errs = append(errs, validation.ValidateNonnegative(pr.InitialDelaySeconds, p.Child("initialDelaySeconds"))...)
	errs = append(errs, validation.ValidateNonnegative(pr.TimeoutSeconds, p.Child("timeoutSeconds"))...)
	errs = append(errs, validation.ValidateNonnegative(pr.PeriodSeconds, p.Child("periodSeconds"))...)
	errs = append(errs, validation.ValidateNonnegative(pr.SuccessThreshold, p.Child("successThreshold"))...)
	errs = append(errs, validation.ValidateNonnegative(pr.FailureThreshold, p.Child("failureThreshold"))...)
	if kind != readinessProbe && pr.SuccessThreshold != 1 {
		errs = append(errs, validation.Invalid(p.Child("successThreshold"), pr.SuccessThreshold, "must be 1"))
	}
	if g := pr.TerminationGracePeriodSeconds; g != nil {
		if kind == readinessProbe {
			errs = append(errs, validation.Invalid(p.Child("terminationGracePeriodSeconds"), *g, "must not be set for readinessProbes"))
		} else if *g <= 0 {
			errs = append(errs, validation.Invalid(p.Child("terminationGracePeriodSeconds"), *g, "must be greater than 0"))
		}
	}
	return errs
}

// validateLifecycleHandler checks a postStart or preStop hook: exactly one action.
func validateLifecycleHandler(h *LifecycleHandler, p *path) errorList {
	errs := validateHandlers(p, []handler{
		{"exec", h.Exec != nil}, {"httpGet", h.HTTPGet != nil},
		{"tcpSocket", h.TCPSocket != nil}, {"sleep", h.Sleep != nil},
	})
	errs = append(errs, validateExec(h.Exec, p.Child("exec"))...)
	errs = append(errs, validateHTTPGet(h.HTTPGet, p.Child("httpGet"))...)
	if h.TCPSocket != nil {
		errs = append(errs, validatePortNumOrName(h.TCPSocket.Port, p.Child("tcpSocket", "port"))...)
	}
	if h.Sleep != nil {
		errs = append(errs, validation.ValidateNonnegative(h.Sleep.Seconds, p.Child("sleep", "seconds"))...)
	}
	return errs
}

type handler struct {
	field string
	set   bool
}

// validateHandlers requires exactly one of handlers to be set.
func validateHandlers(p *path, handlers []handler) errorList {
	var errs errorList
	n := 0
	for _, h := range handlers {
		if !h.set {
			continue
		}
		n++
		if n > 1 {
			errs = append(errs, validation.Forbidden(p.Child(h.field), "may not specify more than 1 handler type"))
		}
	}
	if n == 0 {
		errs = append(errs, validation.Required(p, "must specify a handler type"))
	}
	return errs
}

func validateExec(e *ExecAction, p *path) errorList {
	if e != nil && len(e.Command) == 0 {
		return errorList{validation.Required(p.Child("command"), "")}
	}
	return nil
}

func validateHTTPGet(h *HTTPGetAction, p *path) errorList {
	if h == nil {
		return nil
	}
	var errs errorList
	if h.Path == "" {
		errs = append(errs, validation.Required(p.Child("path"), ""))
	}
	errs = append(errs, validatePortNumOrName(h.Port, p.Child("port"))...)
	if h.Scheme != URISchemeHTTP && h.Scheme != URISchemeHTTPS {
		errs = append(errs, notSupported(p.Child("scheme"), h.Scheme, URISchemeHTTP, URISchemeHTTPS))
	}
	for i, hd := range h.HTTPHeaders {
		if !consistsOf(hd.Name, isHTTPHeaderNameChar) { // ^[-A-Za-z0-9]+$
			errs = append(errs, validation.Invalid(p.Child("httpHeaders").Index(i).Child("name"), hd.Name,
				"a valid HTTP header must consist of alphanumeric characters or '-' (e.g. 'X-Header-Name', regex used for validation is '[-A-Za-z0-9]+')"))
		}
	}
	return errs
}
