package manifests

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/finding"
	"github.com/milvus-coord/milvus-coord/internal/golden"
)

// texts prints findings one per line, as the text report does.
func texts(fs []finding.Finding) string {
	var b strings.Builder
	for _, f := range fs {
		b.WriteString(f.Text() + "\n")
	}
	return b.String()
}

// TestGoldens: every stream under testdata/input, checked; the findings in
// testdata/output/<name>.txt.
func TestGoldens(t *testing.T) {
	files, err := filepath.Glob("testdata/input/*.yaml")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			var got []finding.Finding
			require.NotPanics(t, func() { got = Check(filepath.ToSlash(file), data) })
			require.NotEmpty(t, got, "never a silent pass")
			golden.Assert(t, filepath.Join("testdata", "output", name+".txt"), []byte(texts(got)))
		})
	}
}

// lineOf is the 1-based line of the first line of data holding text.
func lineOf(t *testing.T, data, text string) int {
	t.Helper()
	i := strings.Index(data, text)
	require.GreaterOrEqual(t, i, 0, "%q not in the input", text)
	return 1 + strings.Count(data[:i], "\n")
}

func ruleFinding(t *testing.T, fs []finding.Finding, rule, about string) finding.Finding {
	t.Helper()
	for _, f := range fs {
		if f.Rule == rule && strings.Contains(f.Message, about) {
			return f
		}
	}
	require.Failf(t, "finding missing", "no %s about %q in:\n%s", rule, about, texts(fs))
	return finding.Finding{}
}

func TestFindingsPointAtTheField(t *testing.T) {
	data, err := os.ReadFile("testdata/input/operator-cluster.yaml")
	require.NoError(t, err)
	text := string(data)
	fs := Check("c.yaml", data)

	f := ruleFinding(t, fs, "ha-replicas-need-standby", "my-release-milvus-querycoord")
	assert.Equal(t, finding.Origin{File: "c.yaml", Line: lineOf(t, text, "- name: QUERY_COORD_ENABLE_ACTIVE_STANDBY"), Col: 13}, f.Origin,
		"the env entry that turns active-standby off")
	assert.Equal(t, finding.Error, f.Severity)
	assert.False(t, f.Stricter, "objects are applied as they are: no Helm to be stricter than")

	f = ruleFinding(t, fs, "ha-rollout-strategy", "my-release-milvus-datacoord")
	assert.Equal(t, lineOf(t, text, "      type: Recreate"), f.Origin.Line, "the strategy's type")

	f = ruleFinding(t, fs, "ha-disruption-budget", "my-release-milvus-rootcoord")
	assert.Equal(t, lineOf(t, text, "- apiVersion: apps/v1\n  kind: Deployment"), f.Origin.Line, "the object's first line: no field to point at")
	assert.Equal(t, 3, f.Origin.Col, "the item of the List")
}

func TestStreamProblemsAreFindingsAtTheirLine(t *testing.T) {
	data, err := os.ReadFile("testdata/input/broken-documents.yaml")
	require.NoError(t, err)
	text := string(data)
	fs := Check("b.yaml", data)
	for _, tc := range []struct {
		rule, about, at string
	}{
		{RuleSyntax, "mapping values are not allowed", "    namespace: milvus"},
		{RuleNotObject, "is a list", "- just"},
		{RuleNotObject, "no apiVersion or kind", "kind: Deployment\nmetadata: {name: headless}"},
		{RuleDecode, "Deployment typo does not decode", "  replicas: two"},
		{RuleDupKey, `key "replicas" is set twice`, "  replicas: 2"},
	} {
		f := ruleFinding(t, fs, tc.rule, tc.about)
		assert.Equal(t, lineOf(t, text, tc.at), f.Origin.Line, "%s %s", tc.rule, f.Message)
		if tc.rule != RuleDupKey {
			assert.Equal(t, finding.Error, f.Severity)
		}
	}
	// The documents after the bad ones are still checked.
	ruleFinding(t, fs, "ha-rollout-strategy", "StatefulSet coord-rootcoord")
}

func TestListsAreUnwrapped(t *testing.T) {
	data, err := os.ReadFile("testdata/input/operator-cluster.yaml")
	require.NoError(t, err)
	objs, total, fs := Objects("c.yaml", data)
	assert.Empty(t, fs)
	assert.Equal(t, 5, total, "four Deployments and a ConfigMap in one List")
	assert.Len(t, objs, 5)
}

func TestBadStreams(t *testing.T) {
	bomb := "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	for _, n := range "bcdefgh" {
		prev := string(n - 1)
		bomb += string(n) + ": &" + string(n) + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
	}
	for _, tc := range []struct {
		name string
		data []byte
		rule string
		line int
	}{
		{"empty", nil, RuleEmpty, 0},
		{"only comments and separators", []byte("# x\n---\n---\n"), RuleEmpty, 0},
		{"binary", []byte("apiVersion: v1\n\x00\x01\x02"), RuleNotText, 2},
		{"Latin-1", []byte("apiVersion: v1\nkind: ConfigMap\ndata: {a: caf\xe9}\n"), RuleNotText, 3},
		{"too large", make([]byte, MaxSize+1), RuleTooLarge, 0},
		{"alias bomb", []byte(bomb), RuleAliasBomb, 6}, // f's aliases pass the budget
		{"alias to itself", []byte("apiVersion: v1\nkind: ConfigMap\ndata: &d\n  x: *d\n"), RuleAliasBomb, 4},
		{"a scalar", []byte("--- hello\n"), RuleNotObject, 1},
		{"no coordinator", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"), RuleNoCoords, 0},
		{"a tab", []byte("apiVersion: v1\n\tkind: x\n"), RuleSyntax, 2},
		{"metadata of another type", []byte("apiVersion: v1\nkind: ConfigMap\nmetadata: [x]\n"), RuleDecode, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var fs []finding.Finding
			require.NotPanics(t, func() { fs = Check("s.yaml", tc.data) })
			f := ruleFinding(t, fs, tc.rule, "")
			assert.Equal(t, tc.line, f.Origin.Line, "%s", texts(fs))
			assert.Equal(t, "s.yaml", f.Origin.File)
		})
	}
}

func TestUTF16IsText(t *testing.T) {
	in := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"
	data := []byte{0xFF, 0xFE}
	for _, r := range in {
		data = append(data, byte(r), 0)
	}
	fs := Check("u.yaml", data)
	require.Len(t, fs, 1)
	assert.Equal(t, RuleNoCoords, fs[0].Rule, "read as the text it is")
}

func TestSplitLikeKubectl(t *testing.T) {
	chunks, offsets := split([]byte("a: 1\n--- # c\nb: 2\n---\n---x: 3\n"))
	require.Len(t, chunks, 3)
	assert.Equal(t, []int{0, 2, 4}, offsets)
	assert.Equal(t, "a: 1\n", string(chunks[0]))
	assert.Equal(t, "b: 2\n", string(chunks[1]))
	assert.Equal(t, "---x: 3\n", string(chunks[2]), "--- followed by text is no separator")
}

func TestCatalogNamesEveryRule(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range Catalog() {
		assert.False(t, seen[r.ID], "duplicate %s", r.ID)
		seen[r.ID] = true
		assert.NotEmpty(t, r.Protects)
		assert.NotEmpty(t, r.Fix)
	}
	for _, id := range []string{RuleSyntax, RuleDecode, RuleNoCoords, "ha-liveness-kills-standby", "ha-replicas-need-standby"} {
		assert.True(t, seen[id], id)
	}
}
