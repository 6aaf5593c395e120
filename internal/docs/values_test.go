package docs

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testSchema = `{
  "type": "object",
  "additionalProperties": false,
  "properties": {
    "image": {"type": "object", "description": "Container image.", "additionalProperties": false, "properties": {
      "tag": {"type": "string", "description": "Image tag (schema)."},
      "pullPolicy": {"type": "string", "enum": ["Always", "IfNotPresent"], "description": "Pull policy.", "default": "IfNotPresent"}
    }},
    "mode": {"type": "string", "description": ""},
    "resources": {"$ref": "#/definitions/io.k8s.api.core.v1.ResourceRequirements", "description": "Resources."},
    "labels": {"type": "object", "additionalProperties": {"type": "string"}, "description": "Labels."},
    "extraConfig": {"type": "object", "description": "Open config.", "properties": {"x": {"type": "boolean", "description": "x"}}},
    "ports": {"type": "array", "items": {"type": "integer"}, "description": "Ports."},
    "size": {"type": ["integer", "string"], "description": "Size."},
    "files": {"type": "object", "additionalProperties": false, "description": "Files.", "properties": {
      "user.yaml": {"type": "string", "description": "User file."}
    }}
  }
}`

const testValues = `# yaml-language-server: $schema=values.schema.json
# A header comment, not a description.

# -- The image; its keys are documented too.
image:
  # -- Image tag,
  # continued on the next line.
  tag: v1
# -- Mode of
# operation.
mode: a
# -- Resources.
resources:
  requests:
    cpu: 500m
labels: {}
extraConfig: {}
# -- Ports.
ports: [1, 2]
size: 1
files:
  # -- The user file.
  user.yaml: ""
`

func TestDocument(t *testing.T) {
	doc, err := Document([]byte(testValues), []byte(testSchema))
	require.NoError(t, err)
	assert.Empty(t, doc.Problems())
	got := map[string]Value{}
	var order []string
	for _, v := range doc.Values {
		got[v.Path] = v
		order = append(order, v.Path)
	}
	assert.Equal(t, []string{
		"image", "image.tag", "image.pullPolicy", "mode", "resources", "labels", "extraConfig", "ports", "size",
		"files", `files["user.yaml"]`,
	}, order, "file order; keys only the schema knows after their siblings; no keys inside Kubernetes types, maps or open objects")

	assert.Equal(t, Value{Path: "image", Type: "object", Description: "The image; its keys are documented too.", FromComment: true, InValues: true, HasKeys: true, Line: 5}, got["image"])
	assert.Equal(t, "Image tag, continued on the next line.", got["image.tag"].Description, "continuation lines")
	assert.Equal(t, `"v1"`, got["image.tag"].Default)
	assert.Equal(t, Value{Path: "image.pullPolicy", Type: "string: Always, IfNotPresent", Default: `"IfNotPresent"`, Description: "Pull policy."}, got["image.pullPolicy"], "a key only the schema knows")
	assert.Equal(t, "Mode of operation.", got["mode"].Description)
	assert.Equal(t, "Kubernetes ResourceRequirements", got["resources"].Type)
	assert.Equal(t, `{"requests":{"cpu":"500m"}}`, got["resources"].Default)
	assert.Equal(t, "map of string", got["labels"].Type)
	assert.Equal(t, Value{Path: "labels", Type: "map of string", Default: "{}", Description: "Labels.", InValues: true, Line: 16}, got["labels"], "the schema's description when there is no comment")
	assert.Equal(t, "object", got["extraConfig"].Type)
	assert.False(t, got["extraConfig"].HasKeys, "an open object is one value")
	assert.Equal(t, "list of integer", got["ports"].Type)
	assert.Equal(t, "[1,2]", got["ports"].Default)
	assert.Equal(t, "integer or string", got["size"].Type)
	assert.Equal(t, "The user file.", got[`files["user.yaml"]`].Description)
}

func TestDocumentProblems(t *testing.T) {
	values := `mode: a
unknown: 1
image:
  tag: v1
  # -- A comment YAML gives to no key: it trails the mapping.
`
	doc, err := Document([]byte(values), []byte(testSchema))
	require.NoError(t, err)
	assert.Equal(t, []string{
		"mode (values.yaml line 1) has no description: add a `# --` comment above it in values.yaml, or a description in the schema",
		"unknown (values.yaml line 2) has no description: add a `# --` comment above it in values.yaml, or a description in the schema",
		"values.yaml has 1 `# --` comments but only 0 describe a key: a comment must stand directly above its key",
	}, doc.Problems())
}

func TestDocumentErrors(t *testing.T) {
	_, err := Document([]byte("- a list\n"), []byte(testSchema))
	assert.ErrorContains(t, err, "not a mapping")
	_, err = Document([]byte("a: [\n"), []byte(testSchema))
	assert.ErrorContains(t, err, "values.yaml")
	_, err = Document([]byte("a: 1\n"), []byte("{"))
	assert.ErrorContains(t, err, "values.schema.json")
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
