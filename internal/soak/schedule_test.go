package soak

import (
	"reflect"
	"testing"
	"time"
)

func TestScheduleSameSeedSameSchedule(t *testing.T) {
	for _, seed := range []uint64{0, 1, 42, 1 << 40} {
		a, b := NewSchedule(seed, 10*time.Minute), NewSchedule(seed, 10*time.Minute)
		if !reflect.DeepEqual(a, b) {
			t.Fatalf("seed %d: two schedules differ", seed)
		}
		if len(a.Faults) == 0 || len(a.Ops) == 0 {
			t.Fatalf("seed %d: %d faults and %d operations in 10 minutes", seed, len(a.Faults), len(a.Ops))
		}
	}
}

func TestScheduleDifferentSeedsDiffer(t *testing.T) {
	a, b := NewSchedule(1, 10*time.Minute), NewSchedule(2, 10*time.Minute)
	if reflect.DeepEqual(a.Faults, b.Faults) {
		t.Error("seeds 1 and 2 give the same faults")
	}
	if reflect.DeepEqual(a.Ops, b.Ops) {
		t.Error("seeds 1 and 2 give the same operations")
	}
}

// A longer run starts with the same faults as a shorter one of the same seed: the duration
// only cuts the schedule.
func TestScheduleLongerRunExtendsShorter(t *testing.T) {
	short, long := NewSchedule(7, 2*time.Minute), NewSchedule(7, 10*time.Minute)
	for i, f := range short.Faults {
		g := long.Faults[i]
		if f.At != g.At || f.Kind != g.Kind || f.Pick != g.Pick {
			t.Fatalf("fault %d: %+v in the 2-minute run, %+v in the 10-minute one", i, f, g)
		}
	}
	for i, op := range short.Ops {
		if op != long.Ops[i] {
			t.Fatalf("operation %d: %+v in the 2-minute run, %+v in the 10-minute one", i, op, long.Ops[i])
		}
	}
}

func TestScheduleShape(t *testing.T) {
	for _, d := range []time.Duration{2 * time.Minute, 10 * time.Minute} {
		for seed := range uint64(50) {
			s := NewSchedule(seed, d)
			seen := map[FaultKind]bool{}
			var last time.Duration
			for _, f := range s.Faults {
				if f.At < lead || f.At+f.For > d {
					t.Fatalf("seed %d, %v: fault %+v outside [%v, %v]", seed, d, f, lead, d)
				}
				if f.At < last {
					t.Fatalf("seed %d: faults out of order at %v", seed, f.At)
				}
				last = f.At
				if f.Kind == FaultStoreWrites && (f.Rate <= 0 || f.Rate >= 1 || f.For <= 0) {
					t.Fatalf("seed %d: store-write fault %+v", seed, f)
				}
				if f.Kind == FaultHeartbeats && f.For <= 0 {
					t.Fatalf("seed %d: heartbeat fault without a length: %+v", seed, f)
				}
				seen[f.Kind] = true
			}
			if len(seen) != int(numFaultKinds) {
				t.Errorf("seed %d, %v: only fault kinds %v", seed, d, seen)
			}
			last = 0
			for _, op := range s.Ops {
				if op.At < last || op.At >= d {
					t.Fatalf("seed %d: operation %+v out of order or after %v", seed, op, d)
				}
				last = op.At
				if op.Kind == OpScaleDeployment && (op.Value < 1 || op.Value > 6) || op.Kind == OpScaleStatefulSet && (op.Value < 0 || op.Value > 4) {
					t.Fatalf("seed %d: operation %+v out of range", seed, op)
				}
			}
		}
	}
}

func TestScheduleTooShortHasNoFaults(t *testing.T) {
	if s := NewSchedule(1, lead); len(s.Faults) != 0 {
		t.Errorf("a run as short as the lead has faults: %+v", s.Faults)
	}
}

func TestKindNames(t *testing.T) {
	if got := FaultPlaneKill.String(); got != "plane-kill" {
		t.Errorf("FaultPlaneKill = %q", got)
	}
	if got := FaultKind(99).String(); got != "FaultKind(99)" {
		t.Errorf("FaultKind(99) = %q", got)
	}
	if got := OpRemoveNode.String(); got != "remove-node" {
		t.Errorf("OpRemoveNode = %q", got)
	}
}

func TestTimelineOrdersStartsAndEnds(t *testing.T) {
	s := Schedule{
		Faults: []Fault{{At: time.Second, Kind: FaultHeartbeats, For: 5 * time.Second}, {At: 2 * time.Second, Kind: FaultPodCrash}},
		Ops:    []Op{{At: 3 * time.Second}, {At: 7 * time.Second}},
	}
	var got []time.Duration
	var ends int
	for _, st := range timeline(s) {
		got = append(got, st.at)
		if st.end {
			ends++
		}
	}
	want := []time.Duration{time.Second, 2 * time.Second, 3 * time.Second, 6 * time.Second, 7 * time.Second}
	if !reflect.DeepEqual(got, want) || ends != 1 {
		t.Errorf("timeline at %v with %d ends, want %v with 1", got, ends, want)
	}
}
