package boltstore

import (
	"bytes"
	"context"
	"net/http"

	bolt "go.etcd.io/bbolt"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
	"github.com/skiff-dev/skiff/store/internal/lifecycle"
)

// maxGenerateNameAttempts bounds the names tried for one Create with generateName.
const maxGenerateNameAttempts = 8

// Every write follows the same optimistic scheme: read the committed state, prepare the new
// record on the caller's goroutine (defaulting, validation, encoding run in parallel across
// writers), and hand it to the committer with the revision it was prepared against. The
// committer writes it only if that is still the object's revision; otherwise the write is
// stale and the writer decides: Conflict, AlreadyExists, or prepare again.

// Create stores a new object; see store.Writer.
func (s *Store) Create(ctx context.Context, obj meta.Object, _ store.CreateOptions) (meta.Object, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	info, err := s.kindInfoOf(obj)
	if err != nil {
		return nil, err
	}
	defer s.writerDone(s.writerStart())
	om := obj.GetObjectMeta()
	generated := om.Name == "" && om.GenerateName != ""
	for attempt := 1; ; attempt++ {
		o := obj.DeepCopyObject()
		if err := lifecycle.PrepareCreate(info, o, s.opts.Clock.Now()); err != nil {
			return nil, err
		}
		if err := s.admit(ctx, store.OpCreate, info, o, nil); err != nil {
			return nil, err
		}
		m := o.GetObjectMeta()
		buf, data, err := encodePut(info, s.recordKind(info), m.Namespace, m.Name, o)
		if err != nil {
			return nil, store.NewInternalError(err)
		}
		r := getReq()
		r.info, r.key, r.op, r.obj, r.data, r.buf = info, objKey{m.Namespace, m.Name}, opPut, o, data, buf
		err = s.submit(r)
		putReq(r)
		switch {
		case err == nil:
			return o.DeepCopyObject(), nil
		case err == errStale && generated && attempt < maxGenerateNameAttempts:
			continue
		case err == errStale:
			return nil, store.NewAlreadyExists(info.GroupResource(), m.Name)
		default:
			return nil, err
		}
	}
}

// Update replaces an object; see store.Writer.
func (s *Store) Update(ctx context.Context, obj meta.Object, _ store.UpdateOptions) (meta.Object, error) {
	return s.update(ctx, obj, false)
}

// UpdateStatus replaces an object's status; see store.Writer.
func (s *Store) UpdateStatus(ctx context.Context, obj meta.Object, _ store.UpdateOptions) (meta.Object, error) {
	return s.update(ctx, obj, true)
}

func (s *Store) update(ctx context.Context, obj meta.Object, status bool) (meta.Object, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	info, err := s.kindInfoOf(obj)
	if err != nil {
		return nil, err
	}
	om := obj.GetObjectMeta()
	want, err := store.ParseResourceVersion(om.ResourceVersion)
	if err != nil {
		return nil, err
	}
	defer s.writerDone(s.writerStart())
	key := objKey{om.Namespace, om.Name}
	gr := info.GroupResource()
	op := store.OpUpdate
	if status {
		op = store.OpUpdateStatus
	}
	for {
		cur, curRev := s.current(info.GVK, key)
		if cur == nil {
			return nil, store.NewNotFound(gr, key.name)
		}
		if want != 0 && want != curRev {
			return nil, store.NewModifiedConflict(gr, key.name)
		}
		if uid := cur.GetObjectMeta().UID; om.UID != "" && om.UID != uid {
			return nil, store.NewConflict(gr, key.name, "Precondition failed: UID in precondition: "+string(om.UID)+", UID in object meta: "+string(uid))
		}
		o := obj.DeepCopyObject()
		if status {
			err = lifecycle.PrepareStatusUpdate(info, o, cur)
		} else {
			err = lifecycle.PrepareUpdate(info, o, cur)
		}
		if err != nil {
			return nil, err
		}
		if err := s.admit(ctx, op, info, o, cur); err != nil {
			return nil, err
		}
		r := getReq()
		r.info, r.key, r.prevRev = info, key, curRev
		if lifecycle.DeletesOnUpdate(o, cur) {
			r.op, r.obj, r.data = opDelete, cur.DeepCopyObject(), encodeDelete(s.recordKind(info), key.namespace, key.name)
		} else {
			o.SetResourceVersion("")
			buf, data, err := encodePut(info, s.recordKind(info), key.namespace, key.name, o)
			if err != nil {
				putReq(r)
				return nil, store.NewInternalError(err)
			}
			r.op, r.obj, r.data, r.buf = opPut, o, data, buf
			if s.storedEquals(curRev, data) {
				putReq(r)
				return cur.DeepCopyObject(), nil // nothing changed: no write, no new revision
			}
		}
		err = s.submit(r)
		out := r.obj
		putReq(r)
		switch {
		case err == nil:
			return out.DeepCopyObject(), nil
		case err == errStaleAbsent:
			return nil, store.NewNotFound(gr, key.name)
		case err == errStale && want == 0:
			continue
		case err == errStale:
			return nil, store.NewModifiedConflict(gr, key.name)
		default:
			return nil, err
		}
	}
}

// Delete deletes an object or marks it for deletion; see store.Writer.
func (s *Store) Delete(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string, opts store.DeleteOptions) (meta.Object, error) {
	if err := ctx.Err(); err != nil {
		return nil, contextError(err)
	}
	info, err := s.kindInfo(gvk)
	if err != nil {
		return nil, err
	}
	defer s.writerDone(s.writerStart())
	key := objKey{namespace, name}
	for {
		cur, curRev := s.current(gvk, key)
		if cur == nil {
			return nil, store.NewNotFound(info.GroupResource(), name)
		}
		action, next, err := lifecycle.PlanDelete(info, cur, opts, s.opts.Clock.Now())
		if err != nil {
			return nil, err
		}
		r := getReq()
		r.info, r.key, r.prevRev = info, key, curRev
		switch action {
		case lifecycle.DeleteNothing:
			putReq(r)
			return cur.DeepCopyObject(), nil
		case lifecycle.DeleteRemove:
			if err := s.admit(ctx, store.OpDelete, info, nil, cur); err != nil {
				putReq(r)
				return nil, err
			}
			r.op, r.obj, r.data = opDelete, cur.DeepCopyObject(), encodeDelete(s.recordKind(info), namespace, name)
		case lifecycle.DeleteMark:
			if err := s.admit(ctx, store.OpDelete, info, next, cur); err != nil {
				putReq(r)
				return nil, err
			}
			next.SetResourceVersion("")
			buf, data, err := encodePut(info, s.recordKind(info), namespace, name, next)
			if err != nil {
				putReq(r)
				return nil, store.NewInternalError(err)
			}
			r.op, r.obj, r.data, r.buf = opPut, next, data, buf
		}
		err = s.submit(r)
		out := r.obj
		putReq(r)
		switch {
		case err == nil:
			return out.DeepCopyObject(), nil
		case err == errStaleAbsent:
			return nil, store.NewNotFound(info.GroupResource(), name)
		case err == errStale:
			continue // preconditions are checked again against the new state
		default:
			return nil, err
		}
	}
}

// writerStart and writerDone bracket a write method: the committer waits briefly for the
// writers in between to hand in their requests, so that they share a transaction.
func (s *Store) writerStart() struct{} {
	s.activeWriters.Add(1)
	return struct{}{}
}

func (s *Store) writerDone(struct{}) { s.activeWriters.Add(-1) }

// recordKind returns the kind's name as records spell it.
func (s *Store) recordKind(info *scheme.KindInfo) string {
	if v, ok := s.kindNames.Load(info); ok {
		return v.(string)
	}
	name := gvkString(info.GVK)
	s.kindNames.Store(info, name)
	return name
}

// storedEquals reports whether the record stored at rev is exactly data.
func (s *Store) storedEquals(rev uint64, data []byte) bool {
	var equal bool
	_ = s.db.View(func(tx *bolt.Tx) error {
		equal = bytes.Equal(tx.Bucket(bucketRevs).Get(revKey(rev)), data)
		return nil
	})
	return equal
}

// admit runs the admission hook, if any.
func (s *Store) admit(ctx context.Context, op store.Operation, info *scheme.KindInfo, obj, old meta.Object) error {
	if s.opts.Admit == nil {
		return nil
	}
	return s.opts.Admit(ctx, store.Attributes{Operation: op, Kind: info, Object: obj, Old: old})
}

// contextError reports a request abandoned because its context ended before it started.
func contextError(err error) error {
	return &store.StatusError{Reason: store.ReasonTimeout, Code: http.StatusGatewayTimeout,
		Message: "request did not start: " + err.Error(), Err: err}
}
