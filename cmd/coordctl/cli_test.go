package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/coordstatus"
	"github.com/milvus-coord/milvus-coord/internal/etcdtest"
	"github.com/milvus-coord/milvus-coord/internal/golden"
	"github.com/milvus-coord/milvus-coord/internal/sessionfixture"
)

func TestMain(m *testing.M) { os.Exit(etcdtest.Main(m)) }

var (
	srvOnce sync.Once
	srv     *etcdtest.Server
)

func etcd(t *testing.T) *etcdtest.Server {
	t.Helper()
	srvOnce.Do(func() { srv = etcdtest.Start(t, etcdtest.Options{}) })
	require.NotNil(t, srv, "etcd did not start")
	return srv
}

// coord is one coordinator process of a fixture Milvus.
type coord struct {
	role, version string
	layout        sessionfixture.Layout
	ha, standby   bool // standby: registers and waits, not ACTIVE
	legacy        bool
	ttl           int64
}

// register starts the processes under root, in order, with addresses and
// host names that say which they are.
func register(t *testing.T, root string, coords []coord) []*sessionfixture.Instance {
	t.Helper()
	cfg, err := etcd(t).Config()
	require.NoError(t, err)
	var out []*sessionfixture.Instance
	for n, c := range coords {
		ttl := c.ttl
		if ttl == 0 {
			ttl = 30
		}
		o := sessionfixture.Options{
			MetaRoot: root + "/meta", Role: c.role, Version: c.version, Layout: c.layout, TTL: ttl,
			ActiveStandby: c.ha, LegacyKeys: c.legacy,
			Address:  fmt.Sprintf("10.0.%d.%d:53100", n/10, n%10+1),
			HostName: fmt.Sprintf("milvus-%s-%d", c.role, n),
		}
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		in, err := sessionfixture.Start(ctx, cfg, o)
		cancel()
		require.NoError(t, err)
		t.Cleanup(in.Crash)
		if !c.standby {
			select {
			case <-in.Became():
			case <-time.After(10 * time.Second):
				t.Fatalf("%s did not become ACTIVE", c.role)
			}
		}
		out = append(out, in)
	}
	return out
}

func pair(role, version string, layout sessionfixture.Layout) []coord {
	return []coord{{role: role, version: version, layout: layout, ha: true}, {role: role, version: version, layout: layout, ha: true, standby: true}}
}

// normalize replaces what differs from run to run (the etcd port, lease IDs,
// remaining TTLs, revisions, times) so outputs can be golden files.
var normalizers = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`127\.0\.0\.1:\d+`), "127.0.0.1:PORT"},
	{regexp.MustCompile(`\b[0-9a-f]{12,16}\b`), "LEASE"},
	{regexp.MustCompile(`revision \d+`), "revision N"},
	{regexp.MustCompile(`"revision": \d+`), `"revision": N`},
	{regexp.MustCompile(`"leaseTTLSeconds": \d+`), `"leaseTTLSeconds": N`},
	{regexp.MustCompile(`\d\d:\d\d:\d\d\.\d{3}Z`), "HH:MM:SS.mmmZ"},
	{regexp.MustCompile(`\d+\.\d{3} s\b`), "N.NNN s"},
}

// remainingTTL is the remaining/granted TTL column: the remaining seconds
// become as many Ns, so the table keeps its widths.
var remainingTTL = regexp.MustCompile(`\b(\d+)/(\d+)s\b`)

func normalize(s string) string {
	for _, n := range normalizers {
		s = n.re.ReplaceAllString(s, n.with)
	}
	return remainingTTL.ReplaceAllStringFunc(s, func(m string) string {
		remaining, granted, _ := strings.Cut(m, "/")
		return strings.Repeat("N", len(remaining)) + "/" + granted
	})
}

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(args ...string) result {
	var stdout, stderr bytes.Buffer
	code := run(args, strings.NewReader(""), &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

func TestStatus(t *testing.T) {
	tests := []struct {
		name   string
		coords []coord
		put    map[string]string // extra keys under <root>/meta/session/
		args   []string          // after status --etcd E --root-path ROOT
		code   int
	}{
		{
			name:   "ha-2.4",
			coords: concat(pair("rootcoord", "2.4.15", sessionfixture.V24), pair("querycoord", "2.4.15", sessionfixture.V24), pair("datacoord", "2.4.15", sessionfixture.V24), pair("indexcoord", "2.4.15", sessionfixture.V24)),
			code:   exitOK,
		},
		{
			name:   "ha-2.4-json",
			coords: concat(pair("rootcoord", "2.4.15", sessionfixture.V24), pair("querycoord", "2.4.15", sessionfixture.V24), pair("datacoord", "2.4.15", sessionfixture.V24)),
			args:   []string{"-o", "json"},
			code:   exitOK,
		},
		{
			name: "degraded-2.4",
			coords: concat([]coord{{role: "rootcoord", version: "2.4.15", layout: sessionfixture.V24}},
				[]coord{{role: "querycoord", version: "2.4.15", layout: sessionfixture.V24, ha: true}}),
			put:  map[string]string{"datacoord-9": "not json", "indexcoord": `{"ServerID":3}`},
			code: exitDegraded,
		},
		{
			name: "crash-loop-2.4",
			coords: concat([]coord{{role: "rootcoord", version: "2.4.15", layout: sessionfixture.V24}, {role: "rootcoord", version: "2.4.15", layout: sessionfixture.V24, ha: true, standby: true}},
				pair("querycoord", "2.4.15", sessionfixture.V24), pair("datacoord", "2.4.15", sessionfixture.V24)),
			code: exitDegraded,
		},
		{
			name: "mixcoord-2.6",
			coords: []coord{
				{role: "mixcoord", version: "2.6.9", layout: sessionfixture.V26, ha: true, legacy: true, ttl: 15},
				{role: "mixcoord", version: "2.6.9", layout: sessionfixture.V26, ha: true, legacy: true, ttl: 15, standby: true},
			},
			put:  map[string]string{"version": "2.6.9"},
			code: exitOK,
		},
		{
			name:   "mixcoord-and-separate",
			coords: concat(pair("mixcoord", "2.6.9", sessionfixture.V26), pair("querycoord", "2.5.10", sessionfixture.V26)),
			code:   exitDegraded,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := "golden-" + tt.name
			register(t, root, tt.coords)
			for k, v := range tt.put {
				_, err := etcd(t).Client(t).Put(context.Background(), root+"/meta/session/"+k, v)
				require.NoError(t, err)
			}
			args := append([]string{"status", "--etcd", etcd(t).Endpoint, "--root-path", root}, tt.args...)
			res := runCLI(args...)
			t.Logf("coordctl %s\n%s%s", strings.Join(args, " "), res.stdout, res.stderr)
			assert.Equal(t, tt.code, res.code, "stderr: %s", res.stderr)
			golden.Assert(t, filepath.Join("testdata", "status-"+tt.name+".txt"), []byte(normalize(res.stdout)))
			assert.Empty(t, res.stderr)
		})
	}
}

func concat(parts ...[]coord) []coord {
	var out []coord
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// TestErrors: usage, connection and prefix errors are one clear line on
// stderr and exit code 2.
func TestErrors(t *testing.T) {
	register(t, "errors", pair("rootcoord", "2.4.15", sessionfixture.V24))
	e := etcd(t).Endpoint
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no command", nil, ""},
		{"unknown command", []string{"stauts"}, `unknown command "stauts"`},
		{"unknown flag", []string{"status", "--etcdd", e}, "unknown flag: --etcdd"},
		{"unknown output", []string{"status", "--etcd", e, "-o", "yaml"}, `unknown --output "yaml" (valid: text, json)`},
		{"argument", []string{"status", "extra"}, `unexpected argument "extra"`},
		{"cert without key", []string{"status", "--etcd", e, "--cert", "c.pem"}, "--cert and --key go together"},
		{"missing CA file", []string{"status", "--etcd", e, "--cacert", "/nonexistent/ca.pem"}, "--cacert: open /nonexistent/ca.pem"},
		{"user without password", []string{"status", "--etcd", e, "--user", "root"}, "--user root has no password"},
		{"password without user", []string{"status", "--etcd", e, "--password", "x"}, "--password without --user"},
		{"negative count", []string{"watch", "--etcd", e, "--count", "-1"}, "must not be negative"},
		{"wrong root path", []string{"status", "--etcd", e, "--root-path", "erors"}, "no Milvus session under erors/meta/session/"},
		{"wrong root path names the right one", []string{"status", "--etcd", e, "--root-path", "erors"}, "errors"},
		{"unreachable etcd", []string{"status", "--etcd", "127.0.0.1:1", "--timeout", "500ms"}, "etcd 127.0.0.1:1 did not answer a read of by-dev/meta/session/ within 500ms"},
		{"watch unreachable etcd", []string{"watch", "--etcd", "127.0.0.1:1", "--timeout", "500ms"}, "did not answer"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			res := runCLI(tt.args...)
			assert.Equal(t, exitUsage, res.code)
			assert.Less(t, time.Since(start), 5*time.Second)
			if tt.want == "" {
				assert.Contains(t, res.stdout, "Usage:")
				return
			}
			assert.Contains(t, res.stderr, tt.want)
			assert.Equal(t, 1, strings.Count(res.stderr, "\n"), "one line: %q", res.stderr)
			assert.NotContains(t, res.stderr, "goroutine", "no stack trace")
		})
	}
}

func TestHelp(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"status", "--help"}, {"watch", "--help"}} {
		res := runCLI(args...)
		assert.Equal(t, exitOK, res.code)
		golden.Assert(t, filepath.Join("testdata", "help-"+strings.Trim(strings.Join(args, "-"), "-")+".txt"), []byte(res.stdout))
	}
}

// syncBuffer is a buffer written by the watch goroutine and read by the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestWatchGracefulStop runs `coordctl watch --count 1` while the ACTIVE
// rootcoord stops gracefully and the standby takes over.
func TestWatchGracefulStop(t *testing.T) {
	root := "golden-watch"
	ins := register(t, root, pair("rootcoord", "2.4.15", sessionfixture.V24))
	var stdout, stderr syncBuffer
	args := []string{"watch", "--etcd", etcd(t).Endpoint, "--root-path", root, "--count", "1", "--for", "30s", "--poll", "100ms"}
	done := make(chan int, 1)
	go func() { done <- run(args, strings.NewReader(""), &stdout, &stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), "ACTIVE at the start") {
		require.True(t, time.Now().Before(deadline), "watch printed no start state: %s", stderr.String())
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, ins[0].GoingStop(ctx))
	require.NoError(t, ins[0].Stop(ctx))
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code)
	case <-time.After(20 * time.Second):
		t.Fatal("watch did not end after the takeover")
	}
	t.Logf("coordctl %s\n%s", strings.Join(args, " "), stdout.String())
	assert.Empty(t, stderr.String())
	assert.Contains(t, stdout.String(), "graceful stop: lease revoked")
	golden.Assert(t, filepath.Join("testdata", "watch-graceful-stop.txt"), []byte(normalize(stdout.String())))
}

// TestWatchCrashJSON runs `coordctl watch -o json` while the ACTIVE mixcoord
// crashes (its lease left to expire): one JSON document per line, and the
// takeover's outage within a second of the TTL.
func TestWatchCrashJSON(t *testing.T) {
	const ttl = 5
	root := "json-watch"
	ins := register(t, root, []coord{
		{role: "mixcoord", version: "2.6.9", layout: sessionfixture.V26, ha: true, ttl: ttl},
		{role: "mixcoord", version: "2.6.9", layout: sessionfixture.V26, ha: true, ttl: ttl, standby: true},
	})
	var stdout, stderr syncBuffer
	args := []string{"watch", "--etcd", etcd(t).Endpoint, "--root-path", root, "--count", "1", "--for", "30s", "--poll", "100ms", "-o", "json"}
	done := make(chan int, 1)
	go func() { done <- run(args, strings.NewReader(""), &stdout, &stderr) }()
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(stdout.String(), `"type":"active"`) {
		require.True(t, time.Now().Before(deadline), "watch printed no start state: %s", stderr.String())
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(300 * time.Millisecond)
	ins[0].Crash()
	select {
	case code := <-done:
		assert.Equal(t, exitOK, code)
	case <-time.After(20 * time.Second):
		t.Fatal("watch did not end after the takeover")
	}
	assert.Empty(t, stderr.String())
	var takeover *coordstatus.Takeover
	for _, line := range strings.Split(strings.TrimSpace(stdout.String()), "\n") {
		var ev coordstatus.Event
		require.NoError(t, json.Unmarshal([]byte(line), &ev), "every line is one JSON document: %s", line)
		assert.Equal(t, coordstatus.APIVersion, ev.APIVersion)
		if ev.Type == coordstatus.EventTakeover {
			takeover = ev.Takeover
		}
	}
	require.NotNil(t, takeover)
	assert.Equal(t, coordstatus.CauseExpired, takeover.Cause)
	assert.GreaterOrEqual(t, takeover.OutageSeconds, float64(ttl))
	assert.Less(t, takeover.OutageSeconds, float64(ttl)+1)
}

// TestSlowEtcd: an endpoint that accepts connections and never answers is a
// clear error within the timeout, exit code 2.
func TestSlowEtcd(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { c.Close() }) // held open, never answered
		}
	}()
	for _, cmd := range []string{"status", "watch"} {
		start := time.Now()
		res := runCLI(cmd, "--etcd", l.Addr().String(), "--timeout", "500ms")
		assert.Equal(t, exitUsage, res.code)
		assert.Less(t, time.Since(start), 3*time.Second, "%s waits for the timeout, not longer", cmd)
		assert.Contains(t, res.stderr, "did not answer a read of by-dev/meta/session/ within 500ms")
		assert.Equal(t, 1, strings.Count(res.stderr, "\n"), res.stderr)
	}
}

// TestConnectionFlags: --cacert, --cert, --key against an etcd that requires
// client certificates, and --user with --password against one with auth.
func TestConnectionFlags(t *testing.T) {
	tlsSrv := etcdtest.Start(t, etcdtest.Options{TLS: true})
	authSrv := etcdtest.Start(t, etcdtest.Options{Auth: true})
	for _, tt := range []struct {
		name string
		srv  *etcdtest.Server
		args []string
	}{
		{"tls", tlsSrv, []string{"--etcd", "https://" + tlsSrv.Endpoint, "--cacert", tlsSrv.CACert, "--cert", tlsSrv.ClientCert, "--key", tlsSrv.ClientKey}},
		{"auth", authSrv, []string{"--etcd", authSrv.Endpoint, "--user", authSrv.User, "--password", authSrv.Password}},
		{"auth in --user", authSrv, []string{"--etcd", authSrv.Endpoint, "--user", authSrv.User + ":" + authSrv.Password}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := tt.srv.Config()
			require.NoError(t, err)
			in, err := sessionfixture.Start(context.Background(), cfg, sessionfixture.Options{MetaRoot: "flags-" + tt.name + "/meta", Role: "rootcoord", Version: "2.4.15", Address: "10.3.0.1:53100", HostName: "rc-0", TTL: 30})
			require.NoError(t, err)
			t.Cleanup(in.Crash)
			res := runCLI(append([]string{"status", "-o", "json", "--root-path", "flags-" + tt.name}, tt.args...)...)
			assert.Equal(t, exitDegraded, res.code, res.stderr)
			assert.Contains(t, res.stdout, `"verdict": "no-standby"`)
			assert.Empty(t, res.stderr)
		})
	}
}
