// Package yamlnode holds what the parsers of values files and manifest
// streams both ask of a yaml.v3 node.
package yamlnode

import "gopkg.in/yaml.v3"

// Resolve follows aliases to the node they stand for (at most 100, so that a
// hostile chain cannot loop).
func Resolve(n *yaml.Node) *yaml.Node {
	for i := 0; n.Kind == yaml.AliasNode && n.Alias != nil && i < 100; i++ {
		n = n.Alias
	}
	return n
}

// KindName names a node's kind as messages do: list, mapping or scalar.
func KindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.SequenceNode:
		return "list"
	case yaml.MappingNode:
		return "mapping"
	}
	return "scalar"
}
