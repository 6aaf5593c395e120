package coord

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/milvus-coord/milvus-coord/internal/values"
)

// NormalizeKey is the form in which Milvus matches config keys and environment
// variable names (pkg/config: keys are lower-cased, a leading "milvus." is
// dropped, and '_', '.' and '/' are removed): ROOT_COORD_ENABLE_ACTIVE_STANDBY,
// rootCoord.enableActiveStandby and rootcoord.EnableActiveStandby are one key.
func NormalizeKey(key string) string {
	k := strings.ToLower(keyReplacer.Replace(key))
	k = strings.TrimPrefix(k, "milvus.")
	return separators.Replace(k)
}

// keyReplacer turns a key's spelling (a values-style path such as
// common["session.ttl"]) into Milvus' dotted key.
var keyReplacer = strings.NewReplacer(`["`, ".", `"]`, "", "[", ".", "]", "")

// separators are the characters Milvus drops when it matches keys.
var separators = strings.NewReplacer("_", "", ".", "", "/", "")

// ParseBool reads a boolean as Milvus' paramtable does (strconv.ParseBool,
// false on error): "true", "1" and "T" are true; "yes" and "on" are false.
func ParseBool(s string) (v, valid bool) {
	b, err := strconv.ParseBool(s)
	return b, err == nil
}

// Setting is one value of a Milvus config key in one source.
type Setting struct {
	Key   string // as written: common.session.TTL, common["session.ttl"], or the env var's name
	Value string // as Milvus reads it: every config value is a string to Milvus
	// Where names the setting for messages: "milvus.extraConfig.common.session.ttl",
	// `common.session.ttl in extraConfigFiles["user.yaml"]`, "env ROOT_COORD_...".
	Where string
	At    Source
	// Derived is true for a setting the chart writes from a values key (its
	// Where), false for one the user wrote as Milvus config or env.
	Derived bool
	// Unknown is true when the value is not in the manifest (an env var
	// from a Secret or ConfigMap key): rules cannot judge it.
	Unknown bool
	// Norm is NormalizeKey(Key), set when the setting is added to a layer.
	Norm string
}

// Layer is one config source: a config file, or the container environment.
type Layer struct {
	settings map[string][]Setting
}

// Set records a setting in the layer; later settings of the same key override
// earlier ones (for env, as the kubelet keeps the last of duplicate names).
func (l *Layer) Set(s Setting) {
	if l.settings == nil {
		l.settings = map[string][]Setting{}
	}
	s.Norm = NormalizeKey(s.Key)
	l.settings[s.Norm] = append(l.settings[s.Norm], s)
}

// Config is the configuration a Milvus process reads: its files in load order
// (a later file overrides an earlier one), then the environment, which beats
// every file (pkg/config/manager.go: env source priority over file sources).
type Config struct {
	Files []*Layer
	Env   *Layer
}

// NewConfig returns a config with one file layer, user.yaml, and the environment.
func NewConfig() *Config {
	return &Config{Files: []*Layer{{}}, Env: &Layer{}}
}

// UserYAML is the config file the chart writes.
func (c *Config) UserYAML() *Layer { return c.Files[len(c.Files)-1] }

// Lookup returns the setting Milvus reads for key, and every setting of it that
// it overrides, highest priority first.
func (c *Config) Lookup(key string) (Setting, []Setting, bool) {
	n := NormalizeKey(key)
	var all []Setting
	for i := len(c.Env.settings[n]) - 1; i >= 0; i-- {
		all = append(all, c.Env.settings[n][i])
	}
	for f := len(c.Files) - 1; f >= 0; f-- {
		s := c.Files[f].settings[n]
		for i := len(s) - 1; i >= 0; i-- {
			all = append(all, s[i])
		}
	}
	if len(all) == 0 {
		return Setting{}, nil, false
	}
	return all[0], all[1:], true
}

// Spellings returns, for every key that a config file holds under more than one
// spelling (ttl and TTL, a dotted key beside a nested one), the settings: Milvus
// loads a file into a map, so which spelling wins is left to chance.
func (c *Config) Spellings() [][]Setting {
	var out [][]Setting
	for _, f := range c.Files {
		keys := slices.Sorted(maps.Keys(f.settings))
		for _, k := range keys {
			spelled := map[string]bool{}
			for _, s := range f.settings[k] {
				spelled[s.Key] = true
			}
			if len(spelled) > 1 {
				out = append(out, f.settings[k])
			}
		}
	}
	return out
}

// FlattenConfig calls set for every scalar in a Milvus config mapping with the
// key's spelling, a values-style path ({common: {session: {ttl: 30}}} is
// common.session.ttl "30"; a dotted key written whole is ["common.session.ttl"],
// one Milvus key with the nested one but another key to YAML). Lists become
// comma-joined strings, as Milvus reads them.
func FlattenConfig(m map[string]any, set func(spelling, value string)) {
	flatten("", m, set)
}

func flatten(prefix string, m map[string]any, set func(spelling, value string)) {
	keys := slices.Sorted(maps.Keys(m))
	for _, k := range keys {
		key := values.Join(prefix, k)
		switch v := m[k].(type) {
		case map[string]any:
			flatten(key, v, set)
		case []any:
			parts := make([]string, len(v))
			for i, item := range v {
				parts[i] = ConfigString(item)
			}
			set(key, strings.Join(parts, ","))
		default:
			set(key, ConfigString(v))
		}
	}
}

// ConfigString is a YAML scalar as Milvus reads it from a config file.
func ConfigString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case int64:
		return strconv.FormatInt(v, 10)
	case int:
		return strconv.Itoa(v)
	}
	return fmt.Sprint(v)
}

// Settings returns every setting of the files (in load order) and then of the
// environment, each in the order it was set.
func (c *Config) Settings() []Setting {
	var out []Setting
	for _, l := range append(c.Files[:len(c.Files):len(c.Files)], c.Env) {
		out = append(out, l.Settings()...)
	}
	return out
}

// Settings returns the layer's settings, by normalised key, each key's in the
// order they were set.
func (l *Layer) Settings() []Setting {
	keys := slices.Sorted(maps.Keys(l.settings))
	var out []Setting
	for _, k := range keys {
		out = append(out, l.settings[k]...)
	}
	return out
}

// InEnv reports whether s is one of the environment's settings.
func (c *Config) InEnv(s Setting) bool {
	if s.Norm == "" {
		s.Norm = NormalizeKey(s.Key)
	}
	for _, e := range c.Env.settings[s.Norm] {
		if e == s {
			return true
		}
	}
	return false
}
