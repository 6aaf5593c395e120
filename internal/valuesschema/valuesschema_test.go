package valuesschema

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xeipuuv/gojsonschema"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/golden"
)

const chartDir = "../../charts/milvus-coord"

func chartDefaults(t *testing.T) map[string]any {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(chartDir, "values.yaml"))
	require.NoError(t, err)
	var defaults map[string]any
	require.NoError(t, yaml.Unmarshal(raw, &defaults))
	return defaults
}

// TestSchemaFilesAreGenerated keeps the chart's values.schema.json (the one Helm
// reads) and the repository root copy equal to what Build produces.
func TestSchemaFilesAreGenerated(t *testing.T) {
	out, err := Build(chartDefaults(t)).JSON()
	require.NoError(t, err)
	for _, path := range []string{filepath.Join(chartDir, "values.schema.json"), "../../values.schema.json"} {
		golden.Assert(t, path, out)
	}
}

func TestEveryPropertyIsDocumented(t *testing.T) {
	var walk func(path string, s *Schema)
	walk = func(path string, s *Schema) {
		for key, p := range s.Properties {
			assert.NotEmpty(t, p.Description, "%s%s has no description", path, key)
			walk(path+key+".", p)
		}
		if s.Items != nil {
			walk(path+"[]", s.Items)
		}
	}
	root := Build(nil)
	walk("", root)
	for name, def := range root.Definitions {
		walk("definitions."+name+".", def)
	}
}

func TestEveryObjectIsClosed(t *testing.T) {
	var walk func(path string, s *Schema)
	walk = func(path string, s *Schema) {
		// milvus.extraConfig is Milvus' own config namespace, open by design.
		if s.Type == "object" && path != "milvus.extraConfig." && path != "milvus.extraConfig.rootCoord." &&
			path != "milvus.extraConfig.queryCoord." && path != "milvus.extraConfig.dataCoord." {
			assert.NotNil(t, s.AdditionalProperties, "%s accepts any key", path)
		}
		for key, p := range s.Properties {
			walk(path+key+".", p)
		}
		if s.Items != nil {
			walk(path+"[]", s.Items)
		}
	}
	root := Build(nil)
	walk("", root)
	for name, def := range root.Definitions {
		walk("definitions."+name+".", def)
	}
}

// TestContract validates overlays of the chart defaults against the schema;
// errs lists the JSON paths gojsonschema must report (nil: valid).
func TestContract(t *testing.T) {
	raw, err := Build(chartDefaults(t)).JSON()
	require.NoError(t, err)
	schema, err := gojsonschema.NewSchema(gojsonschema.NewBytesLoader(raw))
	require.NoError(t, err)

	tests := []struct {
		name    string
		overlay string
		errs    []string
	}{
		{name: "chart defaults", overlay: ``},
		{name: "single replicas without active-standby",
			overlay: "rootCoordinator: {replicas: 1, activeStandby: {enabled: false}}"},
		{name: "replicas 2 without active-standby",
			overlay: "queryCoordinator: {replicas: 2, activeStandby: {enabled: false}}",
			errs:    []string{"queryCoordinator.activeStandby.enabled"}},
		{name: "replicas 3 without active-standby on a disabled coordinator",
			overlay: "dataCoordinator: {enabled: false, replicas: 3, activeStandby: {enabled: false}}"},
		// From Milvus 2.6.8 mixcoord is always active-standby, which the schema
		// cannot tell from the tag: validate.yaml guards it (tests/helm).
		{name: "mixcoord replicas 2 without active-standby: the guards' to refuse",
			overlay: "mixCoordinator: {enabled: true, activeStandby: {enabled: false}}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}"},
		{name: "mixcoord port null: the release's",
			overlay: "mixCoordinator: {service: {port: null}}"},
		{name: "mixcoord port out of range",
			overlay: "mixCoordinator: {service: {port: 70000}}",
			errs:    []string{"mixCoordinator.service.port"}},
		{name: "mixcoord alone",
			overlay: "mixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}\ndataCoordinator: {enabled: false}"},
		{name: "mixcoord with a separate coordinator",
			overlay: "mixCoordinator: {enabled: true}\nrootCoordinator: {enabled: false}\nqueryCoordinator: {enabled: false}",
			errs:    []string{"dataCoordinator.enabled"}},
		{name: "typo in a key", overlay: "rootCoordinator: {activeStandBy: {enabled: true}}",
			errs: []string{"rootCoordinator"}},
		{name: "replicas as a string", overlay: `rootCoordinator: {replicas: "2"}`,
			errs: []string{"rootCoordinator.replicas"}},
		{name: "negative replicas", overlay: `rootCoordinator: {replicas: -1}`,
			errs: []string{"rootCoordinator.replicas"}},
		{name: "enabled as a string", overlay: `rootCoordinator: {enabled: "true"}`,
			errs: []string{"rootCoordinator.enabled"}},
		{name: "rolling update without active-standby",
			overlay: "rootCoordinator: {replicas: 1, activeStandby: {enabled: false}, strategy: {type: RollingUpdate}}",
			errs:    []string{"rootCoordinator.strategy.type"}},
		{name: "recreate with active-standby", overlay: "rootCoordinator: {strategy: {type: Recreate}}"},
		{name: "recreate with a rollingUpdate block",
			overlay: "rootCoordinator: {strategy: {type: Recreate, rollingUpdate: {maxSurge: 1}}}",
			errs:    []string{"rootCoordinator.strategy"}},
		{name: "invalid quantity", overlay: "rootCoordinator: {resources: {requests: {cpu: lots}}}",
			errs: []string{"rootCoordinator.resources.requests.cpu"}},
		{name: "invalid emptyDir size", overlay: "emptyDir: {sizeLimit: big}", errs: []string{"emptyDir.sizeLimit"}},
		{name: "emptyDir size set to null", overlay: "emptyDir: {sizeLimit: null}", errs: []string{"emptyDir.sizeLimit"}},
		{name: "misspelled affinity field",
			overlay: "rootCoordinator: {affinity: {nodeAffinty: {}}}",
			errs:    []string{"rootCoordinator.affinity"}},
		{name: "kafka and pulsar together", overlay: "externalKafka: {enabled: true, brokerList: k:9092}",
			errs: []string{"externalPulsar.enabled"}},
		{name: "kafka alone", overlay: "externalKafka: {enabled: true, brokerList: k:9092}\nexternalPulsar: {enabled: false}"},
		{name: "kafka without brokers", overlay: "externalKafka: {enabled: true}\nexternalPulsar: {enabled: false}",
			errs: []string{"externalKafka.brokerList"}},
		{name: "no message queue", overlay: "externalPulsar: {enabled: false}",
			errs: []string{"externalPulsar.enabled"}},
		{name: "image tag as a number", overlay: "image: {all: {tag: 2.4}}", errs: []string{"image.all.tag"}},
		{name: "non-boolean enableActiveStandby in extra config",
			overlay: `milvus: {extraConfig: {rootCoord: {enableActiveStandby: "yes"}}}`,
			errs:    []string{"milvus.extraConfig.rootCoord.enableActiveStandby"}},
		{name: "free-form extra config", overlay: `milvus: {extraConfig: {queryCoord: {balancer: ScoreBasedBalancer}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			values := chartDefaults(t)
			var overlay map[string]any
			require.NoError(t, yaml.Unmarshal([]byte(tt.overlay), &overlay))
			mergeInto(values, overlay)
			result, err := schema.Validate(gojsonschema.NewGoLoader(values))
			require.NoError(t, err)
			var got []string
			for _, e := range result.Errors() {
				if e.Type() == "condition_then" || e.Type() == "condition_else" || e.Type() == "number_all_of" {
					continue // the wrappers around the errors asserted here
				}
				got = append(got, e.Field())
			}
			assert.ElementsMatch(t, tt.errs, got, "errors: %v", result.Errors())
		})
	}
}

func mergeInto(dst, src map[string]any) {
	for k, v := range src {
		if sm, ok := v.(map[string]any); ok {
			if dm, ok := dst[k].(map[string]any); ok {
				mergeInto(dm, sm)
				continue
			}
		}
		dst[k] = v
	}
}
