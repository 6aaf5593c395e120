package rules

import "testing"

func TestSessionTTLRange(t *testing.T) {
	const userYAML = `extraConfigFiles["user.yaml"]`
	ttl := func(v string) string { return "milvus:\n  session:\n    ttl: " + v + "\n" }
	runCases(t, sessionTTLRange, []ruleCase{
		{name: "chart defaults: 30 s"},
		{name: "15 s, the lowest allowed", overlay: ttl("15")},
		{name: "60 s, the highest allowed", overlay: ttl("60")},
		{
			name:    "14 s is too short",
			overlay: ttl("14"),
			want: []want{{
				Path: "milvus.session.ttl",
				Msg:  "common.session.ttl is 14 s: a session this short can expire during an etcd leader change, and an active coordinator that loses its lease exits (a crash fails over in about 14 s",
			}},
		},
		{
			name:    "61 s is too long",
			overlay: ttl("61"),
			want: []want{{
				Path: "milvus.session.ttl",
				Msg:  "common.session.ttl is 61 s: after a crash, SIGKILL or node loss the standby takes over only when the lease expires, so the coordinator is down for about 61 s",
			}},
		},
		{
			name:    "10 s, the Milvus 2.6.0-2.6.5 default",
			overlay: ttl("10"),
			want:    []want{{Path: "milvus.session.ttl", Msg: "common.session.ttl is 10 s: a session this short"}},
		},
		{
			name:    "0 s is the schema's to refuse",
			overlay: ttl("0"),
		},
		{
			name:    "3600 s",
			overlay: ttl("3600"),
			want:    []want{{Path: "milvus.session.ttl", Msg: "down for about 3600 s"}},
		},
		{
			name:  "int64 as --set gives it",
			tweak: setAt("milvus.session.ttl", int64(14)),
			want:  []want{{Path: "milvus.session.ttl", Msg: "common.session.ttl is 14 s"}},
		},
		{name: "string is not read (the schema reports it)", overlay: ttl(`"5"`)},
		{name: "not a whole number is not read", overlay: ttl("14.5")},
		{name: "removed with null", overlay: ttl("null")},
		{name: "milvus.session not a mapping", overlay: "milvus:\n  session: 5\n"},
		{
			name: "milvus.extraConfig overrides milvus.session.ttl",
			overlay: `
milvus:
  session: {ttl: 30}
  extraConfig:
    common:
      session: {ttl: 10}
`,
			want: []want{{Path: "milvus.extraConfig.common.session.ttl", Msg: "common.session.ttl is 10 s"}},
		},
		{
			name: "milvus.extraConfig fixes a bad milvus.session.ttl",
			overlay: `
milvus:
  session: {ttl: 5}
  extraConfig:
    common:
      session: {ttl: 30}
`,
		},
		{
			name: "milvus.extraConfig at the 15 s boundary",
			overlay: `
milvus:
  extraConfig:
    common:
      session: {ttl: 15}
`,
		},
		{
			name: "user.yaml TTL too long",
			overlay: `
extraConfigFiles:
  user.yaml: |
    common:
      session:
        ttl: 61
`,
			want: []want{{Path: userYAML, Msg: "common.session.ttl is 61 s"}},
		},
		{
			name: "user.yaml too long, milvus.extraConfig (merged last) fine",
			overlay: `
extraConfigFiles:
  user.yaml: |
    common:
      session:
        ttl: 100
milvus:
  extraConfig:
    common:
      session: {ttl: 20}
`,
		},
		{
			name: "user.yaml fine, milvus.extraConfig (merged last) too long",
			overlay: `
extraConfigFiles:
  user.yaml: |
    common:
      session:
        ttl: 20
milvus:
  extraConfig:
    common:
      session: {ttl: 100}
`,
			want: []want{{Path: "milvus.extraConfig.common.session.ttl", Msg: "common.session.ttl is 100 s"}},
		},
		{
			name: "an extra TTL that is not a number overrides milvus.session.ttl and cannot be judged",
			overlay: `
milvus:
  session: {ttl: 14}
  extraConfig:
    common:
      session: {ttl: abc}
`,
			want: nil,
		},
		{
			name: "invalid YAML in user.yaml is ignored",
			overlay: `
extraConfigFiles:
  user.yaml: "common: {session: {ttl: 5}"
`,
		},
		{
			name: "extra config without a TTL leaves milvus.session.ttl",
			overlay: `
milvus:
  session: {ttl: 61}
  extraConfig:
    common: {gracefulStopTimeout: 30}
`,
			want: []want{{Path: "milvus.session.ttl", Msg: "common.session.ttl is 61 s"}},
		},
	})
}
