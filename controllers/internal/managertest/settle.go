package managertest

import (
	"context"
	"testing"
	"time"

	"github.com/skiff-dev/skiff/client"
	"github.com/skiff-dev/skiff/scheme"
	"github.com/skiff-dev/skiff/store"
)

// Bounds of Settle.
const (
	// SettleQuiet is how long, in real time, the store must go without a write.
	SettleQuiet = 25 * time.Millisecond
	// SettleWithin is how long, in real time, Settle waits for that before it fails the test.
	SettleWithin = 10 * time.Second
)

// Revision returns the store's current revision, as c sees it.
func Revision(t testing.TB, c client.Client) uint64 {
	t.Helper()
	res, err := c.List(context.Background(), scheme.NamespaceGVK, store.ListOptions{Limit: 1})
	if err != nil {
		t.Fatalf("managertest: reading the store's revision: %v", err)
	}
	return res.ResourceVersion
}

// Settle waits, in real time, until nothing has been written through c's store for
// SettleQuiet: the controllers have reacted to the last move of the fake clock. It is the
// bounded polling that real concurrency demands, and fails the test after SettleWithin.
// Work that waits on the fake clock does not count as activity: Settle never moves it.
func Settle(t testing.TB, c client.Client) {
	t.Helper()
	deadline := time.Now().Add(SettleWithin)
	rev, since := Revision(t, c), time.Now()
	tick := time.NewTicker(time.Millisecond)
	defer tick.Stop()
	for time.Now().Before(deadline) {
		<-tick.C
		if r := Revision(t, c); r != rev {
			rev, since = r, time.Now()
			continue
		}
		if time.Since(since) >= SettleQuiet {
			return
		}
	}
	t.Fatalf("managertest: the store did not settle (go %v without a write) within %v", SettleQuiet, SettleWithin)
}
