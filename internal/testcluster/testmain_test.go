package testcluster

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestNamespaceName(t *testing.T) {
	tests := []struct {
		prefix, test string
		max          int
		want         string
	}{
		{"e2e-", "TestInstall/02-ha-values.yaml", 63, "e2e-07-install-02-ha-values-yaml"},
		{"c", "TestRollout/hard_anti-affinity", 40, "c07-rollout-hard-anti-affinity"},
		{"c", "TestDrain/" + strings.Repeat("x", 60), 40, "c07-drain-" + strings.Repeat("x", 30)},
		{"c", "TestA/b-----------------------------------------c", 16, "c07-a-b"},
	}
	for _, tt := range tests {
		got := NamespaceName(tt.prefix, 7, tt.test, tt.max)
		assert.Equal(t, tt.want, got, tt.test)
		assert.LessOrEqual(t, len(got), tt.max)
	}
}
