package coord

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNormalizeKeyMatchesKeysAsMilvusDoes(t *testing.T) {
	cases := []struct{ a, b string }{
		{"ROOT_COORD_ENABLE_ACTIVE_STANDBY", "rootCoord.enableActiveStandby"},
		{"rootcoord.EnableActiveStandby", "rootCoord.enableActiveStandby"},
		{"common.session.TTL", "common.session.ttl"},
		{`common["session.ttl"]`, "common.session.ttl"},
		{`["common.session.ttl"]`, "common.session.ttl"},
		{"COMMON_SESSION_TTL", "common.session.ttl"},
		{"common/session/ttl", "common.session.ttl"},
	}
	for _, tc := range cases {
		t.Run(tc.a, func(t *testing.T) {
			assert.Equal(t, NormalizeKey(tc.b), NormalizeKey(tc.a))
		})
	}
	assert.Equal(t, "rootcoordenableactivestandby", NormalizeKey("rootCoord.enableActiveStandby"))
	assert.NotEqual(t, NormalizeKey("rootCoord.enableActiveStandby"), NormalizeKey("queryCoord.enableActiveStandby"))
	assert.NotEqual(t, NormalizeKey("rootCoord.activeStandby.enabled"), NormalizeKey("rootCoord.enableActiveStandby"))
}

func TestEnvNameIsTheSpellingMilvusDocsUse(t *testing.T) {
	cases := map[string]string{
		"rootCoord.enableActiveStandby":  "ROOT_COORD_ENABLE_ACTIVE_STANDBY",
		"queryCoord.enableActiveStandby": "QUERY_COORD_ENABLE_ACTIVE_STANDBY",
		"dataCoord.enableActiveStandby":  "DATA_COORD_ENABLE_ACTIVE_STANDBY",
		"mixCoord.enableActiveStandby":   "MIX_COORD_ENABLE_ACTIVE_STANDBY",
		"common.session.ttl":             "COMMON_SESSION_TTL",
		"etcd.rootPath":                  "ETCD_ROOT_PATH",
	}
	for key, want := range cases {
		t.Run(key, func(t *testing.T) {
			assert.Equal(t, want, EnvName(key))
			assert.Equal(t, NormalizeKey(key), NormalizeKey(EnvName(key)), "Milvus reads the env var for the key")
		})
	}
}

func TestParseBoolIsStrconvParseBool(t *testing.T) {
	cases := []struct {
		in       string
		v, valid bool
	}{
		{"true", true, true},
		{"True", true, true},
		{"TRUE", true, true},
		{"1", true, true},
		{"t", true, true},
		{"T", true, true},
		{"false", false, true},
		{"0", false, true},
		{"F", false, true},
		{"yes", false, false},
		{"on", false, false},
		{"y", false, false},
		{"", false, false},
		{" true", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			v, valid := ParseBool(tc.in)
			assert.Equal(t, tc.v, v, "value")
			assert.Equal(t, tc.valid, valid, "valid")
		})
	}
}

// setting is a setting as a layer stores it (its key normalised).
func setting(key, value, where string) Setting {
	return Setting{Key: key, Value: value, Where: where, At: Source{Path: where}, Norm: NormalizeKey(key)}
}

func TestConfigLookupPriority(t *testing.T) {
	const key = "rootCoord.enableActiveStandby"
	cases := []struct {
		name      string
		build     func(*Config)
		want      string   // Where of the setting Milvus reads
		overrides []string // Where of the ones it overrides, highest priority first
		found     bool
	}{
		{name: "unset key is not found", build: func(*Config) {}},
		{
			name:  "a file setting is read",
			build: func(c *Config) { c.UserYAML().Set(setting(key, "true", "user")) },
			want:  "user", found: true,
		},
		{
			name: "env beats every file whatever its spelling",
			build: func(c *Config) {
				c.Env.Set(setting("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "false", "env"))
				c.UserYAML().Set(setting(key, "true", "user"))
			},
			want: "env", overrides: []string{"user"}, found: true,
		},
		{
			name: "a later file beats an earlier one",
			build: func(c *Config) {
				c.Files = []*Layer{{}, {}} // milvus.yaml, user.yaml
				c.UserYAML().Set(setting(key, "true", "user"))
				c.Files[0].Set(setting(key, "false", "milvus.yaml"))
			},
			want: "user", overrides: []string{"milvus.yaml"}, found: true,
		},
		{
			name: "the last env var of a name wins",
			build: func(c *Config) {
				c.Env.Set(setting("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "true", "env first"))
				c.Env.Set(setting("ROOT_COORD_ENABLE_ACTIVE_STANDBY", "false", "env last"))
			},
			want: "env last", overrides: []string{"env first"}, found: true,
		},
		{
			name: "within a file the later setting wins",
			build: func(c *Config) {
				c.UserYAML().Set(setting(key, "true", "chart"))
				c.UserYAML().Set(setting("rootCoord.EnableActiveStandby", "false", "extra"))
			},
			want: "extra", overrides: []string{"chart"}, found: true,
		},
		{
			name: "another key is not confused with it",
			build: func(c *Config) {
				c.UserYAML().Set(setting("queryCoord.enableActiveStandby", "true", "query"))
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewConfig()
			tc.build(c)
			got, over, found := c.Lookup(key)
			require.Equal(t, tc.found, found)
			assert.Equal(t, tc.want, got.Where)
			var overWhere []string
			for _, o := range over {
				overWhere = append(overWhere, o.Where)
			}
			assert.Equal(t, tc.overrides, overWhere)
		})
	}
}

func TestConfigSpellingsFindsOneKeyWrittenTwiceInAFile(t *testing.T) {
	cases := []struct {
		name  string
		build func(*Config)
		want  [][]string // keys of each group
	}{
		{
			name: "ttl and TTL",
			build: func(c *Config) {
				c.UserYAML().Set(setting("common.session.ttl", "30", "a"))
				c.UserYAML().Set(setting("common.session.TTL", "20", "b"))
			},
			want: [][]string{{"common.session.ttl", "common.session.TTL"}},
		},
		{
			name: "a dotted key beside the nested one",
			build: func(c *Config) {
				c.UserYAML().Set(setting("common.session.ttl", "30", "a"))
				c.UserYAML().Set(setting(`["common.session.ttl"]`, "20", "b"))
			},
			want: [][]string{{"common.session.ttl", `["common.session.ttl"]`}},
		},
		{
			name: "one spelling set twice (the chart's key, then extra config) is an override, not a duplicate",
			build: func(c *Config) {
				c.UserYAML().Set(setting("common.session.ttl", "30", "a"))
				c.UserYAML().Set(setting("common.session.ttl", "20", "b"))
			},
		},
		{
			name: "a file and the env spelling one key differently are layers, not duplicates",
			build: func(c *Config) {
				c.UserYAML().Set(setting("common.session.ttl", "30", "a"))
				c.Env.Set(setting("COMMON_SESSION_TTL", "20", "b"))
			},
		},
		{
			name: "each file is judged alone",
			build: func(c *Config) {
				c.Files = []*Layer{{}, {}} // milvus.yaml, user.yaml
				c.Files[0].Set(setting("common.session.TTL", "30", "a"))
				c.UserYAML().Set(setting("common.session.ttl", "20", "b"))
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := NewConfig()
			tc.build(c)
			var got [][]string
			for _, group := range c.Spellings() {
				var keys []string
				for _, s := range group {
					keys = append(keys, s.Key)
				}
				got = append(got, keys)
			}
			assert.Equal(t, tc.want, got)
		})
	}
}

func TestFlattenConfigSpellsKeysAsValuesPaths(t *testing.T) {
	in := map[string]any{
		"common":             map[string]any{"session": map[string]any{"ttl": float64(30), "TTL": "20"}},
		"common.session.ttl": int64(15),
		"rootCoord":          map[string]any{"enableActiveStandby": true, "list": []any{"a", float64(1.5), nil}},
		"empty":              nil,
	}
	got := map[string]string{}
	var order []string
	FlattenConfig(in, func(spelling, value string) {
		got[spelling] = value
		order = append(order, spelling)
	})
	assert.Equal(t, map[string]string{
		"common.session.ttl":            "30",
		"common.session.TTL":            "20",
		`["common.session.ttl"]`:        "15",
		"rootCoord.enableActiveStandby": "true",
		"rootCoord.list":                "a,1.5,",
		"empty":                         "",
	}, got)
	assert.Equal(t, []string{"common.session.TTL", "common.session.ttl", `["common.session.ttl"]`, "empty",
		"rootCoord.enableActiveStandby", "rootCoord.list"}, order, "by sorted YAML key: deterministic")
}

func TestConfigStringIsTheValueMilvusReads(t *testing.T) {
	assert.Equal(t, "", ConfigString(nil))
	assert.Equal(t, "yes", ConfigString("yes"))
	assert.Equal(t, "true", ConfigString(true))
	assert.Equal(t, "30", ConfigString(float64(30)))
	assert.Equal(t, "2.5", ConfigString(2.5))
	assert.Equal(t, "1000000000000", ConfigString(float64(1e12)), "no exponent")
	assert.Equal(t, "7", ConfigString(int64(7)))
	assert.Equal(t, "7", ConfigString(7))
}

func TestConfigSettingsAndInEnv(t *testing.T) {
	c := NewConfig()
	file := setting("common.session.ttl", "30", "file")
	env := setting("COMMON_SESSION_TTL", "30", "env")
	c.UserYAML().Set(file)
	c.Env.Set(env)
	assert.Equal(t, []Setting{file, env}, c.Settings(), "files first, then env")
	assert.True(t, c.InEnv(env))
	assert.False(t, c.InEnv(file))
}
