package cluster

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestRolloutOnConfigChange upgrades every scenario with a changed config: the
// config checksum in the pod template changes, and the Deployment controller
// rolls every pod. Without active-standby two pods of one coordinator must never
// be alive at once (the second would crash-loop on the session key); with it, a
// coordinator must never be left without a Ready pod.
func TestRolloutOnConfigChange(t *testing.T) {
	t.Parallel()
	for _, file := range scenarioFiles(t) {
		name := scenarioName(file)
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			ns := newNamespace(t)
			// Four nodes in three zones: room for one surge pod next to the
			// largest coordinator (three replicas) under hard anti-affinity.
			p := newPool(t, ns, 4, zones...)
			values := []string{file, p.valuesFile(t)}
			rec := record(t, ns)
			install(t, ns, values...)
			rec.waitSettled(t)
			before := rec.view()
			from := rec.mark()
			start := time.Now()
			// Another session TTL changes user.yaml, hence checksum/config.
			upgrade(t, ns, values, "milvus.session.ttl=25")
			rec.waitFor(t, settleTimeout, "the upgrade rolled out", newGenerationsSettled(generations(before)))
			took := time.Since(start)
			to := rec.mark()
			after := rec.view()

			for _, component := range before.components() {
				d := before.deployments[component]
				n := replicas(d)
				ha := activeStandby(t, d)
				w := rec.stats(component, from, to)
				newD := after.deployments[component]
				require.NotNil(t, newD, "%s has no Deployment after the upgrade", component)
				assert.NotEqual(t, d.Spec.Template.Annotations["checksum/config"], newD.Spec.Template.Annotations["checksum/config"],
					"%s: the config change did not change checksum/config", component)
				assert.Equal(t, n, w.newPods, "%s: every pod is replaced once", component)

				logFigure(t, name, component+" ("+modeName(ha)+", "+strconv.Itoa(n)+" replicas, "+string(d.Spec.Strategy.Type)+"): most pods alive", w.maxAlive)
				logFigure(t, name, component+": most pods alive and not terminating", w.maxRunning)
				logFigure(t, name, component+": fewest Ready", w.minReady)
				logFigure(t, name, component+": time without a Ready pod", w.zeroReady)
				if ha {
					// maxUnavailable 0: the controller stops an old pod only once a
					// new one is available, so Ready never drops below the replicas.
					// (maxSurge bounds the ReplicaSets' replicas, not the pods: a pod
					// of a scaled-down ReplicaSet may not be terminating yet when the
					// next surge pod starts, so the pods alive are a figure only.)
					assert.GreaterOrEqual(t, w.minReady, n, "%s (active-standby): fewer Ready pods than replicas during the rollout", component)
				} else {
					assert.LessOrEqual(t, w.maxAlive, 1, "%s (no active-standby): two pods alive at once during the rollout", component)
				}
			}
			logFigure(t, name, "upgrade to every coordinator rolled out", took)
		})
	}
}
