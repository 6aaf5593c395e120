package cluster

import (
	"context"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	policyv1 "k8s.io/api/policy/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// TestDrainNodeByNode drains the nodes one after the other, as a cluster upgrade
// does: cordon, evict every pod through the Eviction API (retrying the evictions
// a PodDisruptionBudget refuses, as kubectl drain does), wait until the evicted
// pods are gone, uncordon, next node. No active-standby coordinator may be left
// without a Ready pod; the figures say which evictions the budgets refused.
func TestDrainNodeByNode(t *testing.T) {
	t.Parallel()
	for _, file := range scenarioFiles(t) {
		name := scenarioName(file)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			p := newPool(t, ns, 4, zones...)
			rec := record(t, ns)
			install(t, ns, file, p.valuesFile(t))
			rec.waitSettled(t)
			before := rec.view()
			from := rec.mark()
			start := time.Now()
			refused := map[string]int{}      // refusals per coordinator
			refusedPods := map[string]bool{} // pods refused at least once
			evicted := 0
			var longestWait time.Duration
			for _, node := range p.nodes {
				setUnschedulable(t, node, true)
				pending := map[string]string{} // pod name -> component
				for podName, pod := range rec.view().pods {
					if pod.node == node && !pod.deleting {
						pending[podName] = pod.component
					}
				}
				nodeStart := time.Now()
				evictedHere := map[string]bool{}
				rec.waitFor(t, settleTimeout, "evict every pod from "+node, func(view) (bool, string) {
					var left []string
					for podName, component := range pending {
						ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
						err := env.kube.PolicyV1().Evictions(ns).Evict(ctx, &policyv1.Eviction{
							ObjectMeta: metav1.ObjectMeta{Name: podName, Namespace: ns},
						})
						cancel()
						switch {
						case err == nil || apierrors.IsNotFound(err):
							delete(pending, podName)
							evictedHere[podName] = true
							evicted++
							longestWait = max(longestWait, time.Since(nodeStart))
						case apierrors.IsTooManyRequests(err):
							// "Cannot evict pod as it would violate the pod's disruption budget."
							refused[component]++
							refusedPods[podName] = true
							left = append(left, podName+": "+err.Error())
						default:
							require.NoError(t, err, "evict %s", podName)
						}
					}
					sort.Strings(left)
					return len(pending) == 0, strings.Join(left, "; ")
				})
				rec.waitFor(t, settleTimeout, "the pods evicted from "+node+" are gone", func(v view) (bool, string) {
					var left []string
					for podName := range evictedHere {
						if _, ok := v.pods[podName]; ok {
							left = append(left, podName)
						}
					}
					sort.Strings(left)
					return len(left) == 0, "still there: " + strings.Join(left, ", ")
				})
				setUnschedulable(t, node, false)
			}
			took := time.Since(start)
			rec.waitSettled(t)
			to := rec.mark()

			for _, component := range before.components() {
				d := before.deployments[component]
				n := replicas(d)
				ha := activeStandby(t, d)
				w := rec.stats(component, from, to)
				logFigure(t, name, component+" ("+modeName(ha)+", "+strconv.Itoa(n)+" replicas): evictions refused by the budget", refused[component])
				logFigure(t, name, component+": fewest Ready during the drain", w.minReady)
				logFigure(t, name, component+": time without a Ready pod", w.zeroReady)
				if ha && n > 1 {
					assert.GreaterOrEqual(t, w.minReady, 1, "%s (active-standby): the drain left it without a Ready pod", component)
				} else {
					// One pod, no budget (it would block the drain): each eviction is an outage.
					assert.Zero(t, refused[component], "%s: a single-replica coordinator has no budget", component)
				}
			}
			logFigure(t, name, "pods evicted", evicted)
			logFigure(t, name, "pods refused at least once", len(refusedPods))
			logFigure(t, name, "longest wait for one node's evictions", longestWait)
			logFigure(t, name, "drain of 4 nodes", took)
		})
	}
}

// modeName names a coordinator's mode in the figures.
func modeName(activeStandby bool) string {
	if activeStandby {
		return "HA"
	}
	return "non-HA"
}
