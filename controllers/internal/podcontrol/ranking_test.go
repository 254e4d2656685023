package podcontrol_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/controllers/internal/podcontrol"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

// rankPod makes a pod for the ranking tests: the fields Less reads.
func rankPod(name, node string, phase core.PodPhase, ready bool, restarts, sidecarRestarts int32, readySince, created time.Time, cost string) *core.Pod {
	p := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Name: name, Namespace: "default", CreationTimestamp: meta.Time{Time: created}},
		Spec:       core.PodSpec{NodeName: node},
		Status:     core.PodStatus{Phase: phase},
	}
	if cost != "" {
		p.Annotations = map[string]string{core.PodDeletionCost: cost}
	}
	if ready {
		p.Status.Conditions = []core.PodCondition{{Type: core.PodReady, Status: core.ConditionTrue, LastTransitionTime: meta.Time{Time: readySince}}}
	}
	p.Status.ContainerStatuses = []core.ContainerStatus{{Name: "app", RestartCount: restarts}}
	if sidecarRestarts > 0 {
		always := core.ContainerRestartPolicyAlways
		p.Spec.InitContainers = []core.Container{{Name: "sidecar", RestartPolicy: &always}, {Name: "init"}}
		p.Status.InitContainerStatuses = []core.ContainerStatus{{Name: "sidecar", RestartCount: sidecarRestarts}, {Name: "init", RestartCount: 1000}}
	}
	return p
}

// The pods of Kubernetes' TestSortingActivePodsWithRanks (pkg/controller/controller_utils_test.go).
var (
	zero       time.Time
	then1Month = now.AddDate(0, -1, 0)
	then2Hours = now.Add(-2 * time.Hour)
	then5Hours = now.Add(-5 * time.Hour)
	then8Hours = now.Add(-8 * time.Hour)

	unscheduledPod                  = rankPod("unscheduled", "", core.PodPending, false, 0, 0, zero, zero, "")
	scheduledPendingPod             = rankPod("pending", "node", core.PodPending, false, 0, 0, zero, zero, "")
	unknownPhasePod                 = rankPod("unknown-phase", "node", core.PodUnknown, false, 0, 0, zero, zero, "")
	runningNotReadyPod              = rankPod("not-ready", "node", core.PodRunning, false, 0, 0, zero, zero, "")
	runningReadyNoLastTransition    = rankPod("ready-no-last-transition-time", "node", core.PodRunning, true, 0, 0, zero, zero, "")
	runningReadyNow                 = rankPod("ready-now", "node", core.PodRunning, true, 0, 0, now, now, "")
	runningReadyThen                = rankPod("ready-then", "node", core.PodRunning, true, 0, 0, then1Month, then1Month, "")
	runningReadyNowHighRestarts     = rankPod("ready-high-restarts", "node", core.PodRunning, true, 9001, 0, now, now, "")
	runningReadyNowHighSideRestarts = rankPod("ready-high-sidecar-restarts", "node", core.PodRunning, true, 0, 9001, now, now, "")
	runningReadyNowCreatedThen      = rankPod("ready-now-created-then", "node", core.PodRunning, true, 0, 0, now, then1Month, "")
	lowPodDeletionCost              = rankPod("low-deletion-cost", "node", core.PodRunning, true, 0, 0, now, then1Month, "10")
	highPodDeletionCost             = rankPod("high-deletion-cost", "node", core.PodRunning, true, 0, 0, now, then1Month, "100")
	unscheduled5Hours               = rankPod("unscheduled-5-hours", "", core.PodPending, false, 0, 0, then5Hours, then5Hours, "")
	unscheduled8Hours               = rankPod("unscheduled-8-hours", "", core.PodPending, false, 0, 0, then8Hours, then8Hours, "")
	ready2Hours                     = rankPod("ready-2-hours", "", core.PodRunning, true, 0, 0, then2Hours, then1Month, "")
	ready5Hours                     = rankPod("ready-5-hours", "", core.PodRunning, true, 0, 0, then5Hours, then1Month, "")
	ready8Hours                     = rankPod("ready-8-hours", "", core.PodRunning, true, 0, 0, then8Hours, then1Month, "")
)

type rankedPod struct {
	pod  *core.Pod
	rank int
}

// TestLessMatchesKubernetes checks the pairs of Kubernetes' own ranking test: lesser must be
// deleted before greater, whichever order they are given in.
func TestLessMatchesKubernetes(t *testing.T) {
	tests := []struct{ lesser, greater rankedPod }{
		{rankedPod{unscheduledPod, 1}, rankedPod{scheduledPendingPod, 2}},
		{rankedPod{unscheduledPod, 2}, rankedPod{scheduledPendingPod, 1}},
		{rankedPod{scheduledPendingPod, 1}, rankedPod{unknownPhasePod, 2}},
		{rankedPod{unknownPhasePod, 1}, rankedPod{runningNotReadyPod, 2}},
		{rankedPod{runningNotReadyPod, 1}, rankedPod{runningReadyNoLastTransition, 1}},
		{rankedPod{runningReadyNoLastTransition, 1}, rankedPod{runningReadyNow, 1}},
		{rankedPod{runningReadyNow, 2}, rankedPod{runningReadyNoLastTransition, 1}},
		{rankedPod{runningReadyNow, 1}, rankedPod{runningReadyThen, 1}},
		{rankedPod{runningReadyNow, 2}, rankedPod{runningReadyThen, 1}},
		{rankedPod{runningReadyNowHighRestarts, 1}, rankedPod{runningReadyNow, 1}},
		{rankedPod{runningReadyNow, 2}, rankedPod{runningReadyNowHighRestarts, 1}},
		{rankedPod{runningReadyNowHighSideRestarts, 1}, rankedPod{runningReadyNow, 1}},
		{rankedPod{runningReadyNowHighRestarts, 1}, rankedPod{runningReadyNowHighSideRestarts, 1}},
		{rankedPod{runningReadyNow, 1}, rankedPod{runningReadyNowCreatedThen, 1}},
		{rankedPod{runningReadyNowCreatedThen, 2}, rankedPod{runningReadyNow, 1}},
		{rankedPod{lowPodDeletionCost, 2}, rankedPod{highPodDeletionCost, 1}},
		{rankedPod{ready2Hours, 1}, rankedPod{ready5Hours, 1}},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprintf("%s(%d)<%s(%d)", tt.lesser.pod.Name, tt.lesser.rank, tt.greater.pod.Name, tt.greater.rank), func(t *testing.T) {
			s := podcontrol.RankedPods{
				Pods:  []*core.Pod{tt.lesser.pod, tt.greater.pod},
				Ranks: []int{tt.lesser.rank, tt.greater.rank},
				Now:   now,
			}
			if !s.Less(0, 1) {
				t.Errorf("%s not deleted before %s", tt.lesser.pod.Name, tt.greater.pod.Name)
			}
			if s.Less(1, 0) {
				t.Errorf("%s deleted before %s", tt.greater.pod.Name, tt.lesser.pod.Name)
			}
		})
	}
}

// TestLessTies checks Kubernetes' equality cases: a pod ties with its copy, and ages in one
// power-of-two bucket tie (pods without UIDs, so the UID tie-break cannot decide).
func TestLessTies(t *testing.T) {
	tests := []struct{ a, b *core.Pod }{
		{unscheduledPod, nil},
		{scheduledPendingPod, nil},
		{unknownPhasePod, nil},
		{runningNotReadyPod, nil},
		{runningReadyNowCreatedThen, nil},
		{runningReadyNow, nil},
		{runningReadyThen, nil},
		{runningReadyNowHighRestarts, nil},
		{unscheduled5Hours, unscheduled8Hours},
		{ready5Hours, ready8Hours},
	}
	for _, tt := range tests {
		b := tt.b
		if b == nil {
			b = tt.a.DeepCopy()
		}
		t.Run(tt.a.Name+"="+b.Name, func(t *testing.T) {
			s := podcontrol.RankedPods{Pods: []*core.Pod{tt.a, b}, Ranks: []int{1, 1}, Now: now}
			if s.Less(0, 1) || s.Less(1, 0) {
				t.Errorf("%s and %s do not tie: Less = %v, %v", tt.a.Name, b.Name, s.Less(0, 1), s.Less(1, 0))
			}
		})
	}
}

func TestLessBucketTieGoesToSmallerUID(t *testing.T) {
	a, b := ready5Hours.DeepCopy(), ready8Hours.DeepCopy()
	a.UID, b.UID = "b-uid", "a-uid"
	s := podcontrol.RankedPods{Pods: []*core.Pod{a, b}, Ranks: []int{0, 0}, Now: now}
	if !s.Less(1, 0) || s.Less(0, 1) {
		t.Fatal("in one age bucket, the smaller UID must go first")
	}
	// Without a reference time, ages compare exactly: the more recently ready goes first.
	s.Now = time.Time{}
	if !s.Less(0, 1) {
		t.Fatal("without Now, the more recently ready pod must go first")
	}
}

func TestSortOrder(t *testing.T) {
	pods := []*core.Pod{
		runningReadyThen, runningReadyNow, highPodDeletionCost, unknownPhasePod, runningNotReadyPod,
		scheduledPendingPod, unscheduledPod, lowPodDeletionCost, runningReadyNowHighRestarts,
	}
	ranks := make([]int, len(pods))
	sort.Sort(podcontrol.RankedPods{Pods: pods, Ranks: ranks, Now: now})
	want := []string{
		"unscheduled", "pending", "unknown-phase", "not-ready",
		"ready-high-restarts", "ready-now", "ready-then", // cost 0, then ready time, then restarts
		"low-deletion-cost", "high-deletion-cost",
	}
	var got []string
	for _, p := range pods {
		got = append(got, p.Name)
	}
	// The three cost-0 ready pods: ready-now and ready-high-restarts are both ready now, and
	// the one with more restarts goes first; ready-then was ready a month ago.
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("order\n got %v\nwant %v", got, want)
	}
}

func TestDeletionCost(t *testing.T) {
	tests := []struct {
		value string
		set   bool
		want  int32
	}{
		{"", false, 0},
		{"10", true, 10},
		{"-5", true, -5},
		{"0", true, 0},
		{"+10", true, 0},
		{"008", true, 0},
		{"abc", true, 0},
		{"2147483648", true, 0},
		{"-2147483648", true, -2147483648},
		{"", true, 0},
	}
	for _, tt := range tests {
		p := &core.Pod{}
		if tt.set {
			p.Annotations = map[string]string{core.PodDeletionCost: tt.value}
		}
		if got := podcontrol.DeletionCost(p); got != tt.want {
			t.Errorf("DeletionCost(%q) = %d, want %d", tt.value, got, tt.want)
		}
	}
}

// TestPodsToDelete follows Kubernetes' TestGetPodsToDelete (pkg/controller/replicaset): ranks
// come from the related pods sharing a node.
func TestPodsToDelete(t *testing.T) {
	mk := func(name, node string, ready bool) *core.Pod {
		return rankPod(name, node, core.PodRunning, ready, 0, 0, then1Month, then1Month, "")
	}
	var (
		pod1 = mk("pod1", "n1", true) // n1 holds 3 related pods
		pod2 = mk("pod2", "n1", true)
		pod3 = mk("pod3", "n2", true) // n2 holds 1
		pod4 = mk("pod4", "n3", true) // n3 holds 2
		pod5 = mk("pod5", "n3", true)
		pod6 = mk("pod6", "n1", true) // related only (another ReplicaSet of the owner)
		pod7 = mk("pod7", "n1", false)
		dead = mk("terminating", "n2", true)
		done = rankPod("succeeded", "n2", core.PodSucceeded, false, 0, 0, zero, then1Month, "")
	)
	dead.DeletionTimestamp = &meta.Time{Time: now}
	tests := []struct {
		name    string
		pods    []*core.Pod
		related []*core.Pod
		n       int
		want    []string
	}{
		{"all of them, unsorted", []*core.Pod{pod3, pod1}, nil, 2, []string{"pod3", "pod1"}},
		{"without related pods, not ready first", []*core.Pod{pod7, pod1}, nil, 1, []string{"pod7"}},
		{"most crowded node first", []*core.Pod{pod3, pod4, pod1}, []*core.Pod{pod1, pod2, pod3, pod4, pod5, pod6}, 1, []string{"pod1"}},
		{"second most crowded next", []*core.Pod{pod3, pod4, pod1}, []*core.Pod{pod1, pod2, pod3, pod4, pod5, pod6}, 2, []string{"pod1", "pod4"}},
		{"terminating related pods do not count", []*core.Pod{pod3, pod4}, []*core.Pod{pod3, pod4, pod5, dead, done}, 1, []string{"pod4"}},
		{"not ready beats crowded", []*core.Pod{pod1, pod7}, []*core.Pod{pod1, pod2, pod6}, 1, []string{"pod7"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := append([]*core.Pod(nil), tt.pods...)
			got := podcontrol.PodsToDelete(tt.pods, tt.related, tt.n, now)
			var names []string
			for _, p := range got {
				names = append(names, p.Name)
			}
			if fmt.Sprint(names) != fmt.Sprint(tt.want) {
				t.Fatalf("PodsToDelete = %v, want %v", names, tt.want)
			}
			for i := range in {
				if in[i] != tt.pods[i] {
					t.Fatal("PodsToDelete reordered its argument")
				}
			}
		})
	}
}

func TestRanksByNode(t *testing.T) {
	a := rankPod("a", "n1", core.PodRunning, true, 0, 0, now, now, "")
	b := rankPod("b", "n1", core.PodRunning, true, 0, 0, now, now, "")
	c := rankPod("c", "", core.PodPending, false, 0, 0, now, now, "")
	done := rankPod("done", "n1", core.PodSucceeded, false, 0, 0, now, now, "")
	if got := podcontrol.RanksByNode([]*core.Pod{a, c}, []*core.Pod{a, b, c, done}); fmt.Sprint(got) != "[2 1]" {
		t.Fatalf("ranks = %v, want [2 1]", got)
	}
}

func ExamplePodsToDelete() {
	pods := []*core.Pod{runningReadyThen, runningNotReadyPod, unscheduledPod, runningReadyNow}
	for _, p := range podcontrol.PodsToDelete(pods, pods, 3, now) {
		fmt.Println(p.Name)
	}
	// Output:
	// unscheduled
	// not-ready
	// ready-now
}

// TestPodsToDeleteTakesTheLeast mixes the pods of Kubernetes' ranking test on a few nodes,
// with distinct UIDs and times, and checks that PodsToDelete picks n pods no other pod ranks before:
// for every victim v and every pod w left alive, Less(w, v) is false.
func TestPodsToDeleteTakesTheLeast(t *testing.T) {
	fixtures := []*core.Pod{
		unscheduledPod, scheduledPendingPod, unknownPhasePod, runningNotReadyPod, runningReadyNoLastTransition,
		runningReadyNow, runningReadyThen, runningReadyNowHighRestarts, runningReadyNowHighSideRestarts,
		runningReadyNowCreatedThen, lowPodDeletionCost, highPodDeletionCost, unscheduled5Hours, unscheduled8Hours,
		ready2Hours, ready5Hours, ready8Hours,
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 50 {
		var pods []*core.Pod
		count := 20 + rng.IntN(60)
		uids := rng.Perm(count)
		for i := range count {
			p := fixtures[rng.IntN(len(fixtures))].DeepCopy()
			p.Name, p.UID = fmt.Sprintf("p%d", i), meta.UID(fmt.Sprintf("uid-%03d", uids[i]))
			if p.Spec.NodeName != "" {
				p.Spec.NodeName = fmt.Sprintf("n%d", rng.IntN(4))
			}
			// Distinct times: two copies of a fixture with equal times tie outright, while
			// either may lose to a third pod of the same age bucket by UID — the order is
			// then not transitive (in Kubernetes too), and "the n least" is not defined.
			shift := func(t *meta.Time) {
				if !t.IsZero() {
					t.Time = t.Add(-time.Duration(i) * time.Microsecond)
				}
			}
			shift(&p.CreationTimestamp)
			for k := range p.Status.Conditions {
				shift(&p.Status.Conditions[k].LastTransitionTime)
			}
			pods = append(pods, p)
		}
		n := 1 + rng.IntN(len(pods)-1)
		victims := podcontrol.PodsToDelete(pods, pods, n, now)
		if len(victims) != n {
			t.Fatalf("round %d: %d victims, want %d", round, len(victims), n)
		}
		all := podcontrol.RankedPods{Pods: pods, Ranks: podcontrol.RanksByNode(pods, pods), Now: now}
		index := map[*core.Pod]int{}
		for i, p := range pods {
			index[p] = i
		}
		chosen := map[*core.Pod]bool{}
		for _, v := range victims {
			chosen[v] = true
		}
		for _, v := range victims {
			for _, w := range pods {
				if !chosen[w] && all.Less(index[w], index[v]) {
					t.Fatalf("round %d: %s (kept) ranks before %s (deleted)", round, w.Name, v.Name)
				}
			}
		}
	}
}

// BenchmarkPodsToDelete picks 500 victims among 10,000 running, ready pods on 100 nodes: one
// scale-down sync of a large ReplicaSet.
func BenchmarkPodsToDelete(b *testing.B) {
	pods := make([]*core.Pod, 10000)
	for i := range pods {
		ready := now.Add(-time.Duration(i) * time.Second)
		pods[i] = rankPod(fmt.Sprintf("p%d", i), fmt.Sprintf("n%d", i%100), core.PodRunning, true, int32(i%3), 0, ready, ready, "")
		pods[i].UID = meta.UID(fmt.Sprintf("uid-%05d", i))
	}
	for b.Loop() {
		podcontrol.PodsToDelete(pods, pods, 500, now)
	}
}
