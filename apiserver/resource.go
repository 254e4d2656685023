package apiserver

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/internal/jsonw"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// request is one request on a resource path, resolved to its kind.
type request struct {
	w    http.ResponseWriter
	r    *http.Request
	rt   route
	info *scheme.KindInfo
}

// serveResource resolves the resource of a path through the scheme and dispatches on the
// method and subresource. Every combination it does not serve is a 404 (no such path) or a
// 405 (no such verb on an existing path).
func (s *Server) serveResource(w http.ResponseWriter, r *http.Request, rt route) {
	info, err := s.sch.ForGroupResource(rt.group, rt.resource)
	if err != nil || info.GVK.Version != rt.version ||
		(rt.namespace != "" && !info.Namespaced) || // a cluster-scoped kind inside a namespace
		(rt.name != "" && info.Namespaced && rt.namespace == "") { // a namespaced object without one
		s.writeError(w, r, errPathNotFound())
		return
	}
	q := &request{w: w, r: r, rt: rt, info: info}
	switch {
	case rt.name == "":
		s.serveCollection(q)
	case rt.subresource == "":
		switch r.Method {
		case http.MethodGet:
			s.get(q)
		case http.MethodPut:
			s.update(q, false)
		case http.MethodPatch:
			s.patch(q, "")
		case http.MethodDelete:
			s.delete(q)
		default:
			s.writeMethodNotAllowed(w, r, http.MethodGet, http.MethodPut, http.MethodPatch, http.MethodDelete)
		}
	case rt.subresource == client.SubresourceStatus && info.HasStatus:
		switch r.Method {
		case http.MethodGet:
			s.get(q)
		case http.MethodPut:
			s.update(q, true)
		case http.MethodPatch:
			s.patch(q, client.SubresourceStatus)
		default:
			s.writeMethodNotAllowed(w, r, http.MethodGet, http.MethodPut, http.MethodPatch)
		}
	case rt.subresource == subresourceScale && scalers[info.GVK] != nil:
		s.serveScale(q)
	default:
		s.writeError(w, r, errPathNotFound())
	}
}

// serveCollection serves a collection path: list or watch (GET), create (POST). A
// namespaced kind's collection without a namespace is every namespace's, and is read-only.
func (s *Server) serveCollection(q *request) {
	switch {
	case q.r.Method == http.MethodGet:
		s.list(q)
	case q.r.Method == http.MethodPost && (q.rt.namespace != "" || !q.info.Namespaced):
		s.create(q)
	case q.info.Namespaced && q.rt.namespace == "":
		s.writeMethodNotAllowed(q.w, q.r, http.MethodGet)
	default:
		s.writeMethodNotAllowed(q.w, q.r, http.MethodGet, http.MethodPost)
	}
}

func (s *Server) get(q *request) {
	obj, err := s.c.Get(q.r.Context(), q.info.GVK, q.rt.namespace, q.rt.name)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	s.writeObject(q.w, http.StatusOK, q.info, obj)
}

func (s *Server) create(q *request) {
	obj, err := s.readObject(q)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	out, err := s.c.Create(q.r.Context(), obj, store.CreateOptions{})
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	s.writeObject(q.w, http.StatusCreated, q.info, out)
}

// update serves PUT on an object or its status. The body's name must be the URL's.
func (s *Server) update(q *request, status bool) {
	obj, err := s.readObject(q)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	if name := obj.GetName(); name != q.rt.name {
		s.writeError(q.w, q.r, store.NewBadRequest(fmt.Sprintf("the name of the object (%s) does not match the name on the URL (%s)", name, q.rt.name)))
		return
	}
	write := s.c.Update
	if status {
		write = s.c.UpdateStatus
	}
	out, err := write(q.r.Context(), obj, store.UpdateOptions{})
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	s.writeObject(q.w, http.StatusOK, q.info, out)
}

// patchTypes are the patch media types served, in the order a 415 lists them.
var patchTypes = []string{string(client.JSONPatchType), string(client.MergePatchType)}

// patchType returns the patch type of a PATCH's Content-Type, or a 415 error.
func patchType(contentType string) (client.PatchType, error) {
	switch mt := mediaType(contentType); mt {
	case string(client.JSONPatchType), string(client.MergePatchType):
		return client.PatchType(mt), nil
	}
	return "", errUnsupportedMediaType(contentType, patchTypes)
}

// patch serves PATCH on an object or its status, through the client's Patch: exactly the
// semantics of client.Local.
func (s *Server) patch(q *request, subresource string) {
	data, pt, err := s.readPatch(q)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	out, err := s.c.Patch(q.r.Context(), q.info.GVK, q.rt.namespace, q.rt.name, pt, data, client.PatchOptions{Subresource: subresource})
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	s.writeObject(q.w, http.StatusOK, q.info, out)
}

// readPatch checks and reads the body of a PATCH.
func (s *Server) readPatch(q *request) ([]byte, client.PatchType, error) {
	if err := checkDryRun(q.r.URL.Query()); err != nil {
		return nil, "", err
	}
	if _, err := parseFieldValidation(q.r.URL.Query()); err != nil {
		return nil, "", err
	}
	pt, err := patchType(q.r.Header.Get("Content-Type"))
	if err != nil {
		return nil, "", err
	}
	data, err := s.readBody(q)
	return data, pt, err
}

// delete serves DELETE on an object. The answer is the object: its final state when it is
// gone (kube-apiserver answers a Status for most kinds then), its pending state while
// finalizers or a grace period hold it (202 when orphanDependents=false asked for a cascade,
// as kube-apiserver does, else 200).
func (s *Server) delete(q *request) {
	body, err := s.readBody(q)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	opts, cascade, err := deleteOptions(q.r.URL.Query(), body)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	out, err := s.c.Delete(q.r.Context(), q.info.GVK, q.rt.namespace, q.rt.name, opts)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	code := http.StatusOK
	if cascade && out.GetDeletionTimestamp() != nil {
		code = http.StatusAccepted
	}
	s.writeObject(q.w, code, q.info, out)
}

// list serves GET on a collection: a list, or a watch with watch=true.
func (s *Server) list(q *request) {
	p, err := parseListParams(q.r.URL.Query())
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	if p.watch {
		s.watch(q, p)
		return
	}
	rv, err := store.ParseResourceVersion(p.resourceVersion)
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	if p.continueToken != "" && rv != 0 {
		s.writeError(q.w, q.r, store.NewBadRequest("specifying resource version is not allowed when using continue"))
		return
	}
	res, err := s.c.List(q.r.Context(), q.info.GVK, store.ListOptions{
		Namespace:     q.rt.namespace,
		LabelSelector: p.labelSelector,
		FieldSelector: p.fieldSelector,
		Limit:         p.limit,
		Continue:      p.continueToken,
	})
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	// A list is always read at the current revision, which satisfies "any" (0) and "not
	// older than rv" unless rv is in the future; an exact older revision cannot be served.
	switch {
	case rv > res.ResourceVersion:
		err = store.NewTooLargeResourceVersion(rv, res.ResourceVersion)
	case p.rvMatch == matchExact && rv < res.ResourceVersion:
		err = store.NewExpired(fmt.Sprintf("resourceVersion %d cannot be listed exactly: only the current state (%d) can be listed", rv, res.ResourceVersion))
	}
	if err != nil {
		s.writeError(q.w, q.r, err)
		return
	}
	s.writeList(q.w, q.info, res)
}

// readBody reads a request body within the size limit and the body read timeout. (Network
// deadlines are wall-clock instants, so they come from the time package, not the Clock.)
// The deadline is lifted afterwards: the server's own read, which notices a client that
// goes away, must not time out while the request is served.
func (s *Server) readBody(q *request) ([]byte, error) {
	rc := http.NewResponseController(q.w)
	_ = rc.SetReadDeadline(time.Now().Add(DefaultBodyReadTimeout))
	defer func() { _ = rc.SetReadDeadline(time.Time{}) }()
	return readBody(q.w, q.r, s.opts.MaxBodyBytes)
}

// readObject reads the object of a POST or PUT: decoded strictly (unless fieldValidation
// says otherwise), of the URL's kind, in the URL's namespace (filled in when the body has
// none).
func (s *Server) readObject(q *request) (meta.Object, error) {
	query := q.r.URL.Query()
	if err := checkDryRun(query); err != nil {
		return nil, err
	}
	fv, err := parseFieldValidation(query)
	if err != nil {
		return nil, err
	}
	body, err := s.readBody(q)
	if err != nil {
		return nil, err
	}
	j, err := objectJSON(q.r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, err
	}
	obj, err := s.decode(q, j, fv)
	if err != nil {
		return nil, err
	}
	if ns := q.rt.namespace; ns != "" {
		switch obj.GetNamespace() {
		case "":
			obj.SetNamespace(ns)
		case ns:
		default:
			return nil, store.NewBadRequest("the namespace of the provided object does not match the namespace sent on the request")
		}
	}
	return obj, nil
}

// decode decodes j into a new object of the request's kind. An apiVersion or kind other than
// the URL's is a 400; missing ones are filled in. Unknown fields are a 400 (fieldValidation
// Strict), a Warning header each (Warn) or nothing (Ignore).
func (s *Server) decode(q *request, j []byte, fv fieldValidation) (meta.Object, error) {
	info := q.info
	var tm meta.TypeMeta
	if err := json.Unmarshal(j, &tm); err != nil {
		return nil, store.NewBadRequest(fmt.Sprintf("the apiVersion and kind of the object cannot be read: %v", err))
	}
	if tm.APIVersion != "" && tm.APIVersion != info.GVK.APIVersion() {
		return nil, store.NewBadRequest(fmt.Sprintf("the API version in the data (%s) does not match the expected API version (%s)", tm.APIVersion, info.GVK.APIVersion()))
	}
	if tm.Kind != "" && tm.Kind != info.GVK.Kind {
		return nil, store.NewBadRequest(fmt.Sprintf("the kind in the data (%s) does not match the expected kind (%s)", tm.Kind, info.GVK.Kind))
	}
	cannot := func(err error) error {
		return store.NewBadRequest(fmt.Sprintf("%s in version %q cannot be handled as a %s: %v", info.GVK.Kind, info.GVK.Version, info.GVK.Kind, err))
	}
	obj := info.New()
	if err := s.sch.DecodeInto(j, obj); err != nil {
		strict, isStrict := errors.AsType[*scheme.StrictError](err)
		if !isStrict || fv == fieldStrict {
			return nil, cannot(err)
		}
		obj = info.New()
		if err := json.Unmarshal(j, obj); err != nil {
			return nil, cannot(err)
		}
		if fv == fieldWarn {
			for _, f := range strict.Fields {
				q.w.Header().Add("Warning", "299 - "+strconv.Quote(fmt.Sprintf("unknown field %q", f)))
			}
		}
	}
	got := obj.GetTypeMeta()
	got.APIVersion, got.Kind = info.GVK.APIVersion(), info.GVK.Kind
	return obj, nil
}

// withTypeMeta returns obj with its apiVersion and kind set to info's: obj itself when they
// are, else a copy (obj may be shared, as watch events are).
func withTypeMeta(info *scheme.KindInfo, obj meta.Object) meta.Object {
	tm := obj.GetTypeMeta()
	if tm.APIVersion == info.GVK.APIVersion() && tm.Kind == info.GVK.Kind {
		return obj
	}
	obj = obj.DeepCopyObject()
	tm = obj.GetTypeMeta()
	tm.APIVersion, tm.Kind = info.GVK.APIVersion(), info.GVK.Kind
	return obj
}

// marshalObject appends obj, with its apiVersion and kind, to b as json.Marshal writes it:
// through the kind's generated encoder (scheme.KindInfo.AppendJSON) with HTML escaping added,
// the same bytes several times faster than reflection.
func marshalObject(b []byte, info *scheme.KindInfo, obj meta.Object) ([]byte, error) {
	n := len(b)
	b, err := info.AppendJSON(b, withTypeMeta(info, obj))
	if err != nil {
		return b[:n], err
	}
	return jsonw.EscapeHTML(b, n), nil
}

// writeObject writes obj, with its apiVersion and kind, as the response.
func (s *Server) writeObject(w http.ResponseWriter, code int, info *scheme.KindInfo, obj meta.Object) {
	data, err := marshalObject(nil, info, obj)
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, store.NewInternalError(err).Status())
		return
	}
	w.Header().Set("Content-Type", mediaJSON)
	w.Header().Set("Content-Length", strconv.Itoa(len(data)))
	w.WriteHeader(code)
	_, _ = w.Write(data)
}

// listHead is the start of a list response; the items are written after it one by one.
type listHead struct {
	APIVersion string        `json:"apiVersion"`
	Kind       string        `json:"kind"`
	Metadata   meta.ListMeta `json:"metadata"`
}

// writeList writes a list as kube-apiserver does (kind <Kind>List, metadata with the
// revision and continue token, items with their apiVersion and kind), streaming the items.
func (s *Server) writeList(w http.ResponseWriter, info *scheme.KindInfo, res *store.ListResult) {
	head, err := json.Marshal(listHead{
		APIVersion: info.GVK.APIVersion(),
		Kind:       info.GVK.Kind + "List",
		Metadata: meta.ListMeta{
			ResourceVersion:    store.FormatResourceVersion(res.ResourceVersion),
			Continue:           res.Continue,
			RemainingItemCount: res.RemainingItemCount,
		},
	})
	if err != nil {
		writeJSON(w, http.StatusInternalServerError, store.NewInternalError(err).Status())
		return
	}
	w.Header().Set("Content-Type", mediaJSON)
	w.WriteHeader(http.StatusOK)
	bw := bufio.NewWriterSize(w, 32<<10)
	bw.Write(head[:len(head)-1]) // without the closing brace
	bw.WriteString(`,"items":[`)
	var data []byte
	for i, item := range res.Items {
		data, err = marshalObject(data[:0], info, item)
		if err != nil {
			// The status line is sent: all that is left is to cut the response short, which
			// the client sees as a malformed body rather than a partial list.
			s.log.Error(err, "Encoding a list item failed", "kind", info.GVK.String(), "key", meta.Key(item))
			bw.Flush()
			panic(http.ErrAbortHandler)
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.Write(data)
	}
	bw.WriteString("]}")
	bw.Flush()
}
