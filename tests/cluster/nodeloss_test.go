package cluster

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestNodeLost loses the node that runs the most coordinator pods, two ways: its
// kubelet stops answering (the node turns NotReady, its pods are evicted by the
// taint-eviction controller and stay Terminating, as nothing confirms they
// stopped), or the Node object is deleted (the pod garbage collector removes its
// pods). Every coordinator must come back with all its replicas Ready on the
// other nodes; the figures say how long that took.
func TestNodeLost(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		scenario string
		deleted  bool
	}{
		{"01-single-replica", false},
		{"01-single-replica", true},
		{"02-ha", false},
		{"02-ha", true},
	} {
		how := "NotReady"
		if tc.deleted {
			how = "deleted"
		}
		t.Run(tc.scenario+"/"+how, func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			p := newPool(t, ns, 4, zones...)
			rec := record(t, ns)
			install(t, ns, scenarioFile(t, tc.scenario), p.valuesFile(t))
			rec.waitSettled(t)
			before := rec.view()

			perNode := map[string]int{}
			for _, pod := range before.pods {
				perNode[pod.node]++
			}
			victim := p.nodes[0]
			for _, n := range p.nodes {
				if perNode[n] > perNode[victim] {
					victim = n
				}
			}
			onVictim := perNode[victim]

			from := rec.mark()
			start := time.Now()
			rec.nodeLost(victim)
			if tc.deleted {
				require.NoError(t, env.kube.CoreV1().Nodes().Delete(apiContext(t), victim, metav1.DeleteOptions{}))
			} else {
				loseKubelet(t, victim)
				waitNode(t, victim, "NotReady", func(n *corev1.Node) bool {
					return n != nil && nodeReadyStatus(n) != corev1.ConditionTrue
				})
				logFigure(t, tc.scenario, how+": node NotReady after", time.Since(start))
			}
			rec.waitFor(t, settleTimeout, "every coordinator Ready again on the other nodes", func(v view) (bool, string) {
				var missing []string
				for component, d := range v.deployments {
					ready := 0
					for _, pod := range v.pods {
						if pod.component == component && pod.ready && pod.node != victim {
							ready++
						}
					}
					if ready < replicas(d) {
						missing = append(missing, fmt.Sprintf("%s: %d of %d Ready elsewhere", component, ready, replicas(d)))
					}
				}
				sort.Strings(missing)
				return len(missing) == 0, strings.Join(missing, "; ")
			})
			took := time.Since(start)
			to := rec.mark()

			logFigure(t, tc.scenario, how+": coordinator pods on the lost node", onVictim)
			logFigure(t, tc.scenario, how+": every replica Ready on the other nodes after", took)
			for _, component := range before.components() {
				d := before.deployments[component]
				n := replicas(d)
				w := rec.stats(component, from, to)
				logFigure(t, tc.scenario, how+": "+component+" ("+modeName(activeStandby(t, d))+", "+strconv.Itoa(n)+" replicas): fewest Ready on the other nodes", w.minReady)
				logFigure(t, tc.scenario, how+": "+component+": time without a Ready pod on the other nodes", w.zeroReady)
				logFigure(t, tc.scenario, how+": "+component+": most pods alive (the lost node's included)", w.maxAlive)
				if n > 1 {
					// Spread keeps the other replicas elsewhere: one node's loss
					// never takes every replica.
					assert.GreaterOrEqual(t, w.minReady, 1, "%s: the loss of one node left no Ready pod on the others", component)
				}
			}
		})
	}
}
