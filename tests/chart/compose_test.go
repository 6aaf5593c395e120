package chart_test

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"sigs.k8s.io/yaml"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/golden"
	"github.com/milvus-coord/milvus-coord/internal/render"
)

type composeFile struct {
	Name     string `json:"name"`
	Services map[string]struct {
		Image       string            `json:"image"`
		Command     []string          `json:"command"`
		Environment map[string]string `json:"environment"`
		Configs     []struct {
			Source string `json:"source"`
			Target string `json:"target"`
		} `json:"configs"`
		Restart         string `json:"restart"`
		StopGracePeriod string `json:"stop_grace_period"`
	} `json:"services"`
	Configs map[string]struct {
		Content string `json:"content"`
	} `json:"configs"`
}

// TestCompose: for every scenario the compose form has one service per
// replica of every coordinator Deployment, with its command, its
// *_ENABLE_ACTIVE_STANDBY and connection env matching the user.yaml it mounts,
// and no credential written out.
func TestCompose(t *testing.T) {
	ch := loadChart(t)
	for name, values := range scenarioFiles(t) {
		t.Run(name, func(t *testing.T) {
			var file *check.Input
			if values != "" {
				file = &check.Input{Name: name, Data: []byte(values)}
			}
			res := ch.Check(file, check.Options{Render: render.Options{ReleaseName: "coord"}})
			require.NotNil(t, res.Objects)
			out, err := render.Compose(res.Objects, "coord")
			require.NoError(t, err)
			golden.Assert(t, filepath.Join("testdata", "compose", name+".yaml"), out)

			var c composeFile
			require.NoError(t, yaml.Unmarshal(out, &c))
			assert.Equal(t, "coord", c.Name)
			o := renderValues(t, ch, values)
			want := 0
			for component, d := range o.deployments {
				replicas := int(*d.Spec.Replicas)
				want += replicas
				cfg := userConfig(t, o.configMaps[component])
				for i := 1; i <= replicas; i++ {
					svc, ok := c.Services[fmt.Sprintf("%s-%d", component, i)]
					require.True(t, ok, "service %s-%d", component, i)
					assert.Equal(t, d.Spec.Template.Spec.Containers[0].Args, svc.Command)
					assert.Equal(t, d.Spec.Template.Spec.Containers[0].Image, svc.Image)
					for _, s := range sections[component] {
						env := map[string]string{"rootCoord": "ROOT_COORD", "queryCoord": "QUERY_COORD", "dataCoord": "DATA_COORD"}[s]
						assert.Equal(t, fmt.Sprint(cfg[s].(map[string]any)["enableActiveStandby"]), svc.Environment[env+"_ENABLE_ACTIVE_STANDBY"])
					}
					endpoints := cfg["etcd"].(map[string]any)["endpoints"].([]any)
					var eps []string
					for _, e := range endpoints {
						eps = append(eps, e.(string))
					}
					assert.Equal(t, strings.Join(eps, ","), svc.Environment["ETCD_ENDPOINTS"])
					assert.Equal(t, cfg["minio"].(map[string]any)["address"], svc.Environment["MINIO_ADDRESS"])
					if cfg["mq"].(map[string]any)["type"] == "kafka" {
						assert.Equal(t, cfg["kafka"].(map[string]any)["brokerList"], svc.Environment["KAFKA_BROKER_LIST"])
						assert.NotContains(t, svc.Environment, "PULSAR_ADDRESS")
					} else {
						assert.Equal(t, cfg["pulsar"].(map[string]any)["address"], svc.Environment["PULSAR_ADDRESS"])
					}
					require.Len(t, svc.Configs, 1)
					assert.Equal(t, "/milvus/configs/user.yaml", svc.Configs[0].Target)
					assert.Equal(t, o.configMaps[component].Data["user.yaml"], c.Configs[svc.Configs[0].Source].Content)
					assert.NotEmpty(t, svc.StopGracePeriod, "a graceful stop revokes the lease")
					for k, v := range svc.Environment {
						if strings.Contains(k, "SECRET") || strings.Contains(k, "PASSWORD") || strings.Contains(k, "ACCESS_KEY") {
							assert.True(t, strings.HasPrefix(v, "${"+k+":?"), "%s must come from the environment, not the file", k)
						}
					}
				}
			}
			assert.Len(t, c.Services, want, "one service per replica")
		})
	}
}
