// Package etcdtest starts the pinned etcd (MILVUS_COORD_ETCD, built by `make
// tools`) on 127.0.0.1 for tests, plain, with TLS client certificates, or with
// user/password auth. A reaper (this test binary started again) kills the
// servers and removes their files if the test process dies in any way, as in
// tests/e2e. A missing etcd fails the tests; it never skips them.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) { os.Exit(etcdtest.Main(m)) }
package etcdtest

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/milvus-coord/milvus-coord/internal/testcluster"
)

const (
	startTimeout = 30 * time.Second
)

var (
	mu      sync.Mutex
	dir     string // every server's files live here; removed at the end
	reap    *testcluster.Reaper
	servers []*Server
)

// Main runs the tests, or the reaper when this binary was started as one,
// and stops every server afterwards.
func Main(m *testing.M) int {
	testcluster.RunReaperIfAsked()
	defer stopAll()
	return m.Run()
}

// Server is a running etcd.
type Server struct {
	Endpoint string // host:port of the client URL
	// For TLS servers: the CA, and a client certificate it trusts.
	CACert, ClientCert, ClientKey string
	// For auth servers: the root user's name and password.
	User, Password string

	cmd    *exec.Cmd
	exited chan struct{}
	log    string
}

// Options choose how a server is started.
type Options struct {
	TLS  bool // serve https and require client certificates signed by CACert
	Auth bool // enable auth: every request needs User and Password
}

// Start starts an etcd for the calling test's package; Main stops it.
func Start(t testing.TB, o Options) *Server {
	t.Helper()
	s, err := start(o)
	if err != nil {
		t.Fatalf("starting etcd: %v", err)
	}
	return s
}

// Client is a client of s with full rights, for fixtures; closed with the test.
func (s *Server) Client(t testing.TB) *clientv3.Client {
	t.Helper()
	cli, err := s.client()
	if err != nil {
		t.Fatalf("etcd client: %v", err)
	}
	t.Cleanup(func() { cli.Close() })
	return cli
}

// Config is a client configuration for s with full rights.
func (s *Server) Config() (clientv3.Config, error) {
	cfg := clientv3.Config{Endpoints: []string{s.Endpoint}, DialTimeout: 5 * time.Second, Logger: zap.NewNop()}
	if s.CACert != "" {
		pair, err := tls.LoadX509KeyPair(s.ClientCert, s.ClientKey)
		if err != nil {
			return cfg, err
		}
		caPEM, err := os.ReadFile(s.CACert)
		if err != nil {
			return cfg, err
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(caPEM)
		cfg.TLS = &tls.Config{RootCAs: pool, Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	}
	cfg.Username, cfg.Password = s.User, s.Password
	return cfg, nil
}

func (s *Server) client() (*clientv3.Client, error) {
	cfg, err := s.Config()
	if err != nil {
		return nil, err
	}
	return clientv3.New(cfg)
}

func start(o Options) (*Server, error) {
	mu.Lock()
	defer mu.Unlock()
	bin := os.Getenv("MILVUS_COORD_ETCD")
	if bin == "" {
		return nil, errors.New("MILVUS_COORD_ETCD is not set: run the tests with `make test`, which builds the pinned etcd")
	}
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("MILVUS_COORD_ETCD=%s: %v: run `make tools`", bin, err)
	}
	if dir == "" {
		d, err := os.MkdirTemp("", "milvus-coord-etcdtest-")
		if err != nil {
			return nil, err
		}
		dir = d
		if reap, err = testcluster.StartReaper(dir); err != nil {
			return nil, err
		}
	}
	n := len(servers)
	sdir := filepath.Join(dir, fmt.Sprintf("etcd-%d", n))
	if err := os.MkdirAll(sdir, 0o700); err != nil {
		return nil, err
	}
	ports, err := testcluster.FreePorts(2)
	if err != nil {
		return nil, err
	}
	scheme := "http"
	s := &Server{Endpoint: fmt.Sprintf("127.0.0.1:%d", ports[0]), exited: make(chan struct{}), log: filepath.Join(sdir, "etcd.log")}
	args := []string{
		"--name", fmt.Sprintf("etcdtest-%d", n),
		"--data-dir", filepath.Join(sdir, "data"),
		"--listen-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", ports[1]),
		"--initial-advertise-peer-urls", fmt.Sprintf("http://127.0.0.1:%d", ports[1]),
		"--unsafe-no-fsync", // throwaway data
		"--log-level", "warn",
	}
	if o.TLS {
		scheme = "https"
		if err := writePKI(sdir, s); err != nil {
			return nil, fmt.Errorf("certificates: %w", err)
		}
		args = append(args, "--cert-file", filepath.Join(sdir, "server.crt"), "--key-file", filepath.Join(sdir, "server.key"),
			"--trusted-ca-file", s.CACert, "--client-cert-auth")
	}
	url := fmt.Sprintf("%s://%s", scheme, s.Endpoint)
	args = append(args, "--listen-client-urls", url, "--advertise-client-urls", url)

	logFile, err := os.Create(s.log)
	if err != nil {
		return nil, err
	}
	s.cmd = exec.Command(bin, args...)
	s.cmd.Stdout, s.cmd.Stderr = logFile, logFile
	s.cmd.SysProcAttr = testcluster.ServerSysProcAttr()
	if err := s.cmd.Start(); err != nil {
		logFile.Close()
		return nil, err
	}
	go func() {
		_ = s.cmd.Wait()
		logFile.Close()
		close(s.exited)
	}()
	servers = append(servers, s)
	if err := reap.Watch(s.cmd.Process.Pid); err != nil {
		return nil, err
	}
	if err := s.waitReady(); err != nil {
		return nil, err
	}
	if o.Auth {
		if err := s.enableAuth(); err != nil {
			return nil, fmt.Errorf("enabling auth: %w", err)
		}
	}
	return s, nil
}

// waitReady waits until a read answers, the process exits, or startTimeout.
func (s *Server) waitReady() error {
	cli, err := s.client()
	if err != nil {
		return err
	}
	defer cli.Close()
	deadline := time.Now().Add(startTimeout)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := cli.Get(ctx, "health")
		cancel()
		if err == nil {
			return nil
		}
		select {
		case <-s.exited:
			return fmt.Errorf("etcd exited before it was ready; log:\n%s", tail(s.log))
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("etcd not ready after %s (%v); log:\n%s", startTimeout, err, tail(s.log))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func (s *Server) enableAuth() error {
	cli, err := s.client()
	if err != nil {
		return err
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.User, s.Password = "root", "etcdtest-root-password"
	if _, err := cli.UserAdd(ctx, s.User, s.Password); err != nil {
		return err
	}
	if _, err := cli.UserGrantRole(ctx, s.User, "root"); err != nil {
		return err
	}
	_, err = cli.AuthEnable(ctx)
	return err
}

// Stop ends the server (SIGTERM, then SIGKILL after 5 s).
func (s *Server) Stop() {
	pgid := s.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-s.exited
	}
}

func stopAll() {
	mu.Lock()
	defer mu.Unlock()
	for _, s := range servers {
		s.Stop()
	}
	if dir != "" {
		_ = os.RemoveAll(dir)
		reap.Release()
	}
}

func tail(path string) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(lines) > 30 {
		lines = lines[len(lines)-30:]
	}
	return strings.Join(lines, "\n")
}

// writePKI writes a CA, a serving certificate for 127.0.0.1 and a client
// certificate into dir and records their paths in s.
func writePKI(dir string, s *Server) error {
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return err
	}
	caTmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "etcdtest-ca"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(24 * time.Hour),
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature, BasicConstraintsValid: true, IsCA: true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		return err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return err
	}
	s.CACert = filepath.Join(dir, "ca.crt")
	if err := testcluster.WritePEM(s.CACert, "CERTIFICATE", caDER); err != nil {
		return err
	}
	leaves := []struct {
		name string
		tmpl *x509.Certificate
	}{
		{"server", &x509.Certificate{SerialNumber: big.NewInt(2), Subject: pkix.Name{CommonName: "etcd"},
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}},
		{"client", &x509.Certificate{SerialNumber: big.NewInt(3), Subject: pkix.Name{CommonName: "coordctl"},
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}},
	}
	for _, l := range leaves {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return err
		}
		l.tmpl.NotBefore, l.tmpl.NotAfter, l.tmpl.KeyUsage = now.Add(-time.Hour), now.Add(24*time.Hour), x509.KeyUsageDigitalSignature
		der, err := x509.CreateCertificate(rand.Reader, l.tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			return err
		}
		keyDER, err := x509.MarshalPKCS8PrivateKey(key)
		if err != nil {
			return err
		}
		if err := testcluster.WritePEM(filepath.Join(dir, l.name+".crt"), "CERTIFICATE", der); err != nil {
			return err
		}
		if err := testcluster.WritePEM(filepath.Join(dir, l.name+".key"), "PRIVATE KEY", keyDER); err != nil {
			return err
		}
	}
	s.ClientCert, s.ClientKey = filepath.Join(dir, "client.crt"), filepath.Join(dir, "client.key")
	return nil
}
