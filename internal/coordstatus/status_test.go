package coordstatus_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/coordstatus"
	"github.com/milvus-coord/milvus-coord/internal/etcdtest"
	"github.com/milvus-coord/milvus-coord/internal/sessionfixture"
)

func TestMain(m *testing.M) { os.Exit(etcdtest.Main(m)) }

var (
	plainMu  sync.Mutex
	plain    *etcdtest.Server
	rootSeq  atomic.Int32
	slugChar = regexp.MustCompile(`[^a-z0-9]+`)
)

// server is the package's plain etcd, started on first use.
func server(t *testing.T) *etcdtest.Server {
	t.Helper()
	plainMu.Lock()
	defer plainMu.Unlock()
	if plain == nil {
		plain = etcdtest.Start(t, etcdtest.Options{})
	}
	return plain
}

// milvus is one Milvus' sessions in the shared etcd, under a root path of
// its own.
type milvus struct {
	t    *testing.T
	srv  *etcdtest.Server
	root string
}

func newMilvus(t *testing.T) *milvus {
	t.Helper()
	root := fmt.Sprintf("t%02d-%s", rootSeq.Add(1), strings.Trim(slugChar.ReplaceAllString(strings.ToLower(t.Name()), "-"), "-"))
	return &milvus{t: t, srv: server(t), root: root}
}

func (m *milvus) target() coordstatus.Target {
	return coordstatus.Target{RootPath: m.root, MetaSubPath: "meta"}
}

func (m *milvus) conn() coordstatus.Conn {
	return coordstatus.Conn{Endpoints: []string{m.srv.Endpoint}, Timeout: 5 * time.Second}
}

// start registers one coordinator process as Milvus does and waits until it
// is ACTIVE or, when standby is true, registered as a standby.
func (m *milvus) start(o sessionfixture.Options, standby bool) *sessionfixture.Instance {
	m.t.Helper()
	o.MetaRoot = m.root + "/meta"
	if o.TTL == 0 {
		o.TTL = 30
	}
	if o.Address == "" {
		o.Address = fmt.Sprintf("10.0.0.%d:53100", rootSeq.Add(1))
	}
	if o.HostName == "" {
		o.HostName = "milvus-" + o.Role + "-" + fmt.Sprint(rootSeq.Add(1))
	}
	if o.Version == "" {
		o.Version = "2.4.15"
	}
	cfg, err := m.srv.Config()
	require.NoError(m.t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	in, err := sessionfixture.Start(ctx, cfg, o)
	require.NoError(m.t, err)
	m.t.Cleanup(in.Crash)
	if !standby {
		select {
		case <-in.Became():
		case <-time.After(10 * time.Second):
			m.t.Fatalf("%s %d did not become ACTIVE", o.Role, in.ServerID)
		}
	}
	return in
}

// pair starts an ACTIVE and a standby of role with active-standby on.
func (m *milvus) pair(role, version string, layout sessionfixture.Layout, ttl int64) (active, standby *sessionfixture.Instance) {
	o := sessionfixture.Options{Role: role, Version: version, Layout: layout, TTL: ttl, ActiveStandby: true}
	active = m.start(o, false)
	standby = m.start(o, true)
	return active, standby
}

func (m *milvus) check() *coordstatus.Report {
	m.t.Helper()
	cli := m.srv.Client(m.t)
	rep, err := coordstatus.Check(context.Background(), cli, m.conn(), m.target())
	require.NoError(m.t, err)
	return rep
}

func verdicts(r *coordstatus.Report) map[string]coordstatus.Verdict {
	out := map[string]coordstatus.Verdict{}
	for _, rs := range r.Roles {
		out[rs.Role] = rs.Verdict
	}
	return out
}

func TestStatusVerdicts(t *testing.T) {
	t.Parallel()
	ha := func(role string) sessionfixture.Options {
		return sessionfixture.Options{Role: role, ActiveStandby: true}
	}
	tests := []struct {
		name    string
		setup   func(m *milvus)
		mode    string
		want    map[string]coordstatus.Verdict
		ok      bool
		reasons map[string]string // role -> a part of the reason
	}{
		{
			name: "2.4 every role served with a standby",
			setup: func(m *milvus) {
				for _, r := range []string{"rootcoord", "querycoord", "datacoord", "indexcoord"} {
					m.pair(r, "2.4.15", sessionfixture.V24, 30)
				}
			},
			mode: "separate",
			want: map[string]coordstatus.Verdict{"rootcoord": "ha", "querycoord": "ha", "datacoord": "ha", "indexcoord": "ha"},
			ok:   true,
		},
		{
			name: "2.4 one HA instance without a standby",
			setup: func(m *milvus) {
				m.start(ha("rootcoord"), false)
				m.pair("querycoord", "2.4.15", sessionfixture.V24, 30)
				m.pair("datacoord", "2.4.15", sessionfixture.V24, 30)
			},
			mode:    "separate",
			want:    map[string]coordstatus.Verdict{"rootcoord": "no-standby", "querycoord": "ha", "datacoord": "ha"},
			reasons: map[string]string{"rootcoord": "with active-standby on, but no standby"},
		},
		{
			name: "2.4 HA off, one instance",
			setup: func(m *milvus) {
				m.start(sessionfixture.Options{Role: "rootcoord"}, false)
				m.pair("querycoord", "2.4.15", sessionfixture.V24, 30)
				m.pair("datacoord", "2.4.15", sessionfixture.V24, 30)
			},
			mode:    "separate",
			want:    map[string]coordstatus.Verdict{"rootcoord": "no-standby", "querycoord": "ha", "datacoord": "ha"},
			reasons: map[string]string{"rootcoord": "active-standby off"},
		},
		{
			name: "2.4 no rootcoord: Milvus is down",
			setup: func(m *milvus) {
				m.pair("querycoord", "2.4.15", sessionfixture.V24, 30)
				m.pair("datacoord", "2.4.15", sessionfixture.V24, 30)
			},
			mode:    "separate",
			want:    map[string]coordstatus.Verdict{"rootcoord": "down", "querycoord": "ha", "datacoord": "ha"},
			reasons: map[string]string{"rootcoord": "no ACTIVE key"},
		},
		{
			name: "2.4 HA off on the ACTIVE beside other instances: the crash loop",
			setup: func(m *milvus) {
				m.start(sessionfixture.Options{Role: "rootcoord"}, false)
				m.start(ha("rootcoord"), true)
				m.pair("querycoord", "2.4.15", sessionfixture.V24, 30)
				m.pair("datacoord", "2.4.15", sessionfixture.V24, 30)
			},
			mode:    "separate",
			want:    map[string]coordstatus.Verdict{"rootcoord": "ha-off-crash-loop", "querycoord": "ha", "datacoord": "ha"},
			reasons: map[string]string{"rootcoord": "crash loop"},
		},
		{
			name: "2.6 mixcoord pair with legacy keys and session/version",
			setup: func(m *milvus) {
				o := sessionfixture.Options{Role: "mixcoord", Version: "2.6.9", Layout: sessionfixture.V26, TTL: 15, ActiveStandby: true, LegacyKeys: true}
				m.start(o, false)
				m.start(o, true)
				require.NoError(t, sessionfixture.PutVersion(context.Background(), m.srv.Client(t), m.root+"/meta", "2.6.9"))
			},
			mode: "mixcoord",
			want: map[string]coordstatus.Verdict{"mixcoord": "ha"},
			ok:   true,
		},
		{
			name: "2.6 mixcoord and a 2.5 rootcoord registered at once",
			setup: func(m *milvus) {
				m.pair("mixcoord", "2.6.9", sessionfixture.V26, 15)
				m.pair("rootcoord", "2.5.10", sessionfixture.V26, 30)
			},
			mode:    "mixcoord",
			want:    map[string]coordstatus.Verdict{"mixcoord": "mixcoord-and-separate", "rootcoord": "mixcoord-and-separate"},
			reasons: map[string]string{"mixcoord": "registered at once"},
		},
		{
			name: "2.6 no mixcoord: down, mode from the querynode's version",
			setup: func(m *milvus) {
				_, err := m.srv.Client(t).Put(context.Background(), m.root+"/meta/session/querynode-7",
					`{"ServerID":7,"ServerName":"querynode","Address":"10.0.0.9:21123","TriggerKill":true,"Version":"2.6.9"}`)
				require.NoError(t, err)
			},
			mode: "mixcoord",
			want: map[string]coordstatus.Verdict{"mixcoord": "down"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := newMilvus(t)
			tt.setup(m)
			rep := m.check()
			assert.Equal(t, tt.mode, rep.Mode)
			assert.Equal(t, tt.want, verdicts(rep))
			assert.Equal(t, tt.ok, rep.OK)
			for role, part := range tt.reasons {
				for _, rs := range rep.Roles {
					if rs.Role == role {
						assert.Contains(t, rs.Reason, part)
						assert.NotEmpty(t, rs.Fix, "a role that is not HA has a fix")
					}
				}
			}
		})
	}
}

func TestStatusInstances(t *testing.T) {
	t.Parallel()
	m := newMilvus(t)
	active, standby := m.pair("mixcoord", "2.6.9", sessionfixture.V26, 15)
	rep := m.check()
	require.Len(t, rep.Roles, 1)
	rs := rep.Roles[0]
	require.NotNil(t, rs.Active)
	assert.Equal(t, active.ServerID, rs.Active.ServerID)
	assert.Equal(t, fmt.Sprintf("%x", int64(active.Lease)), rs.Active.Lease)
	assert.Equal(t, int64(15), rs.Active.GrantedTTL)
	assert.InDelta(t, 14, rs.Active.LeaseTTL, 1.01)
	assert.Equal(t, []string{"mixcoord", fmt.Sprintf("mixcoord-%d", active.ServerID)}, rs.Active.Keys)
	require.Len(t, rs.Standbys, 1)
	assert.Equal(t, standby.ServerID, rs.Standbys[0].ServerID)
	assert.Equal(t, "2.6.9", rep.MilvusVersion)
	require.NotNil(t, rs.Failover.CrashSeconds)
	assert.Equal(t, int64(15), *rs.Failover.CrashSeconds)
	assert.Equal(t, int64(0), *rs.Failover.GracefulStopSeconds)
}

func TestStatusUnreadableValues(t *testing.T) {
	t.Parallel()
	m := newMilvus(t)
	m.pair("rootcoord", "2.4.15", sessionfixture.V24, 30)
	cli := m.srv.Client(t)
	bad := map[string]string{
		"querycoord":    "not json at all",
		"querycoord-41": `["an","array"]`,
		"datacoord":     `{"ServerID":"twelve"}`,
		"datacoord-43":  `{"ServerID":44,"ServerName":"datacoord","Address":"x:1","Version":"2.4.15"}`,
		"indexcoord":    `{"ServerID":45,"ServerName":"rootcoord","Address":"x:1"}`,
		"rootcoord-46":  "",
	}
	for k, v := range bad {
		_, err := cli.Put(context.Background(), m.root+"/meta/session/"+k, v)
		require.NoError(t, err)
	}
	rep := m.check()
	got := map[string]string{}
	for _, u := range rep.Unreadable {
		got[strings.TrimPrefix(u.Key, m.target().Prefix())] = u.Problem
	}
	require.Len(t, got, len(bad), "every malformed value is shown as unreadable: %v", got)
	assert.Contains(t, got["querycoord"], "not a JSON object")
	assert.Contains(t, got["querycoord-41"], "not a JSON object")
	assert.Contains(t, got["datacoord"], "not a Milvus session")
	assert.Contains(t, got["datacoord-43"], "ServerID 44 under key")
	assert.Contains(t, got["indexcoord"], `ServerName "rootcoord"`)
	assert.Contains(t, got["rootcoord-46"], "empty value")
	assert.Equal(t, coordstatus.VerdictHA, verdicts(rep)["rootcoord"])
	assert.Equal(t, coordstatus.VerdictDown, verdicts(rep)["querycoord"])
}

func TestStatusWrongRootPath(t *testing.T) {
	t.Parallel()
	m := newMilvus(t)
	m.pair("rootcoord", "2.4.15", sessionfixture.V24, 30)
	cli := m.srv.Client(t)
	_, err := coordstatus.Check(context.Background(), cli, m.conn(), coordstatus.Target{RootPath: m.root + "-typo", MetaSubPath: "meta"})
	require.Error(t, err)
	assert.True(t, coordstatus.IsUsage(err))
	assert.Contains(t, err.Error(), "no Milvus session under "+m.root+"-typo/meta/session/")
	assert.Contains(t, err.Error(), m.root, "the message names the root paths that hold sessions")
}

func TestStatusUnreachableEtcd(t *testing.T) {
	t.Parallel()
	c := coordstatus.Conn{Endpoints: []string{"127.0.0.1:1"}, Timeout: 700 * time.Millisecond}
	cli, err := coordstatus.Dial(c)
	require.NoError(t, err)
	defer cli.Close()
	start := time.Now()
	_, err = coordstatus.Check(context.Background(), cli, c, coordstatus.Target{RootPath: "by-dev", MetaSubPath: "meta"})
	require.Error(t, err)
	assert.True(t, coordstatus.IsUsage(err))
	assert.Contains(t, err.Error(), "etcd 127.0.0.1:1 did not answer")
	assert.Contains(t, err.Error(), "(127.0.0.1:1: connect: connection refused)", "the message says why")
	assert.Less(t, time.Since(start), 3*time.Second, "the error comes within the timeout, not after the client's retries")
}

// TestNeverWrites proves status and watch leave etcd as they found it: the
// revision (bumped by every write) is the same before and after.
func TestNeverWrites(t *testing.T) {
	t.Parallel()
	// This test's own etcd: other tests write to the shared one meanwhile.
	own := etcdtest.Start(t, etcdtest.Options{})
	ownCli := own.Client(t)
	cfg, err := own.Config()
	require.NoError(t, err)
	o := sessionfixture.Options{MetaRoot: "by-dev/meta", Role: "rootcoord", Version: "2.4.15", Address: "10.1.0.1:53100", HostName: "rc-0", TTL: 30, ActiveStandby: true}
	in, err := sessionfixture.Start(context.Background(), cfg, o)
	require.NoError(t, err)
	t.Cleanup(in.Crash)
	<-in.Became()
	_, err = ownCli.Put(context.Background(), "by-dev/meta/session/querycoord", "garbage")
	require.NoError(t, err)

	rev := func() int64 {
		resp, err := ownCli.Get(context.Background(), "by-dev/meta/session/id")
		require.NoError(t, err)
		return resp.Header.Revision
	}
	before := rev()
	c := coordstatus.Conn{Endpoints: []string{own.Endpoint}, Timeout: 5 * time.Second}
	target := coordstatus.Target{RootPath: "by-dev", MetaSubPath: "meta"}
	_, err = coordstatus.Check(context.Background(), ownCli, c, target)
	require.NoError(t, err)
	_, err = coordstatus.Check(context.Background(), ownCli, c, coordstatus.Target{RootPath: "nothing-here", MetaSubPath: "meta"})
	require.Error(t, err)
	err = coordstatus.Watch(context.Background(), ownCli, c, target, coordstatus.WatchOptions{For: time.Second, Poll: 50 * time.Millisecond}, func(coordstatus.Event) error { return nil })
	require.NoError(t, err)
	assert.Equal(t, before, rev(), "coordctl wrote to etcd")
}

func TestTLSAndAuth(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		opts etcdtest.Options
		conn func(s *etcdtest.Server) coordstatus.Conn
		bad  func(s *etcdtest.Server) coordstatus.Conn
		want string // in the error of the bad connection
	}{
		{
			name: "client certificates",
			opts: etcdtest.Options{TLS: true},
			conn: func(s *etcdtest.Server) coordstatus.Conn {
				return coordstatus.Conn{Endpoints: []string{"https://" + s.Endpoint}, CACert: s.CACert, Cert: s.ClientCert, Key: s.ClientKey, Timeout: 5 * time.Second}
			},
			bad: func(s *etcdtest.Server) coordstatus.Conn {
				// No --cacert: the system roots do not know the test CA.
				return coordstatus.Conn{Endpoints: []string{"https://" + s.Endpoint}, Cert: s.ClientCert, Key: s.ClientKey, Timeout: time.Second}
			},
			want: "TLS: tls: failed to verify certificate: x509: certificate signed by unknown authority",
		},
		{
			name: "user and password",
			opts: etcdtest.Options{Auth: true},
			conn: func(s *etcdtest.Server) coordstatus.Conn {
				return coordstatus.Conn{Endpoints: []string{s.Endpoint}, User: s.User, Password: s.Password, Timeout: 5 * time.Second}
			},
			bad: func(s *etcdtest.Server) coordstatus.Conn {
				return coordstatus.Conn{Endpoints: []string{s.Endpoint}, User: s.User + ":wrong", Timeout: 5 * time.Second}
			},
			want: "authentication failed",
		},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := etcdtest.Start(t, tt.opts)
			cfg, err := s.Config()
			require.NoError(t, err)
			in, err := sessionfixture.Start(context.Background(), cfg, sessionfixture.Options{MetaRoot: "by-dev/meta", Role: "rootcoord", Version: "2.4.15", Address: "10.2.0.1:53100", HostName: "rc-0", TTL: 30})
			require.NoError(t, err)
			t.Cleanup(in.Crash)
			target := coordstatus.Target{RootPath: "by-dev", MetaSubPath: "meta"}

			c := tt.conn(s)
			cli, err := coordstatus.Dial(c)
			require.NoError(t, err)
			defer cli.Close()
			rep, err := coordstatus.Check(context.Background(), cli, c, target)
			require.NoError(t, err)
			assert.Equal(t, coordstatus.VerdictNoStandby, verdicts(rep)["rootcoord"])

			b := tt.bad(s)
			bcli, err := coordstatus.Dial(b)
			if err == nil {
				defer bcli.Close()
				_, err = coordstatus.Check(context.Background(), bcli, b, target)
			}
			require.Error(t, err)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
}
