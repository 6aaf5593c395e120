package schema

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/finding"
)

const chartDir = "../../charts/milvus-coord"

var (
	chartOnce      sync.Once
	chartValidator *Validator
	chartErr       error
)

// validator compiles the chart's values.schema.json once for all tests.
func validator(t *testing.T) *Validator {
	t.Helper()
	chartOnce.Do(func() {
		raw, err := os.ReadFile(filepath.Join(chartDir, "values.schema.json"))
		if err != nil {
			chartErr = err
			return
		}
		chartValidator, chartErr = Compile(raw)
	})
	require.NoError(t, chartErr)
	return chartValidator
}

// withDefaults returns the chart's values.yaml with overlay (YAML) merged over
// it as Helm merges a values file: mappings merge, anything else replaces.
func withDefaults(t *testing.T, overlay string) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	require.NoError(t, err)
	var defaults, user map[string]any
	require.NoError(t, yaml.Unmarshal(raw, &defaults))
	require.NoError(t, yaml.Unmarshal([]byte(overlay), &user))
	return merge(defaults, user)
}

func merge(dst, src map[string]any) map[string]any {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				dst[k] = merge(dm, sm)
				continue
			}
		}
		if v == nil {
			delete(dst, k) // Helm deletes a key set to null
			continue
		}
		dst[k] = v
	}
	return dst
}

func TestClosest(t *testing.T) {
	coordinatorKeys := []string{"activeStandby", "affinity", "annotations", "containerSecurityContext", "enabled",
		"extraEnv", "nodeSelector", "replicas", "resources", "securityContext", "service", "strategy", "tolerations",
		"topologySpreadConstraints"}
	tests := []struct {
		key        string
		candidates []string
		want       string
	}{
		{"activeStandBy", coordinatorKeys, "activeStandby"}, // case only
		{"ACTIVESTANDBY", coordinatorKeys, "activeStandby"},
		{"replica", coordinatorKeys, "replicas"},
		{"replics", coordinatorKeys, "replicas"},
		{"stratgy", coordinatorKeys, "strategy"},
		{"stategy", coordinatorKeys, "strategy"},
		{"tolerations", coordinatorKeys, "tolerations"},
		{"toleration", coordinatorKeys, "tolerations"},
		{"nodeSelectors", coordinatorKeys, "nodeSelector"},
		{"topologySpreadConstraint", coordinatorKeys, "topologySpreadConstraints"},
		{"anotations", coordinatorKeys, "annotations"},
		{"enable", coordinatorKeys, "enabled"},
		{"securityContxt", coordinatorKeys, "securityContext"},
		// no suggestion for unrelated words
		{"totallyUnrelatedThing", coordinatorKeys, ""},
		{"image", coordinatorKeys, ""},
		{"foo", coordinatorKeys, ""},
		{"x", coordinatorKeys, ""},
		{"", coordinatorKeys, ""},
		{"replicas", nil, ""},
		// a short key: one edit is close, as many edits as letters is not
		{"ab", []string{"abc"}, "abc"},
		{"ab", []string{"xy"}, ""},
		// the nearest wins
		{"mode", []string{"node", "modes", "model"}, "node"},
	}
	for _, tt := range tests {
		t.Run(tt.key, func(t *testing.T) {
			assert.Equal(t, tt.want, Closest(tt.key, tt.candidates))
		})
	}
}

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"", "abc", 3},
		{"abc", "", 3},
		{"abc", "abc", 0},
		{"replica", "replicas", 1},
		{"stratgy", "strategy", 1},
		{"kitten", "sitting", 3},
		{"flaw", "lawn", 2},
		{"activestandby", "activestandby", 0},
		{"héllo", "hello", 1}, // runes, not bytes
		{"日本", "日本語", 1},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			assert.Equal(t, tt.want, distance(tt.a, tt.b))
			assert.Equal(t, tt.want, distance(tt.b, tt.a), "symmetric")
		})
	}
}

func TestValidateChartDefaults(t *testing.T) {
	assert.Empty(t, validator(t).Validate(withDefaults(t, ""), nil))
}

// expect is one finding Validate must report.
type expect struct {
	rule     string
	path     string
	message  []string // substrings of the message
	fix      string   // a substring of the fix
	severity finding.Severity
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name    string
		overlay string
		want    []expect
	}{
		{
			name:    "unknown key, case typo",
			overlay: "rootCoordinator:\n  activeStandBy:\n    enabled: true\n",
			want: []expect{{rule: RuleUnknownKey, path: "rootCoordinator.activeStandBy",
				message: []string{"rootCoordinator.activeStandBy is not a value of this chart"},
				fix:     "did you mean activeStandby? rename activeStandBy to activeStandby"}},
		},
		{
			name:    "unknown key, missing letter",
			overlay: "queryCoordinator:\n  replica: 3\n",
			want: []expect{{rule: RuleUnknownKey, path: "queryCoordinator.replica",
				fix: "did you mean replicas? rename replica to replicas"}},
		},
		{
			name:    "unknown key, transposed letters",
			overlay: "dataCoordinator:\n  stratgy: {type: Recreate}\n",
			want: []expect{{rule: RuleUnknownKey, path: "dataCoordinator.stratgy",
				fix: "did you mean strategy?"}},
		},
		{
			name:    "unknown top-level key",
			overlay: "rootCoordinater:\n  replicas: 1\n",
			want: []expect{{rule: RuleUnknownKey, path: "rootCoordinater",
				fix: "did you mean rootCoordinator?"}},
		},
		{
			name:    "unknown key without a close match lists the allowed keys",
			overlay: "rootCoordinator:\n  totallyUnrelatedThing: 1\n",
			want: []expect{{rule: RuleUnknownKey, path: "rootCoordinator.totallyUnrelatedThing",
				fix: "remove totallyUnrelatedThing; the keys allowed here are activeStandby, affinity, annotations,"}},
		},
		{
			name:    "misplaced Milvus config key",
			overlay: "rootCoordinator:\n  enableActiveStandby: true\n",
			want: []expect{{rule: RuleUnknownKey, path: "rootCoordinator.enableActiveStandby",
				fix: "did you mean activeStandby.enabled? replace enableActiveStandby with activeStandby: {enabled: <its value>}"}},
		},
		{
			name:    "misplaced key from another chart",
			overlay: "mixCoordinator:\n  replicaCount: 2\n",
			want: []expect{{rule: RuleUnknownKey, path: "mixCoordinator.replicaCount",
				fix: "did you mean replicas?"}},
		},
		{
			name:    "enableActiveStandby at the top level is not sent to a key that is not there",
			overlay: "enableActiveStandby: true\n",
			want: []expect{{rule: RuleUnknownKey, path: "enableActiveStandby",
				fix: "remove enableActiveStandby"}},
		},
		{
			name:    "unknown key in a list item",
			overlay: "rootCoordinator:\n  tolerations:\n    - key: dedicated\n      efect: NoSchedule\n",
			want: []expect{{rule: RuleUnknownKey, path: "rootCoordinator.tolerations[0].efect",
				fix: "did you mean effect?"}},
		},
		{
			name:    "quoted number",
			overlay: "rootCoordinator:\n  replicas: \"3\"\n",
			want: []expect{{rule: RuleType, path: "rootCoordinator.replicas",
				message: []string{"rootCoordinator.replicas is a string", `("3")`, "must be an integer", "Number of pods"},
				fix:     "write rootCoordinator.replicas: 3 without quotes"}},
		},
		{
			name:    "string for a boolean",
			overlay: "rootCoordinator:\n  replicas: 1\n  activeStandby:\n    enabled: \"true\"\n",
			want: []expect{{rule: RuleType, path: "rootCoordinator.activeStandby.enabled",
				message: []string{`("true")`, "must be a boolean"},
				fix:     "without quotes"}},
		},
		{
			name:    "mapping for a boolean",
			overlay: "queryCoordinator:\n  activeStandby: true\n",
			want: []expect{{rule: RuleType, path: "queryCoordinator.activeStandby",
				message: []string{"is a boolean (true)", "must be an object"},
				fix:     "set queryCoordinator.activeStandby to an object"}},
		},
		{
			name:    "fraction for an integer",
			overlay: "milvus:\n  session:\n    ttl: 2.5\n",
			want: []expect{{rule: RuleType, path: "milvus.session.ttl",
				message: []string{"(2.5)", "must be an integer"}}},
		},
		{
			name:    "above the maximum",
			overlay: "rootCoordinator:\n  replicas: 500\n",
			want: []expect{{rule: RuleValue, path: "rootCoordinator.replicas",
				message: []string{"500", "100"}, fix: "set rootCoordinator.replicas to an allowed value"}},
		},
		{
			name:    "below the minimum",
			overlay: "dataCoordinator:\n  service:\n    port: 0\n",
			want: []expect{{rule: RuleValue, path: "dataCoordinator.service.port",
				message: []string{"dataCoordinator.service.port is 0", "1"}}},
		},
		{
			name:    "negative replicas",
			overlay: "rootCoordinator:\n  replicas: -1\n",
			want: []expect{{rule: RuleValue, path: "rootCoordinator.replicas",
				message: []string{"rootCoordinator.replicas is -1", "0"}}},
		},
		{
			name:    "not one of the allowed values",
			overlay: "podAntiAffinity:\n  mode: never\n",
			want: []expect{{rule: RuleValue, path: "podAntiAffinity.mode",
				message: []string{`"soft", "hard", "none"`}}},
		},
		{
			name:    "list item field of the wrong type",
			overlay: "rootCoordinator:\n  tolerations:\n    - key: dedicated\n      effect: NoSchedule\n    - key: gpu\n      effect: 1\n",
			want: []expect{{rule: RuleType, path: "rootCoordinator.tolerations[1].effect",
				message: []string{"rootCoordinator.tolerations[1].effect is an integer (1) but must be a string", "taint effect"}}},
		},
		{
			name:    "first list item",
			overlay: "rootCoordinator:\n  tolerations:\n    - effect: [NoSchedule]\n",
			want: []expect{{rule: RuleType, path: "rootCoordinator.tolerations[0].effect",
				message: []string{"is an array"}}},
		},
		{
			name:    "list where a mapping is expected",
			overlay: "rootCoordinator:\n  tolerations:\n    key: dedicated\n",
			want: []expect{{rule: RuleType, path: "rootCoordinator.tolerations",
				message: []string{"is an object", "must be an array"}}},
		},
		{
			name:    "annotation keys with dots",
			overlay: "rootCoordinator:\n  annotations:\n    prometheus.io/scrape: true\n    prometheus.io/port: \"9091\"\n",
			want: []expect{{rule: RuleType, path: `rootCoordinator.annotations["prometheus.io/scrape"]`,
				message: []string{`rootCoordinator.annotations["prometheus.io/scrape"] is a boolean (true) but must be a string`},
				fix:     `write rootCoordinator.annotations["prometheus.io/scrape"]: "true" (quoted, so YAML keeps the text)`}},
		},
		{
			name:    "service annotation keys with dots",
			overlay: "queryCoordinator:\n  service:\n    annotations:\n      service.beta.kubernetes.io/aws-load-balancer-internal: 1\n",
			want:    []expect{{rule: RuleType, path: `queryCoordinator.service.annotations["service.beta.kubernetes.io/aws-load-balancer-internal"]`}},
		},
		{
			name:    "node selector key with dots",
			overlay: "rootCoordinator:\n  nodeSelector:\n    kubernetes.io/hostname: 5\n",
			want:    []expect{{rule: RuleType, path: `rootCoordinator.nodeSelector["kubernetes.io/hostname"]`}},
		},
		{
			// the schema's rule entry refuses it (Enforced), the rule reports it
			name:    "replicas without standby is no schema finding",
			overlay: "rootCoordinator:\n  replicas: 2\n  activeStandby:\n    enabled: false\n",
		},
		{
			// with 2 replicas the schema's if/then (enabled must be true)
			// fails too; the wrong type is the one problem to report
			name:    "string for a boolean where an if/then applies too",
			overlay: "rootCoordinator:\n  replicas: 2\n  activeStandby:\n    enabled: \"true\"\n",
			want: []expect{{rule: RuleType, path: "rootCoordinator.activeStandby.enabled",
				message: []string{`("true")`, "must be a boolean"}}},
		},
		{
			name:    "several problems, each reported",
			overlay: "rootCoordinator:\n  replica: 3\n  enabled: \"yes\"\npodAntiAffinity:\n  mode: never\n",
			want: []expect{
				{rule: RuleUnknownKey, path: "rootCoordinator.replica"},
				{rule: RuleType, path: "rootCoordinator.enabled"},
				{rule: RuleValue, path: "podAntiAffinity.mode"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validator(t).Validate(withDefaults(t, tt.overlay), nil)
			require.Len(t, got, len(tt.want), "findings: %v", got)
			byPath := map[string]finding.Finding{}
			for _, f := range got {
				byPath[f.Path] = f
				assert.Equal(t, finding.Origin{}, f.Origin, "Validate leaves Origin to the caller")
				assert.NotEmpty(t, f.Message)
				assert.NotEmpty(t, f.Fix)
			}
			for _, w := range tt.want {
				f, ok := byPath[w.path]
				require.True(t, ok, "no finding at %s in %v", w.path, got)
				assert.Equal(t, w.rule, f.Rule)
				sev := w.severity
				if sev == 0 {
					sev = finding.Error
				}
				assert.Equal(t, sev, f.Severity)
				for _, m := range w.message {
					assert.Contains(t, f.Message, m)
				}
				assert.Contains(t, f.Fix, w.fix)
			}
		})
	}
}

// TestValidateMessagesNamePathOnce: a message starts with the path it is
// about and does not repeat it.
func TestValidateMessagesNamePathOnce(t *testing.T) {
	overlays := []string{
		"podAntiAffinity:\n  mode: never\n",
		"rootCoordinator:\n  replicas: 500\n",
		"rootCoordinator:\n  replicas: \"3\"\n",
		"milvus:\n  etcd:\n    rootPath: \"\"\n",
	}
	for _, o := range overlays {
		t.Run(strings.SplitN(o, "\n", 2)[0], func(t *testing.T) {
			got := validator(t).Validate(withDefaults(t, o), nil)
			require.NotEmpty(t, got)
			for _, f := range got {
				assert.True(t, strings.HasPrefix(f.Message, f.Path), "%q does not start with %s", f.Message, f.Path)
				head, _, _ := strings.Cut(f.Message, " (") // the description may name it again
				assert.Equal(t, 1, strings.Count(head, f.Path), "%q names %s more than once", f.Message, f.Path)
			}
		})
	}
}

func TestValidateConcurrent(t *testing.T) {
	v := validator(t)
	vals := withDefaults(t, "rootCoordinator:\n  replica: 3\n")
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 5 {
				got := v.Validate(vals, nil)
				if assert.Len(t, got, 1) {
					assert.Equal(t, "rootCoordinator.replica", got[0].Path)
				}
			}
		}()
	}
	wg.Wait()
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name string
		raw  string
	}{
		{"not JSON", "{"},
		{"not a schema", `{"type": 5}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Compile([]byte(tt.raw))
			assert.ErrorContains(t, err, "values.schema.json")
		})
	}
}

// TestValidateTinySchema covers paths the chart's schema cannot produce.
func TestValidateTinySchema(t *testing.T) {
	v, err := Compile([]byte(`{
  "type": "object",
  "required": ["name"],
  "properties": {
    "name": {"type": "string", "description": "The name."},
    "ports": {"type": "array", "items": {"type": "integer", "maximum": 10}},
    "labels": {"type": "object", "additionalProperties": {"type": "string"}}
  },
  "additionalProperties": false
}`))
	require.NoError(t, err)
	tests := []struct {
		name string
		vals map[string]any
		want []expect
	}{
		{"required", map[string]any{}, []expect{{rule: RuleValue, path: "name", message: []string{"name is required", "The name"}, fix: "set name"}}},
		{"list item out of range", map[string]any{"name": "x", "ports": []any{1, 11}}, []expect{{rule: RuleValue, path: "ports[1]"}}},
		{"key with brackets", map[string]any{"name": "x", "labels": map[string]any{"a[0]": 1}}, []expect{{rule: RuleType, path: `labels["a[0]"]`}}},
		{"unknown key with a dot", map[string]any{"name": "x", "a.b": 1}, []expect{{rule: RuleUnknownKey, path: `["a.b"]`}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := v.Validate(tt.vals, nil)
			require.Len(t, got, len(tt.want), "%v", got)
			for i, w := range tt.want {
				assert.Equal(t, w.rule, got[i].Rule)
				assert.Equal(t, w.path, got[i].Path)
				for _, m := range w.message {
					assert.Contains(t, got[i].Message, m)
				}
				assert.Contains(t, got[i].Fix, w.fix)
			}
		})
	}
}

// TestEnforced: the schema's rule entries ("rule <id> <subject>") say which
// causes Helm refuses, apart from the keys-and-types findings.
func TestEnforced(t *testing.T) {
	tests := []struct {
		name, overlay string
		want          []string
	}{
		{"chart defaults", "", nil},
		{"replicas without standby", "rootCoordinator:\n  replicas: 2\n  activeStandby:\n    enabled: false\n",
			[]string{"ha-replicas-need-standby/rootcoord"}},
		// mixcoord's HA depends on the Milvus version (always on from 2.6.8):
		// the chart's guards refuse it, not the schema.
		{"mixcoord replicas without standby: the guards'", "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\nmixCoordinator: {enabled: true, activeStandby: {enabled: false}}\n",
			nil},
		{"rolling update without standby", "dataCoordinator: {replicas: 1, activeStandby: {enabled: false}, strategy: {type: RollingUpdate}}\n",
			[]string{"non-ha-rolling-update/datacoord"}},
		{"a disabled coordinator is not judged", "dataCoordinator: {enabled: false, replicas: 3, activeStandby: {enabled: false}, strategy: {type: RollingUpdate}}\nmixCoordinator: {enabled: false}\n",
			nil},
		{"mixcoord with separate coordinators", "mixCoordinator: {enabled: true}\n",
			[]string{"mixcoord-exclusive/datacoord", "mixcoord-exclusive/querycoord", "mixcoord-exclusive/rootcoord"}},
		{"no coordinator", "rootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}\n",
			[]string{"coordinators-incomplete/all"}},
		{"two queues and no brokers", "externalKafka: {enabled: true}\n",
			[]string{"message-queue/kafka-brokers", "message-queue/queue"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := validator(t).Enforced(withDefaults(t, tt.overlay))
			sort.Strings(got)
			assert.Equal(t, tt.want, got)
			assert.Empty(t, validator(t).Validate(withDefaults(t, tt.overlay), nil), "a rule entry is not also a schema finding")
		})
	}
}
