package clock

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The real clock is a thin wrapper over the time package; these tests check the wiring only,
// with durations short enough that they wait on channels, never sleep.
func TestReal(t *testing.T) {
	var c Clock = Real{}
	t.Run("Now and Since", func(t *testing.T) {
		start := c.Now()
		if d := c.Since(start); d < 0 {
			t.Errorf("Since(Now()) = %v, want >= 0", d)
		}
	})
	t.Run("After", func(t *testing.T) {
		<-c.After(time.Millisecond)
	})
	t.Run("NewTimer fires, Stop reports it", func(t *testing.T) {
		tm := c.NewTimer(time.Millisecond)
		<-tm.C()
		if tm.Stop() {
			t.Error("Stop() of a fired timer = true")
		}
		if tm.Reset(time.Hour) {
			t.Error("Reset() of a fired timer = true")
		}
		if !tm.Stop() {
			t.Error("Stop() of a reset timer = false")
		}
	})
	t.Run("AfterFunc", func(t *testing.T) {
		done := make(chan struct{})
		tm := c.AfterFunc(time.Millisecond, func() { close(done) })
		<-done
		if tm.C() != nil {
			t.Error("AfterFunc timer has a channel")
		}
	})
	t.Run("NewTicker", func(t *testing.T) {
		tk := c.NewTicker(time.Millisecond)
		<-tk.C()
		<-tk.C()
		tk.Stop()
	})
}

func TestFakeIsAClock(t *testing.T) {
	var c Clock = NewFake(epoch)
	if !c.Now().Equal(epoch) {
		t.Errorf("Now() = %v, want %v", c.Now(), epoch)
	}
}
