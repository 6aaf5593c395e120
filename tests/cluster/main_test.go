package cluster

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/kubernetes"

	"github.com/milvus-coord/milvus-coord/internal/testcluster"
)

const (
	// kubeVersion is the version the pinned components report (Makefile
	// KUBE_VERSION).
	kubeVersion = "v1.37.2"
	// clusterStartTimeout bounds starting the five servers.
	clusterStartTimeout = 3 * time.Minute
	// helmTimeout bounds one helm command.
	helmTimeout = 2 * time.Minute
	// apiTimeout bounds one round of client-go calls.
	apiTimeout = 30 * time.Second
	// settleTimeout bounds waiting for the controllers to bring a release to a
	// state: the slowest wait is a rollout of three replicas, each new pod
	// Ready for the chart's minReadySeconds (30 s) before the next.
	settleTimeout = 5 * time.Minute
)

// Timing tuned for the tests (see doc.go): a lost node is declared after 10 s,
// its pods are evicted 5 s later.
var (
	apiServerArgs = []string{
		"--default-not-ready-toleration-seconds=5",
		"--default-unreachable-toleration-seconds=5",
	}
	controllerManagerArgs = []string{
		"--node-monitor-period=1s",
		"--node-monitor-grace-period=10s",
	}
)

// env is the running cluster and the clients for it, set up once by TestMain.
var env struct {
	cluster  *testcluster.Cluster
	helm     testcluster.Helm
	chartDir string // charts/milvus-coord
	kube     kubernetes.Interface
}

func TestMain(m *testing.M) {
	testcluster.RunReaperIfAsked()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	flag.Parse()
	// The tests wait on controllers, not on the CPU: run them all at once unless
	// told otherwise (each has its own namespace and nodes).
	testcluster.DefaultParallel(16)
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "FAIL cluster: "+format+"\n", args...)
		return 1
	}
	bin, err := testcluster.BinariesFromEnv(true)
	if err != nil {
		return fail("%v", err)
	}
	if env.chartDir, err = filepath.Abs(filepath.Join("..", "..", "charts", "milvus-coord")); err != nil {
		return fail("%v", err)
	}
	kwokConfig, err := filepath.Abs(filepath.Join("testdata", "kwok.yaml"))
	if err != nil {
		return fail("%v", err)
	}

	start := time.Now()
	c, release, err := testcluster.StartStoppable("cluster", clusterStartTimeout, testcluster.Options{
		Binaries:              bin,
		Controllers:           true,
		KwokConfig:            kwokConfig,
		APIServerArgs:         apiServerArgs,
		ControllerManagerArgs: controllerManagerArgs,
	})
	if err != nil {
		return fail("starting the test cluster: %v", err)
	}
	defer release()
	env.cluster = c
	defer c.Stop()
	startup := time.Since(start)
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "cluster: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and kwok ready at %s in %s\n", c.Server, startup.Round(time.Millisecond))
	}

	env.helm = testcluster.Helm{Bin: bin.Helm, Kubeconfig: c.Kubeconfig, Home: filepath.Join(c.Dir, "helm"), Timeout: helmTimeout}
	restConfig, err := c.RESTConfig()
	if err != nil {
		return fail("%v", err)
	}
	if env.kube, err = kubernetes.NewForConfig(restConfig); err != nil {
		return fail("%v", err)
	}
	figures.add("cluster", "start-up", "etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kwok ready", startup)
	code := m.Run()
	if err := figures.write(os.Getenv("MILVUS_COORD_CLUSTER_FIGURES")); err != nil {
		fmt.Fprintf(os.Stderr, "cluster: writing the figures: %v\n", err)
		if code == 0 {
			code = 1
		}
	}
	return code
}

// nsCounter makes namespace names unique within the test binary.
var nsCounter atomic.Int32

// newNamespace creates a namespace for one test, named after it so a failure
// points at its objects. On failure the cluster's state is logged.
func newNamespace(t *testing.T) string {
	t.Helper()
	name := testcluster.NamespaceName("c", nsCounter.Add(1), t.Name(), 40) // node names add a suffix; stay well inside 63
	ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
	defer cancel()
	_, err := env.kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	require.NoError(t, err, "create namespace %s", name)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("state at the failure:\n%s", describe(name))
		}
	})
	return name
}

// describe lists the namespace's pods and the nodes of its pool, and says which
// server died, if one did.
func describe(ns string) string {
	ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
	defer cancel()
	var b strings.Builder
	if err := env.cluster.Exited(); err != nil {
		fmt.Fprintf(&b, "a server exited: %v\n", err)
	}
	pods, err := env.kube.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{})
	if err != nil {
		return b.String() + err.Error()
	}
	for _, p := range pods.Items {
		deleting := ""
		if p.DeletionTimestamp != nil {
			deleting = " terminating"
		}
		fmt.Fprintf(&b, "  pod %s: node %q phase %s ready %v%s\n", p.Name, p.Spec.NodeName, p.Status.Phase, podReady(&p), deleting)
		for _, c := range p.Status.Conditions {
			if c.Type == corev1.PodScheduled && c.Status != corev1.ConditionTrue {
				fmt.Fprintf(&b, "    not scheduled: %s: %s\n", c.Reason, c.Message)
			}
		}
	}
	nodes, err := env.kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: poolLabel + "=" + ns})
	if err != nil {
		return b.String() + err.Error()
	}
	for _, n := range nodes.Items {
		fmt.Fprintf(&b, "  node %s: zone %s ready %s unschedulable %v taints %v\n", n.Name, n.Labels[zoneLabel], nodeReadyStatus(&n), n.Spec.Unschedulable, n.Spec.Taints)
	}
	return b.String()
}

// helm runs the pinned helm CLI against the test cluster and stops the test if
// it fails.
func helm(t *testing.T, args ...string) testcluster.HelmResult {
	t.Helper()
	return env.helm.MustRun(t, args...)
}

// apiContext is a context for one round of API calls, cancelled with the test.
func apiContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
	t.Cleanup(cancel)
	return ctx
}

func TestServerReportsPinnedVersion(t *testing.T) {
	t.Parallel()
	info, err := env.kube.Discovery().ServerVersion()
	require.NoError(t, err)
	require.Equal(t, kubeVersion, info.GitVersion)
}
