package printers_test

import (
	"fmt"
	"os"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/cmd/skiff/internal/printers"
	"github.com/skiff-dev/skiff/scheme"
)

func ExampleHumanDuration() {
	for _, d := range []time.Duration{45 * time.Second, 3*time.Minute + 2*time.Second, 5 * time.Hour, 50 * time.Hour} {
		fmt.Println(printers.HumanDuration(d))
	}
	// Output:
	// 45s
	// 3m2s
	// 5h
	// 2d2h
}

func ExampleWriter() {
	now := time.Date(2025, 1, 1, 12, 0, 0, 0, time.UTC)
	pod := &core.Pod{
		ObjectMeta: meta.ObjectMeta{Name: "web-0", CreationTimestamp: meta.NewTime(now.Add(-90 * time.Second))},
		Spec:       core.PodSpec{Containers: []core.Container{{Name: "app"}}},
		Status: core.PodStatus{Phase: core.PodPending, ContainerStatuses: []core.ContainerStatus{{Name: "app",
			State: core.ContainerState{Waiting: &core.ContainerStateWaiting{Reason: "ContainerCreating"}}}}},
	}
	w := printers.NewWriter(os.Stdout, printers.ForKind(scheme.PodGVK), printers.Options{})
	w.Write(pod, now)
	_ = w.Flush()
	// Output:
	// NAME    READY   STATUS              RESTARTS   AGE
	// web-0   0/1     ContainerCreating   0          90s
}
