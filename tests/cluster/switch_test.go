package cluster

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// separateCoordinators are the coordinators mixcoord runs in one pod.
var separateCoordinators = []string{rootcoord, querycoord, datacoord}

// TestSwitchMixCoordinator upgrades 02-ha (separate coordinators) to
// 03-mixcoord-ha and back. Helm creates the new Deployments before it deletes the
// old ones, so for a while both run the same roles (with active-standby on both
// sides, as each other's standbys): the figures say how long and how many pods,
// and how long each role has no Ready pod of either kind. Helm deletes the old
// Deployments in the same upgrade, without waiting for the new pods to be Ready,
// so the gap lasts until the new pods are Ready: it is measured, and the wait
// requires it to end with every role served.
func TestSwitchMixCoordinator(t *testing.T) {
	t.Parallel()
	ns := newNamespace(t)
	p := newPool(t, ns, 4, zones...)
	rec := record(t, ns)
	pool := p.valuesFile(t)
	separate, mixed := scenarioFile(t, "02-ha"), scenarioFile(t, "03-mixcoord-ha")
	install(t, ns, separate, pool)
	rec.waitSettled(t)

	for _, step := range []struct {
		name   string
		values string
		from   []string // the coordinators that go
		to     []string // the coordinators that come
	}{
		{"separate to mixcoord", mixed, separateCoordinators, []string{mixcoord}},
		{"mixcoord to separate", separate, []string{mixcoord}, separateCoordinators},
	} {
		from := rec.mark()
		start := time.Now()
		upgrade(t, ns, []string{step.values, pool})
		rec.waitFor(t, settleTimeout, step.name+": only the new coordinators, all Ready", func(v view) (bool, string) {
			for _, c := range step.to {
				if _, ok := v.deployments[c]; !ok {
					return false, c + " has no Deployment yet"
				}
			}
			for _, c := range step.from {
				if _, ok := v.deployments[c]; ok {
					return false, c + " still has a Deployment"
				}
			}
			return v.settled()
		})
		took := time.Since(start)
		to := rec.mark()
		overlap, pods := rec.overlap(step.from, step.to, from, to)
		logFigure(t, "02-ha <-> 03-mixcoord-ha", step.name+": both kinds alive for", overlap)
		logFigure(t, "02-ha <-> 03-mixcoord-ha", step.name+": most pods alive together", pods)
		logFigure(t, "02-ha <-> 03-mixcoord-ha", step.name+": upgrade to settled", took)
		// Each Milvus role is served by its separate coordinator or by mixcoord.
		assert.Positive(t, overlap, "%s: the old and the new coordinators never ran at once", step.name)
		assert.Greater(t, pods, len(step.to), "%s: no moment with pods of both kinds alive", step.name)
		for _, role := range separateCoordinators {
			logFigure(t, "02-ha <-> 03-mixcoord-ha", step.name+": "+role+" role without a Ready pod", rec.roleGap(role, mixcoord, from, to))
		}
	}
}
