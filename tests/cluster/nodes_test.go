package cluster

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
	"k8s.io/apimachinery/pkg/types"
	"k8s.io/apimachinery/pkg/watch"
	"k8s.io/client-go/tools/cache"
	watchtools "k8s.io/client-go/tools/watch"
	"sigs.k8s.io/yaml"
)

const (
	// poolLabel puts a node in one test's pool; the test's coordinators select it.
	poolLabel = "milvus-coord.test/pool"
	// kwokLabel=kwokManaged makes kwok the node's kubelet (testdata/kwok.yaml).
	kwokLabel   = "milvus-coord.test/kwok"
	kwokManaged = "managed"
	zoneLabel   = "topology.kubernetes.io/zone"
	// milvusNodeLabel is what 05-custom-ttl-spread's rootcoord nodeSelector asks for.
	milvusNodeLabel = "node-role/milvus"
	// nodeTimeout bounds a node change the controllers or kwok make.
	nodeTimeout = time.Minute
)

// pool is one test's fake nodes.
type pool struct {
	ns    string
	nodes []string
}

// newPool creates n nodes for the test in namespace ns, node i in zone
// zones[i % len(zones)], and waits until the scheduler may use them.
func newPool(t *testing.T, ns string, n int, zones ...string) *pool {
	t.Helper()
	p := &pool{ns: ns}
	for i := range n {
		p.add(t, zones[i%len(zones)])
	}
	return p
}

// add creates one more node in zone and waits until the scheduler may use it.
func (p *pool) add(t *testing.T, zone string) string {
	t.Helper()
	name := fmt.Sprintf("%s-n%d", p.ns, len(p.nodes)+1)
	capacity := corev1.ResourceList{
		corev1.ResourceCPU:    resource.MustParse("16"),
		corev1.ResourceMemory: resource.MustParse("64Gi"),
		corev1.ResourcePods:   resource.MustParse("110"),
		// The chart's emptyDir has a sizeLimit, which requests ephemeral storage.
		corev1.ResourceEphemeralStorage: resource.MustParse("200Gi"),
	}
	node := &corev1.Node{
		ObjectMeta: metav1.ObjectMeta{
			Name: name,
			Labels: map[string]string{
				"kubernetes.io/hostname": name,
				"kubernetes.io/os":       "linux",
				zoneLabel:                zone,
				poolLabel:                p.ns,
				kwokLabel:                kwokManaged,
				milvusNodeLabel:          "true",
			},
		},
		// A kubelet registers its node with its capacity; kwok keeps it.
		Status: corev1.NodeStatus{Capacity: capacity, Allocatable: capacity},
	}
	_, err := env.kube.CoreV1().Nodes().Create(apiContext(t), node, metav1.CreateOptions{})
	require.NoError(t, err, "create node %s", name)
	p.nodes = append(p.nodes, name)
	// A new node carries the node.kubernetes.io/not-ready:NoSchedule taint (the
	// API server adds it) until the node controller has seen it Ready: the
	// scheduler would skip it until then.
	waitNode(t, name, "Ready and untainted", func(n *corev1.Node) bool {
		return n != nil && nodeReadyStatus(n) == corev1.ConditionTrue && len(n.Spec.Taints) == 0
	})
	return name
}

// nodeReadyStatus is the status of the node's Ready condition ("" without one).
func nodeReadyStatus(n *corev1.Node) corev1.ConditionStatus {
	for _, c := range n.Status.Conditions {
		if c.Type == corev1.NodeReady {
			return c.Status
		}
	}
	return ""
}

// waitNode watches one node until cond holds (cond gets nil once the node is
// deleted), failing the test after nodeTimeout.
func waitNode(t *testing.T, name, what string, cond func(*corev1.Node) bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), nodeTimeout)
	defer cancel()
	go func() {
		select {
		case <-env.cluster.Died():
			cancel()
		case <-ctx.Done():
		}
	}()
	selector := "metadata.name=" + name
	lw := &cache.ListWatch{
		ListFunc: func(o metav1.ListOptions) (runtime.Object, error) {
			o.FieldSelector = selector
			return env.kube.CoreV1().Nodes().List(ctx, o)
		},
		WatchFunc: func(o metav1.ListOptions) (watch.Interface, error) {
			o.FieldSelector = selector
			return env.kube.CoreV1().Nodes().Watch(ctx, o)
		},
	}
	precondition := func(store cache.Store) (bool, error) {
		obj, exists, err := store.GetByKey(name)
		if err != nil {
			return false, err
		}
		if !exists {
			return cond(nil), nil
		}
		return cond(obj.(*corev1.Node)), nil
	}
	_, err := watchtools.UntilWithSync(ctx, lw, &corev1.Node{}, precondition, func(e watch.Event) (bool, error) {
		if e.Type == watch.Deleted {
			return cond(nil), nil
		}
		n, ok := e.Object.(*corev1.Node)
		return ok && cond(n), nil
	})
	require.NoError(t, err, "node %s: not %s after %s (servers: %v)", name, what, nodeTimeout, env.cluster.Exited())
}

// setUnschedulable cordons or uncordons a node, as kubectl cordon does.
func setUnschedulable(t *testing.T, name string, unschedulable bool) {
	t.Helper()
	patch := fmt.Sprintf(`{"spec":{"unschedulable":%t}}`, unschedulable)
	_, err := env.kube.CoreV1().Nodes().Patch(apiContext(t), name, types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{})
	require.NoError(t, err, "cordon %s", name)
}

// loseKubelet takes the node away from kwok, as a kubelet that died or a node cut
// off from the network: its lease is no longer renewed and its pods stay as they
// are.
func loseKubelet(t *testing.T, name string) {
	t.Helper()
	patch := fmt.Sprintf(`{"metadata":{"labels":{%q:null}}}`, kwokLabel)
	_, err := env.kube.CoreV1().Nodes().Patch(apiContext(t), name, types.StrategicMergePatchType, []byte(patch), metav1.PatchOptions{})
	require.NoError(t, err, "take %s from kwok", name)
}

// valuesFile writes a values file that keeps every coordinator on the pool's
// nodes, for `helm -f` after the scenario file (maps merge, so a scenario's own
// nodeSelector stays).
func (p *pool) valuesFile(t *testing.T) string {
	t.Helper()
	selector := map[string]any{"nodeSelector": map[string]any{poolLabel: p.ns}}
	data, err := yaml.Marshal(map[string]any{
		"rootCoordinator":  selector,
		"queryCoordinator": selector,
		"dataCoordinator":  selector,
		"mixCoordinator":   selector,
	})
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "pool-values.yaml")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return path
}
