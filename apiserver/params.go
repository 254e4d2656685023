package apiserver

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Values of the resourceVersionMatch parameter.
const (
	matchExact        = "Exact"
	matchNotOlderThan = "NotOlderThan"
)

// listOptionsGVK names the kind of the Invalid errors of list and watch parameters, as
// kube-apiserver does.
var listOptionsGVK = scheme.GroupVersionKind{Group: "meta.k8s.io", Version: "v1", Kind: "ListOptions"}

// listParams are the query parameters of a list or a watch.
type listParams struct {
	watch           bool
	labelSelector   labels.Selector
	fieldSelector   fields.Selector
	limit           int64
	continueToken   string
	resourceVersion string
	rvMatch         string
	allowBookmarks  bool
	// sendInitialEvents is nil when the parameter is absent.
	sendInitialEvents *bool
	// timeout ends a watch; 0 means none.
	timeout time.Duration
}

// parseListParams reads and checks the query of a GET on a collection. A value that does
// not parse is a BadRequest; a combination kube-apiserver refuses is Invalid, with its
// words.
func parseListParams(q url.Values) (listParams, error) {
	var p listParams
	var err error
	if p.watch, err = boolParam(q, "watch"); err != nil {
		return p, err
	}
	if p.allowBookmarks, err = boolParam(q, "allowWatchBookmarks"); err != nil {
		return p, err
	}
	if q.Has("sendInitialEvents") {
		b, err := boolParam(q, "sendInitialEvents")
		if err != nil {
			return p, err
		}
		p.sendInitialEvents = &b
	}
	if s := q.Get("labelSelector"); s != "" {
		if p.labelSelector, err = labels.Parse(s); err != nil {
			return p, store.NewBadRequest("invalid labelSelector: " + err.Error())
		}
	}
	if s := q.Get("fieldSelector"); s != "" {
		if p.fieldSelector, err = fields.ParseSelector(s); err != nil {
			return p, store.NewBadRequest("invalid fieldSelector: " + err.Error())
		}
	}
	if s := q.Get("limit"); s != "" {
		if p.limit, err = strconv.ParseInt(s, 10, 64); err != nil {
			return p, store.NewBadRequest(fmt.Sprintf("invalid limit %q: must be an integer", s))
		}
	}
	if s := q.Get("timeoutSeconds"); s != "" {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n < 0 || n > maxTimeoutSeconds {
			return p, store.NewBadRequest(fmt.Sprintf("invalid timeoutSeconds %q: must be a number of seconds between 0 and %d", s, maxTimeoutSeconds))
		}
		p.timeout = time.Duration(n) * time.Second
	}
	p.continueToken = q.Get("continue")
	p.resourceVersion = q.Get("resourceVersion")
	p.rvMatch = q.Get("resourceVersionMatch")
	if errs := p.validate(); len(errs) > 0 {
		return p, store.NewInvalid(listOptionsGVK, "", errs)
	}
	return p, nil
}

// maxTimeoutSeconds caps timeoutSeconds (one year) so that it fits a time.Duration.
const maxTimeoutSeconds = 365 * 24 * 3600

// validate applies kube-apiserver's rules for the combinations of list and watch parameters
// (ValidateListOptions, with the WatchList feature on).
func (p listParams) validate() validation.ErrorList {
	var errs validation.ErrorList
	matchPath := validation.NewPath("resourceVersionMatch")
	if !p.watch {
		if p.rvMatch != "" {
			if p.resourceVersion == "" {
				errs = append(errs, validation.Forbidden(matchPath, "resourceVersionMatch is forbidden unless resourceVersion is provided"))
			}
			if p.continueToken != "" {
				errs = append(errs, validation.Forbidden(matchPath, "resourceVersionMatch is forbidden when continue is provided"))
			}
			if p.rvMatch != matchExact && p.rvMatch != matchNotOlderThan {
				errs = append(errs, validation.NotSupported(matchPath, p.rvMatch, []string{matchExact, matchNotOlderThan, ""}))
			}
			if p.rvMatch == matchExact && p.resourceVersion == "0" {
				errs = append(errs, validation.Forbidden(matchPath, `resourceVersionMatch "exact" is forbidden for resourceVersion "0"`))
			}
		}
		if p.sendInitialEvents != nil {
			errs = append(errs, validation.Forbidden(validation.NewPath("sendInitialEvents"), "sendInitialEvents is forbidden for list"))
		}
		return errs
	}
	if p.sendInitialEvents != nil && p.rvMatch != matchNotOlderThan {
		errs = append(errs, validation.Forbidden(matchPath, "sendInitialEvents requires setting resourceVersionMatch to "+matchNotOlderThan))
	}
	if p.rvMatch != "" {
		if p.sendInitialEvents == nil {
			errs = append(errs, validation.Forbidden(matchPath, "resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"))
		}
		if p.rvMatch != matchNotOlderThan {
			errs = append(errs, validation.NotSupported(matchPath, p.rvMatch, []string{matchNotOlderThan}))
		}
		if p.continueToken != "" {
			errs = append(errs, validation.Forbidden(matchPath, "resourceVersionMatch is forbidden when continue is provided"))
		}
	}
	return errs
}

// boolParam reads a boolean query parameter; absent or empty is false.
func boolParam(q url.Values, name string) (bool, error) {
	s := q.Get(name)
	if s == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(s)
	if err != nil {
		return false, store.NewBadRequest(fmt.Sprintf("invalid %s %q: must be true or false", name, s))
	}
	return b, nil
}

// fieldValidation is the fieldValidation parameter of a write: what to do with fields the
// kind does not have.
type fieldValidation uint8

const (
	fieldStrict fieldValidation = iota // 400 BadRequest (the default)
	fieldWarn                          // accept, with a Warning header per field
	fieldIgnore                        // accept silently
)

// parseFieldValidation reads the fieldValidation parameter (Strict, Warn or Ignore; absent
// means Strict).
func parseFieldValidation(q url.Values) (fieldValidation, error) {
	switch v := q.Get("fieldValidation"); strings.ToLower(v) {
	case "", "strict":
		return fieldStrict, nil
	case "warn":
		return fieldWarn, nil
	case "ignore":
		return fieldIgnore, nil
	default:
		return 0, store.NewBadRequest(fmt.Sprintf("invalid fieldValidation directive %q: must be Ignore, Warn or Strict", v))
	}
}

// checkDryRun refuses dry-run writes, which skiff does not implement: performing the write
// instead would be worse than failing.
func checkDryRun(q url.Values) error {
	if len(q["dryRun"]) > 0 {
		return store.NewBadRequest("dryRun is not supported by this server")
	}
	return nil
}

// deleteOptions reads the options of a DELETE: a meta.DeleteOptions body (optional; any
// apiVersion, since Kubernetes registers DeleteOptions in every group version and client-go
// sends the resource's), else the query parameters gracePeriodSeconds, propagationPolicy and
// orphanDependents, as kube-apiserver reads them. It returns whether orphanDependents=false was asked for (the
// answer is then 202 when the object stays).
func deleteOptions(q url.Values, body []byte) (store.DeleteOptions, bool, error) {
	var opts meta.DeleteOptions
	if len(bytes.TrimSpace(body)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(body))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&opts); err != nil {
			return store.DeleteOptions{}, false, store.NewBadRequest("the DeleteOptions in the request body cannot be read: " + err.Error())
		}
		if dec.More() {
			return store.DeleteOptions{}, false, store.NewBadRequest("the DeleteOptions in the request body cannot be read: data after the object")
		}
		if opts.Kind != "" && opts.Kind != "DeleteOptions" {
			return store.DeleteOptions{}, false, store.NewBadRequest(fmt.Sprintf("the request body is a %s, want DeleteOptions", opts.Kind))
		}
	} else {
		if s := q.Get("gracePeriodSeconds"); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return store.DeleteOptions{}, false, store.NewBadRequest(fmt.Sprintf("invalid gracePeriodSeconds %q: must be an integer", s))
			}
			opts.GracePeriodSeconds = &n
		}
		if s := q.Get("propagationPolicy"); s != "" {
			p := meta.DeletionPropagation(s)
			opts.PropagationPolicy = &p
		}
		if s := q.Get("orphanDependents"); s != "" {
			b, err := boolParam(q, "orphanDependents")
			if err != nil {
				return store.DeleteOptions{}, false, err
			}
			opts.OrphanDependents = &b
		}
		if len(q["dryRun"]) > 0 {
			opts.DryRun = q["dryRun"]
		}
	}
	return convertDeleteOptions(opts)
}

// convertDeleteOptions checks a meta.DeleteOptions as kube-apiserver does and converts it.
func convertDeleteOptions(opts meta.DeleteOptions) (store.DeleteOptions, bool, error) {
	var errs validation.ErrorList
	if opts.OrphanDependents != nil && opts.PropagationPolicy != nil {
		errs = append(errs, validation.Invalid(validation.NewPath("propagationPolicy"), string(*opts.PropagationPolicy),
			"orphanDependents and deletionPropagation cannot be both set"))
	}
	if p := opts.PropagationPolicy; p != nil {
		switch *p {
		case meta.DeletePropagationOrphan, meta.DeletePropagationBackground, meta.DeletePropagationForeground:
		default:
			errs = append(errs, validation.NotSupported(validation.NewPath("propagationPolicy"), string(*p),
				[]meta.DeletionPropagation{meta.DeletePropagationForeground, meta.DeletePropagationBackground, meta.DeletePropagationOrphan}))
		}
	}
	if len(errs) > 0 {
		return store.DeleteOptions{}, false, store.NewInvalid(scheme.GroupVersionKind{Group: "meta.k8s.io", Version: "v1", Kind: "DeleteOptions"}, "", errs)
	}
	if len(opts.DryRun) > 0 {
		return store.DeleteOptions{}, false, store.NewBadRequest("dryRun is not supported by this server")
	}
	out := store.DeleteOptions{
		Preconditions:      opts.Preconditions,
		GracePeriodSeconds: opts.GracePeriodSeconds,
		PropagationPolicy:  opts.PropagationPolicy,
	}
	accepted := false
	if o := opts.OrphanDependents; o != nil {
		p := meta.DeletePropagationBackground
		if *o {
			p = meta.DeletePropagationOrphan
		} else {
			accepted = true
		}
		out.PropagationPolicy = &p
	}
	return out, accepted, nil
}
