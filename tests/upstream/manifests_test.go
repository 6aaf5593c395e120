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
				assert.Equal(t, haRuleIDs(fromValues), haRuleIDs(fromObjects), "valuescheck --chart (left) and helm template | valuescheck manifests (right)")
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
