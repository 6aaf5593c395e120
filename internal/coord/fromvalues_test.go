package coord

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"k8s.io/apimachinery/pkg/util/intstr"

	"github.com/milvus-coord/milvus-coord/internal/testtools"
)

func TestFromValuesOfTheChartDefaults(t *testing.T) {
	m := FromValues(testtools.ChartDefaults(t))

	assert.Equal(t, Known(Version{2, 4, 17}, Source{Path: "image.all.tag"}), m.Version)
	assert.Equal(t, Known("v2.4.17", Source{Path: "image.all.tag"}), m.Tag)
	assert.Equal(t, []string{"rootCoordinator", "queryCoordinator", "dataCoordinator"}, workloadNames(m), "chart order")
	assert.Equal(t, []Absent{{Key: "mixCoordinator", Role: "mixcoord", Enabled: Source{Path: "mixCoordinator.enabled"}}}, m.Absent)
	require.True(t, m.Queue.Known)
	assert.True(t, m.Queue.Value.Pulsar)
	assert.False(t, m.Queue.Value.Kafka)

	for _, role := range Required {
		w := workload(t, m, role.ValuesKey)
		t.Run(role.Name, func(t *testing.T) {
			assert.Equal(t, role.ValuesKey, w.Block)
			assert.Equal(t, Single, w.Process)
			assert.Equal(t, []Role{role}, w.Roles)
			assert.Equal(t, Known(2, Source{Path: role.ValuesKey + ".replicas"}), w.Replicas)
			assert.Equal(t, Known(true, Source{Path: role.ValuesKey + ".activeStandby.enabled"}), w.Declared)

			s := w.ActiveStandby(role, m.Version)
			assert.True(t, s.On)
			assert.True(t, s.Setting.Derived, "the chart's own env var")
			assert.Equal(t, EnvName(ActiveStandbyKey(role.Section)), s.Setting.Key)
			_, overridden, _ := w.Config.Lookup(ActiveStandbyKey(role.Section))
			require.Len(t, overridden, 1, "the chart's user.yaml key")
			assert.Equal(t, ActiveStandbyKey(role.Section), overridden[0].Key)

			ttl, ttlSetting, ok := w.SessionTTL()
			assert.True(t, ok)
			assert.Equal(t, 30, ttl)
			assert.Equal(t, "milvus.session.ttl", ttlSetting.Where)
			assert.True(t, ttlSetting.Derived)

			require.True(t, w.Strategy.Known)
			st := w.Strategy.Value
			assert.Equal(t, "RollingUpdate", st.Type)
			assert.False(t, st.HasRollingUpdate)
			assert.Equal(t, "1", st.MaxSurge.String())
			assert.Equal(t, "0", st.MaxUnavailable.String())
			assert.Equal(t, Source{Path: role.ValuesKey + ".strategy.rollingUpdate.maxSurge"}, st.MaxSurgeAt)

			require.True(t, w.Spread.Known)
			assert.True(t, w.Spread.Value.Apart)
			assert.Empty(t, w.Spread.Value.PinnedTo)
			assert.Equal(t, Source{Path: "podAntiAffinity.mode"}, w.Spread.At)

			require.True(t, w.Budget.Known)
			assert.True(t, w.Budget.Value.Covered)
			assert.Equal(t, role.ValuesKey, w.Budget.Value.Name)
			assert.Empty(t, w.Config.Spellings(), "no key twice")
		})
	}
}

func TestFromValuesOfOverlays(t *testing.T) {
	cases := []struct {
		name    string
		overlay string
		check   func(t *testing.T, m *Model)
	}{
		{
			name:    "mixCoordinator on 2.4 is a mixture of the three roles",
			overlay: "mixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}",
			check: func(t *testing.T, m *Model) {
				w := workload(t, m, "mixCoordinator")
				assert.Equal(t, Mixture, w.Process)
				assert.Equal(t, Required, w.Roles)
				assert.Len(t, m.Absent, 3)
				for _, r := range Required {
					assert.True(t, w.ActiveStandby(r, m.Version).On, r.Name)
				}
			},
		},
		{
			name:    "mixCoordinator on 2.6 is mixcoord",
			overlay: "image: {all: {tag: v2.6.3}}\nmixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}",
			check: func(t *testing.T, m *Model) {
				assert.Equal(t, Mixcoord, workload(t, m, "mixCoordinator").Process)
			},
		},
		{
			name:    "2.6.3 mixcoord reads mixCoord.enableActiveStandby, which the chart writes in config and env",
			overlay: "image: {all: {tag: v2.6.3}}\nmixCoordinator: {enabled: true, activeStandby: {enabled: false}, replicas: 1}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}",
			check: func(t *testing.T, m *Model) {
				w := workload(t, m, "mixCoordinator")
				s := w.ActiveStandby(QueryCoord, m.Version)
				assert.False(t, s.On)
				assert.Equal(t, "MIX_COORD_ENABLE_ACTIVE_STANDBY", s.Setting.Key)
				win, overridden, ok := w.Config.Lookup("mixCoord.enableActiveStandby")
				require.True(t, ok)
				assert.True(t, win.Derived)
				require.Len(t, overridden, 1, "the user.yaml key under the env var")
				assert.Equal(t, "mixCoord.enableActiveStandby", overridden[0].Key)
			},
		},
		{
			name:    "2.6.3 mixcoord: an extraConfig mixCoord key is overridden by the chart's env",
			overlay: "image: {all: {tag: v2.6.3}}\nmixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmilvus: {extraConfig: {mixCoord: {enableActiveStandby: false}}}",
			check: func(t *testing.T, m *Model) {
				s := workload(t, m, "mixCoordinator").ActiveStandby(QueryCoord, m.Version)
				assert.True(t, s.On)
				assert.Equal(t, "MIX_COORD_ENABLE_ACTIVE_STANDBY", s.Setting.Key)
			},
		},
		{
			name:    "2.4 mixture: each role's graceful stop from milvus.gracefulStopTimeout, one after another",
			overlay: "mixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmilvus: {gracefulStopTimeout: 20}",
			check: func(t *testing.T, m *Model) {
				w := workload(t, m, "mixCoordinator")
				assert.Equal(t, []string{"rootCoord", "queryCoord", "dataCoord"}, w.StopSections())
				for _, section := range w.StopSections() {
					st := w.StopTimeout(section)
					assert.Equal(t, 20.0, st.Value, section)
					assert.True(t, st.Setting.Derived, section)
				}
				assert.Equal(t, 60.0, w.StopNeeds())
				assert.Equal(t, Known(90, Source{Path: "milvus.gracefulStopTimeout"}), w.Grace)
				grpc, verified := w.GRPCStopTimeout(m.Version)
				assert.Equal(t, 10.0, grpc.Value)
				assert.True(t, verified)
			},
		},
		{
			name:    "2.6 mixcoord stops within rootCoord's timeout alone; extraConfig overrides it",
			overlay: "image: {all: {tag: v2.6.15}}\nmixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmilvus: {extraConfig: {rootCoord: {gracefulStopTimeout: \"7.5\"}}}",
			check: func(t *testing.T, m *Model) {
				w := workload(t, m, "mixCoordinator")
				assert.Equal(t, []string{"rootCoord"}, w.StopSections())
				assert.Equal(t, 7.5, w.StopTimeout("rootCoord").Value)
				assert.Equal(t, Known(60, Source{Path: "milvus.gracefulStopTimeout"}), w.Grace)
				_, _, found := w.Config.Lookup("queryCoord.gracefulStopTimeout")
				assert.False(t, found, "mixcoord reads no queryCoord timeout: the chart writes none")
				grpc, _ := w.GRPCStopTimeout(m.Version)
				assert.Equal(t, 3.0, grpc.Value)
			},
		},
		{
			name:    "a graceful stop Milvus cannot parse is read as 0",
			overlay: "milvus: {extraConfig: {dataCoord: {gracefulStopTimeout: soon}}}",
			check: func(t *testing.T, m *Model) {
				st := workload(t, m, "dataCoordinator").StopTimeout("dataCoord")
				assert.True(t, st.Invalid)
				assert.Zero(t, st.Value)
			},
		},
		{
			name:    "2.6.8 mixcoord is active-standby whatever the values say",
			overlay: "image: {all: {tag: v2.6.8}}\nmixCoordinator: {enabled: true, replicas: 2, activeStandby: {enabled: false}}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}",
			check: func(t *testing.T, m *Model) {
				s := workload(t, m, "mixCoordinator").ActiveStandby(RootCoord, m.Version)
				assert.True(t, s.On)
				assert.True(t, s.Always)
			},
		},
		{
			name: "extraConfig is merged over user.yaml text, which is merged over the chart's keys",
			overlay: `
extraConfigFiles:
  user.yaml: |
    common:
      session:
        ttl: 20
milvus:
  extraConfig:
    common: {session: {ttl: 45}}`,
			check: func(t *testing.T, m *Model) {
				w := workload(t, m, "rootCoordinator")
				got, over, ok := w.Config.Lookup(SessionTTLKey)
				require.True(t, ok)
				assert.Equal(t, "45", got.Value)
				assert.Equal(t, "milvus.extraConfig.common.session.ttl", got.Where)
				assert.Equal(t, Source{Path: "milvus.extraConfig.common.session.ttl"}, got.At)
				require.Len(t, over, 2)
				assert.Equal(t, `common.session.ttl in extraConfigFiles["user.yaml"]`, over[0].Where)
				assert.Equal(t, Source{Path: `extraConfigFiles["user.yaml"]`}, over[0].At)
				assert.Equal(t, "milvus.session.ttl", over[1].Where)
			},
		},
		{
			name:    "a dotted key and TTL in extraConfig are other spellings of the chart's ttl",
			overlay: "milvus: {extraConfig: {common.session.ttl: 20, common: {session: {TTL: 25}}}}",
			check: func(t *testing.T, m *Model) {
				groups := workload(t, m, "dataCoordinator").Config.Spellings()
				require.Len(t, groups, 1)
				var where []string
				for _, s := range groups[0] {
					where = append(where, s.Where)
				}
				assert.Equal(t, []string{"milvus.session.ttl", "milvus.extraConfig.common.session.TTL", `milvus.extraConfig["common.session.ttl"]`}, where)
			},
		},
		{
			name: "extraEnv is read after the chart's env, skipping items that are no name-value mapping",
			overlay: `
rootCoordinator:
  extraEnv:
    - FOO=bar
    - null
    - 7
    - {value: "no name"}
    - {name: ""}
    - {name: 5, value: "x"}
    - {name: ROOT_COORD_ENABLE_ACTIVE_STANDBY, value: "false"}
    - [nested, list]`,
			check: func(t *testing.T, m *Model) {
				s := workload(t, m, "rootCoordinator").ActiveStandby(RootCoord, m.Version)
				assert.False(t, s.On)
				assert.Equal(t, "rootCoordinator.extraEnv[6].name ROOT_COORD_ENABLE_ACTIVE_STANDBY", s.Setting.Where)
				assert.Equal(t, Source{Path: "rootCoordinator.extraEnv[6].name"}, s.Setting.At)
				assert.False(t, s.Setting.Derived)
			},
		},
		{
			name:    "a string enableActiveStandby is the boolean Milvus parses",
			overlay: `milvus: {extraConfig: {queryCoord: {enableActiveStandby: "true"}}}`,
			check: func(t *testing.T, m *Model) {
				w := workload(t, m, "queryCoordinator")
				got, _, _ := lookupIn(w.Config.UserYAML(), ActiveStandbyKey("queryCoord"))
				assert.Equal(t, "true", got.Value)
				v, ok := ParseBool(got.Value)
				assert.True(t, ok)
				assert.True(t, v)
			},
		},
		{
			name:    "a strategy override merges over the chart's rolling update",
			overlay: `rootCoordinator: {strategy: {rollingUpdate: {maxSurge: "50%"}}}`,
			check: func(t *testing.T, m *Model) {
				st := workload(t, m, "rootCoordinator").Strategy
				require.True(t, st.Known)
				assert.Equal(t, "RollingUpdate", st.Value.Type)
				assert.True(t, st.Value.HasRollingUpdate)
				assert.Equal(t, ios("50%"), st.Value.MaxSurge)
				assert.Equal(t, ioi(0), st.Value.MaxUnavailable)
			},
		},
		{
			name:    "without active-standby the chart rolls with Recreate",
			overlay: `rootCoordinator: {replicas: 1, activeStandby: {enabled: false}}`,
			check: func(t *testing.T, m *Model) {
				st := workload(t, m, "rootCoordinator").Strategy
				require.True(t, st.Known)
				assert.Equal(t, "Recreate", st.Value.Type)
				assert.Equal(t, Source{Path: "rootCoordinator.strategy"}, st.Value.TypeAt)
				assert.Nil(t, st.Value.MaxSurge)
			},
		},
		{
			name:    "a RollingUpdate asked for without active-standby is kept as asked",
			overlay: `rootCoordinator: {activeStandby: {enabled: false}, strategy: {type: RollingUpdate, rollingUpdate: {maxSurge: 2}}}`,
			check: func(t *testing.T, m *Model) {
				st := workload(t, m, "rootCoordinator").Strategy.Value
				assert.Equal(t, "RollingUpdate", st.Type)
				assert.Equal(t, intstr.FromInt32(2), *st.MaxSurge)
				assert.Nil(t, st.MaxUnavailable)
			},
		},
		{
			name:    "a hostname nodeSelector pins the pods",
			overlay: `queryCoordinator: {nodeSelector: {kubernetes.io/hostname: node-1}}`,
			check: func(t *testing.T, m *Model) {
				sp := workload(t, m, "queryCoordinator").Spread.Value
				assert.Equal(t, "node-1", sp.PinnedTo)
				assert.Equal(t, Source{Path: `queryCoordinator.nodeSelector["kubernetes.io/hostname"]`}, sp.PinnedAt)
			},
		},
		{
			name: "a required node affinity allowing one host pins the pods",
			overlay: `
queryCoordinator:
  affinity:
    nodeAffinity:
      requiredDuringSchedulingIgnoredDuringExecution:
        nodeSelectorTerms:
          - matchExpressions:
              - {key: kubernetes.io/hostname, operator: In, values: [node-2]}`,
			check: func(t *testing.T, m *Model) {
				sp := workload(t, m, "queryCoordinator").Spread.Value
				assert.Equal(t, "node-2", sp.PinnedTo)
				assert.Equal(t, Source{Path: "queryCoordinator.affinity.nodeAffinity"}, sp.PinnedAt)
				assert.True(t, sp.Apart, "the chart's anti-affinity stays")
			},
		},
		{
			name:    "podAntiAffinity.mode none leaves replicas together",
			overlay: `podAntiAffinity: {mode: none}`,
			check: func(t *testing.T, m *Model) {
				sp := workload(t, m, "rootCoordinator").Spread
				assert.False(t, sp.Value.Apart)
				assert.Equal(t, Source{Path: "podAntiAffinity.mode"}, sp.At)
			},
		},
		{
			name:    "an empty podAntiAffinity override replaces the chart's",
			overlay: `rootCoordinator: {affinity: {podAntiAffinity: {}}}`,
			check: func(t *testing.T, m *Model) {
				sp := workload(t, m, "rootCoordinator").Spread
				assert.False(t, sp.Value.Apart)
				assert.Equal(t, Source{Path: "rootCoordinator.affinity.podAntiAffinity"}, sp.At)
			},
		},
		{
			name:    "topologySpreadConstraints keep replicas apart without anti-affinity",
			overlay: `podAntiAffinity: {mode: none}` + "\n" + `rootCoordinator: {topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule}]}`,
			check: func(t *testing.T, m *Model) {
				assert.True(t, workload(t, m, "rootCoordinator").Spread.Value.Apart)
			},
		},
		{
			name:    "no budget without podDisruptionBudget.enabled, or for one replica",
			overlay: `podDisruptionBudget: {enabled: false}` + "\n" + `dataCoordinator: {replicas: 1}`,
			check: func(t *testing.T, m *Model) {
				assert.False(t, workload(t, m, "rootCoordinator").Budget.Value.Covered)
				assert.True(t, workload(t, m, "rootCoordinator").Budget.Known)
			},
		},
		{
			name:    "kafka as the queue",
			overlay: `externalPulsar: {enabled: false}` + "\n" + `externalKafka: {enabled: true, brokerList: "k:9092"}`,
			check: func(t *testing.T, m *Model) {
				require.True(t, m.Queue.Known)
				assert.Equal(t, MessageQueue{Kafka: true, KafkaBrokers: "k:9092", PulsarAt: Source{Path: "externalPulsar.enabled"},
					KafkaAt: Source{Path: "externalKafka.enabled"}, BrokersAt: Source{Path: "externalKafka.brokerList"}}, m.Queue.Value)
			},
		},
		{
			name:    "a tag without version: tag known, version unknown",
			overlay: `image: {all: {tag: latest}}`,
			check: func(t *testing.T, m *Model) {
				assert.True(t, m.Tag.Known)
				assert.False(t, m.Version.Known)
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vals := valuesWith(t, tc.overlay)
			var m *Model
			require.NotPanics(t, func() { m = FromValues(vals) })
			tc.check(t, m)
		})
	}
}

// lookupIn looks key up in one layer alone.
func lookupIn(l *Layer, key string) (Setting, []Setting, bool) {
	c := &Config{Files: []*Layer{l}, Env: &Layer{}}
	return c.Lookup(key)
}

// Values of the wrong type anywhere are the schema's to report: the model
// records the fact as unknown and never panics.
func TestFromValuesOfWrongTypesYieldsUnknownFacts(t *testing.T) {
	cases := []struct {
		name    string
		overlay string
		check   func(t *testing.T, m *Model)
	}{
		{"image is a string", `image: milvus`, func(t *testing.T, m *Model) {
			assert.False(t, m.Tag.Known)
			assert.False(t, m.Version.Known)
		}},
		{"tag is a number", `image: {all: {tag: 2.4}}`, func(t *testing.T, m *Model) {
			assert.False(t, m.Tag.Known, "2.4 as a number is no tag: Helm would print 2.4 for 2.40")
		}},
		{"a block is a list", `rootCoordinator: [enabled]`, func(t *testing.T, m *Model) {
			assert.NotContains(t, workloadNames(m), "rootCoordinator")
		}},
		{"enabled is a string", `rootCoordinator: {enabled: "yes"}`, func(t *testing.T, m *Model) {
			assert.NotContains(t, workloadNames(m), "rootCoordinator")
		}},
		{"replicas is a string", `rootCoordinator: {replicas: "2"}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Replicas.Known)
		}},
		{"replicas is a fraction", `rootCoordinator: {replicas: 1.5}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Replicas.Known)
		}},
		{"replicas is huge", `rootCoordinator: {replicas: 1e300}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Replicas.Known)
		}},
		{"replicas is null", `rootCoordinator: {replicas: null}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Replicas.Known)
		}},
		{"activeStandby is a boolean", `rootCoordinator: {activeStandby: true}`, func(t *testing.T, m *Model) {
			w := workload(t, m, "rootCoordinator")
			assert.False(t, w.Declared.Known)
			assert.False(t, w.Strategy.Known)
		}},
		{"activeStandby.enabled is a string", `rootCoordinator: {activeStandby: {enabled: "true"}}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Declared.Known)
		}},
		{"strategy is a string", `rootCoordinator: {strategy: Recreate}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Strategy.Known)
		}},
		{"strategy.type is a number", `rootCoordinator: {strategy: {type: 1}}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Strategy.Known)
		}},
		{"rollingUpdate is a list", `rootCoordinator: {strategy: {rollingUpdate: [1]}}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Strategy.Known)
		}},
		{"maxSurge is a boolean", `rootCoordinator: {strategy: {rollingUpdate: {maxSurge: true}}}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Strategy.Known)
		}},
		{"maxSurge is beyond int32", `rootCoordinator: {strategy: {rollingUpdate: {maxSurge: 1e12}}}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Strategy.Known)
		}},
		{"extraEnv is a string", `rootCoordinator: {extraEnv: "FOO=bar"}`, func(t *testing.T, m *Model) {
			assert.Empty(t, userSettings(workload(t, m, "rootCoordinator")), "only the chart's own settings")
		}},
		{"extraConfig is a list", `milvus: {extraConfig: [a, b]}`, func(t *testing.T, m *Model) {
			assert.Empty(t, userSettings(workload(t, m, "rootCoordinator")))
		}},
		{"milvus is a number", `milvus: 1`, func(t *testing.T, m *Model) {
			_, _, ok := workload(t, m, "rootCoordinator").SessionTTL()
			assert.False(t, ok)
		}},
		{"session.ttl is a string", `milvus: {session: {ttl: "30"}}`, func(t *testing.T, m *Model) {
			_, _, ok := workload(t, m, "rootCoordinator").SessionTTL()
			assert.False(t, ok)
		}},
		{"user.yaml is a number", `extraConfigFiles: {user.yaml: 5}`, func(t *testing.T, m *Model) {
			assert.Empty(t, userSettings(workload(t, m, "rootCoordinator")))
		}},
		{"user.yaml is a YAML list", "extraConfigFiles: {user.yaml: \"- a\\n- b\"}", func(t *testing.T, m *Model) {
			assert.Empty(t, userSettings(workload(t, m, "rootCoordinator")))
		}},
		{"user.yaml is invalid YAML", `extraConfigFiles: {user.yaml: "a: [b"}`, func(t *testing.T, m *Model) {
			assert.Empty(t, userSettings(workload(t, m, "rootCoordinator")))
		}},
		{"podAntiAffinity is a string", `podAntiAffinity: soft`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Spread.Known)
		}},
		{"affinity is a list", `rootCoordinator: {affinity: [x]}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Spread.Known)
		}},
		{"nodeAffinity of the wrong shape", `rootCoordinator: {affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: [null, 1, {matchExpressions: [null, {values: 3}]}]}}}}`, func(t *testing.T, m *Model) {
			assert.Empty(t, workload(t, m, "rootCoordinator").Spread.Value.PinnedTo)
		}},
		{"topologySpreadConstraints is a map", `rootCoordinator: {topologySpreadConstraints: {a: 1}}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Spread.Known)
		}},
		{"podDisruptionBudget.enabled is a string", `podDisruptionBudget: {enabled: "true"}`, func(t *testing.T, m *Model) {
			assert.False(t, workload(t, m, "rootCoordinator").Budget.Known)
		}},
		{"externalKafka is a list", `externalKafka: []`, func(t *testing.T, m *Model) {
			assert.False(t, m.Queue.Known)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			vals := valuesWith(t, tc.overlay)
			var m *Model
			require.NotPanics(t, func() { m = FromValues(vals) })
			tc.check(t, m)
		})
	}
	t.Run("nil values", func(t *testing.T) {
		assert.NotPanics(t, func() { FromValues(nil) })
	})
}

// userSettings are the settings of w that the user wrote (not derived by the chart).
func userSettings(w *Workload) []Setting {
	var out []Setting
	for _, s := range w.Config.Settings() {
		if !s.Derived {
			out = append(out, s)
		}
	}
	return out
}
