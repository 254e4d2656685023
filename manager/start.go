package manager

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// Start runs the manager until ctx is done or a runnable fails:
//
//  1. it binds MetricsAddr and HealthAddr and serves them (Started is closed);
//  2. it starts the event writer and the informers of every kind asked for so far, and
//     waits for their caches (at most CacheSyncTimeout, on the clock: the error names the
//     kinds that did not sync, e.g. a kind the store does not know);
//  3. it starts the runnables — those that need a leader at once without leader election,
//     or while it holds the Lease with it — and Ready is closed (/readyz turns ready);
//  4. when ctx is done it cancels every runnable and waits for them (at most
//     GracefulShutdownTimeout, on the clock), releases the Lease, writes the buffered
//     events, stops the informers and the servers, and returns.
//
// It returns nil after a clean shutdown, the first error of a runnable that failed, or an
// error wrapping ErrCacheSyncTimeout or ErrShutdownTimeout. A manager runs once: a second
// Start fails with ErrAlreadyStarted.
func (m *Manager) Start(ctx context.Context) error {
	runCtx, cancelRun := context.WithCancel(ctx)
	defer cancelRun()
	m.mu.Lock()
	if m.state != stateNew {
		m.mu.Unlock()
		return ErrAlreadyStarted
	}
	m.state = stateStarting
	m.runCtx, m.cancelRun = runCtx, cancelRun
	m.mu.Unlock()

	var bg sync.WaitGroup // servers and event writer
	srv, err := m.serve(&bg)
	if err != nil {
		m.setState(stateStopped)
		return err
	}
	close(m.started)
	defer func() {
		srv.close()
		bg.Wait()
		m.setState(stateStopped)
	}()

	evCtx, stopEvents := context.WithCancel(context.WithoutCancel(runCtx))
	defer stopEvents()
	bg.Go(func() { _ = m.events.Start(evCtx) })

	m.factory.Start(runCtx)
	if err := m.waitForCaches(runCtx); err != nil {
		m.setState(stateStopping)
		stopEvents()
		m.factory.Shutdown()
		return err
	}

	m.mu.Lock()
	if runCtx.Err() == nil {
		m.synced.Store(true)
		m.state = stateRunning
		m.factory.Start(runCtx) // informers asked for while the caches synced
		if m.elector == nil {
			m.leaderCtx = runCtx
		}
		for _, e := range m.entries {
			m.startIfDueLocked(e)
		}
	}
	m.mu.Unlock()
	// The elector is not in bg: it waits for the runnables that need a leader, and a
	// shutdown that times out must not wait for it.
	electorDone := make(chan struct{})
	if m.elector != nil && runCtx.Err() == nil {
		go func() {
			defer close(electorDone)
			_ = m.elector.Run(runCtx)
		}()
	} else {
		close(electorDone)
	}
	if runCtx.Err() == nil {
		close(m.ready)
		m.log.Info("Manager started")
	}

	<-runCtx.Done()
	m.log.Info("Stopping the manager; waiting for runnables")
	m.synced.Store(false)     // /readyz: not ready while shutting down
	m.setState(stateStopping) // from here on no runnable starts: wg.Add is over
	stopped := make(chan struct{})
	go func() {
		m.wg.Wait()
		<-electorDone
		close(stopped)
	}()
	timedOut := !m.wait(stopped)
	stopEvents()
	m.factory.Shutdown()

	m.mu.Lock()
	err = m.firstErr
	m.mu.Unlock()
	if timedOut {
		err = errors.Join(err, fmt.Errorf("%w after %v", ErrShutdownTimeout, m.opts.GracefulShutdownTimeout))
	}
	m.log.Info("Manager stopped")
	return err
}

func (m *Manager) setState(s runState) {
	m.mu.Lock()
	m.state = s
	m.mu.Unlock()
}

// waitForCaches waits for the informers' caches for at most CacheSyncTimeout on the clock. A
// ctx done before the caches synced is not an error: the manager is stopping.
func (m *Manager) waitForCaches(ctx context.Context) error {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var timedOut atomic.Bool
	t := m.opts.Clock.AfterFunc(m.opts.CacheSyncTimeout, func() {
		timedOut.Store(true)
		cancel()
	})
	defer t.Stop()
	err := m.factory.WaitForCacheSync(wctx)
	switch {
	case err == nil:
		return nil
	case timedOut.Load():
		return fmt.Errorf("%w within %v: %w", ErrCacheSyncTimeout, m.opts.CacheSyncTimeout, err)
	case ctx.Err() != nil:
		return nil
	}
	return err
}
