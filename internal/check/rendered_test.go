package check

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	milvuscoord "github.com/milvus-coord/milvus-coord"
)

// chartCopy writes the embedded chart to a directory, with edit applied to
// each file, and loads it as a --chart copy.
func chartCopy(t *testing.T, edit func(name, text string) string) *Chart {
	t.Helper()
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, milvuscoord.Chart()))
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		return os.WriteFile(p, []byte(edit(filepath.ToSlash(rel), string(data))), 0o644)
	}))
	ch, err := LoadChart(os.DirFS(dir), "copy")
	require.NoError(t, err)
	return ch
}

// TestRenderedObjectsJudgedByTheSameRules: a chart copy whose templates no
// longer do what its values say is caught on the objects it renders, by the
// same rules, pointing at the values block that made the object.
func TestRenderedObjectsJudgedByTheSameRules(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(name, text string) string
		rule     string
		path     string
		contains string
	}{
		{"a strategy template that always recreates",
			func(name, text string) string {
				if name != "templates/_helpers.tpl" {
					return text
				}
				return strings.Replace(text, `{{- toYaml (dict "type" "RollingUpdate" "rollingUpdate" $rolling) }}`, `{{- toYaml (dict "type" "Recreate") }}`, 1)
			},
			"ha-rollout-strategy", "rootCoordinator", "Deployment release-name-milvus-coord-rootcoord has active-standby on but Recreate"},
		{"a budget template that is gone",
			func(name, text string) string {
				if name != "templates/coordinators.yaml" {
					return text
				}
				return strings.Replace(text, `{{- if and $.Values.podDisruptionBudget.enabled (gt (int $block.replicas) 1) }}`, `{{- if false }}`, 1)
			},
			"ha-disruption-budget", "rootCoordinator", "no PodDisruptionBudget covers the 2 replicas of Deployment release-name-milvus-coord-rootcoord"},
		{"an env var that turns active-standby off",
			func(name, text string) string {
				if name != "templates/coordinators.yaml" {
					return text
				}
				return strings.Replace(text, `value: {{ $declared | quote }}`, `value: "false"`, 1)
			},
			"extra-config-contradicts", "rootCoordinator", "reads \"false\" from env ROOT_COORD_ENABLE_ACTIVE_STANDBY"},
		{"a grace period shorter than the stop",
			func(name, text string) string {
				if name != "templates/coordinators.yaml" {
					return text
				}
				return strings.Replace(text, `{{ include "milvus-coord.terminationGracePeriod" $ctx }}`, `10`, 1)
			},
			"graceful-stop-timeout", "rootCoordinator", "Deployment release-name-milvus-coord-rootcoord gives its pods 10 s to stop (terminationGracePeriodSeconds), but Milvus may take 30 s"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			edited := false
			ch := chartCopy(t, func(name, text string) string {
				out := tt.edit(name, text)
				edited = edited || out != text
				return out
			})
			require.True(t, edited, "the edit applies to the chart")
			res := ch.Check(nil, Options{})
			var hits []string
			for _, f := range res.Findings {
				if f.Rule == tt.rule && strings.Contains(f.Message, tt.contains) {
					hits = append(hits, f.Text())
					assert.Equal(t, tt.path, f.Path)
					assert.True(t, f.Stricter)
				}
			}
			assert.NotEmpty(t, hits, "findings: %v", briefs(res.Findings))
		})
	}
}
