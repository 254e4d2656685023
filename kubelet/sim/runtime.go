package sim

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/clock"
	"github.com/skiff-dev/skiff/kubelet"
)

// Defaults for the zero fields of Options.
const (
	// DefaultStartupDelay is how long a container is ContainerCreating on its first start.
	DefaultStartupDelay = time.Second
	// DefaultBatchRunTime is how long containers of batch pods run before exiting 0.
	DefaultBatchRunTime = 5 * time.Second
)

// Options configure a Runtime. The zero value of every field means its default.
type Options struct {
	// Clock is the time containers start, exit and answer probes by. Default clock.Real{}.
	// It must be the kubelet Host's clock.
	Clock clock.Clock
	// StartupDelay is how long the first start of a container takes (image pull and
	// creation); AnnotationStartup overrides it per pod. Default DefaultStartupDelay; a
	// negative value means none.
	StartupDelay time.Duration
	// ReadyDelay is how long a container runs before its application is ready;
	// AnnotationReadyAfter overrides it per pod. Default 0.
	ReadyDelay time.Duration
	// BatchRunTime is how long containers of pods with restartPolicy Never or OnFailure run
	// before exiting with code 0, unless AnnotationRunFor says otherwise. Default
	// DefaultBatchRunTime; a negative value means they exit at once.
	BatchRunTime time.Duration
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Clock == nil {
		o.Clock = clock.Real{}
	}
	switch {
	case o.StartupDelay == 0:
		o.StartupDelay = DefaultStartupDelay
	case o.StartupDelay < 0:
		o.StartupDelay = 0
	}
	o.ReadyDelay = max(o.ReadyDelay, 0)
	switch {
	case o.BatchRunTime == 0:
		o.BatchRunTime = DefaultBatchRunTime
	case o.BatchRunTime < 0:
		o.BatchRunTime = 0
	}
	return o
}

// numShards spreads pods over independently locked maps, so that the kubelet's workers
// rarely wait for one another.
const numShards = 64

// Runtime is the simulated container runtime: a kubelet.Runtime whose containers are
// records in memory. A container's life is computed from times on the clock (when it
// starts running, when it becomes ready, when it exits), so a Runtime runs no goroutine and
// costs nothing while time passes; its status reports NextChange so that the kubelet looks
// again at the right moment. See the package documentation for what containers do.
//
// A Runtime is safe for concurrent use; one serves every node of a kubelet.Host.
type Runtime struct {
	opts   Options
	clock  clock.Clock
	seq    atomic.Uint64 // container IDs
	shards [numShards]shard
	images sync.Map // image name → image ref (string)
}

var _ kubelet.Runtime = (*Runtime)(nil)

// shard holds some of the pods.
type shard struct {
	// mu guards pods and every simPod in it.
	mu   sync.Mutex
	pods map[meta.UID]*simPod
}

// simPod is a pod's sandbox and containers.
type simPod struct {
	ip         string
	containers []*simContainer // latest instance of each container that started, in start order
}

// simContainer is one instance of a container; its state at time t follows from its times.
type simContainer struct {
	name     string
	id       string
	imageRef string
	attempt  int32
	runAt    time.Time // the process runs from then
	exitAt   time.Time // zero: runs until stopped
	exitCode int32
	b        behaviour
}

// New returns an empty Runtime.
func New(opts Options) *Runtime {
	opts = opts.withDefaults()
	r := &Runtime{opts: opts, clock: opts.Clock}
	for i := range r.shards {
		r.shards[i].pods = map[meta.UID]*simPod{}
	}
	return r
}

func (r *Runtime) shard(uid meta.UID) *shard {
	var h uint32 = 2166136261 // FNV-1a
	for i := 0; i < len(uid); i++ {
		h = (h ^ uint32(uid[i])) * 16777619
	}
	return &r.shards[h%numShards]
}

// errNoSandbox is returned for a container operation on a pod without a sandbox.
var errNoSandbox = errors.New("sim: the pod has no sandbox")

// RunPodSandbox records the pod's sandbox and address.
func (r *Runtime) RunPodSandbox(pod *core.Pod, ip string) error {
	s := r.shard(pod.UID)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.pods[pod.UID]; !ok {
		s.pods[pod.UID] = &simPod{ip: ip}
	}
	return nil
}

// StartContainer starts a new instance of c as the pod's annotations say. Images ending in
// ":doesnotexist" fail to pull.
func (r *Runtime) StartContainer(pod *core.Pod, c *core.Container) error {
	if strings.HasSuffix(c.Image, ImageDoesNotExistSuffix) {
		return fmt.Errorf("%w: failed to pull and unpack image %q: failed to resolve reference %q: %q: not found",
			kubelet.ErrImagePull, c.Image, c.Image, c.Image)
	}
	init, sidecar := false, false
	for i := range pod.Spec.InitContainers {
		if pod.Spec.InitContainers[i].Name == c.Name {
			init, sidecar = true, core.IsRestartableInitContainer(&pod.Spec.InitContainers[i])
		}
	}
	b, err := r.behaviourOf(pod, init && !sidecar, sidecar)
	if err != nil {
		return err
	}
	ref := r.imageRef(c.Image)
	now := r.clock.Now()
	s := r.shard(pod.UID)
	s.mu.Lock()
	defer s.mu.Unlock()
	p := s.pods[pod.UID]
	if p == nil {
		return errNoSandbox
	}
	nc := &simContainer{name: c.Name, imageRef: ref, runAt: now.Add(b.startup), b: b}
	k := p.find(c.Name)
	if k >= 0 {
		prev := p.containers[k]
		if !prev.exitedAt(now) {
			return fmt.Errorf("sim: container %s is still running", c.Name)
		}
		nc.attempt, nc.runAt = prev.attempt+1, now // restarts find the image pulled
		p.containers[k] = nc
	} else {
		p.containers = append(p.containers, nc)
	}
	nc.id = fmt.Sprintf("sim://%016x", r.seq.Add(1))
	if b.runFor >= 0 {
		nc.exitAt, nc.exitCode = nc.runAt.Add(b.runFor), b.exitCode
	}
	return nil
}

// StopContainer sends the stop signal: the process exits at once with code 143, or, if the
// pod's containers ignore SIGTERM, is killed with code 137 once timeout has passed. A
// container that has not started running yet is killed at once.
func (r *Runtime) StopContainer(pod *core.Pod, name string, timeout time.Duration) error {
	now := r.clock.Now()
	s := r.shard(pod.UID)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.container(pod.UID, name)
	if c == nil {
		return fmt.Errorf("sim: no container %s in pod %s", name, meta.Key(pod))
	}
	if c.exitedAt(now) {
		return nil
	}
	at, code := now, int32(exitSIGTERM)
	switch {
	case now.Before(c.runAt) || timeout <= 0:
		code = exitSIGKILL
	case c.b.ignoreSIGTERM:
		at, code = now.Add(timeout), exitSIGKILL
	}
	if c.exitAt.IsZero() || at.Before(c.exitAt) {
		c.exitAt, c.exitCode = at, code
	}
	return nil
}

// ContainerStatus computes the latest instance's status at the current time.
func (r *Runtime) ContainerStatus(pod *core.Pod, name string) (kubelet.ContainerStatus, bool) {
	now := r.clock.Now()
	s := r.shard(pod.UID)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.container(pod.UID, name)
	if c == nil {
		return kubelet.ContainerStatus{}, false
	}
	return c.status(now), true
}

// RunHook runs a lifecycle handler: a sleep action lasts its seconds, other handlers
// finish at once.
func (r *Runtime) RunHook(_ *core.Pod, _ string, h *core.LifecycleHandler) (time.Time, error) {
	now := r.clock.Now()
	if h != nil && h.Sleep != nil && h.Sleep.Seconds > 0 {
		return now.Add(time.Duration(h.Sleep.Seconds) * time.Second), nil
	}
	return now, nil
}

// Probe succeeds while the container runs and is healthy (AnnotationUnhealthyAfter); a
// readiness probe also needs the container to have run for its ready delay.
func (r *Runtime) Probe(pod *core.Pod, name string, kind kubelet.ProbeKind, _ *core.Probe) bool {
	now := r.clock.Now()
	s := r.shard(pod.UID)
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.container(pod.UID, name)
	if c == nil || now.Before(c.runAt) || c.exitedAt(now) {
		return false
	}
	ran := now.Sub(c.runAt)
	if c.b.unhealthyAfter >= 0 && ran >= c.b.unhealthyAfter {
		return false
	}
	return kind != kubelet.ProbeReadiness || ran >= c.b.readyAfter
}

// RemovePod forgets the pod and its containers.
func (r *Runtime) RemovePod(uid meta.UID) {
	s := r.shard(uid)
	s.mu.Lock()
	delete(s.pods, uid)
	s.mu.Unlock()
}

// Pods returns the number of pods the runtime holds: those with a sandbox that the kubelet
// has not removed.
func (r *Runtime) Pods() int {
	n := 0
	for i := range r.shards {
		s := &r.shards[i]
		s.mu.Lock()
		n += len(s.pods)
		s.mu.Unlock()
	}
	return n
}

// imageRef returns the resolved reference of an image: its name with a digest made from
// the name, as a registry would report it.
func (r *Runtime) imageRef(image string) string {
	if v, ok := r.images.Load(image); ok {
		return v.(string)
	}
	sum := sha256.Sum256([]byte(image))
	name, _, _ := strings.Cut(image, "@")
	if i := strings.LastIndexByte(name, ':'); i > strings.LastIndexByte(name, '/') {
		name = name[:i]
	}
	ref := name + "@sha256:" + hex.EncodeToString(sum[:])
	r.images.Store(image, ref)
	return ref
}

// container returns the latest instance of the named container, or nil. The caller holds
// s.mu.
func (s *shard) container(uid meta.UID, name string) *simContainer {
	p := s.pods[uid]
	if p == nil {
		return nil
	}
	if k := p.find(name); k >= 0 {
		return p.containers[k]
	}
	return nil
}

func (p *simPod) find(name string) int {
	for k, c := range p.containers {
		if c.name == name {
			return k
		}
	}
	return -1
}

func (c *simContainer) exitedAt(now time.Time) bool {
	return !c.exitAt.IsZero() && !now.Before(c.exitAt)
}

// status is the instance's status at now.
func (c *simContainer) status(now time.Time) kubelet.ContainerStatus {
	s := kubelet.ContainerStatus{ID: c.id, Attempt: c.attempt, ImageRef: c.imageRef}
	switch {
	case c.exitedAt(now):
		s.State, s.FinishedAt, s.ExitCode = kubelet.ContainerExited, c.exitAt, c.exitCode
		if !c.exitAt.Before(c.runAt) {
			s.StartedAt = c.runAt
		}
		s.Reason = core.ContainerReasonCompleted
		if c.exitCode != 0 {
			s.Reason = core.ContainerReasonError
		}
	case now.Before(c.runAt):
		s.State, s.ImageRef, s.NextChange = kubelet.ContainerCreated, "", c.runAt
	default:
		s.State, s.StartedAt = kubelet.ContainerRunning, c.runAt
		s.NextChange = c.exitAt
		if c.b.readyAfter > 0 {
			s.ReadyAt = c.runAt.Add(c.b.readyAfter)
			if s.ReadyAt.After(now) && (s.NextChange.IsZero() || s.ReadyAt.Before(s.NextChange)) {
				s.NextChange = s.ReadyAt
			}
		}
	}
	return s
}
