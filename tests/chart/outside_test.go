package chart_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/milvus-coord/milvus-coord/internal/check"
	"github.com/milvus-coord/milvus-coord/internal/localrun"
	"github.com/milvus-coord/milvus-coord/internal/render"
)

// TestOutsideKubernetesRefuses: what the compose and local outputs cannot
// carry (heaptrack's init container, a ConfigMap's files; a Secret's for the
// local output, while compose binds it from a host directory) stops them with
// an error that names the values to change, never a file that starts Milvus
// without it.
func TestOutsideKubernetesRefuses(t *testing.T) {
	ch := loadChart(t)
	tests := []struct {
		name, values   string
		want           []string // fragments of both errors (of the local one alone with composeCarries)
		composeCarries bool
	}{
		{"heaptrack", "queryCoordinator: {heaptrack: {enabled: true}}",
			[]string{"Deployment coord-milvus-coord-querycoord runs Milvus under heaptrack", "set queryCoordinator.heaptrack.enabled: false for the"}, false},
		{"a Secret of TLS material", "extraVolumes: [{name: tls, secret: {secretName: milvus-tls}}]\nextraVolumeMounts: [{name: tls, mountPath: /milvus/tls, readOnly: true}]",
			[]string{"Deployment coord-milvus-coord-rootcoord mounts volume tls (Secret milvus-tls) at /milvus/tls", "Milvus would miss its files", "remove the mount from extraVolumeMounts or rootCoordinator.extraVolumeMounts"}, true},
		{"a ConfigMap mounted elsewhere", "dataCoordinator: {extraVolumes: [{name: ca, configMap: {name: ca}}], extraVolumeMounts: [{name: ca, mountPath: /milvus/ca}]}",
			[]string{"Deployment coord-milvus-coord-datacoord mounts volume ca (ConfigMap ca) at /milvus/ca"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := ch.Check(&check.Input{Name: "values.yaml", Data: []byte(tt.values)}, check.Options{Render: render.Options{ReleaseName: "coord"}})
			require.NotNil(t, res.Objects, "%v", res.Findings)
			compose, composeErr := render.Compose(res.Objects, "coord")
			_, localErr := localrun.Build(res.Objects)
			require.Error(t, localErr)
			for _, w := range tt.want {
				assert.Contains(t, localErr.Error(), w)
			}
			assert.Contains(t, localErr.Error(), "the local output")
			if tt.composeCarries {
				require.NoError(t, composeErr)
				assert.Contains(t, string(compose), "${MILVUS_COORD_TLS_DIR:?", "a read-only bind mount of the Secret's host directory")
				return
			}
			require.Error(t, composeErr)
			for _, w := range tt.want {
				assert.Contains(t, composeErr.Error(), w)
			}
			assert.Contains(t, composeErr.Error(), "the compose output")
		})
	}
}
