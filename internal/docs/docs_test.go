package docs

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	milvuscoord "github.com/milvus-coord/milvus-coord"
	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/golden"
	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

// TestDocs generates the documentation and compares it with the files in the
// repository; `make docs` (-update) rewrites them instead.
//
//   - charts/milvus-coord/README.md, whole: what the pinned helm-docs makes of
//     README.md.gotmpl, Chart.yaml and values.yaml; every key in its values
//     table must have a description, and every `# --` comment must describe one.
//   - README.md, in three kinds of places: the rules table between
//     <!-- rules:begin --> and <!-- rules:end --> (the embedded chart's Catalog); every
//     ```text or ```json block right after a one-command ```sh block (what the command
//     prints, run from the top of a copy of the tree, with its exit code
//     checked against readmeCommands); and every ```yaml block whose first
//     line is "# examples/<file>" (that file, without its modeline).
func TestDocs(t *testing.T) {
	t.Run("chart README", func(t *testing.T) {
		chartDir := filepath.Join(repoRoot, "charts", "milvus-coord")
		got, err := ChartReadme(context.Background(), testtools.HelmDocs(t), chartDir)
		require.NoError(t, err)
		rows, err := ValuesTable(got)
		require.NoError(t, err)
		assert.NotEmpty(t, rows)
		problems := UndocumentedValues(rows, DocComments(read(t, filepath.Join(chartDir, "values.yaml"))))
		assert.Empty(t, problems, "charts/milvus-coord/values.yaml:\n%s", strings.Join(problems, "\n"))
		assertGenerated(t, filepath.Join(chartDir, "README.md"), got)
	})
	t.Run("README", func(t *testing.T) {
		path := filepath.Join(repoRoot, "README.md")
		got, err := ReplaceBetween(read(t, path), RulesBegin, RulesEnd, RulesTable(embeddedCatalog(t)))
		require.NoError(t, err)
		got = generateBlocks(t, got)
		assertGenerated(t, path, got)
	})
}

// exampleInclude is the first line of a ```yaml block that shows an example file.
var exampleInclude = regexp.MustCompile(`^# (examples/[^\s]+\.yaml)\n`)

// generateBlocks regenerates the output blocks and example blocks of md.
func generateBlocks(t *testing.T, md string) string {
	t.Helper()
	blocks, err := Blocks(md)
	require.NoError(t, err)
	var box *sandbox
	type edit struct {
		start, end int
		body       string
	}
	var edits []edit
	for i, b := range blocks {
		switch {
		case (b.Lang == "text" || b.Lang == "json") && i > 0 && blocks[i-1].Lang == "sh" && adjacent(md, blocks[i-1], b):
			cmds := Commands(blocks[i-1].Body)
			require.Len(t, cmds, 1, "README.md line %d: a ```sh block followed by its output must hold one command", blocks[i-1].Line)
			exp, ok := readmeCommands[cmds[0]]
			require.True(t, ok && exp.covered == "", "README.md line %d: %q shows an output but readmeCommands does not run it", blocks[i-1].Line, cmds[0])
			if box == nil {
				box = newSandbox(t)
			}
			out, code := box.run(t, cmds[0])
			assert.Equal(t, exp.exit, code, "%s\n%s", cmds[0], out)
			if out != "" && !strings.HasSuffix(out, "\n") {
				out += "\n"
			}
			edits = append(edits, edit{b.Start, b.End, out})
		case b.Lang == "yaml" && exampleInclude.MatchString(b.Body):
			name := exampleInclude.FindStringSubmatch(b.Body)[1]
			file := read(t, filepath.Join(repoRoot, name))
			if first, rest, ok := strings.Cut(file, "\n"); ok && strings.HasPrefix(first, modelinePrefix) {
				file = rest
			}
			edits = append(edits, edit{b.Start, b.End, "# " + name + "\n" + file})
		}
	}
	for i := len(edits) - 1; i >= 0; i-- {
		e := edits[i]
		md = md[:e.start] + e.body + md[e.end:]
	}
	return md
}

const modelinePrefix = "# yaml-language-server: $schema="

// adjacent reports whether block b follows block a with only blank lines between.
func adjacent(md string, a, b Block) bool {
	between := md[a.End:b.Start]
	// a's closing fence, blank lines, b's opening fence
	lines := strings.Split(strings.TrimSpace(between), "\n")
	return len(lines) == 2 || len(lines) > 2 && strings.TrimSpace(strings.Join(lines[1:len(lines)-1], "")) == ""
}

// assertGenerated compares got with the file at path, or rewrites the file
// with -update.
func assertGenerated(t *testing.T, path, got string) {
	t.Helper()
	if golden.Updating() {
		golden.Assert(t, path, []byte(got))
		return
	}
	want, err := os.ReadFile(path)
	rel, _ := filepath.Rel(repoRoot, path)
	require.NoError(t, err, "%s is missing: run `make docs`", rel)
	if string(want) != got {
		t.Errorf("%s is out of date: run `make docs` and review the diff\n%s", rel, lineDiff(string(want), got))
	}
}

// lineDiff shows the lines that differ between two texts, with a little
// context: the file's (-) and what the sources make (+).
func lineDiff(file, generated string) string {
	a, b := strings.Split(file, "\n"), strings.Split(generated, "\n")
	pre := 0
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	suf := 0
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	const context, most = 2, 40
	var out strings.Builder
	fmt.Fprintf(&out, "@@ line %d @@\n", max(pre-context, 0)+1)
	for _, l := range a[max(pre-context, 0):pre] {
		out.WriteString("  " + l + "\n")
	}
	for i, l := range a[pre : len(a)-suf] {
		if i == most {
			out.WriteString("- ...\n")
			break
		}
		out.WriteString("- " + l + "\n")
	}
	for i, l := range b[pre : len(b)-suf] {
		if i == most {
			out.WriteString("+ ...\n")
			break
		}
		out.WriteString("+ " + l + "\n")
	}
	for _, l := range a[len(a)-suf : min(len(a)-suf+context, len(a))] {
		out.WriteString("  " + l + "\n")
	}
	return out.String()
}

func read(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	return string(data)
}

// embeddedCatalog is the rule catalog of the embedded chart.
func embeddedCatalog(t *testing.T) []check.RuleInfo {
	t.Helper()
	ch, err := check.LoadChart(milvuscoord.Chart(), milvuscoord.ChartDir)
	require.NoError(t, err)
	return ch.Catalog()
}
