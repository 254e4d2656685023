package job

import (
	"testing"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
)

var t0 = time.Date(2025, time.January, 1, 0, 0, 0, 0, time.UTC)

// finishedAt returns a pod whose only container terminated at t0+sec.
func finishedAt(sec int) *core.Pod {
	return &core.Pod{Status: core.PodStatus{ContainerStatuses: []core.ContainerStatus{{
		Name:  "main",
		State: core.ContainerState{Terminated: &core.ContainerStateTerminated{FinishedAt: meta.NewTime(t0.Add(time.Duration(sec) * time.Second))}},
	}}}}
}

func TestBackoffDelay(t *testing.T) {
	for _, tc := range []struct {
		failures int32
		want     time.Duration
	}{
		{0, 0},
		{1, 10 * time.Second},
		{2, 20 * time.Second},
		{3, 40 * time.Second},
		{6, 320 * time.Second},
		{7, 10 * time.Minute}, // 640 s is over the cap
		{100, 10 * time.Minute},
	} {
		if got := backoffDelay(DefaultPodFailureBackOff, DefaultMaxPodFailureBackOff, tc.failures); got != tc.want {
			t.Errorf("backoffDelay(%d) = %v, want %v", tc.failures, got, tc.want)
		}
	}
	if got := backoffDelay(10*time.Second, 6*time.Minute, 7); got != 6*time.Minute {
		t.Errorf("with a 6 min cap: %v", got)
	}
}

func TestRemainingBackoff(t *testing.T) {
	last := t0
	for _, tc := range []struct {
		now      time.Duration // after the last failure
		failures int32
		want     time.Duration
	}{
		{0, 0, 0},
		{0, 1, 10 * time.Second},
		{4 * time.Second, 1, 6 * time.Second},
		{10 * time.Second, 1, 0},
		{11 * time.Second, 1, 0},
		{5 * time.Second, 2, 15 * time.Second},
	} {
		got := remainingBackoff(last.Add(tc.now), DefaultPodFailureBackOff, DefaultMaxPodFailureBackOff, tc.failures, last)
		if got != tc.want {
			t.Errorf("remaining at +%v after %d failures = %v, want %v", tc.now, tc.failures, got, tc.want)
		}
	}
}

func TestNextBackoffRecord(t *testing.T) {
	at := func(sec int) time.Time { return t0.Add(time.Duration(sec) * time.Second) }
	prev := backoffRecord{failuresAfterLastSuccess: 2, lastFailureTime: at(5)}
	for _, tc := range []struct {
		name              string
		prev              backoffRecord
		succeeded, failed []*core.Pod
		want              backoffRecord
	}{
		{"nothing new", prev, nil, nil, prev},
		{"new failures add up", prev, nil, []*core.Pod{finishedAt(9), finishedAt(7)}, backoffRecord{4, at(9)}},
		{"a success resets", prev, []*core.Pod{finishedAt(8)}, nil, backoffRecord{}},
		{"failures after the last success count", prev,
			[]*core.Pod{finishedAt(8), finishedAt(10)},
			[]*core.Pod{finishedAt(9), finishedAt(11), finishedAt(12)},
			backoffRecord{2, at(12)}},
		{"failures before the last success do not", prev,
			[]*core.Pod{finishedAt(20)}, []*core.Pod{finishedAt(9), finishedAt(11)}, backoffRecord{}},
	} {
		if got := nextBackoffRecord(tc.prev, tc.succeeded, tc.failed); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestFinishedTime(t *testing.T) {
	created := meta.NewTime(t0.Add(-time.Hour))
	for _, tc := range []struct {
		name string
		pod  *core.Pod
		want time.Time
	}{
		{"latest container finish", func() *core.Pod {
			p := finishedAt(3)
			p.Status.ContainerStatuses = append(p.Status.ContainerStatuses, finishedAt(7).Status.ContainerStatuses...)
			return p
		}(), t0.Add(7 * time.Second)},
		{"Ready=False when a container has not terminated", &core.Pod{
			ObjectMeta: meta.ObjectMeta{CreationTimestamp: created},
			Status: core.PodStatus{
				ContainerStatuses: []core.ContainerStatus{{Name: "main", State: core.ContainerState{Running: &core.ContainerStateRunning{}}}},
				Conditions:        []core.PodCondition{{Type: core.PodReady, Status: core.ConditionFalse, LastTransitionTime: meta.NewTime(t0.Add(4 * time.Second))}},
			},
		}, t0.Add(4 * time.Second)},
		{"deletion minus grace", &core.Pod{ObjectMeta: meta.ObjectMeta{
			CreationTimestamp:          created,
			DeletionTimestamp:          new(meta.NewTime(t0.Add(30 * time.Second))),
			DeletionGracePeriodSeconds: new(int64(30)),
		}}, t0},
		{"creation as a last resort", &core.Pod{ObjectMeta: meta.ObjectMeta{CreationTimestamp: created}}, created.Time},
	} {
		if got := finishedTime(tc.pod); !got.Equal(tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestBackoffStore(t *testing.T) {
	s := newBackoffStore()
	key := reqOf("default", "j")
	if got := s.next(key, nil, []*core.Pod{finishedAt(1)}); got.failuresAfterLastSuccess != 1 {
		t.Fatalf("next = %+v", got)
	}
	if got := s.next(key, nil, nil); got != (backoffRecord{}) {
		t.Fatalf("next stored something: %+v", got)
	}
	s.update(key, backoffRecord{failuresAfterLastSuccess: 3, lastFailureTime: t0})
	if got := s.next(key, nil, nil); got.failuresAfterLastSuccess != 3 {
		t.Fatalf("after update: %+v", got)
	}
	s.remove(key)
	if got := s.next(key, nil, nil); got != (backoffRecord{}) {
		t.Fatalf("after remove: %+v", got)
	}
}
