package upstream_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// TestFixesWorkAsWritten: on the upstream chart, for each rule, a file with
// the mistake, the fix its finding prints, and the file with that fix applied
// word for word. The fixed file has no finding of that rule left and none the
// file did not have, but for the warnings that judge only an active-standby
// coordinator: the upstream chart renders no pod anti-affinity and no
// PodDisruptionBudget (and 4.x its /healthz liveness probe), so a fix that
// turns active-standby on brings them, and says so.
func TestFixesWorkAsWritten(t *testing.T) {
	const ha = "mixCoordinator:\n  replicas: 2\n  activeStandby:\n    enabled: true\n"
	tests := []struct {
		chart, name, rule, before, fix, after string
		exposes                               bool // turns active-standby on: the HA-only warnings may follow
	}{
		{"4", "replicas without standby", "ha-replicas-need-standby",
			"mixCoordinator:\n  replicas: 2\n",
			"set mixCoordinator.activeStandby.enabled: true or mixCoordinator.replicas: 1",
			ha, true},
		{"4", "user.yaml turns it off", "ha-replicas-need-standby",
			ha + "extraConfigFiles:\n  user.yaml: |\n    rootCoord:\n      enableActiveStandby: false\n",
			`set rootCoord.enableActiveStandby: true in extraConfigFiles["user.yaml"], or mixCoordinator.replicas: 1`,
			ha + "extraConfigFiles:\n  user.yaml: |\n    rootCoord:\n      enableActiveStandby: true\n", true},
		{"4", "user.yaml overrides the values", "extra-config-contradicts",
			ha + "extraConfigFiles:\n  user.yaml: |\n    rootCoord:\n      enableActiveStandby: false\n",
			`remove rootCoord.enableActiveStandby in extraConfigFiles["user.yaml"] and set mixCoordinator.activeStandby.enabled to the value you want`,
			ha + "extraConfigFiles:\n  user.yaml: |\n    rootCoord: {}\n", true},
		{"4", "a misspelled key", "schema-unknown-key",
			"mixCoordinator:\n  activeStandBy:\n    enabled: true\n",
			"did you mean activeStandby? rename activeStandBy to activeStandby",
			"mixCoordinator:\n  activeStandby:\n    enabled: true\n", false},
		{"4", "a quoted boolean", "schema-type",
			"mixCoordinator:\n  activeStandby:\n    enabled: \"false\"\n",
			"write mixCoordinator.activeStandby.enabled: false without quotes",
			"mixCoordinator:\n  activeStandby:\n    enabled: false\n", false},
		{"4", "mixcoord beside rootcoord", "mixcoord-exclusive",
			"rootCoordinator:\n  enabled: true\n",
			"set rootCoordinator.enabled: false (mixCoordinator runs rootcoord)",
			"rootCoordinator:\n  enabled: false\n", false},
		{"4", "indexcoord on 2.4", "indexcoord-removed",
			"indexCoordinator:\n  enabled: true\n",
			"set indexCoordinator.enabled: false; datacoord runs index coordination",
			"indexCoordinator:\n  enabled: false\n", false},
		{"4", "Kubernetes' 25% on four replicas", "ha-rollout-strategy",
			"mixCoordinator:\n  replicas: 4\n  activeStandby:\n    enabled: true\n",
			"set mixCoordinator.strategy to {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}",
			"mixCoordinator:\n  replicas: 4\n  activeStandby:\n    enabled: true\n  strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 1, maxUnavailable: 0}}\n", false},
		{"5", "Recreate forced by the flag", "ha-rollout-strategy",
			"mixCoordinator:\n  replicas: 2\n",
			"set mixCoordinator.activeStandby.enabled: true (without it the chart renders Recreate, whatever mixCoordinator.strategy says)",
			ha, true},
		{"4", "customConfigMap hides the key", "ha-standby-unverifiable",
			"customConfigMap: my-config\n" + ha,
			`remove customConfigMap and set mixCoordinator.activeStandby.enabled: true (put your own settings in extraConfigFiles["user.yaml"])`,
			ha, true},
		{"4", "short session TTL", "session-ttl-range",
			"extraConfigFiles:\n  user.yaml: |\n    common:\n      session:\n        ttl: 5\n",
			`set common.session.ttl in extraConfigFiles["user.yaml"] to at least 15`,
			"extraConfigFiles:\n  user.yaml: |\n    common:\n      session:\n        ttl: 15\n", false},
		{"4", "liveness /healthz", "ha-liveness-kills-standby",
			ha,
			"set livenessProbe.enabled: false (chart 4.x hard-codes httpGet /healthz; chart 5.x probes tcpSocket), readiness still keeps a pod that is not ready out of its Service",
			ha + "livenessProbe:\n  enabled: false\n", false},
	}
	dir := chartsDir(t)
	loaded := map[string]*check.Chart{}
	for _, c := range charts {
		ch, err := check.LoadChart(os.DirFS(filepath.Join(dir, c.dir)), c.dir)
		require.NoError(t, err)
		loaded[c.major] = ch
	}
	causes := func(fs []finding.Finding) map[string]bool {
		out := map[string]bool{}
		for _, f := range fs {
			out[f.Rule+" "+f.Cause+" "+f.Message] = true
		}
		return out
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ch := loaded[tt.chart]
			before := ch.Check(&check.Input{Name: "v.yaml", Data: []byte(tt.before)}, check.Options{}).Findings
			found := 0
			for _, f := range before {
				if f.Rule == tt.rule {
					found++
					assert.Equal(t, tt.fix, f.Fix)
				}
			}
			require.NotZero(t, found, "the mistake is found: %v", before)
			after := ch.Check(&check.Input{Name: "v.yaml", Data: []byte(tt.after)}, check.Options{}).Findings
			had := causes(before)
			for _, f := range after {
				if tt.exposes && f.Severity == finding.Warning && haOnly[f.Rule] {
					t.Logf("with active-standby on: %s", f.Text())
					continue
				}
				assert.NotEqual(t, tt.rule, f.Rule, "the fix leaves a finding of its rule: %s", f.Text())
				assert.True(t, had[f.Rule+" "+f.Cause+" "+f.Message], "the fix brings a new finding: %s", f.Text())
			}
		})
	}
}

// haOnly are the rules that judge only a coordinator running active-standby
// with more than one replica.
var haOnly = map[string]bool{"ha-spread": true, "ha-disruption-budget": true, "ha-liveness-kills-standby": true}

// TestConcurrentChecks: one loaded upstream chart serves checks in parallel
// (valuescheck checks files on every core); each prepares its own copy of
// the subcharts its values enable. Run with -race.
func TestConcurrentChecks(t *testing.T) {
	dir := chartsDir(t)
	ch, err := check.LoadChart(os.DirFS(filepath.Join(dir, charts[0].dir)), charts[0].dir)
	require.NoError(t, err)
	inputs := []string{"", "kafka:\n  enabled: true\npulsarv3:\n  enabled: false\n", "cluster:\n  enabled: false\n", "etcd:\n  replicaCount: 1\n"}
	done := make(chan []finding.Finding)
	for _, in := range inputs {
		go func() {
			done <- ch.Check(&check.Input{Name: "v.yaml", Data: []byte(in)}, check.Options{}).Findings
		}()
	}
	for range inputs {
		for _, f := range <-done {
			assert.NotEqual(t, finding.Error, f.Severity, f.Text())
		}
	}
}
