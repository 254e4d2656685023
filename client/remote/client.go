package remote

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/api/validation"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Client is the client.Client of a skiff API server (or of anything that speaks its
// Kubernetes-style REST API), over HTTP. Make one with New; it is safe for concurrent use.
type Client struct {
	cfg  Config // defaults filled in
	sch  *scheme.Scheme
	base *url.URL
	http *http.Client
}

var _ client.Client = (*Client)(nil)

// New returns a Client for cfg. It reads cfg.CAFile, if any, and contacts nobody.
func New(cfg Config) (*Client, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	cfg = cfg.withDefaults()
	hc := cfg.HTTPClient
	if hc == nil {
		var err error
		if hc, err = newHTTPClient(cfg); err != nil {
			return nil, err
		}
	}
	return &Client{cfg: cfg, sch: cfg.Scheme, base: baseURL(cfg.Server), http: hc}, nil
}

// Close releases the client's idle connections. Requests and watches in flight are not
// affected, and the client stays usable.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Scheme returns the scheme of the client's kinds.
func (c *Client) Scheme() *scheme.Scheme { return c.sch }

// kind resolves gvk; a kind the scheme does not know is a BadRequest, as in the store.
func (c *Client) kind(gvk scheme.GroupVersionKind) (*scheme.KindInfo, error) {
	info, err := c.sch.ForGVK(gvk)
	if err != nil {
		return nil, &store.StatusError{Reason: store.ReasonBadRequest, Code: http.StatusBadRequest, Message: err.Error(), Err: err}
	}
	return info, nil
}

// kindOf resolves the kind of obj, as kind does.
func (c *Client) kindOf(obj meta.Object) (*scheme.KindInfo, error) {
	info, err := c.sch.ForObject(obj)
	if err != nil {
		return nil, &store.StatusError{Reason: store.ReasonBadRequest, Code: http.StatusBadRequest, Message: err.Error(), Err: err}
	}
	return info, nil
}

// noPath reports the NotFound a store gives for an object the API has no path for: a
// namespaced one without a namespace, or one without a name.
func noPath(info *scheme.KindInfo, namespace, name string) error {
	if name == "" || (info.Namespaced && namespace == "") {
		return store.NewNotFound(info.GroupResource(), name)
	}
	return nil
}

// noStatus is the error of a status write to a kind without a status subresource, which
// has no path on the server: NotFound when the object is missing, else BadRequest, in the
// store's words and order.
func (c *Client) noStatus(ctx context.Context, info *scheme.KindInfo, namespace, name string) error {
	if _, err := c.Get(ctx, info.GVK, namespace, name); err != nil {
		return err
	}
	return store.NewBadRequest(fmt.Sprintf("%s has no status subresource", info.GroupResource()))
}

// Get returns the named object; see client.Client.
func (c *Client) Get(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string) (meta.Object, error) {
	info, err := c.kind(gvk)
	if err != nil {
		return nil, err
	}
	if err := noPath(info, namespace, name); err != nil {
		return nil, err
	}
	var out meta.Object
	err = c.do(ctx, call{method: http.MethodGet, path: c.resourcePath(info, namespace, name, "")}, decodeInto(info, &out))
	return out, err
}

// listBody is the part of a list answer the client reads.
type listBody struct {
	Metadata meta.ListMeta     `json:"metadata"`
	Items    []json.RawMessage `json:"items"`
}

// List returns the objects of kind gvk that match opts; see client.Client. labels.Nothing()
// is sent as a selector that no labels satisfy.
func (c *Client) List(ctx context.Context, gvk scheme.GroupVersionKind, opts store.ListOptions) (*store.ListResult, error) {
	info, err := c.kind(gvk)
	if err != nil {
		return nil, err
	}
	q := url.Values{}
	selectorQuery(q, opts.LabelSelector, opts.FieldSelector)
	if opts.Limit != 0 {
		q.Set("limit", strconv.FormatInt(opts.Limit, 10))
	}
	if opts.Continue != "" {
		q.Set("continue", opts.Continue)
	}
	res := &store.ListResult{}
	err = c.do(ctx, call{method: http.MethodGet, path: c.resourcePath(info, opts.Namespace, "", ""), query: q}, func(r io.Reader) error {
		var body listBody
		if err := json.NewDecoder(r).Decode(&body); err != nil {
			return err
		}
		rv, err := store.ParseResourceVersion(body.Metadata.ResourceVersion)
		if err != nil {
			return err
		}
		res.ResourceVersion, res.Continue, res.RemainingItemCount = rv, body.Metadata.Continue, body.Metadata.RemainingItemCount
		res.Items = make([]meta.Object, len(body.Items))
		for i, raw := range body.Items {
			if res.Items[i], err = decodeObject(info, raw); err != nil {
				return fmt.Errorf("item %d: %w", i, err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// Create stores a new object; see client.Client.
func (c *Client) Create(ctx context.Context, obj meta.Object, _ store.CreateOptions) (meta.Object, error) {
	info, err := c.kindOf(obj)
	if err != nil {
		return nil, err
	}
	ns := obj.GetNamespace()
	if info.Namespaced && ns == "" {
		return nil, store.NewInvalid(info.GVK, obj.GetName(), validation.ErrorList{validation.Required(validation.NewPath("metadata", "namespace"), "")})
	}
	data, err := encodeObject(info, obj)
	if err != nil {
		return nil, err
	}
	var out meta.Object
	err = c.do(ctx, call{method: http.MethodPost, path: c.resourcePath(info, ns, "", ""), contentType: "application/json", body: data},
		decodeInto(info, &out))
	return out, err
}

// Update replaces an object; see client.Client.
func (c *Client) Update(ctx context.Context, obj meta.Object, _ store.UpdateOptions) (meta.Object, error) {
	return c.put(ctx, obj, "")
}

// UpdateStatus replaces an object's status; see client.Client.
func (c *Client) UpdateStatus(ctx context.Context, obj meta.Object, _ store.UpdateOptions) (meta.Object, error) {
	return c.put(ctx, obj, client.SubresourceStatus)
}

func (c *Client) put(ctx context.Context, obj meta.Object, subresource string) (meta.Object, error) {
	info, err := c.kindOf(obj)
	if err != nil {
		return nil, err
	}
	ns, name := obj.GetNamespace(), obj.GetName()
	if err := noPath(info, ns, name); err != nil {
		return nil, err
	}
	if subresource != "" && !info.HasStatus {
		return nil, c.noStatus(ctx, info, ns, name)
	}
	data, err := encodeObject(info, obj)
	if err != nil {
		return nil, err
	}
	var out meta.Object
	err = c.do(ctx, call{method: http.MethodPut, path: c.resourcePath(info, ns, name, subresource), contentType: "application/json", body: data},
		decodeInto(info, &out))
	return out, err
}

// Patch applies a patch to the named object on the server; see client.Client.
func (c *Client) Patch(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string, pt client.PatchType, data []byte, opts client.PatchOptions) (meta.Object, error) {
	info, err := c.kind(gvk)
	if err != nil {
		return nil, err
	}
	// Checked here, with client.Local's words: the server would answer 415 for the type, and
	// serves other subresources (scale) with other objects.
	switch pt {
	case client.MergePatchType, client.JSONPatchType:
	default:
		return nil, store.NewBadRequest(fmt.Sprintf("unsupported patch type %q: supported are %q and %q", pt, client.MergePatchType, client.JSONPatchType))
	}
	if opts.Subresource != "" && opts.Subresource != client.SubresourceStatus {
		return nil, store.NewBadRequest(fmt.Sprintf("unsupported subresource %q: only %q can be patched", opts.Subresource, client.SubresourceStatus))
	}
	if err := noPath(info, namespace, name); err != nil {
		return nil, err
	}
	if opts.Subresource != "" && !info.HasStatus {
		return nil, c.noStatus(ctx, info, namespace, name)
	}
	var out meta.Object
	err = c.do(ctx, call{method: http.MethodPatch, path: c.resourcePath(info, namespace, name, opts.Subresource), contentType: string(pt), body: data},
		decodeInto(info, &out))
	return out, err
}

// Delete deletes an object or marks it for deletion; see client.Client. The options travel
// as a DeleteOptions body.
func (c *Client) Delete(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string, opts store.DeleteOptions) (meta.Object, error) {
	info, err := c.kind(gvk)
	if err != nil {
		return nil, err
	}
	if err := noPath(info, namespace, name); err != nil {
		return nil, err
	}
	data, err := json.Marshal(meta.DeleteOptions{
		TypeMeta:           meta.TypeMeta{APIVersion: "meta.k8s.io/v1", Kind: "DeleteOptions"},
		GracePeriodSeconds: opts.GracePeriodSeconds,
		Preconditions:      opts.Preconditions,
		PropagationPolicy:  opts.PropagationPolicy,
	})
	if err != nil {
		return nil, store.NewBadRequest("remote: encode DeleteOptions: " + err.Error())
	}
	var out meta.Object
	err = c.do(ctx, call{method: http.MethodDelete, path: c.resourcePath(info, namespace, name, ""), contentType: "application/json", body: data},
		decodeInto(info, &out))
	return out, err
}
