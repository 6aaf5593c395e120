package upstream_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/rules"
	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// TestManifestsAgree: helm template of the upstream chart piped into
// valuescheck manifests gives the same HA verdict (the same rule IDs) as
// valuescheck --chart on the same values. Only the HA rules are compared:
// keys and types are the values' to judge, the manifest stream's parse
// findings the stream's.
func TestManifestsAgree(t *testing.T) {
	dir := chartsDir(t)
	for _, c := range charts {
		chart := filepath.Join(dir, c.dir)
		ci, err := filepath.Glob(filepath.Join(chart, "ci", "*-values.yaml"))
		require.NoError(t, err)
		for _, file := range append(append([]string{filepath.Join(chart, "values.yaml")}, ci...), mistakes(t)...) {
			t.Run(c.dir+"/"+filepath.Base(file), func(t *testing.T) {
				fromValues, _ := valuescheck(t, chart, file)
				rendered, err := helmTemplate(t, chart, file)
				require.NoError(t, err)
				stream := filepath.Join(t.TempDir(), "rendered.yaml")
				require.NoError(t, os.WriteFile(stream, []byte(rendered), 0o644))
				res := testtools.Run(t, 2*time.Minute, os.Environ(), root, vcBinary, "manifests", "-o", "json", stream)
				require.Contains(t, []int{0, 1}, res.Code, res.Stderr)
				var fromObjects report
				require.NoError(t, json.Unmarshal([]byte(res.Stdout), &fromObjects), res.Stdout)
				want, got := haRuleIDs(fromValues), haRuleIDs(fromObjects)
				if known, ok := knownDifferences[c.major+"/"+filepath.Base(file)]; ok {
					want = known.manifests
					assert.Equal(t, known.chart, haRuleIDs(fromValues), "--chart: %s", known.why)
				}
				assert.Equal(t, want, got, "valuescheck --chart (left) and helm template | valuescheck manifests (right)")
			})
		}
	}
}

// haRuleIDs are the IDs of the HA rules a report names, sorted, once each.
// Two rules judge what --chart cannot see and are left out: network-policy-open
// (a NetworkPolicy for the pods comes from outside the chart, so --chart does
// not judge it, while a stream shows whether one is there) and
// extra-config-credentials (--chart blames what the user writes, not the
// default.yaml the chart generates, whose MinIO keys a stream shows in clear).
func haRuleIDs(r report) []string {
	ids := []string{}
	for _, f := range r.Files {
		for _, x := range f.Findings {
			if x.Rule == "network-policy-open" || x.Rule == "extra-config-credentials" {
				continue
			}
			if _, ok := rules.Lookup(x.Rule); ok {
				ids = append(ids, x.Rule)
			}
		}
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// knownDifferences are the fixtures whose verdicts differ, and why: what the
// stream cannot show.
var knownDifferences = map[string]struct {
	why              string
	chart, manifests []string
}{
	"4/custom-configmap.yaml": {
		why:       "the customConfigMap is not in the render: --chart knows Milvus reads it and cannot see it; the stream shows a Deployment mounting a ConfigMap it does not hold, and Milvus' default false",
		chart:     []string{"ha-disruption-budget", "ha-liveness-kills-standby", "ha-spread", "ha-standby-unverifiable"},
		manifests: []string{"ha-replicas-need-standby", "non-ha-rolling-update"},
	},
}
