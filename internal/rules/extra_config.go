package rules

import (
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/values"
)

// extraConfigSource is one place where users add Milvus configuration.
type extraConfigSource struct {
	path   string         // values path of the source
	config map[string]any // its Milvus configuration
	inText bool           // the configuration is YAML text inside the value at path
}

// where names a Milvus config key inside the source, for messages.
func (s extraConfigSource) where(key string) string {
	if s.inText {
		return key + " in " + s.path
	}
	return s.path + "." + key
}

// extraConfigSources returns the extra Milvus configuration in the order the
// chart merges it over the generated user.yaml: extraConfigFiles."user.yaml",
// then milvus.extraConfig. Text that is not a YAML mapping is the chart's to
// refuse; it is skipped here.
func (in *Input) extraConfigSources() []extraConfigSource {
	var out []extraConfigSource
	if text, ok := mapAt(in.Values, "extraConfigFiles")["user.yaml"].(string); ok && text != "" {
		var parsed map[string]any
		if yaml.Unmarshal([]byte(text), &parsed) == nil && parsed != nil {
			out = append(out, extraConfigSource{path: values.Join("extraConfigFiles", "user.yaml"), config: parsed, inText: true})
		}
	}
	if m := mapAt(in.Values, "milvus", "extraConfig"); m != nil {
		out = append(out, extraConfigSource{path: "milvus.extraConfig", config: m})
	}
	return out
}

// effective returns the value Milvus reads for section.key from the extra
// config, and the source it comes from: the last source that sets it wins.
func (in *Input) effective(section, key string) (any, extraConfigSource, bool) {
	var (
		value any
		from  extraConfigSource
		found bool
	)
	for _, src := range in.extraConfigSources() {
		if v, ok := mapAt(src.config, section)[key]; ok {
			value, from, found = v, src, true
		}
	}
	return value, from, found
}
