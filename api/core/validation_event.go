package core

import (
	"fmt"

	"github.com/skiff-dev/skiff/api/validation"
)

// Length limits of new-style events.
const (
	eventReportingInstanceLimit = 128
	eventActionLimit            = 128
	eventReasonLimit            = 128
	eventNoteLimit              = 1024
)

// ValidateEvent checks an event as Kubernetes checks core/v1 events: metadata (namespaced,
// DNS-subdomain name), the event's namespace agreeing with the involved object's, and for
// new-style events (eventTime set) a reporting controller and instance, an action and a reason
// within their length limits, a type of Normal or Warning, and a well-formed series.
func ValidateEvent(e *Event) validation.ErrorList {
	errs := validation.ValidateObjectMeta(&e.ObjectMeta, true, validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateEventBody(e)...)
}

func validateEventBody(e *Event) errorList {
	var errs errorList
	nsPath := validation.NewPath("involvedObject", "namespace")
	mismatch := validation.Invalid(nsPath, e.InvolvedObject.Namespace, "does not match event.namespace")
	if e.EventTime.IsZero() {
		if e.InvolvedObject.Namespace == "" {
			if e.Namespace != "" && e.Namespace != NamespaceDefault {
				errs = append(errs, mismatch)
			}
		} else if e.Namespace != e.InvolvedObject.Namespace {
			errs = append(errs, mismatch)
		}
		return errs
	}
	if e.InvolvedObject.Namespace == "" && e.Namespace != NamespaceDefault && e.Namespace != NamespaceSystem {
		errs = append(errs, mismatch)
	}
	if e.ReportingController == "" {
		errs = append(errs, validation.Required(validation.NewPath("reportingComponent"), ""))
	} else {
		errs = append(errs, validateQualifiedName(e.ReportingController, validation.NewPath("reportingComponent"))...)
	}
	limits := []struct {
		field, value string
		limit        int
		required     bool
	}{
		{"reportingInstance", e.ReportingInstance, eventReportingInstanceLimit, true},
		{"action", e.Action, eventActionLimit, true},
		{"reason", e.Reason, eventReasonLimit, true},
		{"message", e.Message, eventNoteLimit, false},
	}
	for _, l := range limits {
		fp := validation.NewPath(l.field)
		if l.required && l.value == "" {
			errs = append(errs, validation.Required(fp, ""))
		}
		if len(l.value) > l.limit {
			errs = append(errs, validation.Invalid(fp, "", fmt.Sprintf("can have at most %d characters", l.limit)))
		}
	}
	if e.Type != EventTypeNormal && e.Type != EventTypeWarning {
		errs = append(errs, validation.NotSupported(validation.NewPath("type"), e.Type, []string{EventTypeNormal, EventTypeWarning}))
	}
	if s := e.Series; s != nil {
		if s.Count < 2 {
			errs = append(errs, validation.Invalid(validation.NewPath("series", "count"), s.Count, "should be at least 2"))
		}
		if s.LastObservedTime.IsZero() {
			errs = append(errs, validation.Required(validation.NewPath("series", "lastObservedTime"), ""))
		}
	}
	return errs
}

// ValidateEventUpdate checks an update of an event: the metadata rules and everything
// ValidateEvent checks. Events are rewritten freely by their reporters (count, timestamps,
// series), as Kubernetes allows for core/v1 events.
func ValidateEventUpdate(newE, oldE *Event) validation.ErrorList {
	errs := validation.ValidateObjectMetaUpdate(&newE.ObjectMeta, &oldE.ObjectMeta, true,
		validation.NameIsDNSSubdomain, validation.NewPath("metadata"))
	return append(errs, validateEventBody(newE)...)
}
