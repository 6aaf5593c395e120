package coordstatus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/milvus-coord/milvus-coord/internal/session"
)

// WatchOptions bound a watch; without For or Count it runs until ctx ends.
type WatchOptions struct {
	For   time.Duration // stop after this long (0: no limit)
	Count int           // stop after this many takeovers (0: no limit)
	// Poll is how often the lease of every ACTIVE key is read
	// (LeaseTimeToLive), to tell a crash from a graceful stop.
	Poll time.Duration
	// Unregistered is how long after taking a server ID a process may go
	// without a session before watch reports it (0: one minute). Without
	// active-standby a second instance of a coordinator takes an ID, fails
	// to register and panics: a crash loop shows as one such report per
	// restart.
	Unregistered time.Duration
}

// Event types, in Event.Type.
const (
	EventActive    = "active"     // an ACTIVE key, at the start or when it appears
	EventStandby   = "standby"    // a <role>-<id> registration appears (or is there at the start)
	EventUpdate    = "update"     // a session key's value changes (e.g. Stopping set)
	EventGone      = "gone"       // an ACTIVE key disappears
	EventLeft      = "left"       // a <role>-<id> registration disappears
	EventTakeover  = "takeover"   // a new ACTIVE after one was gone
	EventServerID  = "server-id"  // the server-ID counter handed out an ID
	EventNoSession = "no-session" // an ID handed out, and no session with it in time
	EventLegacy    = "legacy"     // a legacy key of an ACTIVE 2.6 mixcoord appears or goes
	EventEnd       = "end"
)

// Causes of a key's disappearance, in Event.Cause and Takeover.Cause.
const (
	// CauseExpired: the lease ran out, so its holder stopped renewing it: a
	// crash, SIGKILL, node loss or a stop that did not finish.
	CauseExpired = "lease-expired"
	// CauseRevoked: the lease was revoked before it would have expired: a
	// graceful stop.
	CauseRevoked = "lease-revoked"
	// CauseDeleted: the key went while its lease lives: a client deleted it.
	CauseDeleted = "key-deleted"
	// CauseUnknown: the lease is gone, and was not watched long enough to say
	// whether it expired or was revoked.
	CauseUnknown = "lease-gone"
)

// Event is one line of `coordctl watch` (JSON Lines with -o json).
type Event struct {
	APIVersion string    `json:"apiVersion"`
	Kind       string    `json:"kind"` // "WatchEvent"
	Time       time.Time `json:"time"`
	Type       string    `json:"type"`
	Revision   int64     `json:"revision,omitempty"`
	Key        string    `json:"key,omitempty"`
	Role       string    `json:"role,omitempty"`
	Instance   *Instance `json:"instance,omitempty"`
	Cause      string    `json:"cause,omitempty"`
	Takeover   *Takeover `json:"takeover,omitempty"`
	Message    string    `json:"message"`
}

// Takeover measures one failover.
type Takeover struct {
	Role string `json:"role"`
	From int64  `json:"fromServerID"`
	To   int64  `json:"toServerID"`
	// GoneAt is when the old ACTIVE key disappeared, ActiveAt when the new
	// one appeared; GapSeconds is the time between them.
	GoneAt     time.Time `json:"goneAt"`
	ActiveAt   time.Time `json:"activeAt"`
	GapSeconds float64   `json:"gapSeconds"`
	Cause      string    `json:"cause"`
	// OutageSeconds is how long the role had no live ACTIVE: for an expired
	// lease, the lease TTL the standby waited after the old ACTIVE stopped
	// renewing it, plus the gap; for a revoked lease or a deleted key, the
	// gap. The new ACTIVE's metadata reload comes on top.
	OutageSeconds float64 `json:"outageSeconds"`
}

// leaseTrack is what the poller last saw of a lease.
type leaseTrack struct {
	polled    time.Time
	remaining int64 // seconds, floored by etcd
	granted   int64
}

type activeTrack struct {
	inst  Instance
	lease int64
}

type goneTrack struct {
	from    activeTrack
	at      time.Time
	cause   string
	granted int64
}

type stamped struct {
	resp clientv3.WatchResponse
	at   time.Time
}

// Target names the Milvus whose sessions to read: its etcd.rootPath and
// etcd.metaSubPath (defaults "by-dev" and "meta").
type Target struct{ RootPath, MetaSubPath string }

// Prefix is the key prefix of the sessions.
func (t Target) Prefix() string { return session.Prefix(t.RootPath, t.MetaSubPath) }

// Check reads the sessions of t and judges them. A prefix without any key is
// an error that names the root paths holding Milvus sessions, if any.
func Check(ctx context.Context, cli *clientv3.Client, c Conn, t Target) (*Report, error) {
	snap, err := Read(ctx, cli, c, t.Prefix())
	if err != nil {
		return nil, err
	}
	if snap.Keys == 0 {
		return nil, noSessions(ctx, cli, c, t)
	}
	return Status(snap), nil
}

// Watch follows the coordinator session keys under prefix from the current
// revision and calls emit for each change as it happens, then once with an
// "end" event. Reads only: one Range, one Watch, and LeaseTimeToLive polls.
func Watch(ctx context.Context, cli *clientv3.Client, c Conn, t Target, opts WatchOptions, emit func(Event) error) error {
	if opts.Poll <= 0 {
		opts.Poll = 200 * time.Millisecond
	}
	if opts.Unregistered <= 0 {
		opts.Unregistered = time.Minute
	}
	prefix := t.Prefix()
	snap, err := Read(ctx, cli, c, prefix)
	if err != nil {
		return err
	}
	if snap.Keys == 0 {
		return noSessions(ctx, cli, c, t)
	}
	if opts.For > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.For)
		defer cancel()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	w := &watcher{c: c, cli: cli, prefix: prefix, emit: emit, active: map[string]activeTrack{}, gone: map[string]goneTrack{}, leases: map[int64]leaseTrack{}, pending: map[int64]time.Time{}}
	start := time.Now()
	for _, ss := range snap.Sessions {
		if ss.Problem != "" {
			continue
		}
		inst := instance(&ss, snap)
		ev := Event{Time: start, Revision: snap.Revision, Key: ss.FullKey, Role: ss.Role, Instance: &inst}
		if ss.Legacy {
			ev.Type, ev.Message = EventLegacy, "legacy key held by the ACTIVE mixcoord under its lease"
		} else if ss.Active {
			w.active[ss.Role] = activeTrack{inst: inst, lease: ss.Lease}
			w.leases[ss.Lease] = leaseTrack{polled: start, remaining: snap.Leases[ss.Lease].Remaining, granted: snap.Leases[ss.Lease].Granted}
			ev.Type, ev.Message = EventActive, "ACTIVE at the start"
		} else if a, ok := w.active[ss.Role]; ok && a.inst.ServerID == ss.ServerID {
			continue // the ACTIVE's own registration: its "active" event says it
		} else {
			ev.Type, ev.Message = EventStandby, "registered at the start"
		}
		if err := w.send(ev); err != nil {
			return err
		}
	}

	events := make(chan stamped, 64)
	watchCh := cli.Watch(clientv3.WithRequireLeader(ctx), prefix, clientv3.WithPrefix(), clientv3.WithPrevKV(), clientv3.WithRev(snap.Revision+1))
	go func() {
		defer close(events)
		for resp := range watchCh {
			select {
			case events <- stamped{resp: resp, at: time.Now()}:
			case <-ctx.Done():
				return
			}
		}
	}()
	pollErr := make(chan error, 1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		pollErr <- w.pollLeases(ctx, opts.Poll)
	}()
	defer wg.Wait()
	defer cancel()

	takeovers := 0
	unregistered := time.NewTicker(time.Second)
	defer unregistered.Stop()
	for {
		select {
		case now := <-unregistered.C:
			if err := w.reportUnregistered(now, opts.Unregistered); err != nil {
				return err
			}
		case err := <-pollErr:
			if err != nil && ctx.Err() == nil {
				return err
			}
			return w.end(takeovers)
		case s, ok := <-events:
			if !ok || ctx.Err() != nil {
				return w.end(takeovers)
			}
			if err := s.resp.Err(); err != nil {
				return &ConnError{fmt.Errorf("etcd %s: watch of %s: %w", strings.Join(c.Endpoints, ","), prefix, err)}
			}
			for _, ev := range s.resp.Events {
				n, err := w.handle(ctx, s.at, s.resp.Header.Revision, ev)
				if err != nil {
					return err
				}
				takeovers += n
				if opts.Count > 0 && takeovers >= opts.Count {
					return w.end(takeovers)
				}
			}
		}
	}
}

type watcher struct {
	c      Conn
	cli    *clientv3.Client
	prefix string
	emit   func(Event) error

	active map[string]activeTrack // by role
	gone   map[string]goneTrack   // by role, until a new ACTIVE comes
	// pending are the server IDs handed out by the counter, with when,
	// until a session with the ID appears.
	pending map[int64]time.Time

	mu     sync.Mutex
	leases map[int64]leaseTrack
}

func (w *watcher) send(ev Event) error {
	ev.APIVersion, ev.Kind = APIVersion, "WatchEvent"
	ev.Time = ev.Time.UTC()
	return w.emit(ev)
}

func (w *watcher) end(takeovers int) error {
	return w.send(Event{Time: time.Now(), Type: EventEnd, Message: fmt.Sprintf("watch ended after %d takeover(s)", takeovers)})
}

// pollLeases reads the lease of every ACTIVE key every interval.
func (w *watcher) pollLeases(ctx context.Context, interval time.Duration) error {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		w.mu.Lock()
		ids := make([]int64, 0, len(w.leases))
		for id := range w.leases {
			ids = append(ids, id)
		}
		w.mu.Unlock()
		if len(ids) == 0 {
			// Nothing to poll: still prove etcd answers, so a watch of a dead
			// etcd ends with an error instead of waiting for ever.
			if _, err := request(ctx, w.c, "a read", func(ctx context.Context) (*clientv3.GetResponse, error) {
				return w.cli.Get(ctx, w.prefix+session.IDKey, clientv3.WithCountOnly())
			}); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
		for _, id := range ids {
			at := time.Now()
			l, err := leaseOf(ctx, w.cli, w.c, id)
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
			w.mu.Lock()
			if _, still := w.leases[id]; still && l.Remaining >= 0 {
				w.leases[id] = leaseTrack{polled: at, remaining: l.Remaining, granted: l.Granted}
			}
			w.mu.Unlock()
		}
	}
}

// handle turns one etcd event into watch events; it returns 1 for a takeover.
func (w *watcher) handle(ctx context.Context, at time.Time, rev int64, ev *clientv3.Event) (int, error) {
	full := string(ev.Kv.Key)
	name := strings.TrimPrefix(full, w.prefix)
	if name == session.IDKey && ev.Type == mvccpb.PUT {
		// Milvus' getServerID hands out the counter's old value and stores
		// it plus one; creating the counter at "1" hands out nothing.
		if ev.PrevKv == nil {
			return 0, nil
		}
		id, err := strconv.ParseInt(string(ev.PrevKv.Value), 10, 64)
		if err != nil {
			return 0, w.send(Event{Time: at, Revision: rev, Type: EventServerID, Key: full, Message: "unreadable server-ID counter: " + strconv.Quote(string(ev.PrevKv.Value))})
		}
		w.pending[id] = at
		return 0, w.send(Event{Time: at, Revision: rev, Type: EventServerID, Key: full,
			Message: fmt.Sprintf("server ID %d handed out: a process is starting", id)})
	}
	k, ok := session.ParseKey(name)
	if ok && ev.Type == mvccpb.PUT {
		// A session of any role with the ID: its process registered.
		id := k.ServerID
		if k.Active {
			var v struct{ ServerID int64 }
			if json.Unmarshal(ev.Kv.Value, &v) == nil {
				id = v.ServerID
			}
		}
		delete(w.pending, id)
	}
	if !ok || !session.IsCoordinator(k.Role) {
		return 0, nil
	}
	if ev.Type == mvccpb.DELETE {
		var prev session.Session
		if ev.PrevKv != nil {
			prev = session.Parse(k, full, ev.PrevKv.Value, ev.PrevKv.Lease)
		}
		if prev.Legacy {
			return 0, w.send(Event{Time: at, Revision: rev, Type: EventLegacy, Key: full, Role: k.Role,
				Message: fmt.Sprintf("legacy key of mixcoord server %d gone with its lease", prev.Raw.ServerID)})
		}
		if !k.Active {
			msg := "registration gone"
			if prev.Problem == "" && prev.Raw.ServerID != 0 {
				msg = fmt.Sprintf("server %d left", prev.Raw.ServerID)
			}
			return 0, w.send(Event{Time: at, Revision: rev, Type: EventLeft, Key: full, Role: k.Role, Message: msg})
		}
		old, had := w.active[k.Role]
		delete(w.active, k.Role)
		lease := int64(0)
		if ev.PrevKv != nil {
			lease = ev.PrevKv.Lease
		}
		cause, granted, err := w.cause(ctx, at, lease)
		if err != nil {
			return 0, err
		}
		if !had {
			old = activeTrack{lease: lease}
			if prev.Problem == "" {
				old.inst = Instance{ServerID: prev.Raw.ServerID, Address: prev.Raw.Address, HostName: prev.Raw.HostName, Version: prev.Raw.Version}
			}
		}
		w.gone[k.Role] = goneTrack{from: old, at: at, cause: cause, granted: granted}
		inst := old.inst
		return 0, w.send(Event{Time: at, Revision: rev, Type: EventGone, Key: full, Role: k.Role, Instance: &inst, Cause: cause, Message: causeText(cause, granted)})
	}

	ss := session.Parse(k, full, ev.Kv.Value, ev.Kv.Lease)
	if ss.Problem != "" {
		return 0, w.send(Event{Time: at, Revision: rev, Type: EventUpdate, Key: full, Role: k.Role, Message: "unreadable value: " + ss.Problem})
	}
	inst := Instance{ServerID: ss.Raw.ServerID, Address: ss.Raw.Address, HostName: ss.Raw.HostName, Version: ss.Raw.Version, Stopping: ss.Raw.Stopping, Keys: []string{ss.Name}}
	if ss.Lease != 0 {
		inst.Lease = fmt.Sprintf("%x", ss.Lease)
	}
	base := Event{Time: at, Revision: rev, Key: full, Role: k.Role, Instance: &inst}
	if ev.Kv.Version > 1 {
		base.Type, base.Message = EventUpdate, "value changed"
		if ss.Raw.Stopping {
			base.Message = "value changed: Stopping (a graceful stop has begun)"
		}
		return 0, w.send(base)
	}
	if ss.Legacy {
		base.Type, base.Message = EventLegacy, "legacy key held by the ACTIVE mixcoord under its lease"
		return 0, w.send(base)
	}
	if !k.Active {
		base.Type, base.Message = EventStandby, "registered"
		return 0, w.send(base)
	}

	w.active[k.Role] = activeTrack{inst: inst, lease: ss.Lease}
	w.mu.Lock()
	w.leases[ss.Lease] = leaseTrack{}
	w.mu.Unlock()
	base.Type, base.Message = EventActive, "became ACTIVE"
	if err := w.send(base); err != nil {
		return 0, err
	}
	g, was := w.gone[k.Role]
	if !was {
		return 0, nil
	}
	delete(w.gone, k.Role)
	gap := at.Sub(g.at).Seconds()
	t := &Takeover{Role: k.Role, From: g.from.inst.ServerID, To: ss.Raw.ServerID, GoneAt: g.at.UTC(), ActiveAt: at.UTC(), GapSeconds: gap, Cause: g.cause, OutageSeconds: gap}
	if g.cause == CauseExpired {
		t.OutageSeconds = float64(g.granted) + gap
	}
	return 1, w.send(Event{Time: at, Revision: rev, Type: EventTakeover, Role: k.Role, Takeover: t, Cause: g.cause, Message: takeoverText(t)})
}

// reportUnregistered reports the server IDs handed out longer than grace
// ago without a session since.
func (w *watcher) reportUnregistered(now time.Time, grace time.Duration) error {
	var ids []int64
	for id, at := range w.pending {
		if now.Sub(at) >= grace {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	for _, id := range ids {
		at := w.pending[id]
		delete(w.pending, id)
		if err := w.send(Event{Time: now, Type: EventNoSession, Message: fmt.Sprintf(
			"server ID %d was handed out at %s and no session with it appeared within %s: a process took an ID and did not register (a coordinator without active-standby beside an ACTIVE one retries, then panics: a crash loop repeats this)",
			id, at.UTC().Format("15:04:05.000Z"), grace)}); err != nil {
			return err
		}
	}
	return nil
}

// cause says why the ACTIVE key bound to lease went at time at. A lease
// that still lives means the key was deleted by a client; otherwise the last
// poll says when the lease would have expired had nobody renewed it: gone
// well before that, it was revoked; at about that time, it expired.
func (w *watcher) cause(ctx context.Context, at time.Time, lease int64) (string, int64, error) {
	if lease == 0 {
		return CauseDeleted, 0, nil
	}
	w.mu.Lock()
	track, seen := w.leases[lease]
	delete(w.leases, lease)
	w.mu.Unlock()
	l, err := leaseOf(ctx, w.cli, w.c, lease)
	if err != nil {
		if ctx.Err() != nil {
			return CauseUnknown, track.granted, nil
		}
		return "", 0, err
	}
	if l.Remaining > 0 {
		return CauseDeleted, l.Granted, nil
	}
	if !seen || track.polled.IsZero() {
		return CauseUnknown, track.granted, nil
	}
	// etcd floors the remaining TTL to whole seconds, and checks for expired
	// leases every 500 ms: an expiry happens in [polled+remaining,
	// polled+remaining+1.5 s). Half a second of slack below that.
	expiry := track.polled.Add(time.Duration(track.remaining)*time.Second - 500*time.Millisecond)
	if at.Before(expiry) {
		return CauseRevoked, track.granted, nil
	}
	return CauseExpired, track.granted, nil
}

func causeText(cause string, granted int64) string {
	switch cause {
	case CauseExpired:
		return fmt.Sprintf("ACTIVE gone: its lease expired, no keepalive for the %d s TTL (a crash, SIGKILL, node loss or an unfinished stop)", granted)
	case CauseRevoked:
		return "ACTIVE gone: its lease was revoked (a graceful stop)"
	case CauseDeleted:
		return "ACTIVE gone: the key was deleted while its lease lives (a client deleted it)"
	}
	return "ACTIVE gone: its lease is gone (expired or revoked; not watched long enough to tell)"
}

func takeoverText(t *Takeover) string {
	msg := fmt.Sprintf("server %d -> %d: new ACTIVE %s after the old key went", t.From, t.To, seconds(t.GapSeconds))
	switch t.Cause {
	case CauseExpired:
		msg += fmt.Sprintf("; outage %s since the old ACTIVE stopped renewing its lease (crash: lease TTL + gap)", seconds(t.OutageSeconds))
	case CauseRevoked:
		msg += "; outage " + seconds(t.OutageSeconds) + " (graceful stop: lease revoked)"
	default:
		msg += "; outage at least " + seconds(t.OutageSeconds)
	}
	return msg + ", plus the new ACTIVE's metadata reload"
}

func seconds(s float64) string {
	return strconv.FormatFloat(s, 'f', 3, 64) + " s"
}

// noSessions is the error for a prefix without keys: it names the root paths
// that do hold Milvus sessions, when a bounded scan of key names finds some.
func noSessions(ctx context.Context, cli *clientv3.Client, c Conn, t Target) error {
	prefix, meta := t.Prefix(), t.MetaSubPath
	roots, err := rootPathHints(ctx, cli, c, meta)
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("no Milvus session under %s: wrong --root-path (etcd.rootPath in the Milvus config, default by-dev) or --meta-sub-path (etcd.metaSubPath, default meta)?", prefix)
	if len(roots) > 0 {
		msg += fmt.Sprintf(" Milvus sessions exist under root path(s): %s", strings.Join(roots, ", "))
	} else {
		msg += " No key in this etcd looks like a Milvus session counter (<root>/" + meta + "/session/id): is this Milvus' etcd?"
	}
	return &NoSessionsError{msg}
}

// NoSessionsError: nothing under the prefix to judge (exit code 2).
type NoSessionsError struct{ msg string }

func (e *NoSessionsError) Error() string { return e.msg }

// IsUsage reports whether err is the user's to fix in the command line or
// the connection (exit code 2) rather than a finding about Milvus.
func IsUsage(err error) bool {
	var conn *ConnError
	var none *NoSessionsError
	return errors.As(err, &conn) || errors.As(err, &none)
}
