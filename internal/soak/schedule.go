package soak

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"time"
)

// FaultKind is one kind of injected fault.
type FaultKind int

// The fault kinds, in the order the summary lists them.
const (
	// FaultStoreWrites makes a fraction (Fault.Rate) of the controllers' store writes fail,
	// half as conflicts and half as transient errors, for Fault.For.
	FaultStoreWrites FaultKind = iota
	// FaultHeartbeats silences one simulated node (no Lease renewals, no status) for
	// Fault.For, as a network partition would.
	FaultHeartbeats
	// FaultPodCrash kills one running pod of the workload at once (deleted with no grace
	// period), as a crash of its sandbox would.
	FaultPodCrash
	// FaultManagerRestart stops the controller manager that holds the leader Lease and
	// starts a new one: the standby manager takes over.
	FaultManagerRestart
	// FaultPlaneKill closes the whole plane abruptly (the store first, so nothing gets to
	// write its shutdown state) and reopens it on the same data.
	FaultPlaneKill

	numFaultKinds
)

var faultNames = [numFaultKinds]string{"store-write-errors", "node-heartbeat-loss", "pod-crash", "manager-restart", "plane-kill"}

// String returns the fault kind's name as the summary prints it.
func (k FaultKind) String() string {
	if k < 0 || k >= numFaultKinds {
		return fmt.Sprintf("FaultKind(%d)", int(k))
	}
	return faultNames[k]
}

// faultWeights is how often each kind is drawn, relative to the others.
var faultWeights = [numFaultKinds]int{25, 20, 30, 15, 10}

// Fault is one fault of a Schedule.
type Fault struct {
	// At is when the fault starts, from the start of the run.
	At time.Duration
	// Kind is what the fault does.
	Kind FaultKind
	// For is how long the fault lasts (FaultStoreWrites, FaultHeartbeats); 0 for the others.
	For time.Duration
	// Rate is the fraction of writes that fail (FaultStoreWrites).
	Rate float64
	// Pick chooses the fault's target (a node, a pod) among the candidates of the moment:
	// the candidate at index Pick modulo their number, in name order.
	Pick uint64
}

// OpKind is one kind of workload operation.
type OpKind int

// The workload operations.
const (
	// OpScaleDeployment sets a Deployment's replicas to Op.Value.
	OpScaleDeployment OpKind = iota
	// OpRollDeployment changes a Deployment's pod template: a rolling update.
	OpRollDeployment
	// OpScaleStatefulSet sets a StatefulSet's replicas to Op.Value.
	OpScaleStatefulSet
	// OpAddNode adds a simulated node.
	OpAddNode
	// OpTaintNode puts the soak NoSchedule taint on a node.
	OpTaintNode
	// OpUntaintNode takes the soak taint off a node.
	OpUntaintNode
	// OpRemoveNode switches a node off and deletes it.
	OpRemoveNode
	// OpCreateJob creates a Job.
	OpCreateJob
	// OpRollDaemonSet changes a DaemonSet's pod template.
	OpRollDaemonSet

	numOpKinds
)

var opNames = [numOpKinds]string{"scale-deployment", "roll-deployment", "scale-statefulset", "add-node", "taint-node", "untaint-node", "remove-node", "create-job", "roll-daemonset"}

// String returns the operation kind's name as the summary prints it.
func (k OpKind) String() string {
	if k < 0 || k >= numOpKinds {
		return fmt.Sprintf("OpKind(%d)", int(k))
	}
	return opNames[k]
}

var opWeights = [numOpKinds]int{20, 20, 15, 6, 7, 7, 5, 12, 4}

// Op is one workload operation of a Schedule.
type Op struct {
	// At is when the operation runs, from the start of the run.
	At time.Duration
	// Kind is what it does.
	Kind OpKind
	// Target chooses the workload or node among the candidates of the moment (modulo their
	// number, in name order).
	Target uint64
	// Value is the new replica count (OpScaleDeployment, OpScaleStatefulSet).
	Value int
}

// Schedule is everything a run does, decided in advance from the seed: the same seed and
// duration give the same Schedule. Targets are resolved when an entry runs, among the
// objects that exist then.
type Schedule struct {
	// Faults are sorted by At.
	Faults []Fault
	// Ops are sorted by At.
	Ops []Op
}

// Schedule timing: a fault every faultGap on average, an operation every opGap.
const (
	minFaultGap = 4 * time.Second
	maxFaultGap = 14 * time.Second
	minOpGap    = 500 * time.Millisecond
	maxOpGap    = 3 * time.Second
	// lead is the quiet start that lets the workload come up before the first fault.
	lead = 10 * time.Second
)

// NewSchedule returns the schedule of a run of the given length for seed. Faults start after
// a short lead; the first ones cover every kind once (in an order the seed decides), so even
// a short run sees each; no fault outlasts the run. Each stream (faults, operations) has its
// own generator seeded from seed, so that changing one never shifts the other.
func NewSchedule(seed uint64, duration time.Duration) Schedule {
	var s Schedule
	fr := rand.New(rand.NewPCG(seed, 0x6661756c7473)) // "faults"
	first := make([]FaultKind, numFaultKinds)
	for i := range first {
		first[i] = FaultKind(i)
	}
	fr.Shuffle(len(first), func(i, j int) { first[i], first[j] = first[j], first[i] })
	at := lead
	for n := 0; ; n++ {
		at += between(fr, minFaultGap, maxFaultGap)
		if at >= duration {
			break
		}
		f := Fault{At: at, Pick: fr.Uint64()}
		if n < len(first) {
			f.Kind = first[n]
		} else {
			f.Kind = FaultKind(weighted(fr, faultWeights[:]))
		}
		switch f.Kind {
		case FaultStoreWrites:
			f.For = min(between(fr, 3*time.Second, 15*time.Second), duration-at)
			f.Rate = 0.05 + 0.25*fr.Float64()
		case FaultHeartbeats:
			f.For = min(between(fr, 10*time.Second, 60*time.Second), duration-at)
		}
		s.Faults = append(s.Faults, f)
	}

	or := rand.New(rand.NewPCG(seed, 0x776f726b6c6f6164)) // "workload"
	at = lead / 2
	for {
		at += between(or, minOpGap, maxOpGap)
		if at >= duration {
			break
		}
		op := Op{At: at, Kind: OpKind(weighted(or, opWeights[:])), Target: or.Uint64()}
		switch op.Kind {
		case OpScaleDeployment:
			op.Value = 1 + or.IntN(6)
		case OpScaleStatefulSet:
			op.Value = or.IntN(5)
		}
		s.Ops = append(s.Ops, op)
	}
	slices.SortStableFunc(s.Faults, func(a, b Fault) int { return int(a.At - b.At) })
	return s
}

// between returns a duration in [lo, hi), to the millisecond.
func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	return lo + time.Duration(r.Int64N(int64((hi-lo)/time.Millisecond)))*time.Millisecond
}

// weighted returns an index of weights drawn in proportion to its weight.
func weighted(r *rand.Rand, weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	x := r.IntN(total)
	for i, w := range weights {
		if x < w {
			return i
		}
		x -= w
	}
	return len(weights) - 1
}

// pick returns the element of candidates (sorted by the caller) that n chooses, and false
// when there are none.
func pick[T any](candidates []T, n uint64) (T, bool) {
	var zero T
	if len(candidates) == 0 {
		return zero, false
	}
	return candidates[n%uint64(len(candidates))], true
}
