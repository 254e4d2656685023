package remote

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/fields"
	"github.com/skiff-dev/skiff/labels"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// resourcePath returns the path of a kind's collection (name ""), one object, or one of
// its subresources, below the server's base path: /api/v1/... for the core group,
// /apis/<group>/<version>/... for the rest, with namespaces/<namespace>/ for a namespaced
// kind (none: every namespace).
func (c *Client) resourcePath(info *scheme.KindInfo, namespace, name, subresource string) string {
	var b strings.Builder
	b.WriteString(c.base.Path)
	if info.GVK.Group == "" {
		b.WriteString("/api/")
	} else {
		b.WriteString("/apis/" + info.GVK.Group + "/")
	}
	b.WriteString(info.GVK.Version)
	if info.Namespaced && namespace != "" {
		b.WriteString("/namespaces/" + namespace)
	}
	b.WriteString("/" + info.Plural)
	if name != "" {
		b.WriteString("/" + name)
		if subresource != "" {
			b.WriteString("/" + subresource)
		}
	}
	return b.String()
}

// call is one request.
type call struct {
	method      string
	path        string
	query       url.Values
	contentType string
	body        []byte
}

// newRequest builds the HTTP request of a call.
func (c *Client) newRequest(ctx context.Context, cl call) (*http.Request, error) {
	u := *c.base
	u.Path = cl.path
	u.RawQuery = cl.query.Encode()
	var body io.Reader
	if cl.body != nil {
		body = bytes.NewReader(cl.body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, u.String(), body)
	if err != nil {
		return nil, store.NewBadRequest("remote: " + err.Error())
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.cfg.UserAgent)
	if cl.contentType != "" {
		req.Header.Set("Content-Type", cl.contentType)
	}
	if c.cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.cfg.Token)
	}
	return req, nil
}

// do sends a call, bounded by the client's timeout, and decodes a 2xx answer with decode;
// any other answer is turned into its *store.StatusError.
func (c *Client) do(ctx context.Context, cl call, decode func(io.Reader) error) error {
	ctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	defer cancel()
	req, err := c.newRequest(ctx, cl)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return transportError(ctx, err)
	}
	defer func() {
		// Read to the end, so that the connection can be reused.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
		resp.Body.Close()
	}()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return responseError(resp)
	}
	if err := decode(resp.Body); err != nil {
		if ctx.Err() != nil {
			return transportError(ctx, err)
		}
		return store.NewInternalError(fmt.Errorf("remote: decode the answer to %s %s: %w", cl.method, cl.path, err))
	}
	return nil
}

// transportError turns a failure to exchange a request into a *store.StatusError: a
// Timeout when ctx ended (wrapping ctx.Err(), as the store does), else ServiceUnavailable,
// which store.IsRetryable accepts.
func transportError(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return &store.StatusError{Reason: store.ReasonTimeout, Code: http.StatusGatewayTimeout,
			Message: "request did not complete: " + cerr.Error(), Err: cerr}
	}
	return &store.StatusError{Reason: store.ReasonServiceUnavailable, Code: http.StatusServiceUnavailable,
		Message: "the server is unreachable: " + err.Error(), Err: err}
}

// maxErrorBody caps how much of an error answer is read.
const maxErrorBody = 1 << 20

// responseError turns an error answer into the *store.StatusError the server meant: the
// Status in its body, or one made from its status code.
func responseError(resp *http.Response) error {
	data, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	var st meta.Status
	if err := json.Unmarshal(data, &st); err == nil && st.Kind == "Status" {
		se := statusError(st, resp.StatusCode)
		if se.RetryAfterSeconds == 0 {
			if n, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && n > 0 {
				se.RetryAfterSeconds = int32(n)
			}
		}
		return se
	}
	msg := strings.TrimSpace(string(data))
	if msg == "" || len(msg) > 512 {
		msg = fmt.Sprintf("the server responded with the status code %d but did not return more information", resp.StatusCode)
	}
	return &store.StatusError{Reason: reasonForCode(resp.StatusCode), Code: int32(resp.StatusCode), Message: msg}
}

// statusError rebuilds the *store.StatusError a Status was made from, so that the store.Is*
// helpers classify it, its message is the server's, and store.FieldErrors lists the fields
// of an Invalid one.
func statusError(st meta.Status, httpCode int) *store.StatusError {
	code := st.Code
	if code == 0 {
		code = int32(httpCode)
	}
	reason := store.Reason(st.Reason)
	if reason == "" {
		reason = reasonForCode(int(code))
	}
	d := st.Details
	if d == nil {
		d = &meta.StatusDetails{}
	}
	if reason == store.ReasonInvalid {
		errs := make(validation.ErrorList, len(d.Causes))
		for i, c := range d.Causes {
			errs[i] = fieldError(c)
		}
		se := store.NewInvalid(scheme.GroupVersionKind{Group: d.Group, Kind: d.Kind}, d.Name, errs)
		se.Code, se.Message, se.Causes, se.RetryAfterSeconds = code, st.Message, d.Causes, d.RetryAfterSeconds
		return se
	}
	return &store.StatusError{Reason: reason, Code: code, Message: st.Message,
		Resource: scheme.GroupResource{Group: d.Group, Resource: d.Kind}, Name: d.Name,
		Causes: d.Causes, RetryAfterSeconds: d.RetryAfterSeconds}
}

// fieldError rebuilds a field error from its cause, whose message is the error without its
// field path ("Invalid value: -1: must be ..."), so that its Error() is the server's.
func fieldError(c meta.StatusCause) *validation.Error {
	t := validation.ErrorType(c.Type)
	detail := c.Message
	if word := t.String(); detail == word {
		detail = ""
	} else if rest, ok := strings.CutPrefix(detail, word+": "); ok {
		detail = rest
	}
	return &validation.Error{Type: t, Field: c.Field, Detail: detail}
}

// reasonForCode is the reason of an error answer that carries no Status, as client-go
// guesses it.
func reasonForCode(code int) store.Reason {
	switch code {
	case http.StatusNotFound:
		return store.ReasonNotFound
	case http.StatusConflict:
		return store.ReasonConflict
	case http.StatusUnprocessableEntity:
		return store.ReasonInvalid
	case http.StatusGone:
		return store.ReasonGone
	case http.StatusForbidden:
		return store.ReasonForbidden
	case http.StatusBadRequest:
		return store.ReasonBadRequest
	case http.StatusGatewayTimeout:
		return store.ReasonTimeout
	case http.StatusTooManyRequests:
		return store.ReasonTooManyRequests
	case http.StatusServiceUnavailable, http.StatusBadGateway:
		return store.ReasonServiceUnavailable
	case http.StatusUnauthorized:
		return "Unauthorized"
	case http.StatusMethodNotAllowed:
		return "MethodNotAllowed"
	case http.StatusNotAcceptable:
		return "NotAcceptable"
	case http.StatusRequestEntityTooLarge:
		return "RequestEntityTooLarge"
	case http.StatusUnsupportedMediaType:
		return "UnsupportedMediaType"
	}
	return store.ReasonInternalError
}

// nothingSelector is the label selector sent for labels.Nothing(), which has no string form:
// a label that must both exist and not exist. The server then matches nothing, yet answers
// with its revision, its errors and (for a watch) its bookmarks, as a local store would.
const nothingSelector = "skiff.dev/nothing,!skiff.dev/nothing"

// selectorQuery adds the selectors of a list or watch to q.
func selectorQuery(q url.Values, ls labels.Selector, fs fields.Selector) {
	if ls != nil {
		if _, selectable := ls.Requirements(); !selectable {
			q.Set("labelSelector", nothingSelector)
		} else if s := ls.String(); s != "" {
			q.Set("labelSelector", s)
		}
	}
	if fs != nil {
		if s := fs.String(); s != "" {
			q.Set("fieldSelector", s)
		}
	}
}

// decodeObject decodes one object of kind info, filling in its apiVersion and kind when the
// JSON has none. Decoding is lenient: a newer server may know fields this client does not.
func decodeObject(info *scheme.KindInfo, data []byte) (meta.Object, error) {
	obj := info.New()
	if err := json.Unmarshal(data, obj); err != nil {
		return nil, err
	}
	tm := obj.GetTypeMeta()
	if tm.APIVersion == "" && tm.Kind == "" {
		tm.APIVersion, tm.Kind = info.GVK.APIVersion(), info.GVK.Kind
	}
	return obj, nil
}

// decodeInto returns the decode function of do that reads one object into *out.
func decodeInto(info *scheme.KindInfo, out *meta.Object) func(io.Reader) error {
	return func(r io.Reader) error {
		data, err := io.ReadAll(r)
		if err != nil {
			return err
		}
		*out, err = decodeObject(info, data)
		return err
	}
}

// encodeObject returns obj as JSON with its apiVersion and kind, without modifying obj.
func encodeObject(info *scheme.KindInfo, obj meta.Object) ([]byte, error) {
	if tm := obj.GetTypeMeta(); tm.APIVersion != info.GVK.APIVersion() || tm.Kind != info.GVK.Kind {
		obj = obj.DeepCopyObject()
		tm = obj.GetTypeMeta()
		tm.APIVersion, tm.Kind = info.GVK.APIVersion(), info.GVK.Kind
	}
	data, err := json.Marshal(obj)
	if err != nil {
		return nil, store.NewBadRequest("remote: encode " + info.GVK.Kind + ": " + err.Error())
	}
	return data, nil
}

// isStreamEnd reports whether a watch stream's read error is just its end: the server closed
// it, or the connection went away.
func isStreamEnd(err error) bool {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	return !errors.As(err, &syntax) && !errors.As(err, &typ)
}
