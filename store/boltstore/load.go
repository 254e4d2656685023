package boltstore

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"sync"

	bolt "go.etcd.io/bbolt"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// load creates the buckets of a new data file, or checks the format of an existing one, then
// reads the whole revision log: the newest record of every key is the object's current state
// and the records after the compacted revision rebuild the event window.
func (s *Store) load() error {
	if err := s.initBuckets(); err != nil {
		return err
	}
	now := s.opts.Clock.Now().UnixNano()
	return s.db.View(func(tx *bolt.Tx) error {
		m := tx.Bucket(bucketMeta)
		if v := m.Get(keyFormat); len(v) != 1 || v[0] != formatVersion {
			return fmt.Errorf("%w: unsupported format version %v", ErrCorrupt, v)
		}
		if v := m.Get(keyCompacted); v != nil {
			if len(v) != 8 {
				return fmt.Errorf("%w: malformed compacted revision", ErrCorrupt)
			}
			s.win.compacted = binary.BigEndian.Uint64(v)
		}
		// Records are parsed and their JSON decoded in parallel (the slices alias the
		// memory map, valid for this transaction), then applied in revision order.
		var recs []loaded
		c := tx.Bucket(bucketRevs).Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			rev, err := parseRevKey(k)
			if err != nil {
				return fmt.Errorf("%w: %v", ErrCorrupt, err)
			}
			recs = append(recs, loaded{rev: rev, raw: v})
		}
		if err := s.decodeAll(recs); err != nil {
			return err
		}
		last := s.win.compacted
		for i := range recs {
			if err := s.applyLoaded(&recs[i], now); err != nil {
				return fmt.Errorf("revision %d: %w", recs[i].rev, err)
			}
			last = max(last, recs[i].rev)
			recs[i] = loaded{}
		}
		if last != s.win.last() {
			return fmt.Errorf("%w: revision log has gaps after revision %d", ErrCorrupt, s.win.last())
		}
		s.rev.Store(last)
		return nil
	})
}

// initBuckets creates the buckets and the format marker of a new file.
func (s *Store) initBuckets() error {
	ready := false
	if err := s.db.View(func(tx *bolt.Tx) error {
		ready = tx.Bucket(bucketMeta) != nil && tx.Bucket(bucketRevs) != nil
		return nil
	}); err != nil || ready {
		return err
	}
	return s.db.Update(func(tx *bolt.Tx) error {
		m, err := tx.CreateBucketIfNotExists(bucketMeta)
		if err != nil {
			return err
		}
		if m.Get(keyFormat) == nil {
			if err := m.Put(keyFormat, []byte{formatVersion}); err != nil {
				return err
			}
			// A new store starts at revision 1 (as etcd does), with nothing to replay: no
			// list is ever at revision 0, which a watch reads as "from now".
			if err := m.Put(keyCompacted, binary.BigEndian.AppendUint64(nil, 1)); err != nil {
				return err
			}
		}
		_, err = tx.CreateBucketIfNotExists(bucketRevs)
		return err
	})
}

// loaded is one record of the log while the store loads.
type loaded struct {
	rev  uint64
	raw  []byte
	rec  record
	info *scheme.KindInfo
	obj  meta.Object // decoded state, puts only
}

// decodeAll parses every record and decodes the objects of puts, on all CPUs.
func (s *Store) decodeAll(recs []loaded) error {
	workers := min(runtime.GOMAXPROCS(0), max(1, len(recs)/256))
	var wg sync.WaitGroup
	errs := make([]error, workers)
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(recs); i += workers {
				if err := s.decodeLoaded(&recs[i]); err != nil {
					errs[w] = fmt.Errorf("revision %d: %w", recs[i].rev, err)
					return
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

func (s *Store) decodeLoaded(l *loaded) error {
	rec, err := decodeRecord(l.raw)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	gvk, ok := parseGVK(rec.gvk)
	if !ok {
		return fmt.Errorf("%w: malformed kind %q", ErrCorrupt, rec.gvk)
	}
	info, err := s.sch.ForGVK(gvk)
	if err != nil {
		return err
	}
	l.rec, l.info, l.raw = rec, info, nil
	if rec.op == opPut {
		obj := info.New()
		if err := json.Unmarshal(rec.data, obj); err != nil {
			return fmt.Errorf("%w: decode %s %s/%s: %v", ErrCorrupt, gvk, rec.namespace, rec.name, err)
		}
		obj.SetResourceVersion(store.FormatResourceVersion(l.rev))
		l.obj = obj
	}
	l.rec.data = nil
	return nil
}

// applyLoaded applies one decoded record to the index, and to the window when it is newer
// than the compacted revision.
func (s *Store) applyLoaded(l *loaded, now int64) error {
	ki := s.indexLocked(l.info)
	k := objKey{l.rec.namespace, l.rec.name}
	var prev item
	pit, had := ki.items[k]
	if had {
		prev = *pit
	}
	inWindow := l.rev > s.win.compacted
	if inWindow && l.rev != s.win.last()+1 {
		return fmt.Errorf("%w: revision log has a gap before revision %d", ErrCorrupt, l.rev)
	}
	switch l.rec.op {
	case opPut:
		if inWindow {
			typ := store.Added
			if had {
				typ = store.Modified
			}
			s.win.append(event{rev: l.rev, kind: ki, typ: typ, obj: l.obj, prev: prev.obj, prevRev: prev.rev, at: now})
		}
		ki.put(k, l.obj, l.rev)
	case opDelete:
		if !had {
			return fmt.Errorf("%w: tombstone of %s %s/%s, which does not exist", ErrCorrupt, l.info.GVK, k.namespace, k.name)
		}
		if inWindow {
			tomb := prev.obj.DeepCopyObject()
			tomb.SetResourceVersion(store.FormatResourceVersion(l.rev))
			s.win.append(event{rev: l.rev, kind: ki, typ: store.Deleted, obj: tomb, prev: prev.obj, prevRev: prev.rev, at: now})
		}
		ki.remove(k)
	}
	return nil
}
