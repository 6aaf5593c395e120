package manifests

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

// statefulSet is a two-replica active-standby rootcoord as a StatefulSet.
const statefulSet = `apiVersion: v1
kind: ConfigMap
metadata: {name: cfg, namespace: milvus}
data:
  user.yaml: |
    rootCoord: {enableActiveStandby: true}
    indexCoord: {enableActiveStandby: true}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: coord-rootcoord, namespace: milvus}
spec:
  replicas: 2
  selector: {matchLabels: {app: coord}}
  template:
    metadata: {labels: {app: coord}}
    spec:
      containers:
      - name: milvus
        image: milvusdb/milvus:v2.4.17
        args: [milvus, run, rootcoord]
        volumeMounts:
        - {name: config, mountPath: /milvus/configs/user.yaml, subPath: user.yaml}
      volumes:
      - {name: config, configMap: {name: cfg}}
`

// TestFixesWorkAsWritten: the fix a finding prints, applied to the objects
// word for word, leaves no finding of that cause and brings none the objects
// did not have.
func TestFixesWorkAsWritten(t *testing.T) {
	read := func(name string) string {
		data, err := os.ReadFile("testdata/input/" + name)
		require.NoError(t, err)
		return string(data)
	}
	for _, tc := range []struct {
		name, rule, before, fix, old, new string
	}{
		{"a /healthz liveness probe", "ha-liveness-kills-standby", read("operator-mixcoord-2.6.yaml"),
			"in spec.template.spec.containers[mixcoord].livenessProbe of Deployment big-milvus-mixcoord, replace httpGet with tcpSocket: {port: metrics}",
			"          httpGet:\n            path: /healthz\n            port: metrics\n", "          tcpSocket: {port: metrics}\n"},
		{"replicas without active-standby: one replica", "ha-replicas-need-standby", read("operator-mixture.yaml"),
			"set QUERY_COORD_ENABLE_ACTIVE_STANDBY=true and DATA_COORD_ENABLE_ACTIVE_STANDBY=true in the env or config of Deployment mix-milvus-mixcoord, or spec.replicas: 1",
			"  replicas: 2\n", "  replicas: 1\n"},
		{"a short session TTL", "session-ttl-range", read("operator-mixture.yaml"),
			"set common.session.ttl in data.user.yaml of ConfigMap mix to at least 15", "ttl: 10", "ttl: 15"},
		{"a rolling update without active-standby", "non-ha-rolling-update", read("operator-cluster.yaml"),
			"set spec.strategy of Deployment my-release-milvus-querycoord to type: Recreate with no rollingUpdate",
			"    strategy:\n      rollingUpdate:\n        maxSurge: 1\n        maxUnavailable: 0\n      type: RollingUpdate\n    template:\n      metadata:\n        labels:\n          app.kubernetes.io/component: querycoord",
			"    strategy:\n      type: Recreate\n    template:\n      metadata:\n        labels:\n          app.kubernetes.io/component: querycoord"},
		{"a StatefulSet rolling active-standby pods", "ha-rollout-strategy", statefulSet,
			"run StatefulSet coord-rootcoord as a Deployment rolling with maxUnavailable: 0 and maxSurge: 1, or set spec.updateStrategy.type: OnDelete and delete its pods one at a time, standbys first",
			"  replicas: 2\n", "  replicas: 2\n  updateStrategy: {type: OnDelete}\n"},
		{"indexCoord's key from 2.3", "extra-config-ignored", statefulSet,
			"remove indexCoord.enableActiveStandby in data.user.yaml of ConfigMap cfg; dataCoord.enableActiveStandby sets the mode",
			"    indexCoord: {enableActiveStandby: true}\n", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := Check("b.yaml", []byte(tc.before))
			var causes []string
			for _, f := range before {
				if f.Rule == tc.rule && f.Fix == tc.fix {
					causes = append(causes, f.Cause)
				}
			}
			require.NotEmpty(t, causes, "the mistake is found with that fix:\n%s", texts(before))
			require.Equal(t, 1, strings.Count(tc.before, tc.old), "the edit applies once")
			after := Check("a.yaml", []byte(strings.Replace(tc.before, tc.old, tc.new, 1)))
			had := map[string]bool{}
			for _, f := range before {
				had[key(f)] = true
			}
			for _, f := range after {
				for _, c := range causes {
					assert.NotEqual(t, c, f.Cause, "the fix leaves its finding: %s", f.Text())
				}
				assert.True(t, had[key(f)], "the fix brings a new finding: %s", f.Text())
			}
		})
	}
}

func key(f finding.Finding) string { return f.Rule + " " + f.Cause + " " + f.Message }
