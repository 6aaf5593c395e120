// Package testcluster starts a throwaway Kubernetes cluster of pinned, real
// components on 127.0.0.1 for the tests: etcd and kube-apiserver always, and with
// Options.Controllers also kube-controller-manager, kube-scheduler and kwok (fake
// nodes and kubelets that move pods through their lifecycle without containers).
//
// Everything a cluster writes lives in one temporary directory. Stop ends the
// servers and removes it; a watchdog process (the reaper, see RunReaperIfAsked)
// does the same when the test binary dies without calling Stop, even by SIGKILL.
// The binaries come from the environment variables the Makefile exports; a
// missing one is an error, never a skip.
package testcluster

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The environment variables `make test` sets to the pinned tools.
const (
	EnvHelm                  = "MILVUS_COORD_HELM"
	EnvKubeAPIServer         = "MILVUS_COORD_KUBE_APISERVER"
	EnvEtcd                  = "MILVUS_COORD_ETCD"
	EnvKubeControllerManager = "MILVUS_COORD_KUBE_CONTROLLER_MANAGER"
	EnvKubeScheduler         = "MILVUS_COORD_KUBE_SCHEDULER"
	EnvKwok                  = "MILVUS_COORD_KWOK"
)

// Binaries are the paths of the pinned tools.
type Binaries struct {
	Helm, KubeAPIServer, Etcd            string
	KubeControllerManager, KubeScheduler string
	Kwok                                 string
}

// BinariesFromEnv reads the tool paths `make test` exports: Helm, kube-apiserver
// and etcd, and with controllers also kube-controller-manager, kube-scheduler and
// kwok. A missing tool is an error, never a skip: a suite that silently skips
// proves nothing in CI.
func BinariesFromEnv(controllers bool) (Binaries, error) {
	var b Binaries
	vars := []struct {
		env string
		dst *string
	}{
		{EnvHelm, &b.Helm},
		{EnvKubeAPIServer, &b.KubeAPIServer},
		{EnvEtcd, &b.Etcd},
	}
	if controllers {
		vars = append(vars, []struct {
			env string
			dst *string
		}{
			{EnvKubeControllerManager, &b.KubeControllerManager},
			{EnvKubeScheduler, &b.KubeScheduler},
			{EnvKwok, &b.Kwok},
		}...)
	}
	var problems, names []string
	for _, v := range vars {
		names = append(names, v.env)
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
		return b, fmt.Errorf("%s\nrun `make test`: it builds the pinned tools into .tools/ and sets %s",
			strings.Join(problems, "; "), strings.Join(names, ", "))
	}
	return b, nil
}

// Options say what to start.
type Options struct {
	Binaries
	// Controllers also starts kube-controller-manager, kube-scheduler and kwok.
	Controllers bool
	// KwokConfig is kwok's configuration file (its options and Stages); required
	// with Controllers.
	KwokConfig string
	// APIServerArgs and ControllerManagerArgs are appended to the defaults.
	APIServerArgs, ControllerManagerArgs []string
}

// Cluster is a running cluster.
type Cluster struct {
	Dir        string // everything the cluster writes lives here
	Kubeconfig string // admin kubeconfig (client certificate in system:masters)
	Server     string // https://127.0.0.1:PORT

	procs    []*process // in start order
	reaper   *Reaper
	died     chan struct{} // closed when the first server exits
	diedOnce sync.Once

	stopOnce sync.Once
}

// Start starts the cluster and waits until every server is ready (kwok has no
// health endpoint: a node it manages turning Ready is its sign of life). On error
// everything it started is stopped and its files removed.
func Start(ctx context.Context, opts Options) (c *Cluster, err error) {
	if opts.Controllers && opts.KwokConfig == "" {
		return nil, errors.New("testcluster: Options.KwokConfig is required with Controllers")
	}
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, err
	}
	c = &Cluster{Dir: dir, died: make(chan struct{})}
	defer func() {
		if err != nil {
			c.Stop()
			c = nil
		}
	}()
	// The reaper comes first: from here on, whatever ends this process (a panic,
	// `go test -timeout`, SIGKILL) also ends the servers and removes dir.
	if c.reaper, err = StartReaper(dir); err != nil {
		return c, err
	}

	pki, err := writePKI(filepath.Join(dir, "pki"))
	if err != nil {
		return c, fmt.Errorf("certificates: %w", err)
	}
	ports, err := FreePorts(5)
	if err != nil {
		return c, err
	}
	etcdClient := fmt.Sprintf("http://127.0.0.1:%d", ports[0])
	etcdPeer := fmt.Sprintf("http://127.0.0.1:%d", ports[1])
	c.Server = fmt.Sprintf("https://127.0.0.1:%d", ports[2])

	etcd, err := c.start("etcd", nil, opts.Etcd,
		"--name", "test",
		"--data-dir", filepath.Join(dir, "etcd"),
		"--listen-client-urls", etcdClient,
		"--listen-peer-urls", etcdPeer,
		"--unsafe-no-fsync", // throwaway data: speed over durability
		"--log-level", "warn",
	)
	if err != nil {
		return c, err
	}
	if err := waitHTTP(ctx, etcd, http.DefaultClient, etcdClient+"/health", `"health":"true"`); err != nil {
		return c, err
	}

	apiserverArgs := []string{
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
		// No other API servers: nothing to reconcile.
		"--endpoint-reconciler-type", "none",
		"--profiling=false",
	}
	if !opts.Controllers {
		// Without a controller manager no token controller runs, and the
		// ServiceAccount admission plugin would wait for tokens that never come.
		apiserverArgs = append(apiserverArgs, "--disable-admission-plugins", "ServiceAccount")
	}
	apiserver, err := c.start("kube-apiserver", nil, opts.KubeAPIServer, append(apiserverArgs, opts.APIServerArgs...)...)
	if err != nil {
		return c, err
	}
	client, err := pki.adminHTTPClient()
	if err != nil {
		return c, err
	}
	if err := waitHTTP(ctx, apiserver, client, c.Server+"/readyz", "ok"); err != nil {
		return c, err
	}
	c.Kubeconfig = filepath.Join(dir, "kubeconfig")
	if err := pki.writeKubeconfig(c.Kubeconfig, c.Server); err != nil {
		return c, err
	}
	if !opts.Controllers {
		return c, nil
	}

	// Both serve /healthz over HTTPS with the cluster's serving certificate;
	// leader election is off, so their controllers start at once.
	serving := func(port int) []string {
		return []string{
			"--kubeconfig", c.Kubeconfig,
			"--bind-address", "127.0.0.1",
			"--secure-port", strconv.Itoa(port),
			"--tls-cert-file", pki.servingCert,
			"--tls-private-key-file", pki.servingKey,
			"--client-ca-file", pki.caCert,
			"--leader-elect=false",
			"--profiling=false",
		}
	}
	cm, err := c.start("kube-controller-manager", nil, opts.KubeControllerManager, append(append(serving(ports[3]),
		"--root-ca-file", pki.caCert, // for the kube-root-ca.crt ConfigMaps
		"--allocate-node-cidrs=false",
	), opts.ControllerManagerArgs...)...)
	if err != nil {
		return c, err
	}
	scheduler, err := c.start("kube-scheduler", nil, opts.KubeScheduler, serving(ports[4])...)
	if err != nil {
		return c, err
	}
	for _, p := range []struct {
		proc *process
		port int
	}{{cm, ports[3]}, {scheduler, ports[4]}} {
		if err := waitHTTP(ctx, p.proc, client, fmt.Sprintf("https://127.0.0.1:%d/healthz", p.port), "ok"); err != nil {
			return c, err
		}
	}

	// kwok reads ~/.kwok/kwok.yaml when it exists: a HOME of its own keeps a
	// developer's configuration out. It serves nothing (no --server-address).
	kwokHome := filepath.Join(dir, "kwok-home")
	if err := os.MkdirAll(kwokHome, 0o700); err != nil {
		return c, err
	}
	var kwokEnv []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "HOME=") && !strings.HasPrefix(kv, "KUBECONFIG=") {
			kwokEnv = append(kwokEnv, kv)
		}
	}
	kwokEnv = append(kwokEnv, "HOME="+kwokHome)
	if _, err := c.start("kwok", kwokEnv, opts.Kwok,
		"--kubeconfig", c.Kubeconfig,
		"--config", opts.KwokConfig,
	); err != nil {
		return c, err
	}
	return c, nil
}

// start starts one server, logging to DIR/NAME.log, and tells the reaper.
func (c *Cluster) start(name string, env []string, path string, args ...string) (*process, error) {
	p, err := startProcess(name, filepath.Join(c.Dir, name+".log"), env, path, args...)
	if err != nil {
		return nil, err
	}
	c.procs = append(c.procs, p)
	go func() {
		<-p.exited
		c.diedOnce.Do(func() { close(c.died) })
	}()
	return p, c.reaper.Watch(p.cmd.Process.Pid)
}

// Died is closed when a server exits, also by Stop: waits select on it to fail at
// once rather than at their timeout.
func (c *Cluster) Died() <-chan struct{} { return c.died }

// Exited returns an error naming every server that has exited, with its log tail,
// or nil while all run. Tests call it when a wait fails, to tell a dead component
// from a slow one.
func (c *Cluster) Exited() error {
	var errs []error
	for _, p := range c.procs {
		if err := p.exitErr(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// LogTail returns the last lines of a server's log (name as in Exited's errors:
// etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok).
func (c *Cluster) LogTail(name string, lines int) string {
	for _, p := range c.procs {
		if p.name == name {
			return p.logTail(lines)
		}
	}
	return "(no server " + name + ")"
}

// Stop ends the servers, last started first, and removes the cluster's files.
// Safe to call more than once and from several goroutines (TestMain and a
// signal handler).
func (c *Cluster) Stop() {
	if c == nil {
		return
	}
	c.stopOnce.Do(func() {
		for i := len(c.procs) - 1; i >= 0; i-- {
			c.procs[i].stop(5 * time.Second)
		}
		if err := os.RemoveAll(c.Dir); err != nil {
			fmt.Fprintf(os.Stderr, "testcluster: removing %s: %v\n", c.Dir, err)
		}
		c.reaper.Release()
	})
}
