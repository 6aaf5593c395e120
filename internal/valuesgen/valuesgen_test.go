package valuesgen

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	milvuscoord "github.com/milvus-coord/milvus-coord"
	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/finding"
	_ "github.com/milvus-coord/milvus-coord/internal/golden" // defines -update, which `go test ./... -update` passes to every package
)

func TestGenerateIsDeterministic(t *testing.T) {
	assert.Equal(t, Generate(1, 5), Generate(1, 5))
	assert.NotEqual(t, Generate(1, 5), Generate(2, 5))
}

// TestGeneratedValuesPass: every generated file is valid and renders, so the
// benchmarks and differential tests measure real checks, not early refusals.
func TestGeneratedValuesPass(t *testing.T) {
	ch, err := check.LoadChart(milvuscoord.Chart(), milvuscoord.ChartDir)
	require.NoError(t, err)
	for i, v := range Generate(20261128, 50) {
		res := ch.Check(&check.Input{Name: "generated.yaml", Data: []byte(v)}, check.Options{})
		for _, f := range res.Findings {
			assert.NotEqual(t, finding.Error, f.Severity, "file %d: %s\n%s", i, f.Text(), v)
		}
		assert.NotNil(t, res.Rendered, "file %d", i)
	}
}
