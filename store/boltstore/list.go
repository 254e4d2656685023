package boltstore

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"slices"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/internal/filter"
)

// continueToken is what a continue string encodes: the list's revision and the last key
// returned.
type continueToken struct {
	Rev       uint64 `json:"rv"`
	Namespace string `json:"ns,omitempty"`
	Name      string `json:"name"`
}

func encodeContinue(t continueToken) string {
	b, _ := json.Marshal(t)
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeContinue(s string) (continueToken, error) {
	var t continueToken
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &t)
	}
	if err != nil || t.Name == "" || t.Rev == 0 {
		return continueToken{}, store.NewBadRequest("invalid continue token")
	}
	return t, nil
}

// List returns the matching objects; see store.Reader. Every page of a paginated list is
// read at the first page's revision: objects changed since are shown as they were, from the
// event window. The index is scanned under the read lock, collecting pointers; the copies
// handed to the caller are made after the lock is released.
func (s *Store) List(ctx context.Context, gvk scheme.GroupVersionKind, opts store.ListOptions) (*store.ListResult, error) {
	return s.list(ctx, gvk, opts, true)
}

// ListShared is List without copies; see store.SharedLister. Never modify the items.
func (s *Store) ListShared(ctx context.Context, gvk scheme.GroupVersionKind, opts store.ListOptions) (*store.ListResult, error) {
	return s.list(ctx, gvk, opts, false)
}

func (s *Store) list(ctx context.Context, gvk scheme.GroupVersionKind, opts store.ListOptions, copyItems bool) (*store.ListResult, error) {
	if s.isClosed() {
		return nil, store.ErrClosed
	}
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	if _, err := s.kindInfo(gvk); err != nil {
		return nil, err
	}
	pred, err := filter.New(opts.Namespace, opts.LabelSelector, opts.FieldSelector)
	if err != nil {
		return nil, err
	}
	if opts.Limit < 0 {
		return nil, store.NewBadRequest("limit must not be negative")
	}
	var after *objKey
	var tok continueToken
	if opts.Continue != "" {
		if tok, err = decodeContinue(opts.Continue); err != nil {
			return nil, err
		}
		after = &objKey{tok.Namespace, tok.Name}
	}

	s.mu.RLock()
	rev := s.rev.Load()
	snap := rev
	if after != nil {
		if tok.Rev < s.win.compacted {
			compacted := s.win.compacted
			s.mu.RUnlock()
			return nil, store.NewExpired("The provided continue parameter is too old to display a consistent list result " +
				"(revision " + store.FormatResourceVersion(tok.Rev) + " is compacted; oldest kept " +
				store.FormatResourceVersion(compacted) + "). Start a new list without the continue parameter.")
		}
		if tok.Rev > rev {
			s.mu.RUnlock()
			return nil, store.NewBadRequest("invalid continue token: revision from the future")
		}
		snap = tok.Rev
	}
	p := page{pred: pred, limit: int(opts.Limit), count: !pred.HasSelectors()}
	if ki := s.kinds[gvk]; ki != nil {
		var overlay map[objKey]meta.Object
		if snap < rev {
			overlay = s.win.stateAt(ki, snap)
		}
		p.scan(ki, opts.Namespace, after, overlay)
	}
	s.mu.RUnlock()

	res := &store.ListResult{Items: p.items, ResourceVersion: snap}
	if copyItems {
		for i, o := range p.items {
			res.Items[i] = o.DeepCopyObject()
		}
	}
	if res.Items == nil {
		res.Items = []meta.Object{}
	}
	if p.more {
		res.Continue = encodeContinue(continueToken{Rev: snap, Namespace: p.last.namespace, Name: p.last.name})
		if p.count {
			n := p.remaining
			res.RemainingItemCount = &n
		}
	}
	return res, nil
}

// page collects one page of a list.
type page struct {
	pred  filter.Predicate
	limit int  // 0: unlimited
	count bool // count the matches after the page

	items     []meta.Object
	last      objKey
	more      bool
	remaining int64
}

// scan visits, in key order, the objects of ki in namespace ns after the key after, as they
// were at the snapshot described by overlay (state at the snapshot of every key changed
// since, nil when absent then). It must run under Store.mu.
func (p *page) scan(ki *kindIndex, ns string, after *objKey, overlay map[objKey]meta.Object) {
	// Objects deleted since the snapshot are in overlay but not in the index: merge them in.
	var extra []objKey
	for k, o := range overlay {
		if o == nil || (ns != "" && k.namespace != ns) || (after != nil && !lessKey(*after, k)) {
			continue
		}
		if _, ok := ki.items[k]; !ok {
			extra = append(extra, k)
		}
	}
	slices.SortFunc(extra, func(a, b objKey) int {
		if lessKey(a, b) {
			return -1
		}
		if lessKey(b, a) {
			return 1
		}
		return 0
	})
	stopped := false
	ki.ascend(ns, after, func(it *item) bool {
		k := it.key
		for len(extra) > 0 && lessKey(extra[0], k) {
			if !p.visit(extra[0], overlay[extra[0]]) {
				stopped = true
				return false
			}
			extra = extra[1:]
		}
		obj := it.obj
		if overlay != nil {
			if o, ok := overlay[k]; ok {
				obj = o
			}
		}
		if !p.visit(k, obj) {
			stopped = true
			return false
		}
		return true
	})
	for _, k := range extra {
		if stopped || !p.visit(k, overlay[k]) {
			return
		}
	}
}

// visit considers one object (nil: absent at the snapshot); it returns false when the scan
// can stop.
func (p *page) visit(k objKey, obj meta.Object) bool {
	if obj == nil || !p.pred.Matches(obj) {
		return true
	}
	if p.limit > 0 && len(p.items) == p.limit {
		p.more = true
		if p.count {
			p.remaining++
			return true
		}
		return false
	}
	p.items = append(p.items, obj)
	p.last = k
	return true
}
