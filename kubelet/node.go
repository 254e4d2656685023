package kubelet

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/bits"
	"net/netip"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/skiff-dev/skiff/api/coordination"
	"github.com/skiff-dev/skiff/api/core"
	"github.com/skiff-dev/skiff/api/meta"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Version strings a simulated node reports in status.nodeInfo.
const (
	KubeletVersion = "v1.35.0-skiff"
	runtimeVersion = "sim://1.0"
)

// Addresses. Node i (in the order of AddNode) has the InternalIP 172.16.0.0 + i + 1 and the
// pod CIDR 10.128.0.0/9's i-th /24; its pods get .2 to .254 of it (.1 is the gateway).
var (
	nodeIPBase   = netip.MustParseAddr("172.16.0.0")
	podCIDRBase  = netip.MustParseAddr("10.128.0.0")
	maxNodeIndex = 1 << 15 // the /24s of a /9
)

// errNoPodIP is the sandbox error of a pod that finds every address of its node taken.
var errNoPodIP = errors.New("no free pod IP in the node's pod CIDR")

// nodeAgent is one simulated node: its identity, its address pool, and the state of its
// heartbeats.
type nodeAgent struct {
	cfg     NodeConfig // validated, with defaults; read-only
	ip      string     // InternalIP, also every pod's hostIP
	podCIDR string
	cidr    [3]byte // the first three octets of podCIDR

	silent atomic.Bool // StopHeartbeats: nothing is written for the node or its pods
	gone   atomic.Bool // the Node object was deleted after registration: heartbeats stop

	// written is the node as returned by the last write, until the informer's copy is at
	// least as new.
	written atomic.Pointer[core.Node]

	// Owned by the worker syncing the node.
	reportedAt time.Time           // last node status write
	lease      *coordination.Lease // last written or read

	registered atomic.Bool // the Node object was created or found

	// mu guards ips.
	mu  sync.Mutex
	ips [4]uint64 // bit k: host number k of podCIDR is taken (0, 1 and 255 are reserved)
}

func newNodeAgent(cfg NodeConfig, index int) *nodeAgent {
	ip := nodeIPBase.As4()
	binary.BigEndian.PutUint32(ip[:], binary.BigEndian.Uint32(ip[:])+uint32(index)+1)
	cidr := podCIDRBase.As4()
	binary.BigEndian.PutUint32(cidr[:], binary.BigEndian.Uint32(cidr[:])+uint32(index)<<8)
	a := &nodeAgent{
		cfg:     cfg,
		ip:      netip.AddrFrom4(ip).String(),
		podCIDR: netip.PrefixFrom(netip.AddrFrom4(cidr), 24).String(),
		cidr:    [3]byte{cidr[0], cidr[1], cidr[2]},
	}
	a.ips[0] = 0b11    // network address and gateway
	a.ips[3] = 1 << 63 // broadcast
	return a
}

// allocateIP takes the lowest free pod address of the node.
func (a *nodeAgent) allocateIP() (string, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	for w := range a.ips {
		if free := ^a.ips[w]; free != 0 {
			b := bits.TrailingZeros64(free)
			a.ips[w] |= 1 << b
			return netip.AddrFrom4([4]byte{a.cidr[0], a.cidr[1], a.cidr[2], byte(w*64 + b)}).String(), nil
		}
	}
	return "", errNoPodIP
}

// releaseIP gives back an address of allocateIP; others are ignored.
func (a *nodeAgent) releaseIP(ip string) {
	addr, err := netip.ParseAddr(ip)
	if err != nil || !addr.Is4() {
		return
	}
	b := addr.As4()
	if [3]byte{b[0], b[1], b[2]} != a.cidr || b[3] <= 1 || b[3] == 255 {
		return
	}
	a.mu.Lock()
	a.ips[b[3]/64] &^= 1 << (b[3] % 64)
	a.mu.Unlock()
}

// syncNode registers the node, keeps its status true and renews its Lease, and returns when
// to do so again.
func (h *Host) syncNode(ctx context.Context, name string) (time.Time, error) {
	a := h.agent(name)
	if a == nil || a.silent.Load() || a.gone.Load() {
		return time.Time{}, nil
	}
	now := h.clock.Now()
	w := &wake{now: now}
	if err := h.syncNodeObject(ctx, a, now, w); err != nil {
		return w.at, err
	}
	if err := h.renewLease(ctx, a, now, w); err != nil {
		return w.at, err
	}
	return w.at, nil
}

// newestNode returns the newer of the cached node and the last one written, nil if neither.
func (a *nodeAgent) newestNode(cached *core.Node) *core.Node {
	w := a.written.Load()
	switch {
	case w == nil:
		return cached
	case cached != nil && rv(cached) >= rv(w):
		a.written.CompareAndSwap(w, nil)
		return cached
	}
	return w
}

// syncNodeObject creates the Node if it does not exist, and otherwise writes its status
// when it differs from what the node reports or when the last report is older than
// NodeStatusReportInterval.
func (h *Host) syncNodeObject(ctx context.Context, a *nodeAgent, now time.Time, w *wake) error {
	name := a.cfg.Name
	cached, err := h.nodeLister.Get(name)
	if err != nil && !store.IsNotFound(err) {
		return err
	}
	cur := a.newestNode(cached)
	if cur == nil {
		created, err := h.nodes.Create(ctx, h.newNode(a, now))
		if store.IsAlreadyExists(err) {
			created, err = h.nodes.Get(ctx, "", name)
		} else if err == nil {
			a.reportedAt = now
		}
		if err != nil {
			return err
		}
		a.written.Store(created)
		cur = created
	}
	a.registered.Store(true)
	st := cur.Status.DeepCopy()
	h.setNodeStatus(a, st, now)
	due := a.reportedAt.Add(h.opts.NodeStatusReportInterval)
	if nodeStatusEqual(st, &cur.Status) && now.Before(due) {
		w.add(due)
		return nil
	}
	for i := range st.Conditions {
		st.Conditions[i].LastHeartbeatTime = meta.NewTime(now)
	}
	obj := *cur
	obj.Status = *st
	out, err := h.nodes.UpdateStatus(ctx, &obj)
	if err != nil {
		return err
	}
	a.written.Store(out)
	a.reportedAt = now
	w.add(now.Add(h.opts.NodeStatusReportInterval))
	return nil
}

// newNode is the Node a node agent registers.
func (h *Host) newNode(a *nodeAgent, now time.Time) *core.Node {
	n := &core.Node{
		ObjectMeta: meta.ObjectMeta{Name: a.cfg.Name, Labels: map[string]string{
			core.LabelHostname:   a.cfg.Name,
			core.LabelOSStable:   "linux",
			core.LabelArchStable: "amd64",
		}},
		Spec: core.NodeSpec{PodCIDR: a.podCIDR, PodCIDRs: []string{a.podCIDR}, Taints: a.cfg.Taints},
	}
	for k, v := range a.cfg.Labels {
		n.Labels[k] = v
	}
	h.setNodeStatus(a, &n.Status, now)
	for i := range n.Status.Conditions {
		n.Status.Conditions[i].LastHeartbeatTime = meta.NewTime(now)
	}
	return n
}

// nodeConditions are the conditions a healthy simulated node reports.
var nodeConditions = []core.NodeCondition{
	{Type: core.NodeMemoryPressure, Status: core.ConditionFalse, Reason: "KubeletHasSufficientMemory", Message: "kubelet has sufficient memory available"},
	{Type: core.NodeDiskPressure, Status: core.ConditionFalse, Reason: "KubeletHasNoDiskPressure", Message: "kubelet has no disk pressure"},
	{Type: core.NodePIDPressure, Status: core.ConditionFalse, Reason: "KubeletHasSufficientPID", Message: "kubelet has sufficient PID available"},
	{Type: core.NodeReady, Status: core.ConditionTrue, Reason: "KubeletReady", Message: "kubelet is posting ready status"},
}

// setNodeStatus sets the fields of st the kubelet owns, keeping the others and the
// heartbeat times of unchanged conditions.
func (h *Host) setNodeStatus(a *nodeAgent, st *core.NodeStatus, now time.Time) {
	st.Capacity = cloneResources(a.cfg.Capacity)
	st.Allocatable = cloneResources(a.cfg.Capacity)
	st.Phase = ""
	st.Addresses = []core.NodeAddress{{Type: core.NodeInternalIP, Address: a.ip}, {Type: core.NodeHostName, Address: a.cfg.Name}}
	st.DaemonEndpoints = core.NodeDaemonEndpoints{KubeletEndpoint: core.DaemonEndpoint{Port: 10250}}
	id := sha256.Sum256([]byte(a.cfg.Name))
	hexID := hex.EncodeToString(id[:16])
	st.NodeInfo = core.NodeSystemInfo{
		MachineID: hexID, SystemUUID: hexID, BootID: hexID,
		KernelVersion: "6.8.0-skiff", OSImage: "skiff simulated node",
		ContainerRuntimeVersion: runtimeVersion, KubeletVersion: KubeletVersion, KubeProxyVersion: KubeletVersion,
		OperatingSystem: "linux", Architecture: "amd64",
	}
	for _, want := range nodeConditions {
		c := core.GetNodeCondition(st, want.Type)
		if c == nil {
			want.LastTransitionTime = meta.NewTime(now)
			want.LastHeartbeatTime = meta.NewTime(now)
			st.Conditions = append(st.Conditions, want)
			continue
		}
		if c.Status != want.Status {
			c.LastTransitionTime = meta.NewTime(now)
		}
		c.Status, c.Reason, c.Message = want.Status, want.Reason, want.Message
	}
}

func cloneResources(rl core.ResourceList) core.ResourceList {
	out := make(core.ResourceList, len(rl))
	for k, v := range rl {
		out[k] = v.DeepCopy()
	}
	return out
}

// nodeStatusEqual compares node statuses, quantities by value.
func nodeStatusEqual(a, b *core.NodeStatus) bool {
	if !resourcesEqual(a.Capacity, b.Capacity) || !resourcesEqual(a.Allocatable, b.Allocatable) {
		return false
	}
	x, y := *a, *b
	x.Capacity, x.Allocatable, y.Capacity, y.Allocatable = nil, nil, nil, nil
	return reflect.DeepEqual(x, y)
}

func resourcesEqual(a, b core.ResourceList) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || v.Cmp(w) != 0 {
			return false
		}
	}
	return true
}

// renewLease creates the node's Lease, or renews it once LeaseRenewInterval has passed since
// the last renewal.
func (h *Host) renewLease(ctx context.Context, a *nodeAgent, now time.Time, w *wake) error {
	name := a.cfg.Name
	if a.lease == nil {
		l, err := h.leases.Get(ctx, NodeLeaseNamespace, name)
		switch {
		case store.IsNotFound(err):
			return h.createLease(ctx, a, now, w)
		case err != nil:
			return err
		}
		a.lease = l
	}
	if rt := a.lease.Spec.RenewTime; rt != nil && a.lease.Spec.HolderIdentity != nil && *a.lease.Spec.HolderIdentity == name {
		if due := rt.Add(h.opts.LeaseRenewInterval); now.Before(due) {
			w.add(due)
			return nil
		}
	}
	l := a.lease.DeepCopy()
	h.setLeaseSpec(a, l, now)
	out, err := h.leases.Update(ctx, l)
	if err != nil {
		a.lease = nil // read it again on the retry
		return err
	}
	a.lease = out
	w.add(now.Add(h.opts.LeaseRenewInterval))
	return nil
}

func (h *Host) createLease(ctx context.Context, a *nodeAgent, now time.Time, w *wake) error {
	if err := h.ensureLeaseNamespace(ctx); err != nil {
		return err
	}
	l := &coordination.Lease{ObjectMeta: meta.ObjectMeta{Namespace: NodeLeaseNamespace, Name: a.cfg.Name}}
	cached, _ := h.nodeLister.Get(a.cfg.Name)
	if n := a.newestNode(cached); n != nil {
		l.OwnerReferences = []meta.OwnerReference{{
			APIVersion: core.APIVersion, Kind: scheme.NodeGVK.Kind, Name: n.Name, UID: n.UID,
		}}
	}
	h.setLeaseSpec(a, l, now)
	out, err := h.leases.Create(ctx, l)
	if err != nil {
		return err
	}
	a.lease = out
	w.add(now.Add(h.opts.LeaseRenewInterval))
	return nil
}

func (h *Host) setLeaseSpec(a *nodeAgent, l *coordination.Lease, now time.Time) {
	holder := a.cfg.Name
	secs := int32(h.opts.LeaseDuration / time.Second)
	rt := meta.NewMicroTime(now)
	l.Spec.HolderIdentity = &holder
	l.Spec.LeaseDurationSeconds = &secs
	l.Spec.RenewTime = &rt
}

// ensureLeaseNamespace creates NodeLeaseNamespace the first time a Lease is created.
func (h *Host) ensureLeaseNamespace(ctx context.Context) error {
	if h.leaseNamespace.Load() {
		return nil
	}
	_, err := h.namespaces.Create(ctx, &core.Namespace{ObjectMeta: meta.ObjectMeta{Name: NodeLeaseNamespace}})
	if err != nil && !store.IsAlreadyExists(err) {
		return fmt.Errorf("creating namespace %s: %w", NodeLeaseNamespace, err)
	}
	h.leaseNamespace.Store(true)
	return nil
}
