package e2e

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/milvus-coord/milvus-coord/internal/testcluster"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/client-go/discovery"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"
	"k8s.io/client-go/rest"
)

const (
	// kubeVersion is the version the pinned kube-apiserver reports (Makefile
	// KUBE_VERSION); `helm template` renders for it too.
	kubeVersion = "v1.37.2"
	// clusterStartTimeout bounds starting etcd and kube-apiserver.
	clusterStartTimeout = 3 * time.Minute
	// helmTimeout bounds one helm command.
	helmTimeout = 2 * time.Minute
	// apiTimeout bounds one round of client-go calls.
	apiTimeout = 30 * time.Second
)

// env is the running cluster and the clients for it, set up once by TestMain.
var env struct {
	cluster    *testcluster.Cluster
	helm       testcluster.Helm
	chartDir   string // charts/milvus-coord
	restConfig *rest.Config
	kube       kubernetes.Interface
	dynamic    dynamic.Interface
	discovery  discovery.DiscoveryInterface
}

func TestMain(m *testing.M) {
	testcluster.RunReaperIfAsked()
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	flag.Parse() // m.Run would parse them too, but -v is needed before
	// The tests mostly wait on helm subprocesses and the API server, not on the
	// CPU: run more at once than -parallel's default (GOMAXPROCS) unless told.
	testcluster.DefaultParallel(4)
	fail := func(format string, args ...any) int {
		fmt.Fprintf(os.Stderr, "FAIL e2e: "+format+"\n", args...)
		return 1
	}
	bin, err := testcluster.BinariesFromEnv(false)
	if err != nil {
		return fail("%v", err)
	}
	if env.chartDir, err = filepath.Abs(filepath.Join("..", "..", "charts", "milvus-coord")); err != nil {
		return fail("%v", err)
	}

	start := time.Now()
	c, release, err := testcluster.StartStoppable("e2e", clusterStartTimeout, testcluster.Options{Binaries: bin})
	if err != nil {
		return fail("starting etcd and kube-apiserver: %v", err)
	}
	defer release()
	env.cluster = c
	defer c.Stop()
	if testing.Verbose() {
		fmt.Fprintf(os.Stderr, "e2e: kube-apiserver and etcd ready at %s in %s\n", c.Server, time.Since(start).Round(time.Millisecond))
	}

	env.helm = testcluster.Helm{Bin: bin.Helm, Kubeconfig: c.Kubeconfig, Home: filepath.Join(c.Dir, "helm"), Timeout: helmTimeout}
	if env.restConfig, err = c.RESTConfig(); err != nil {
		return fail("%v", err)
	}
	if env.kube, err = kubernetes.NewForConfig(env.restConfig); err != nil {
		return fail("%v", err)
	}
	if env.dynamic, err = dynamic.NewForConfig(env.restConfig); err != nil {
		return fail("%v", err)
	}
	env.discovery = env.kube.Discovery()
	return m.Run()
}

// nsCounter makes namespace names unique within the test binary.
var nsCounter atomic.Int32

// newNamespace creates an empty namespace for one test; names come from the test
// name so a failure points at its objects. Namespaces are not deleted: without a
// controller manager a deleted namespace stays Terminating, and the whole cluster
// goes away after the run. On failure the namespace's objects are logged.
func newNamespace(t *testing.T) string {
	t.Helper()
	name := testcluster.NamespaceName("e2e-", nsCounter.Add(1), t.Name(), 63)
	ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
	defer cancel()
	_, err := env.kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: name}}, metav1.CreateOptions{})
	require.NoError(t, err, "create namespace %s", name)
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("objects in namespace %s at the failure:\n%s", name, describeNamespace(name))
		}
	})
	return name
}

// helmResult is the outcome of one helm command.
type helmResult = testcluster.HelmResult

// helm runs the pinned helm CLI against the test cluster (see testcluster.Helm).
func helm(t *testing.T, args ...string) helmResult {
	t.Helper()
	return env.helm.Run(args...)
}

// mustHelm runs helm and stops the test if it fails.
func mustHelm(t *testing.T, args ...string) helmResult {
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
	info, err := env.discovery.ServerVersion()
	require.NoError(t, err)
	// Helm checks the chart's kubeVersion constraint against this; an unstamped
	// build would report v0.0.0-master and fail every install.
	require.Equal(t, kubeVersion, info.GitVersion)
}
