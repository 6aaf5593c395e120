package docs

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestValuesTable(t *testing.T) {
	readme := "# chart\n\n## Values\n\n| Key | Type | Default | Description |\n|-----|------|---------|-------------|\n" +
		"| image.tag | string | `\"v1\"` | Image tag. |\n" +
		"| labels | object | `{}` |  |\n" +
		"| sep | string | `\"a\\|b\"` | A `\\|` stays in its cell. |\n" +
		"\nAfter the table.\n| not | a | row | here |\n"
	rows, err := ValuesTable(readme)
	require.NoError(t, err)
	assert.Equal(t, []ValueRow{
		{Key: "image.tag", Type: "string", Default: "`\"v1\"`", Description: "Image tag."},
		{Key: "labels", Type: "object", Default: "`{}`"},
		{Key: "sep", Type: "string", Default: "`\"a\\|b\"`", Description: "A `\\|` stays in its cell."},
	}, rows, "rows up to the end of the first values table")

	_, err = ValuesTable("# chart\n\nno table\n")
	assert.ErrorContains(t, err, "no values table")
	_, err = ValuesTable("| Key | Type | Default | Description |\n|---|---|---|---|\n| a | string | `\"x|y\"` | d |\n")
	assert.ErrorContains(t, err, "has 5 cells, not 4")
}

func TestUndocumentedValues(t *testing.T) {
	values := "# yaml-language-server: $schema=values.schema.json\n# A header comment, not a description.\n" +
		"# -- Image tag,\n# continued.\ntag: v1\n  # --\nempty: 1\n# --x is not one\n"
	assert.Equal(t, 2, DocComments(values), "`# -- text` and a bare `# --`, indented or not")

	rows := []ValueRow{{Key: "tag", Description: "Image tag, continued."}, {Key: "empty", Description: "x"}}
	assert.Empty(t, UndocumentedValues(rows, 2))
	assert.Equal(t, []string{
		"labels has no description: add a `# --` comment directly above it in values.yaml",
		"values.yaml has 3 `# --` comments but the table has 2 described keys: a comment must stand directly above its key",
	}, UndocumentedValues(append(rows, ValueRow{Key: "labels"}), 3))
}

func TestBlocks(t *testing.T) {
	md := "# Title\n\n```sh\nmake test\n```\n\ntext\n\n  ```yaml extra\na: 1\n  ```\n"
	blocks, err := Blocks(md)
	require.NoError(t, err)
	require.Len(t, blocks, 2)
	assert.Equal(t, "sh", blocks[0].Lang)
	assert.Equal(t, "make test\n", blocks[0].Body)
	assert.Equal(t, 3, blocks[0].Line)
	assert.Equal(t, "make test\n", md[blocks[0].Start:blocks[0].End])
	assert.Equal(t, "yaml", blocks[1].Lang)
	assert.Equal(t, "a: 1\n", blocks[1].Body)

	_, err = Blocks("```sh\nnever closed\n")
	assert.ErrorContains(t, err, "line 1")
}

func TestReplaceBetween(t *testing.T) {
	doc := "a\n<!-- b -->\nold\nlines\n<!-- e -->\nz\n"
	got, err := ReplaceBetween(doc, "<!-- b -->", "<!-- e -->", "new\n")
	require.NoError(t, err)
	assert.Equal(t, "a\n<!-- b -->\nnew\n<!-- e -->\nz\n", got)
	between, err := Between(got, "<!-- b -->", "<!-- e -->")
	require.NoError(t, err)
	assert.Equal(t, "new\n", between)

	_, err = ReplaceBetween("no markers", "<!-- b -->", "<!-- e -->", "")
	assert.ErrorContains(t, err, "not found")
	_, err = ReplaceBetween("<!-- b -->\n<!-- b -->\n<!-- e -->\n", "<!-- b -->", "<!-- e -->", "")
	assert.ErrorContains(t, err, "more than once")
	_, err = ReplaceBetween("<!-- e -->\n<!-- b -->\n", "<!-- b -->", "<!-- e -->", "")
	assert.ErrorContains(t, err, "not found after")
}

func TestCell(t *testing.T) {
	assert.Equal(t, "a \\| b `x \\| y` &lt;coord>.enabled `<kept>` \\*_ENV _unset_", Cell("a | b `x | y` <coord>.enabled `<kept>` *_ENV _unset_"))
	assert.Equal(t, "one line", Cell("one\n  line"))
}
