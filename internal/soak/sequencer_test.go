package soak

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/store"
)

func ev(rev uint64) Event {
	return Event{Type: store.Modified, Object: &core.Pod{ObjectMeta: meta.ObjectMeta{Name: "p"}}, Revision: rev}
}

func popAll(s *Sequencer, now time.Time) []uint64 {
	var out []uint64
	for {
		e, ok := s.Pop(now)
		if !ok {
			return out
		}
		out = append(out, e.Revision)
	}
}

func TestSequencerMergesInRevisionOrder(t *testing.T) {
	s := NewSequencer(2, time.Second)
	s.Push(0, ev(3), t0)
	s.Push(0, ev(5), t0)
	if got := popAll(s, t0); len(got) != 0 {
		t.Fatalf("released %v before stream 1 said anything", got)
	}
	s.Push(1, ev(4), t0)
	if got := popAll(s, t0); len(got) != 2 || got[0] != 3 || got[1] != 4 {
		t.Fatalf("released %v, want [3 4] (5 waits: stream 1 is only at 4)", got)
	}
	s.Mark(1, 10)
	if got := popAll(s, t0); len(got) != 1 || got[0] != 5 {
		t.Fatalf("released %v, want [5]", got)
	}
	if s.Len() != 0 {
		t.Fatalf("%d events left", s.Len())
	}
}

func TestSequencerReleasesAfterMaxDelay(t *testing.T) {
	s := NewSequencer(2, time.Second)
	s.Push(0, ev(7), t0)
	if got := popAll(s, t0.Add(999*time.Millisecond)); len(got) != 0 {
		t.Fatalf("released %v before the delay", got)
	}
	if got := popAll(s, t0.Add(time.Second)); len(got) != 1 || got[0] != 7 {
		t.Fatalf("released %v after the delay, want [7]", got)
	}
}

func TestSequencerKeepsArrivalOrderOfEqualRevisions(t *testing.T) {
	s := NewSequencer(1, time.Second)
	a, b := ev(2), ev(2)
	a.Type, b.Type = Sync, store.Added
	s.Push(0, a, t0)
	s.Push(0, b, t0)
	first, _ := s.Pop(t0)
	second, _ := s.Pop(t0)
	if first.Type != Sync || second.Type != store.Added {
		t.Fatalf("got %s then %s", first.Type, second.Type)
	}
}
