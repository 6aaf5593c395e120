package cluster

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
)

// placement is where one coordinator's pods are.
type placement struct {
	nodes, zones map[string]int // pods per node and per zone, bound pods only
	pending      int            // not bound, not terminating
	unscheduled  int            // of which the scheduler said Unschedulable
}

func placementOf(t *testing.T, v view, component string) placement {
	t.Helper()
	zoneOf := map[string]string{}
	ctx, cancel := context.WithTimeout(context.Background(), apiTimeout)
	defer cancel()
	nodes, err := env.kube.CoreV1().Nodes().List(ctx, metav1.ListOptions{LabelSelector: poolLabel})
	require.NoError(t, err)
	for _, n := range nodes.Items {
		zoneOf[n.Name] = n.Labels[zoneLabel]
	}
	pl := placement{nodes: map[string]int{}, zones: map[string]int{}}
	for _, p := range v.pods {
		if p.component != component || p.deleting {
			continue
		}
		if p.node == "" {
			pl.pending++
			if p.unschedulable {
				pl.unscheduled++
			}
			continue
		}
		pl.nodes[p.node]++
		pl.zones[zoneOf[p.node]]++
	}
	return pl
}

// most is the largest count in m.
func most(m map[string]int) int {
	n := 0
	for _, v := range m {
		n = max(n, v)
	}
	return n
}

// TestHardAntiAffinity runs 02-ha (hard anti-affinity on the hostname) on too few
// nodes, enough nodes, and through a rollout: a replica that finds no node of
// its own stays Pending rather than share one, and a rollout (maxSurge 1,
// maxUnavailable 0) needs a node more than the replicas.
func TestHardAntiAffinity(t *testing.T) {
	t.Parallel()
	const scenario = "02-ha"
	ns := newNamespace(t)
	p := newPool(t, ns, 2, zones...)
	rec := record(t, ns)
	values := []string{scenarioFile(t, scenario), p.valuesFile(t)}
	install(t, ns, values...)

	// Two nodes for rootcoord's three replicas: one stays Pending.
	rec.waitFor(t, settleTimeout, "rootcoord: two Ready, one Unschedulable", func(v view) (bool, string) {
		c := v.byComponent(rootcoord)
		return c.ready == 2 && c.pending == 1 && placementOf(t, v, rootcoord).unscheduled == 1, fmt.Sprintf("%+v", c)
	})
	rec.waitFor(t, settleTimeout, "querycoord and datacoord Ready", func(v view) (bool, string) {
		q, d := v.byComponent(querycoord), v.byComponent(datacoord)
		return q.ready == 2 && d.ready == 2, fmt.Sprintf("querycoord %+v, datacoord %+v", q, d)
	})
	v := rec.view()
	for _, component := range []string{rootcoord, querycoord, datacoord} {
		pl := placementOf(t, v, component)
		assert.Equal(t, 1, most(pl.nodes), "%s: two replicas on one node under hard anti-affinity: %v", component, pl.nodes)
	}
	logFigure(t, scenario, "2 nodes: rootcoord (3 replicas) pods Pending, Unschedulable", placementOf(t, v, rootcoord).unscheduled)

	// A third node: the Pending replica lands on it.
	start := time.Now()
	p.add(t, zones[2])
	rec.waitSettled(t)
	logFigure(t, scenario, "3 nodes: third node added to every replica Ready on its own node", time.Since(start))
	v = rec.view()
	assert.Equal(t, 1, most(placementOf(t, v, rootcoord).nodes), "rootcoord: replicas share a node")
	assert.Len(t, placementOf(t, v, rootcoord).nodes, 3)

	// A rollout with as many nodes as replicas: the surge pod has nowhere to go,
	// and maxUnavailable 0 keeps every old pod, so the rollout waits.
	before := generations(v)
	upgrade(t, ns, values, "milvus.session.ttl=25")
	rec.waitFor(t, settleTimeout, "querycoord and datacoord rolled out, rootcoord's surge pod Unschedulable", func(v view) (bool, string) {
		for _, component := range []string{querycoord, datacoord} {
			if d := v.deployments[component]; d == nil || d.Generation <= before[component] || d.Status.UpdatedReplicas != 2 || d.Status.AvailableReplicas != 2 || d.Status.Replicas != 2 {
				return false, component + " still rolling out"
			}
		}
		if d := v.deployments[rootcoord]; d == nil || d.Generation <= before[rootcoord] || d.Status.ObservedGeneration < d.Generation {
			return false, "rootcoord: the controller has not seen the upgrade yet"
		}
		pl := placementOf(t, v, rootcoord)
		c := v.byComponent(rootcoord)
		return pl.unscheduled == 1 && c.ready == 3, fmt.Sprintf("rootcoord %+v, %d Unschedulable", c, pl.unscheduled)
	})
	v = rec.view()
	logFigure(t, scenario, "3 nodes, rollout: rootcoord pods Ready while its surge pod is Unschedulable", v.byComponent(rootcoord).ready)
	d := v.deployments[rootcoord]
	assert.Equal(t, int32(1), d.Status.UpdatedReplicas, "rootcoord: the rollout went past its surge pod")

	// A fourth node unblocks it.
	start = time.Now()
	p.add(t, zones[0])
	rec.waitFor(t, settleTimeout, "the rollout finished", newGenerationsSettled(map[string]int64{rootcoord: before[rootcoord]}))
	logFigure(t, scenario, "rollout stuck on 3 nodes: fourth node added to rollout done", time.Since(start))
}

// TestSoftSpread runs the soft spreads with too few and enough nodes or zones:
// 05-custom-ttl-spread (soft anti-affinity across zones, rootcoord also spread
// across nodes with ScheduleAnyway) and 03-mixcoord-ha (the default, soft
// anti-affinity across nodes). With too few, every replica still runs, some
// sharing; with enough, no two share.
func TestSoftSpread(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		scenario   string
		nodes      int
		zones      []string
		components []string
		topology   string // "zones" or "nodes": what the replicas must not share with enough of them
		enough     bool
	}{
		{"05-custom-ttl-spread", 2, zones[:1], []string{rootcoord, querycoord, datacoord}, "zones", false},
		{"05-custom-ttl-spread", 3, zones, []string{rootcoord, querycoord, datacoord}, "zones", true},
		{"03-mixcoord-ha", 1, zones[:1], []string{mixcoord}, "nodes", false},
		{"03-mixcoord-ha", 2, zones, []string{mixcoord}, "nodes", true},
	} {
		t.Run(fmt.Sprintf("%s/%d-nodes-%d-zones", tc.scenario, tc.nodes, len(tc.zones)), func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			p := newPool(t, ns, tc.nodes, tc.zones...)
			rec := record(t, ns)
			install(t, ns, scenarioFile(t, tc.scenario), p.valuesFile(t))
			rec.waitSettled(t) // soft: every replica runs, whatever the nodes
			v := rec.view()
			for _, component := range tc.components {
				pl := placementOf(t, v, component)
				shared := most(pl.nodes)
				if tc.topology == "zones" {
					shared = most(pl.zones)
				}
				logFigure(t, tc.scenario, fmt.Sprintf("%d nodes in %d zones: %s replicas, most in one of the %s", tc.nodes, len(tc.zones), component, tc.topology), shared)
				if tc.enough {
					assert.Equal(t, 1, shared, "%s: replicas share %s although there are enough: %s", component, tc.topology, describePlacement(pl))
				} else {
					assert.Greater(t, shared, 1, "%s: with too few %s some replicas must share", component, tc.topology)
				}
			}
		})
	}
}

func describePlacement(pl placement) string {
	var parts []string
	for n, c := range pl.nodes {
		parts = append(parts, fmt.Sprintf("%s=%d", n, c))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}
