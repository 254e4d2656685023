package faultstore

import (
	"context"
	"errors"
	"math/rand/v2"
	"sync"

	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Options configure the faults. Rates are probabilities between 0 and 1.
type Options struct {
	// Scheme names the resources in error messages. Required.
	Scheme *scheme.Scheme
	// ConflictRate is the probability that an Update, UpdateStatus or Delete fails with a
	// Conflict.
	ConflictRate float64
	// TransientRate is the probability that a write fails with a transient error.
	TransientRate float64
	// Seed seeds the fault generator; 0 picks a random seed.
	Seed uint64
}

// Validate reports a missing scheme and rates outside [0, 1].
func (o Options) Validate() error {
	if o.Scheme == nil {
		return errors.New("faultstore: Scheme is required")
	}
	if o.ConflictRate < 0 || o.ConflictRate > 1 || o.TransientRate < 0 || o.TransientRate > 1 || o.ConflictRate+o.TransientRate > 1 {
		return errors.New("faultstore: rates must be in [0, 1] and sum to at most 1")
	}
	return nil
}

// Counts are the faults injected so far.
type Counts struct {
	// Conflicts is the number of writes refused with a Conflict.
	Conflicts int
	// Transients is the number of writes refused with a transient error.
	Transients int
	// Passed is the number of writes handed to the inner store.
	Passed int
}

// Store is a store.Store that injects faults into writes. It is safe for concurrent use.
type Store struct {
	store.Store
	sch *scheme.Scheme

	// mu guards rng, the rates and counts.
	mu        sync.Mutex
	rng       *rand.Rand
	conflict  float64
	transient float64
	counts    Counts
}

var _ store.Store = (*Store)(nil)

// New wraps inner. It panics if opts is invalid (a test set-up error).
func New(inner store.Store, opts Options) *Store {
	if err := opts.Validate(); err != nil {
		panic(err)
	}
	seed := opts.Seed
	if seed == 0 {
		seed = rand.Uint64()
	}
	return &Store{
		Store:     inner,
		sch:       opts.Scheme,
		rng:       rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		conflict:  opts.ConflictRate,
		transient: opts.TransientRate,
	}
}

// Unwrap returns the inner store.
func (s *Store) Unwrap() store.Store { return s.Store }

// SetRates changes the fault rates, e.g. to 0 to let a test settle. Invalid rates panic.
func (s *Store) SetRates(conflict, transient float64) {
	if err := (Options{Scheme: s.sch, ConflictRate: conflict, TransientRate: transient}).Validate(); err != nil {
		panic(err)
	}
	s.mu.Lock()
	s.conflict, s.transient = conflict, transient
	s.mu.Unlock()
}

// Counts returns the faults injected so far.
func (s *Store) Counts() Counts {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts
}

// fault decides the fate of one write: nil lets it through.
func (s *Store) fault(op store.Operation, gvk scheme.GroupVersionKind, name string) error {
	s.mu.Lock()
	x := s.rng.Float64()
	pick := s.rng.IntN(2)
	conflict := s.conflict
	if op == store.OpCreate {
		conflict = 0
	}
	var kind int
	switch {
	case x < conflict:
		kind = 1
		s.counts.Conflicts++
	case x < conflict+s.transient:
		kind = 2
		s.counts.Transients++
	default:
		s.counts.Passed++
	}
	s.mu.Unlock()
	if kind == 0 {
		return nil
	}
	var gr scheme.GroupResource
	if info, err := s.sch.ForGVK(gvk); err == nil {
		gr = info.GroupResource()
	}
	if kind == 1 {
		return store.NewModifiedConflict(gr, name)
	}
	if pick == 0 {
		return store.NewServerTimeout(gr, name, verb(op))
	}
	return store.NewTooManyRequests("faultstore: injected: too many requests, please try again later", 1)
}

func verb(op store.Operation) string {
	switch op {
	case store.OpCreate:
		return "create"
	case store.OpDelete:
		return "delete"
	}
	return "update"
}

func (s *Store) gvkOf(obj meta.Object) scheme.GroupVersionKind {
	if info, err := s.sch.ForObject(obj); err == nil {
		return info.GVK
	}
	return scheme.GroupVersionKind{}
}

// Create fails with a transient error at TransientRate, else creates in the inner store.
func (s *Store) Create(ctx context.Context, obj meta.Object, opts store.CreateOptions) (meta.Object, error) {
	name := obj.GetName()
	if name == "" {
		name = obj.GetObjectMeta().GenerateName
	}
	if err := s.fault(store.OpCreate, s.gvkOf(obj), name); err != nil {
		return nil, err
	}
	return s.Store.Create(ctx, obj, opts)
}

// Update fails at ConflictRate + TransientRate, else updates in the inner store.
func (s *Store) Update(ctx context.Context, obj meta.Object, opts store.UpdateOptions) (meta.Object, error) {
	if err := s.fault(store.OpUpdate, s.gvkOf(obj), obj.GetName()); err != nil {
		return nil, err
	}
	return s.Store.Update(ctx, obj, opts)
}

// UpdateStatus fails at ConflictRate + TransientRate, else updates in the inner store.
func (s *Store) UpdateStatus(ctx context.Context, obj meta.Object, opts store.UpdateOptions) (meta.Object, error) {
	if err := s.fault(store.OpUpdateStatus, s.gvkOf(obj), obj.GetName()); err != nil {
		return nil, err
	}
	return s.Store.UpdateStatus(ctx, obj, opts)
}

// Delete fails at ConflictRate + TransientRate, else deletes in the inner store.
func (s *Store) Delete(ctx context.Context, gvk scheme.GroupVersionKind, namespace, name string, opts store.DeleteOptions) (meta.Object, error) {
	if err := s.fault(store.OpDelete, gvk, name); err != nil {
		return nil, err
	}
	return s.Store.Delete(ctx, gvk, namespace, name, opts)
}
