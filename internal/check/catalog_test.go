package check

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	sigsyaml "sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/values"
)

func TestCatalog(t *testing.T) {
	cat := embedded(t).Catalog()
	seen := map[string]bool{}
	stages := []string{"parse", "schema", "rules", "render"}
	last := 0
	for _, r := range cat {
		assert.False(t, seen[r.ID], "%s listed twice", r.ID)
		seen[r.ID] = true
		assert.NotEmpty(t, r.Protects, r.ID)
		assert.NotEmpty(t, r.Fix, r.ID)
		stage := -1
		for i, s := range stages {
			if s == r.Stage {
				stage = i
			}
		}
		require.GreaterOrEqual(t, stage, last, "%s (stage %s) out of pipeline order", r.ID, r.Stage)
		last = stage
	}
}

// TestCatalogHelmAcceptsParse checks the catalog's HelmAccepts of every parse
// rule against Helm's own parser (sigs.k8s.io/yaml, as `helm template -f`
// reads a values file) on an input that triggers the rule.
func TestCatalogHelmAcceptsParse(t *testing.T) {
	inputs := map[string][]byte{
		values.RuleAliasBomb:    []byte(bombInput()),
		values.RuleMultipleDocs: []byte("a: 1\n---\nb: 2\n"),
		values.RuleNotMapping:   []byte("- a\n- b\n"),
		values.RuleNotText:      []byte("a: \x00\n"),
		values.RuleSyntax:       []byte("a: [1\n"),
		values.RuleTooLarge:     append([]byte("a: 1\n#"), bytes.Repeat([]byte("x"), values.MaxFileSize)...),
		values.RuleDuplicateKey: []byte("a: 1\na: 2\n"),
		values.RuleEmpty:        []byte("# nothing\n"),
	}
	for _, r := range embedded(t).Catalog() {
		if r.Stage != "parse" {
			continue
		}
		t.Run(r.ID, func(t *testing.T) {
			in, ok := inputs[r.ID]
			require.True(t, ok, "no input for %s", r.ID)
			_, found := values.Parse("x.yaml", in)
			require.NotEmpty(t, found)
			require.Equal(t, r.ID, found[0].Rule, "the input triggers the rule")
			var m map[string]any
			helmAccepts := sigsyaml.Unmarshal(in, &m) == nil
			assert.Equal(t, helmAccepts, r.HelmRefuses == HelmNever, "Helm accepts an input of %s: %v", r.ID, helmAccepts)
			assert.Equal(t, helmAccepts, found[0].Stricter, "the finding says whether Helm accepts it")
		})
	}
}

func bombInput() string {
	s := `a: &a ["x","x","x","x","x","x","x","x","x"]` + "\n"
	prev := "a"
	for _, n := range []string{"b", "c", "d", "e", "f", "g", "h", "i"} {
		s += n + ": &" + n + " [*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + ",*" + prev + "]\n"
		prev = n
	}
	return s
}

// TestCatalogHelmRefusesRules: an HA rule is marked as partly refused by Helm
// exactly when the chart's schema has a rule entry for it or its guards name it.
func TestCatalogHelmRefusesRules(t *testing.T) {
	got := map[string]string{}
	for _, r := range embedded(t).Catalog() {
		if r.Stage == "rules" {
			got[r.ID] = r.HelmRefuses
		}
	}
	for _, id := range []string{"ha-replicas-need-standby", "non-ha-rolling-update", "mixcoord-exclusive", "coordinators-incomplete",
		"message-queue", "milvus-version-coordinators", "extra-env-overrides"} {
		assert.Equal(t, HelmSome, got[id], id)
	}
	for _, id := range []string{"ha-spread", "ha-disruption-budget", "ha-rollout-strategy", "session-ttl-range", "milvus-version-unknown",
		"milvus-config-duplicate-key", "extra-config-ignored", "extra-config-contradicts", "indexcoord-removed"} {
		assert.Equal(t, HelmNever, got[id], id)
	}
}
