package coordstatus_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/coordstatus"
	"github.com/milvus-coord/milvus-coord/internal/sessionfixture"
)

// watching runs a watch until it returns and collects its events.
type watching struct {
	mu     sync.Mutex
	events []coordstatus.Event
	seen   chan coordstatus.Event
	done   chan error
}

func startWatch(t *testing.T, m *milvus, opts coordstatus.WatchOptions) *watching {
	t.Helper()
	w := &watching{seen: make(chan coordstatus.Event, 256), done: make(chan error, 1)}
	cli := m.srv.Client(t)
	go func() {
		w.done <- coordstatus.Watch(context.Background(), cli, m.conn(), m.target(), opts, func(ev coordstatus.Event) error {
			w.mu.Lock()
			w.events = append(w.events, ev)
			w.mu.Unlock()
			w.seen <- ev
			return nil
		})
	}()
	return w
}

// waitFor waits for an event of type typ, bounded.
func (w *watching) waitFor(t *testing.T, typ string) coordstatus.Event {
	t.Helper()
	timeout := time.After(20 * time.Second)
	for {
		select {
		case ev := <-w.seen:
			if ev.Type == typ {
				return ev
			}
		case <-timeout:
			t.Fatalf("no %s event within 20 s", typ)
		}
	}
}

func (w *watching) wait(t *testing.T) []coordstatus.Event {
	t.Helper()
	select {
	case err := <-w.done:
		require.NoError(t, err)
	case <-time.After(30 * time.Second):
		t.Fatal("watch did not end within 30 s")
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.events
}

func takeover(t *testing.T, events []coordstatus.Event) *coordstatus.Takeover {
	t.Helper()
	for _, ev := range events {
		if ev.Type == coordstatus.EventTakeover {
			return ev.Takeover
		}
	}
	t.Fatalf("no takeover among %d events", len(events))
	return nil
}

// TestWatchCrash kills the ACTIVE (keepalives stop, the lease is left to
// expire): watch must say the lease expired, and the outage it measures is
// within a second of the TTL.
func TestWatchCrash(t *testing.T) {
	t.Parallel()
	const ttl = 5
	m := newMilvus(t)
	active, standby := m.pair("rootcoord", "2.4.15", sessionfixture.V24, ttl)
	w := startWatch(t, m, coordstatus.WatchOptions{Count: 1, For: 30 * time.Second, Poll: 100 * time.Millisecond})
	w.waitFor(t, coordstatus.EventActive)
	time.Sleep(300 * time.Millisecond) // a few lease polls
	killed := time.Now()
	active.Crash()
	events := w.wait(t)

	tk := takeover(t, events)
	assert.Equal(t, coordstatus.CauseExpired, tk.Cause)
	assert.Equal(t, active.ServerID, tk.From)
	assert.Equal(t, standby.ServerID, tk.To)
	assert.GreaterOrEqual(t, tk.OutageSeconds, float64(ttl))
	assert.Less(t, tk.OutageSeconds, float64(ttl)+1, "the outage of a crash is within a second of the TTL")
	assert.Less(t, tk.GapSeconds, 0.5, "the standby takes the key at once")
	// The key really waited for the lease: it went no sooner than the TTL
	// after the last keepalive (sent at most TTL/3 before the kill).
	gone := tk.GoneAt.Sub(killed).Seconds()
	assert.Greater(t, gone, float64(ttl)-float64(ttl)/3-0.5)
	assert.Less(t, gone, float64(ttl)+2, "etcd expires leases within a second of their TTL; a second more for a loaded machine")
	assert.Equal(t, coordstatus.EventEnd, events[len(events)-1].Type)
}

// TestWatchGracefulStop stops the ACTIVE as Milvus does (Stopping set, then
// the lease revoked): watch must say revoked, with an outage near zero.
func TestWatchGracefulStop(t *testing.T) {
	t.Parallel()
	m := newMilvus(t)
	o := sessionfixture.Options{Role: "mixcoord", Version: "2.6.9", Layout: sessionfixture.V26, TTL: 15, ActiveStandby: true, LegacyKeys: true}
	active := m.start(o, false)
	standby := m.start(o, true)
	w := startWatch(t, m, coordstatus.WatchOptions{Count: 2, For: 5 * time.Second, Poll: 100 * time.Millisecond})
	w.waitFor(t, coordstatus.EventActive)
	time.Sleep(300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, active.GoingStop(ctx))
	stopping := w.waitFor(t, coordstatus.EventUpdate)
	require.NotNil(t, stopping.Instance)
	assert.True(t, stopping.Instance.Stopping)
	require.NoError(t, active.Stop(ctx))
	events := w.wait(t)

	tk := takeover(t, events)
	assert.Equal(t, "mixcoord", tk.Role)
	assert.Equal(t, coordstatus.CauseRevoked, tk.Cause)
	takeovers, legacy := 0, 0
	for _, ev := range events {
		switch ev.Type {
		case coordstatus.EventTakeover:
			takeovers++
		case coordstatus.EventLegacy:
			legacy++
		}
	}
	assert.Equal(t, 1, takeovers, "the legacy keys are no takeovers of their own (the watch ran for 5 s)")
	assert.Equal(t, 9, legacy, "3 legacy keys at the start, 3 gone, 3 back under the new ACTIVE")
	assert.Equal(t, active.ServerID, tk.From)
	assert.Equal(t, standby.ServerID, tk.To)
	assert.Less(t, tk.OutageSeconds, 0.5, "a graceful stop costs no lease wait")
}

// TestWatchForBound ends a watch without takeovers after --for.
func TestWatchForBound(t *testing.T) {
	t.Parallel()
	m := newMilvus(t)
	m.pair("rootcoord", "2.4.15", sessionfixture.V24, 30)
	start := time.Now()
	w := startWatch(t, m, coordstatus.WatchOptions{For: 700 * time.Millisecond})
	events := w.wait(t)
	assert.GreaterOrEqual(t, time.Since(start), 700*time.Millisecond)
	var types []string
	for _, ev := range events {
		types = append(types, ev.Type)
	}
	assert.Equal(t, []string{"active", "standby", "end"}, types)
}

// TestWatchCrashLoop starts a second rootcoord without active-standby beside
// the ACTIVE one, as Milvus does it: it takes a server ID, fails to register
// ("CompareAndSwap error") and would panic. Watch reports the ID without a
// session.
func TestWatchCrashLoop(t *testing.T) {
	t.Parallel()
	m := newMilvus(t)
	m.start(sessionfixture.Options{Role: "rootcoord"}, false)
	w := startWatch(t, m, coordstatus.WatchOptions{For: 4 * time.Second, Poll: 100 * time.Millisecond, Unregistered: time.Second})
	w.waitFor(t, coordstatus.EventActive)
	cfg, err := m.srv.Config()
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err = sessionfixture.Start(ctx, cfg, sessionfixture.Options{MetaRoot: m.root + "/meta", Role: "rootcoord", Version: "2.4.15", Address: "10.9.0.2:53100", HostName: "milvus-rootcoord-b", TTL: 30})
	require.EqualError(t, err, "function CompareAndSwap error for compare is false for key: rootcoord")
	handedOut := w.waitFor(t, coordstatus.EventServerID)
	assert.Equal(t, "server ID 2 handed out: a process is starting", handedOut.Message)
	noSession := w.waitFor(t, coordstatus.EventNoSession)
	assert.Contains(t, noSession.Message, "server ID 2 was handed out at")
	assert.Contains(t, noSession.Message, "no session with it appeared within 1s")
	events := w.wait(t)
	for _, ev := range events {
		assert.NotEqual(t, coordstatus.EventTakeover, ev.Type)
	}
}
