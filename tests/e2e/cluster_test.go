package e2e

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"k8s.io/client-go/tools/clientcmd"
	clientcmdapi "k8s.io/client-go/tools/clientcmd/api"
)

// binaries are the pinned tools the tests run, from the environment.
type binaries struct {
	helm, kubeAPIServer, etcd string
}

// binariesFromEnv reads the tool paths `make test` exports. A missing tool is an
// error, never a skip: a suite that silently skips proves nothing in CI.
func binariesFromEnv() (binaries, error) {
	var b binaries
	var problems []string
	for _, v := range []struct {
		env string
		dst *string
	}{
		{"MILVUS_COORD_HELM", &b.helm},
		{"MILVUS_COORD_KUBE_APISERVER", &b.kubeAPIServer},
		{"MILVUS_COORD_ETCD", &b.etcd},
	} {
		path := os.Getenv(v.env)
		if path == "" {
			problems = append(problems, v.env+" is not set")
			continue
		}
		info, err := os.Stat(path)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s=%s: %v", v.env, path, err))
			continue
		}
		if info.IsDir() || info.Mode()&0o111 == 0 {
			problems = append(problems, fmt.Sprintf("%s=%s is not an executable file", v.env, path))
			continue
		}
		*v.dst = path
	}
	if problems != nil {
		return b, errors.New(strings.Join(problems, "; "))
	}
	return b, nil
}

// cluster is an etcd and a kube-apiserver on 127.0.0.1, with their certificates,
// data and logs in one temporary directory.
type cluster struct {
	dir        string // everything the cluster writes lives here
	kubeconfig string // admin kubeconfig (client certificate in system:masters)
	server     string // https://127.0.0.1:PORT

	etcd, apiserver *process
	reaper          *reaper

	stopOnce sync.Once
}

// process is a server started in its own process group, so stopping it also stops
// anything it started and a Ctrl-C at the terminal does not reach it before the
// harness has decided what to do.
type process struct {
	name   string
	cmd    *exec.Cmd
	log    string
	exited chan struct{} // closed when the process has exited
	err    error         // Wait's result, valid after exited is closed
}

func startProcess(name, logPath string, path string, args ...string) (*process, error) {
	logFile, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(path, args...)
	cmd.Stdout = logFile
	cmd.Stderr = logFile
	cmd.SysProcAttr = serverSysProcAttr()
	if err := cmd.Start(); err != nil {
		logFile.Close()
		return nil, fmt.Errorf("start %s: %w", name, err)
	}
	p := &process{name: name, cmd: cmd, log: logPath, exited: make(chan struct{})}
	go func() {
		p.err = cmd.Wait()
		logFile.Close()
		close(p.exited)
	}()
	return p, nil
}

// stop sends SIGTERM to the process group, then SIGKILL if it is still there
// after grace.
func (p *process) stop(grace time.Duration) {
	if p == nil {
		return
	}
	pgid := p.cmd.Process.Pid
	_ = syscall.Kill(-pgid, syscall.SIGTERM)
	select {
	case <-p.exited:
	case <-time.After(grace):
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
		<-p.exited
	}
	// Children that outlived the leader (none expected) go too.
	_ = syscall.Kill(-pgid, syscall.SIGKILL)
}

// logTail returns the last lines of the process log, for error messages.
func (p *process) logTail(lines int) string {
	data, err := os.ReadFile(p.log)
	if err != nil {
		return fmt.Sprintf("(no log: %v)", err)
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return strings.Join(all, "\n")
}

// startCluster starts etcd and kube-apiserver and waits until the API server is
// ready. On error everything it started is stopped and its files removed.
func startCluster(ctx context.Context, bin binaries) (c *cluster, err error) {
	dir, err := os.MkdirTemp("", "milvus-coord-e2e-")
	if err != nil {
		return nil, err
	}
	c = &cluster{dir: dir}
	defer func() {
		if err != nil {
			c.stop()
			c = nil
		}
	}()
	// The reaper comes first: from here on, whatever ends this process (a panic,
	// `go test -timeout`, SIGKILL) also ends the servers and removes dir.
	if c.reaper, err = startReaper(dir); err != nil {
		return c, err
	}

	pki, err := writePKI(filepath.Join(dir, "pki"))
	if err != nil {
		return c, fmt.Errorf("certificates: %w", err)
	}
	ports, err := freePorts(3)
	if err != nil {
		return c, err
	}
	etcdClient := fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	etcdPeer := fmt.Sprintf("http://127.0.0.1:%d", ports[1])
	c.server = fmt.Sprintf("https://127.0.0.1:%d", ports[2])

	c.etcd, err = startProcess("etcd", filepath.Join(dir, "etcd.log"), bin.etcd,
		"--name", "e2e",
		"--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", etcdClient,
		"--listen-peer-urls", etcdPeer,
		"--unsafe-no-fsync", // throwaway data: speed over durability
		"--log-level", "warn",
	)
	if err != nil {
		return c, err
	}
	if err := c.reaper.watch(c.etcd); err != nil {
		return c, err
	}
	if err := waitHTTP(ctx, c.etcd, http.DefaultClient, etcdClient+"/health", `"health":"true"`); err != nil {
		return c, err
	}

	c.apiserver, err = startProcess("kube-apiserver", filepath.Join(dir, "kube-apiserver.log"), bin.kubeAPIServer,
		"--etcd-servers", etcdClient,
		"--bind-address", "127.0.0.1",
		"--advertise-address", "127.0.0.1",
		"--secure-port", strconv.Itoa(ports[2]),
		"--cert-dir", filepath.Join(dir, "apiserver"),
		"--tls-cert-file", pki.servingCert,
		"--tls-private-key-file", pki.servingKey,
		"--client-ca-file", pki.caCert,
		"--service-account-issuer", "https://kubernetes.default.svc.cluster.local",
		"--service-account-key-file", pki.saPublicKey,
		"--service-account-signing-key-file", pki.saPrivateKey,
		"--service-cluster-ip-range", "10.96.0.0/24",
		"--authorization-mode", "RBAC",
		// No controller manager runs, so no token controller: the ServiceAccount
		// admission plugin would wait for tokens that never come.
		"--disable-admission-plugins", "ServiceAccount",
		// No kubelets and no other API servers: nothing to reconcile.
		"--endpoint-reconciler-type", "none",
		"--profiling=false",
	)
	if err != nil {
		return c, err
	}
	if err := c.reaper.watch(c.apiserver); err != nil {
		return c, err
	}
	client, err := pki.adminHTTPClient()
	if err != nil {
		return c, err
	}
	if err := waitHTTP(ctx, c.apiserver, client, c.server+"/readyz", "ok"); err != nil {
		return c, err
	}

	c.kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := pki.writeKubeconfig(c.kubeconfig, c.server); err != nil {
		return c, err
	}
	return c, nil
}

// stop ends both servers and removes the cluster's files. Safe to call more than
// once and from several goroutines (TestMain and the signal handler).
func (c *cluster) stop() {
	if c == nil {
		return
	}
	c.stopOnce.Do(func() {
		c.apiserver.stop(5 * time.Second)
		c.etcd.stop(5 * time.Second)
		if err := os.RemoveAll(c.dir); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: removing %s: %v\n", c.dir, err)
		}
		c.reaper.release()
	})
}

// waitHTTP polls url until it answers 200 with a body containing want, the process
// exits, or ctx ends.
func waitHTTP(ctx context.Context, p *process, client *http.Client, url, want string) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	var last string
	for {
		reqCtx, cancel := context.WithTimeout(ctx, 2*time.Second)
		req, err := http.NewRequestWithContext(reqCtx, http.MethodGet, url, nil)
		if err != nil {
			cancel()
			return err
		}
		resp, err := client.Do(req)
		if err == nil {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK && strings.Contains(string(body), want) {
				cancel()
				return nil
			}
			last = fmt.Sprintf("HTTP %d: %s", resp.StatusCode, strings.TrimSpace(string(body)))
		} else {
			last = err.Error()
		}
		cancel()
		select {
		case <-p.exited:
			return fmt.Errorf("%s exited before it was ready (%v); log tail:\n%s", p.name, p.err, p.logTail(40))
		case <-ctx.Done():
			return fmt.Errorf("%s not ready at %s (last answer: %s); log tail:\n%s", p.name, url, last, p.logTail(40))
		case <-tick.C:
		}
	}
}

// freePorts returns n distinct TCP ports that were free on 127.0.0.1 a moment ago.
func freePorts(n int) ([]int, error) {
	var ports []int
	var listeners []net.Listener
	defer func() {
		for _, l := range listeners {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		listeners = append(listeners, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// pki holds the paths of the cluster's certificates and keys.
type pki struct {
	caCert, caKey             string // the cluster CA (signs serving and client certificates)
	servingCert, servingKey   string // kube-apiserver's serving certificate for 127.0.0.1
	adminCert, adminKey       string // client certificate O=system:masters
	saPublicKey, saPrivateKey string // service-account token signing key pair
}

func writePKI(dir string) (*pki, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	p := &pki{
		caCert: filepath.Join(dir, "ca.crt"), caKey: filepath.Join(dir, "ca.key"),
		servingCert: filepath.Join(dir, "apiserver.crt"), servingKey: filepath.Join(dir, "apiserver.key"),
		adminCert: filepath.Join(dir, "admin.crt"), adminKey: filepath.Join(dir, "admin.key"),
		saPublicKey: filepath.Join(dir, "sa.pub"), saPrivateKey: filepath.Join(dir, "sa.key"),
	}
	now := time.Now()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	caTemplate := &x509.Certificate{
		SerialNumber:          big.NewInt(1),
		Subject:               pkix.Name{CommonName: "milvus-coord-e2e-ca"},
		NotBefore:             now.Add(-time.Hour),
		NotAfter:              now.Add(24 * time.Hour),
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
		BasicConstraintsValid: true,
		IsCA:                  true,
	}
	caDER, err := x509.CreateCertificate(rand.Reader, caTemplate, caTemplate, &caKey.PublicKey, caKey)
	if err != nil {
		return nil, err
	}
	ca, err := x509.ParseCertificate(caDER)
	if err != nil {
		return nil, err
	}
	if err := writeCertAndKey(p.caCert, p.caKey, caDER, caKey); err != nil {
		return nil, err
	}

	leaves := []struct {
		certPath, keyPath string
		template          *x509.Certificate
	}{
		{p.servingCert, p.servingKey, &x509.Certificate{
			SerialNumber: big.NewInt(2),
			Subject:      pkix.Name{CommonName: "kube-apiserver"},
			IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
			DNSNames:     []string{"localhost"},
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		}},
		{p.adminCert, p.adminKey, &x509.Certificate{
			SerialNumber: big.NewInt(3),
			Subject:      pkix.Name{CommonName: "milvus-coord-e2e-admin", Organization: []string{"system:masters"}},
			ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
		}},
	}
	for _, leaf := range leaves {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, err
		}
		leaf.template.NotBefore = now.Add(-time.Hour)
		leaf.template.NotAfter = now.Add(24 * time.Hour)
		leaf.template.KeyUsage = x509.KeyUsageDigitalSignature
		der, err := x509.CreateCertificate(rand.Reader, leaf.template, ca, &key.PublicKey, caKey)
		if err != nil {
			return nil, err
		}
		if err := writeCertAndKey(leaf.certPath, leaf.keyPath, der, key); err != nil {
			return nil, err
		}
	}

	saKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	saKeyDER, err := x509.MarshalPKCS8PrivateKey(saKey)
	if err != nil {
		return nil, err
	}
	saPubDER, err := x509.MarshalPKIXPublicKey(&saKey.PublicKey)
	if err != nil {
		return nil, err
	}
	if err := writePEM(p.saPrivateKey, "PRIVATE KEY", saKeyDER); err != nil {
		return nil, err
	}
	if err := writePEM(p.saPublicKey, "PUBLIC KEY", saPubDER); err != nil {
		return nil, err
	}
	return p, nil
}

func writeCertAndKey(certPath, keyPath string, certDER []byte, key *ecdsa.PrivateKey) error {
	keyDER, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return err
	}
	if err := writePEM(certPath, "CERTIFICATE", certDER); err != nil {
		return err
	}
	return writePEM(keyPath, "PRIVATE KEY", keyDER)
}

func writePEM(path, blockType string, der []byte) error {
	return os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: blockType, Bytes: der}), 0o600)
}

// adminHTTPClient is an HTTP client that trusts the cluster CA and presents the
// admin certificate.
func (p *pki) adminHTTPClient() (*http.Client, error) {
	caPEM, err := os.ReadFile(p.caCert)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(caPEM) {
		return nil, errors.New("no CA certificate in " + p.caCert)
	}
	cert, err := tls.LoadX509KeyPair(p.adminCert, p.adminKey)
	if err != nil {
		return nil, err
	}
	return &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs:      pool,
		Certificates: []tls.Certificate{cert},
		MinVersion:   tls.VersionTLS12,
	}}}, nil
}

// writeKubeconfig writes a self-contained kubeconfig (certificates embedded) for
// helm and client-go.
func (p *pki) writeKubeconfig(path, server string) error {
	read := func(name string) ([]byte, error) { return os.ReadFile(name) }
	ca, err := read(p.caCert)
	if err != nil {
		return err
	}
	cert, err := read(p.adminCert)
	if err != nil {
		return err
	}
	key, err := read(p.adminKey)
	if err != nil {
		return err
	}
	cfg := clientcmdapi.NewConfig()
	cfg.Clusters["e2e"] = &clientcmdapi.Cluster{Server: server, CertificateAuthorityData: ca}
	cfg.AuthInfos["admin"] = &clientcmdapi.AuthInfo{ClientCertificateData: cert, ClientKeyData: key}
	cfg.Contexts["e2e"] = &clientcmdapi.Context{Cluster: "e2e", AuthInfo: "admin", Namespace: "default"}
	cfg.CurrentContext = "e2e"
	return clientcmd.WriteToFile(*cfg, path)
}

// The reaper is this test binary started again as a watchdog (see TestMain). It
// holds the read end of a pipe whose write end only this process has: when this
// process dies in any way, even by SIGKILL, the read ends and the reaper kills the
// servers' process groups and removes the cluster directory. A clean stop tells it
// "done" first, so it never kills a process group that was already reaped and
// whose ID the system may have reused.
const reaperEnv = "MILVUS_COORD_E2E_REAPER_DIR"

type reaper struct {
	cmd  *exec.Cmd
	pipe *os.File
	mu   sync.Mutex
}

func startReaper(dir string) (*reaper, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), reaperEnv+"="+dir)
	cmd.Stdin = r
	// No stdout or stderr: an inherited pipe would keep `go test` waiting.
	cmd.SysProcAttr = reaperSysProcAttr()
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("start reaper: %w", err)
	}
	r.Close()
	go func() { _ = cmd.Wait() }()
	return &reaper{cmd: cmd, pipe: w}, nil
}

// watch tells the reaper about a server's process group.
func (r *reaper) watch(p *process) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, err := fmt.Fprintf(r.pipe, "pgid %d\n", p.cmd.Process.Pid)
	return err
}

// release tells the reaper the cluster is already cleaned up.
func (r *reaper) release() {
	if r == nil {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	_, _ = io.WriteString(r.pipe, "done\n")
	_ = r.pipe.Close()
}

// runReaper is the reaper's main: it returns when this test binary's parent
// instance is gone, after cleaning up unless told "done".
func runReaper(dir string) int {
	var pgids []int
	scanner := bufio.NewScanner(os.Stdin)
	for scanner.Scan() {
		line := scanner.Text()
		if line == "done" {
			return 0
		}
		if v, ok := strings.CutPrefix(line, "pgid "); ok {
			if pgid, err := strconv.Atoi(v); err == nil && pgid > 1 {
				pgids = append(pgids, pgid)
			}
		}
	}
	// The test process died without cleaning up.
	for _, pgid := range pgids {
		_ = syscall.Kill(-pgid, syscall.SIGKILL)
	}
	if strings.Contains(filepath.Base(dir), "milvus-coord-e2e-") {
		// Give the killed servers a moment to close their files first.
		time.Sleep(200 * time.Millisecond)
		_ = os.RemoveAll(dir)
	}
	return 0
}
