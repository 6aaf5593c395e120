package yamlnode

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"gopkg.in/yaml.v3"
)

func TestResolveAndKindName(t *testing.T) {
	var doc yaml.Node
	assert.NoError(t, yaml.Unmarshal([]byte("a: &x [1, 2]\nb: *x\nc: {d: 1}\ne: 3\n"), &doc))
	root := doc.Content[0]
	alias := root.Content[3]
	assert.Equal(t, yaml.AliasNode, alias.Kind)
	assert.Equal(t, yaml.SequenceNode, Resolve(alias).Kind)
	assert.Equal(t, "list", KindName(Resolve(alias)))
	assert.Equal(t, "mapping", KindName(root.Content[5]))
	assert.Equal(t, "scalar", KindName(root.Content[7]))

	loop := &yaml.Node{Kind: yaml.AliasNode}
	loop.Alias = loop
	assert.Same(t, loop, Resolve(loop), "a self-referencing alias ends")
}
